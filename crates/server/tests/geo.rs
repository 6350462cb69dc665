//! Geography end to end, on SQLite and PostgreSQL: grid and outline imports with every validation
//! failure refused whole, the grid history, point → grid in every coordinate system (borders,
//! holes in the coverage, far away), addresses → grid, and a dispatcher placing a case.

use civicgrid_store::backend_test;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use civicgrid_domain::Role;
use civicgrid_geo::{from_wgs84, Crs};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};
use tower::ServiceExt;

mod support;

/// Two communities of 环翠楼街道 side by side; A is split into two grids, B has one.
const A: &str = "371002001001";
const B: &str = "371002001003";
const TOWN: &str = "371002001";

struct Api {
    app: axum::Router,
    admin: String,
    dispatcher: String,
    town: String,
    _dir: Option<tempfile::TempDir>,
}

struct Res {
    status: StatusCode,
    body: Value,
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

fn feature(code: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"code": code, "name": format!("网格{}", &code[12..]), "type": "社区网格",
                                             "households": 300, "population": 800, "full_time": "worker1"},
           "geometry": geometry})
}

fn fc(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn good_grids() -> String {
    fc(vec![
        feature(&format!("{A}001"), square(122.00, 37.00, 122.01, 37.02)),
        feature(&format!("{A}002"), square(122.01, 37.00, 122.02, 37.02)),
        feature(&format!("{B}001"), square(122.02, 37.00, 122.04, 37.02)),
    ])
}

impl Api {
    async fn new(backend: civicgrid_store::testing::Backend) -> Api {
        let accounts = [
            ("admin", Role::Admin, "3710", None),
            ("dispatcher", Role::DistrictDispatcher, "3710", None),
            ("towncentre", Role::TownDispatcher, TOWN, None),
            ("worker1", Role::GridWorker, A, None),
        ];
        let (store, dir) = support::seeded_store(backend, &accounts).await;
        let state = AppState::new(store, Cipher::from_bytes([9; 32]), ServerConfig::default());
        let mut api = Api { app: router(state), admin: String::new(), dispatcher: String::new(), town: String::new(), _dir: dir };
        api.admin = api.login("admin").await;
        api.dispatcher = api.login("dispatcher").await;
        api.town = api.login("towncentre").await;
        api
    }

    async fn call(&self, method: &str, uri: &str, token: Option<&str>, body: Option<(&str, String)>) -> Res {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some((kind, b)) => {
                req = req.header("content-type", kind);
                b
            }
            None => String::new(),
        };
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        Res { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into())) }
    }

    async fn login(&self, user: &str) -> String {
        let r = self.call("POST", "/api/v1/session", None, Some(("application/json", json!({"username": user, "password": "civicgrid"}).to_string()))).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    async fn import(&self, what: &str, body: String) -> Res {
        self.call("POST", &format!("/api/v1/{what}/import"), Some(&self.admin), Some(("application/geo+json", body))).await
    }

    async fn grid_codes(&self, area: &str) -> Vec<String> {
        let r = self.call("GET", &format!("/api/v1/grids?area={area}"), None, None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["type"], "FeatureCollection");
        r.body["features"].as_array().unwrap().iter().map(|f| f["properties"]["code"].as_str().unwrap().to_string()).collect()
    }

    /// Outlines of A, B and the town, then the three good grids.
    async fn with_grids(backend: civicgrid_store::testing::Backend) -> Api {
        let api = Api::new(backend).await;
        let outlines = fc(vec![
            json!({"type": "Feature", "properties": {"code": A}, "geometry": square(122.00, 37.00, 122.02, 37.02)}),
            json!({"type": "Feature", "properties": {"code": B}, "geometry": square(122.02, 37.00, 122.04, 37.02)}),
            json!({"type": "Feature", "properties": {"code": TOWN}, "geometry": square(121.99, 36.99, 122.06, 37.03)}),
        ]);
        let r = api.import("boundaries", outlines).await;
        assert_eq!(r.status, 200, "{backend}: {:?}", r.body);
        let r = api.import("grids", good_grids()).await;
        assert_eq!(r.status, 200, "{backend}: {:?}", r.body);
        assert_eq!(r.body["added"], 3, "{backend}");
        api
    }

    async fn report(&self, token: Option<&str>, body: Value) -> Res {
        self.call("POST", "/api/v1/cases", token, Some(("application/json", body.to_string()))).await
    }
}

/// Asserts that `body` is refused whole with a problem of `kind` whose message contains `needle`.
async fn refused(api: &Api, what: &str, body: String, kind: &str, needle: &str) {
    let before = api.grid_codes(TOWN).await;
    let r = api.import(what, body).await;
    assert_eq!(r.status, 422, "{kind}: {:?}", r.body);
    assert_eq!(r.body["error"]["code"], "invalid_file", "{kind}");
    let problems = r.body["error"]["details"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["kind"] == kind && p["message"].as_str().unwrap().contains(needle)),
        "expected a {kind} problem mentioning `{needle}`: {problems:?}"
    );
    assert_eq!(api.grid_codes(TOWN).await, before, "{kind}: a refused import writes nothing");
}

backend_test! {
    async fn every_validation_failure_refuses_the_whole_file(b: Backend) {
        let api = Api::with_grids(b).await;
        let good = feature(&format!("{B}002"), square(122.03, 37.00, 122.04, 37.005));
        let open_ring = json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], [122.01, 37.0], [122.01, 37.01], [122.0, 37.01]]]});
        refused(&api, "grids", fc(vec![good.clone(), feature(&format!("{A}003"), open_ring)]), "invalid", "does not close").await;
        let bow_tie = json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], [122.01, 37.01], [122.01, 37.0], [122.0, 37.01], [122.0, 37.0]]]});
        refused(&api, "grids", fc(vec![feature(&format!("{A}001"), bow_tie)]), "self_intersection", "").await;
        let hole_outside = json!({"type": "Polygon", "coordinates": [
            [[122.0, 37.0], [122.01, 37.0], [122.01, 37.02], [122.0, 37.02], [122.0, 37.0]],
            [[122.03, 37.005], [122.035, 37.005], [122.035, 37.01], [122.03, 37.01], [122.03, 37.005]]]});
        refused(&api, "grids", fc(vec![feature(&format!("{A}001"), hole_outside)]), "hole_outside_shell", "").await;
        // A grid of A reaching into B: outside its community, and overlapping B's grid.
        let wide = feature(&format!("{A}002"), square(122.01, 37.00, 122.03, 37.02));
        refused(&api, "grids", fc(vec![wide.clone()]), "outside_community", "m²").await;
        refused(&api, "grids", fc(vec![wide]), "overlap", "m²").await;
        // A new grid on top of a stored one.
        refused(&api, "grids", fc(vec![feature(&format!("{A}003"), square(122.005, 37.005, 122.008, 37.008))]), "overlap", &format!("{A}001")).await;
        // Shrinking a grid leaves part of its community uncovered.
        refused(&api, "grids", fc(vec![feature(&format!("{A}002"), square(122.01, 37.00, 122.02, 37.01))]), "gap", "m²").await;
        let dup = feature(&format!("{B}001"), square(122.02, 37.00, 122.04, 37.02));
        refused(&api, "grids", fc(vec![dup.clone(), dup]), "duplicate_code", &format!("{B}001")).await;
        refused(&api, "grids", fc(vec![feature("371002999001001", square(122.5, 37.5, 122.51, 37.51))]), "unknown_community", "371002999001").await;
        let mut stranger = feature(&format!("{B}001"), square(122.02, 37.00, 122.04, 37.02));
        stranger["properties"]["chief"] = json!("nobody");
        refused(&api, "grids", fc(vec![stranger]), "unknown_user", "`nobody` is not an account").await;
        refused(&api, "grids", "{\"type\": \"FeatureCollection\", \"features\": [".into(), "invalid", "").await;

        // Dry run checks and writes nothing; others than admins may not import.
        let moved = fc(vec![feature(&format!("{B}001"), square(122.02, 37.00, 122.04, 37.02))]);
        let r = api.call("POST", "/api/v1/grids/import?dry_run=true", Some(&api.admin), Some(("application/geo+json", moved.clone()))).await;
        assert_eq!((r.status, r.body["dry_run"].clone(), r.body["added"].clone()), (StatusCode::OK, json!(true), json!(0)), "{b}");
        let r = api.call("POST", "/api/v1/grids/import", Some(&api.dispatcher), Some(("application/geo+json", moved))).await;
        assert_eq!(r.status, 403, "{b}");
    }
}

backend_test! {
    async fn grids_answer_as_geojson_with_their_history(b: Backend) {
        let api = Api::with_grids(b).await;
        let r = api.call("GET", &format!("/api/v1/grids?area={A}"), None, None).await;
        let features = r.body["features"].as_array().unwrap();
        assert_eq!(features.len(), 2, "{b}: only the grids under A");
        let p = &features[0]["properties"];
        assert_eq!((p["code"].as_str(), p["name"].as_str(), p["type"].as_str()), (Some("371002001001001"), Some("网格001"), Some("community")));
        assert!(p.get("staff").is_none(), "{b}: staff only for staff readers");
        assert_eq!(features[0]["geometry"]["coordinates"][0][2], json!([122.01, 37.02]), "{b}: the polygon as imported");
        let r = api.call("GET", &format!("/api/v1/grids?area={A}"), Some(&api.dispatcher), None).await;
        assert_eq!(r.body["features"][0]["properties"]["staff"]["full_time"][0], "worker1", "{b}");

        // Redrawing the border between A's grids: both get a second version, the first kept.
        let redrawn = fc(vec![
            feature(&format!("{A}001"), square(122.00, 37.00, 122.012, 37.02)),
            feature(&format!("{A}002"), square(122.012, 37.00, 122.02, 37.02)),
        ]);
        let r = api.import("grids", redrawn).await;
        assert_eq!((r.status.as_u16(), r.body["changed"].as_u64()), (200, Some(2)), "{b}: {:?}", r.body);
        let r = api.call("GET", &format!("/api/v1/grids/{A}001"), None, None).await;
        let versions = r.body["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2, "{b}");
        assert!(versions[0]["valid_to"].is_string() && versions[1]["valid_to"].is_null(), "{b}: {versions:?}");
        assert_eq!(versions[0]["geometry"]["coordinates"][0][1][0], 122.01, "{b}: the old polygon is kept: {:?}", versions[0]);
        assert_eq!(r.body["properties"]["version"], 2);
        assert_eq!(api.call("GET", "/api/v1/grids/371002001001009", None, None).await.status, 404);
        let r = api.call("GET", "/api/v1/grids?area=37x", None, None).await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("area")));
    }
}

backend_test! {
    async fn a_point_in_any_coordinate_system_lands_in_its_grid(b: Backend) {
        let api = Api::with_grids(b).await;
        let report = |lon: f64, lat: f64, crs: &str, area: Option<&str>| {
            let mut body = json!({"category": "0102", "description": "垃圾桶满溢", "location": {"lon": lon, "lat": lat, "crs": crs}});
            if let Some(a) = area {
                body["area"] = json!(a);
            }
            body
        };
        // An Amap (GCJ-02) pin inside A's first grid, reported without an area.
        let (gx, gy) = from_wgs84(Crs::Gcj02, 122.005, 37.01);
        assert!((gx - 122.005).abs() > 0.001, "GCJ-02 is shifted from WGS84 here");
        let r = api.report(None, report(gx, gy, "gcj02", None)).await;
        assert_eq!(r.status, 201, "{b}: {:?}", r.body);
        assert_eq!(r.body["grid"], format!("{A}001"), "{b}");
        assert_eq!(r.body["area_code"], A);
        assert_eq!(r.body["located_by"], "point");
        assert_eq!(r.body["located"]["crs"], "gcj02");
        assert!((r.body["location"]["lon"].as_f64().unwrap() - 122.005).abs() < 1e-6, "{b}: stored as WGS84");
        assert_eq!(r.body["located"]["input"]["lon"].as_f64().unwrap(), gx, "{b}: the point as given is kept");
        assert_eq!(r.body["needs_location_confirmation"], false);
        let id = r.body["id"].as_str().unwrap().to_string();
        let ev = api.call("GET", &format!("/api/v1/cases/{id}/events"), Some(&api.dispatcher), None).await;
        assert_eq!(ev.body[0]["data"]["located"]["method"], "point", "{b}: the event records how");

        // Baidu (BD-09) inside B's grid.
        let (bx, by) = from_wgs84(Crs::Bd09, 122.03, 37.01);
        let r = api.report(None, report(bx, by, "bd09", None)).await;
        assert_eq!(r.body["grid"], format!("{B}001"), "{b}");

        // On the border shared by A001 and A002: the lower code, and said so.
        let r = api.report(None, report(122.01, 37.01, "wgs84", None)).await;
        assert_eq!((r.body["grid"].as_str(), r.body["located"]["on_border"].as_bool()), (Some("371002001001001"), Some(true)), "{b}");
        // On the corner of three? The shared vertex of A002 and B001.
        let r = api.report(None, report(122.02, 37.02, "cgcs2000", None)).await;
        assert_eq!(r.body["grid"], format!("{A}002"), "{b}");

        // Inside the town but in no grid: the town, flagged for a dispatcher.
        let r = api.report(None, report(122.05, 37.01, "wgs84", None)).await;
        assert_eq!(r.status, 201, "{b}: {:?}", r.body);
        assert_eq!((r.body["area_code"].as_str(), r.body["grid"].as_str()), (Some(TOWN), None), "{b}");
        assert_eq!(r.body["needs_location_confirmation"], true);
        let flagged = r.body["id"].as_str().unwrap().to_string();

        // Far from everything: without an area it is refused, naming the field; with one it is flagged.
        let r = api.report(None, report(116.4, 39.9, "wgs84", None)).await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("area")), "{b}");
        let r = api.report(None, report(116.4, 39.9, "wgs84", Some(B))).await;
        assert_eq!((r.body["area_code"].as_str(), r.body["needs_location_confirmation"].as_bool()), (Some(B), Some(true)), "{b}");
        let r = api.report(None, report(122.0, 37.0, "mercator", None)).await;
        assert_eq!(r.body["error"]["field"], "location.crs", "{b}");

        // The town centre places the flagged case in a grid; the case says a person did it.
        let r = api
            .call("POST", &format!("/api/v1/cases/{flagged}/actions/locate"), Some(&api.town), Some(("application/json", json!({"grid": format!("{B}001"), "note": "电话核实"}).to_string())))
            .await;
        assert_eq!(r.status, 200, "{b}: {:?}", r.body);
        assert_eq!((r.body["grid"].as_str(), r.body["area_code"].as_str()), (Some("371002001003001"), Some(B)));
        assert_eq!((r.body["located_by"].as_str(), r.body["needs_location_confirmation"].as_bool()), (Some("person"), Some(false)));
        let r = api
            .call("POST", &format!("/api/v1/cases/{flagged}/actions/locate"), Some(&api.town), Some(("application/json", json!({"grid": "371002001003009"}).to_string())))
            .await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("grid")), "{b}");

        // The map's figures: open cases per grid, and the list by grid.
        let r = api.call("GET", "/api/v1/cases/counts/grids", Some(&api.dispatcher), None).await;
        assert_eq!(r.body, json!({format!("{A}001"): 2, format!("{A}002"): 1, format!("{B}001"): 2}), "{b}");
        let r = api.call("GET", &format!("/api/v1/cases?grid={B}001"), Some(&api.dispatcher), None).await;
        assert_eq!(r.body["items"].as_array().unwrap().len(), 2, "{b}");

        // The lookup route answers the same.
        let r = api.call("GET", &format!("/api/v1/locate?lon={gx}&lat={gy}&crs=gcj02"), None, None).await;
        assert_eq!((r.body["grid"].as_str(), r.body["area"]["code"].as_str()), (Some("371002001001001"), Some(A)), "{b}");
        assert_eq!(r.body["path"].as_array().unwrap().len(), 5);
    }
}

const SHEET: &str = "区县,街道,社区,道路,门牌号,小区,楼栋,单元,经度,纬度,坐标系
环翠区,环翠楼街道,东北村居委会,统一路,1号,海景花园,3号楼,2单元,122.015,37.01,WGS84
环翠区,环翠楼街道,东北村居委会,统一路,1号,海景花园,4号楼,1单元,122.015,37.011,WGS84
环翠区,环翠楼街道,东北村居委会,新威路,16号,金海湾小区,1号楼,1单元,122.005,37.015,WGS84
";

backend_test! {
    async fn an_address_alone_finds_its_grid(b: Backend) {
        let api = Api::with_grids(b).await;
        // A sheet with a bad row is refused whole, naming row, column and reason.
        for (bad_row, column, reason) in [
            ("环翠区,环翠楼街道,东北村居委会,统一路,2号,,,,122.01,abc,WGS84", "J 纬度", "not a number"),
            ("环翠区,环翠楼街道,幸福社区,统一路,2号,,,,122.01,37.01,WGS84", "C 社区", "幸福社区"),
        ] {
            let r = api.call("POST", "/api/v1/addresses/import", Some(&api.admin), Some(("text/csv", format!("{SHEET}{bad_row}\n")))).await;
            assert_eq!((r.status.as_u16(), r.body["error"]["code"].as_str()), (422, Some("invalid_file")), "{b}: {:?}", r.body);
            let rows = r.body["error"]["details"]["rows"].as_array().unwrap();
            assert_eq!(rows.len(), 1, "{b}: {rows:?}");
            assert_eq!((rows[0]["row"].as_u64(), rows[0]["column"].as_str()), (Some(5), Some(column)), "{b}: {rows:?}");
            assert!(rows[0]["reason"].as_str().unwrap().contains(reason), "{b}: {rows:?}");
        }
        let r = api.call("POST", "/api/v1/addresses/import", Some(&api.admin), Some(("text/csv", SHEET.to_string()))).await;
        assert_eq!((r.status.as_u16(), r.body["added"].as_u64()), (200, Some(3)), "{b}: nothing of the broken sheet was kept: {:?}", r.body);

        let by_address = |address: &str| json!({"category": "0102", "description": "垃圾桶满溢", "address": address});
        for said in [
            "山东省威海市环翠区环翠楼街道东北村社区统一路1号海景花园3号楼2单元",
            "环翠区统一路1号海景花园3号楼2单元",
            "威海环翠统一路一号海景花园三号楼二单元",
            "环翠区统一路１号海景花园３号楼２单元",
        ] {
            let r = api.report(Some(&api.dispatcher), by_address(said)).await;
            assert_eq!(r.status, 201, "{b} {said}: {:?}", r.body);
            assert_eq!(r.body["grid"], format!("{A}002"), "{b} {said}: {:?}", r.body["located"]);
            assert_eq!(r.body["located_by"], "address");
            assert!(r.body["located"]["confidence"].as_f64().unwrap() >= 0.8, "{b} {said}: {:?}", r.body["located"]);
            assert_eq!(r.body["needs_location_confirmation"], false, "{b} {said}");
            assert!((r.body["location"]["lon"].as_f64().unwrap() - 122.015).abs() < 1e-9);
        }
        let r = api.report(Some(&api.dispatcher), by_address("环翠区新威路16号金海湾小区1号楼1单元")).await;
        assert_eq!(r.body["grid"], format!("{A}001"), "{b}");
        // An address the library does not have: kept, with candidates, for a dispatcher to confirm.
        let r = api.report(Some(&api.dispatcher), by_address("环翠区海港路99号")).await;
        assert_eq!(r.status, 201, "{b}: {:?}", r.body);
        assert_eq!((r.body["located_by"].as_str(), r.body["needs_location_confirmation"].as_bool()), (Some("address"), Some(true)), "{b}");
        assert!(r.body["grid"].is_null());
        // Two buildings of one estate fit equally: the candidates (with grid and point) wait for a person.
        let r = api.report(Some(&api.dispatcher), by_address("环翠区统一路1号海景花园")).await;
        assert_eq!(r.body["needs_location_confirmation"], true, "{b}: {:?}", r.body["located"]);
        let candidates = r.body["located"]["candidates"].as_array().unwrap();
        assert!(candidates.len() >= 2, "{b}: {candidates:?}");
        assert_eq!(candidates[0]["grid"], format!("{A}002"), "{b}: {candidates:?}");
        assert!(candidates[0]["location"]["lon"].is_number(), "{b}: {candidates:?}");

        let r = api.call("GET", "/api/v1/addresses/match?q=%E7%BB%9F%E4%B8%80%E8%B7%AF1%E5%8F%B7%E6%B5%B7%E6%99%AF%E8%8A%B1%E5%9B%AD4%E5%8F%B7%E6%A5%BC", Some(&api.dispatcher), None).await;
        assert_eq!(r.status, 200, "{b}: {:?}", r.body);
        assert!(r.body["candidates"][0]["text"].as_str().unwrap().contains("4号楼"), "{b}: {:?}", r.body);
        assert_eq!(api.call("GET", "/api/v1/addresses/match?q=x", None, None).await.status, 401);
    }
}

backend_test! {
    async fn the_patrol_log_places_each_entry_in_its_grid(b: Backend) {
        let api = Api::with_grids(b).await;
        let worker = api.login("worker1").await;
        let json_body = |v: Value| Some(("application/json", v.to_string()));
        let (gx, gy) = from_wgs84(Crs::Gcj02, 122.005, 37.01);
        let r = api
            .call("POST", "/api/v1/patrols", Some(&worker), json_body(json!({"kind": "patrol", "note": "东门消防通道畅通", "location": {"lon": gx, "lat": gy, "crs": "gcj02"}})))
            .await;
        assert_eq!(r.status, 201, "{b}: {:?}", r.body);
        assert_eq!((r.body["grid"].as_str(), r.body["area"].as_str()), (Some("371002001001001"), Some(A)), "{b}");
        let r = api.call("POST", "/api/v1/patrols", Some(&worker), json_body(json!({"kind": "visit", "note": "走访独居老人张大爷，身体良好"}))).await;
        assert_eq!((r.status.as_u16(), r.body["grid"].clone()), (201, Value::Null), "{b}: {:?}", r.body);
        let r = api.call("POST", "/api/v1/patrols", Some(&worker), json_body(json!({"kind": "visit", "note": "  "}))).await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("note")), "{b}");
        let r = api.call("POST", "/api/v1/patrols", Some(&api.dispatcher), json_body(json!({"kind": "patrol", "note": "x"}))).await;
        assert_eq!(r.status, 403, "{b}");

        let r = api.call("GET", "/api/v1/patrols", Some(&worker), None).await;
        let kinds: Vec<&str> = r.body.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["patrol", "visit"], "{b}: today's log, oldest first");
        let r = api.call("GET", "/api/v1/patrols?user=worker1", Some(&api.town), None).await;
        assert_eq!(r.body.as_array().unwrap().len(), 2, "{b}: the town reads its workers' logs");
        let r = api.call("GET", "/api/v1/patrols?date=2020-01-01", Some(&api.dispatcher), None).await;
        assert_eq!(r.body.as_array().unwrap().len(), 0, "{b}");
        let r = api.call("GET", "/api/v1/patrols?date=2020-13-01", Some(&api.dispatcher), None).await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("date")), "{b}");
        let r = api.call("GET", "/api/v1/patrols?user=nobody", Some(&api.town), None).await;
        assert_eq!(r.body["error"]["field"], "user", "{b}");
    }
}

backend_test! {
    async fn neighbours_see_public_space_reports_near_a_point_and_nothing_personal(b: Backend) {
        let api = Api::with_grids(b).await;
        let at = |category: &str, lon: f64, description: &str| {
            json!({"category": category, "description": description, "location": {"lon": lon, "lat": 37.01, "crs": "wgs84"}})
        };
        for body in [
            at("0102", 122.0051, "垃圾桶满溢，13800138000"),
            at("1101", 122.0052, "楼上邻居漏水纠纷"),
            at("0405", 122.0350, "井盖缺失"),
        ] {
            let r = api.report(None, body).await;
            assert_eq!(r.status, 201, "{b}: {:?}", r.body);
        }
        let r = api.call("GET", "/api/v1/nearby?lon=122.006&lat=37.01", None, None).await;
        assert_eq!(r.status, 200, "{b}: {:?}", r.body);
        let near = r.body.as_array().unwrap();
        // The rubbish only: the dispute is about persons, the manhole 2.6 km away.
        assert_eq!(near.len(), 1, "{b}: {near:?}");
        assert_eq!((near[0]["category"]["code"].as_str(), near[0]["state"].as_str()), (Some("0102"), Some("reported")), "{b}");
        assert_eq!((near[0]["lon"].as_f64(), near[0]["lat"].as_f64()), (Some(122.005), Some(37.01)), "{b}: rounded to ~100 m");
        let text = r.body.to_string();
        assert!(!text.contains("垃圾桶满溢") && !text.contains("138") && !text.contains("description"), "{b}: no text: {text}");
        let r = api.call("GET", "/api/v1/nearby?lon=200&lat=37.01", None, None).await;
        assert_eq!((r.status.as_u16(), r.body["error"]["field"].as_str()), (422, Some("lon")), "{b}: {:?}", r.body);
        let r = api.call("GET", "/api/v1/nearby?lon=100&lat=10", None, None).await;
        assert_eq!(r.body, json!([]), "{b}: far from every grid, nothing");
    }
}
