//! The basemap (issue 20, maps): what `[map]` configures reaches the browser and lets its tile
//! servers into the content security policy; a PMTiles file is served by ranges; without a
//! basemap, roads are sketched from the address library.

use axum::body::Body;
use axum::http::Request;
use civicgrid_domain::Role;
use civicgrid_server::geo::{BasemapKind, MapConfig};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::backend_test;
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};
use tower::ServiceExt;

mod support;
use support::{call, call_raw, login};

async fn app_with(b: civicgrid_store::testing::Backend, map: MapConfig) -> (axum::Router, Option<tempfile::TempDir>) {
    let (store, dir) = support::seeded_store(b, &[("admin", Role::Admin, "3710", None)]).await;
    let config = ServerConfig { basemap: map.resolve().unwrap(), ..ServerConfig::default() };
    (router(AppState::new(store, Cipher::from_bytes([7; 32]), config)), dir)
}

async fn get(app: &axum::Router, path: &str, range: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(path);
    if let Some(r) = range {
        req = req.header("range", r);
    }
    app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
}

fn csp(res: &axum::response::Response) -> String {
    res.headers()["content-security-policy"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn no_basemap_by_default_and_only_this_site_in_the_policy() {
    let (app, _dir) = app_with(civicgrid_store::testing::Backend::Sqlite, MapConfig::default()).await;
    let (status, body) = call(&app, "GET", "/api/v1/map/basemap", None, None).await;
    assert_eq!(status, 200);
    assert_eq!((body["kind"].as_str(), body["layers"].as_array().map(Vec::len)), (Some("none"), Some(0)), "{body}");
    let res = get(&app, "/api/v1/map/basemap", None).await;
    assert!(csp(&res).contains("connect-src 'self';"), "{}", csp(&res));
    let (status, body) = call(&app, "GET", "/api/v1/map/basemap.pmtiles", None, None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn a_city_tile_server_is_told_and_let_in() {
    let map = MapConfig {
        basemap: BasemapKind::Wmts,
        url: Some("https://gis.city.gov.cn/wmts?TileMatrix={TileMatrix}&TileRow={TileRow}&TileCol={TileCol}".into()),
        attribution: Some("威海市自然资源和规划局".into()),
        ..MapConfig::default()
    };
    let (app, _dir) = app_with(civicgrid_store::testing::Backend::Sqlite, map).await;
    let (_, body) = call(&app, "GET", "/api/v1/map/basemap", None, None).await;
    assert_eq!(body["kind"], "wmts");
    assert_eq!(body["layers"], json!([["https://gis.city.gov.cn/wmts?TileMatrix={z}&TileRow={y}&TileCol={x}"]]));
    assert_eq!(body["attribution"], "威海市自然资源和规划局");
    assert!(body.get("origins").is_none(), "the policy's list stays on the server");
    let policy = csp(&get(&app, "/", None).await);
    assert!(policy.contains("connect-src 'self' https://gis.city.gov.cn;"), "{policy}");
    assert!(policy.contains("img-src 'self' data: blob: https://gis.city.gov.cn;"), "{policy}");
}

#[tokio::test]
async fn a_pmtiles_file_is_served_by_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("city.pmtiles");
    let mut bytes = vec![0u8; 4096];
    bytes[..7].copy_from_slice(b"PMTiles");
    bytes[7] = 3;
    bytes[99] = 1;
    bytes[4095] = 42;
    std::fs::write(&file, &bytes).unwrap();
    let map = MapConfig { basemap: BasemapKind::Pmtiles, pmtiles: Some(file), ..MapConfig::default() };
    let (app, _store_dir) = app_with(civicgrid_store::testing::Backend::Sqlite, map).await;
    let (_, body) = call(&app, "GET", "/api/v1/map/basemap", None, None).await;
    assert_eq!((body["pmtiles_url"].as_str(), body["pmtiles_type"].as_str()), (Some("/api/v1/map/basemap.pmtiles"), Some("vector")));
    let head = get(&app, "/api/v1/map/basemap.pmtiles", Some("bytes=0-126")).await;
    assert_eq!(head.status(), 206);
    let got = axum::body::to_bytes(head.into_body(), usize::MAX).await.unwrap();
    assert_eq!((got.len(), &got[..7]), (127, &b"PMTiles"[..]));
    let tail = get(&app, "/api/v1/map/basemap.pmtiles", Some("bytes=4095-4095")).await;
    assert_eq!(axum::body::to_bytes(tail.into_body(), usize::MAX).await.unwrap().as_ref(), [42]);
    // A browser offers gzip with its ranges: the bytes still come as they are in the file.
    let req = Request::get("/api/v1/map/basemap.pmtiles").header("range", "bytes=0-126").header("accept-encoding", "gzip, br");
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 206);
    assert!(res.headers().get("content-encoding").is_none(), "{:?}", res.headers());
    assert_eq!(&axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap()[..7], b"PMTiles");
    // The whole file too, so that it keeps saying it takes ranges.
    let req = Request::get("/api/v1/map/basemap.pmtiles").header("accept-encoding", "gzip, br");
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!((res.status(), res.headers().get("content-encoding")), (axum::http::StatusCode::OK, None));
    assert_eq!(res.headers()["accept-ranges"], "bytes");
}

const SHEET: &str = "区县,街道,社区,道路,门牌号,小区,楼栋,单元,经度,纬度,坐标系
环翠区,环翠楼街道,东北村居委会,统一路,1号,海景花园,3号楼,2单元,122.0150,37.0100,WGS84
环翠区,环翠楼街道,东北村居委会,统一路,9号,海景花园,4号楼,1单元,122.0150,37.0110,WGS84
环翠区,环翠楼街道,东北村居委会,统一路,17号,海景花园,5号楼,1单元,122.0150,37.0120,WGS84
环翠区,环翠楼街道,东北村居委会,新威路,16号,金海湾小区,1号楼,1单元,122.005,37.015,WGS84
";

backend_test! {
    async fn roads_are_sketched_from_the_address_library(b: Backend) {
        let (app, _dir) = app_with(b, MapConfig::default()).await;
        let token = login(&app, "admin", "civicgrid").await.1.unwrap();
        let (status, body) = call_raw(&app, "POST", "/api/v1/addresses/import", Some(&token), Some("text/csv"), SHEET.as_bytes().to_vec()).await;
        assert_eq!(status, 200, "{b}: {body}");
        let (status, body) = call(&app, "GET", "/api/v1/map/roads?area=3710", None, None).await;
        assert_eq!(status, 200, "{b}: {body}");
        let features = body["features"].as_array().unwrap();
        // 统一路 has three points in a line; 新威路 one point, which is no road.
        assert_eq!(features.len(), 1, "{b}: {body}");
        let road = &features[0];
        assert_eq!((road["properties"]["name"].as_str(), road["properties"]["points"].as_u64()), (Some("统一路"), Some(3)), "{b}");
        let line = road["geometry"]["coordinates"].as_array().unwrap();
        assert!(line.len() >= 2, "{b}: {line:?}");
        assert!(line.iter().all(|p| (p[0].as_f64().unwrap() - 122.015).abs() < 1e-6), "{b}: along the road's points: {line:?}");
        let (status, _) = call(&app, "GET", "/api/v1/map/roads?area=371002001003", None, None).await;
        assert_eq!(status, 200, "{b}: another community has no roads, and says so with an empty collection");
        let (status, body): (u16, Value) = call(&app, "GET", "/api/v1/map/roads?area=abc", None, None).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("area")), "{b}: {body}");
    }
}
