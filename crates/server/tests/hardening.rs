//! What an attacker and a bad day found (issue 22), each pinned so it cannot come back: guesses
//! sent in parallel, an admin reaching above his scope, sessions outliving the account's change,
//! user enumeration, cross-site writes, sloppy JSON and missing browser protections.

use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::backend_test;
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};
use tower::ServiceExt;

mod support;
use support::{call, call_raw, login};

const ACCOUNTS: [support::Account<'static>; 5] = [
    ("leader", Role::Leader, "3710", None),
    ("cityadmin", Role::Admin, "3710", None),
    ("townadmin", Role::Admin, "371002001", None),
    ("town", Role::TownDispatcher, "371002001", None),
    ("worker", Role::GridWorker, "371002001001", None),
];

async fn app(b: civicgrid_store::testing::Backend) -> (axum::Router, Option<tempfile::TempDir>) {
    let (store, dir) = support::seeded_store(b, &ACCOUNTS).await;
    (router(AppState::new(store, Cipher::from_bytes([7; 32]), ServerConfig::default())), dir)
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or_default()
}

backend_test! {
    async fn two_hundred_parallel_guesses_check_at_most_five(b: Backend) {
        let (app, _dir) = app(b).await;
        let guesses = (0..200).map(|i| {
            let app = app.clone();
            let password = if i == 189 { "civicgrid" } else { "wrong-guess" };
            tokio::spawn(async move { call(&app, "POST", "/api/v1/session", None, Some(json!({"username": "leader", "password": password}))).await })
        });
        let mut checked = 0;
        for g in guesses.collect::<Vec<_>>() {
            let (s, body) = g.await.unwrap();
            // A guess that was checked answers 200 or 401; one turned away unchecked answers 423.
            if s != 423 {
                checked += 1;
            }
            assert!(s == 423 || s == 401 || s == 200, "{b}: {s} {body}");
        }
        assert!(checked <= 5, "{b}: {checked} guesses were checked");
        let (s, body) = call(&app, "POST", "/api/v1/session", None, Some(json!({"username": "leader", "password": "civicgrid"}))).await;
        assert!(s == 423 || checked < 5, "{b}: locked after five failures: {s} {body}");
    }
}

backend_test! {
    async fn an_unknown_user_is_answered_like_a_known_one(b: Backend) {
        let (app, _dir) = app(b).await;
        let mut answers = vec![];
        for user in ["leader", "nobody-here"] {
            let mut seen = vec![];
            for _ in 0..6 {
                let (s, e) = call(&app, "POST", "/api/v1/session", None, Some(json!({"username": user, "password": "wrong-guess"}))).await;
                // The moment a lock ends differs by the milliseconds between the two runs.
                let message = e["error"]["message"].as_str().unwrap_or_default();
                seen.push((s, code(&e).to_string(), message.split(" (at ").next().unwrap_or_default().to_string()));
            }
            answers.push(seen);
        }
        assert_eq!(answers[0], answers[1], "{b}: the answers tell who exists");
    }
}

backend_test! {
    async fn an_admin_writes_only_what_lies_under_his_scope(b: Backend) {
        let (app, _dir) = app(b).await;
        let town = login(&app, "townadmin", "civicgrid").await.1.unwrap();
        // The city's department, moved down into his town: its current scope is above his.
        let body = json!({"name": "综合行政执法局", "area": "371002001", "categories": ["01"]});
        let (s, e) = call(&app, "PUT", "/api/v1/admin/departments/urban", Some(&town), Some(body)).await;
        assert_eq!((s, code(&e)), (403, "forbidden"), "{b}: {e}");
        let (_, list) = call(&app, "GET", "/api/v1/departments", None, None).await;
        let urban = list.as_array().unwrap().iter().find(|d| d["id"] == "urban").unwrap().clone();
        assert_eq!(urban["area"], "3710", "{b}: the city still dispatches to it");
        // An account above his scope is not his to change either.
        let users = call(&app, "GET", "/api/v1/admin/users", Some(&login(&app, "cityadmin", "civicgrid").await.1.unwrap()), None).await.1;
        let leader = users.as_array().unwrap().iter().find(|u| u["username"] == "leader").unwrap()["id"].as_str().unwrap().to_string();
        let (s, _) = call(&app, "PATCH", &format!("/api/v1/admin/users/{leader}"), Some(&town), Some(json!({"scope": "371002001"}))).await;
        assert_eq!(s, 404, "{b}: accounts above his scope are not his to see");
    }
}

backend_test! {
    async fn the_last_city_admin_cannot_narrow_his_own_scope(b: Backend) {
        let (app, _dir) = app(b).await;
        let city = login(&app, "cityadmin", "civicgrid").await.1.unwrap();
        let me = call(&app, "GET", "/api/v1/me", Some(&city), None).await.1;
        let id = me["id"].as_str().unwrap();
        let (s, e) = call(&app, "PATCH", &format!("/api/v1/admin/users/{id}"), Some(&city), Some(json!({"scope": "371002"}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("scope")), "{b}: {e}");
    }
}

backend_test! {
    async fn sessions_end_when_an_admin_changes_the_account(b: Backend) {
        let (app, _dir) = app(b).await;
        let admin = login(&app, "cityadmin", "civicgrid").await.1.unwrap();
        let users = call(&app, "GET", "/api/v1/admin/users", Some(&admin), None).await.1;
        let id_of = |name: &str| users.as_array().unwrap().iter().find(|u| u["username"] == name).unwrap()["id"].as_str().unwrap().to_string();
        for (user, patch) in [
            ("town", json!({"password": "A-new-l0ng-password"})),
            ("worker", json!({"role": "community_admin"})),
            ("leader", json!({"scope": "371002"})),
        ] {
            let token = login(&app, user, "civicgrid").await.1.unwrap();
            assert_eq!(call(&app, "GET", "/api/v1/me", Some(&token), None).await.0, 200, "{b}");
            let (s, e) = call(&app, "PATCH", &format!("/api/v1/admin/users/{}", id_of(user)), Some(&admin), Some(patch.clone())).await;
            assert_eq!(s, 200, "{b}: {e}");
            assert_eq!(call(&app, "GET", "/api/v1/me", Some(&token), None).await.0, 401, "{b}: {user}'s session survived {patch}");
        }
        // A change of display name alone keeps the session.
        let token = login(&app, "leader", "civicgrid").await.1.unwrap();
        call(&app, "PATCH", &format!("/api/v1/admin/users/{}", id_of("leader")), Some(&admin), Some(json!({"display_name": "王局长"}))).await;
        assert_eq!(call(&app, "GET", "/api/v1/me", Some(&token), None).await.0, 200, "{b}");
    }
}

backend_test! {
    async fn leaders_read_but_do_not_locate(b: Backend) {
        let (app, _dir) = app(b).await;
        let (_, c) = call(&app, "POST", "/api/v1/cases", None, Some(json!({"category": "0102", "description": "垃圾桶满溢", "area": "371002001001"}))).await;
        let id = c["id"].as_str().unwrap();
        let leader = login(&app, "leader", "civicgrid").await.1.unwrap();
        let (s, e) = call(&app, "POST", &format!("/api/v1/cases/{id}/actions/locate"), Some(&leader), Some(json!({"area": "371002001001"}))).await;
        assert_eq!((s, code(&e)), (403, "forbidden"), "{b}: {e}");
    }
}

#[tokio::test]
async fn json_is_json_and_bearer_is_any_case() {
    let (app, _dir) = app(civicgrid_store::testing::Backend::Sqlite).await;
    let body = br#"{"username": "leader", "password": "civicgrid"}xyz"#.to_vec();
    let (s, e) = call_raw(&app, "POST", "/api/v1/session", None, Some("application/json"), body).await;
    assert_eq!((s, code(&e)), (400, "malformed_json"), "trailing garbage: {e}");
    let ok = br#"{"username": "leader", "password": "civicgrid"}"#.to_vec();
    let (s, _) = call_raw(&app, "POST", "/api/v1/session", None, Some("text/plain; x=+json"), ok.clone()).await;
    assert_eq!(s, 415, "a JSON-looking parameter is not JSON");
    let (_, session) = call_raw(&app, "POST", "/api/v1/session", None, Some("application/json; charset=utf-8"), ok).await;
    let token = session["token"].as_str().unwrap();
    let req = axum::http::Request::get("/api/v1/me").header("authorization", format!("bearer {token}")).body(axum::body::Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(req).await.unwrap().status(), 200, "the scheme is case-insensitive (RFC 9110)");
}

#[tokio::test]
async fn cookie_writes_from_another_site_are_refused() {
    let (app, _dir) = app(civicgrid_store::testing::Backend::Sqlite).await;
    let (_, session) = call(&app, "POST", "/api/v1/session", None, Some(json!({"username": "town", "password": "civicgrid"}))).await;
    let cookie = format!("cg_session={}", session["token"].as_str().unwrap());
    let post = |origin: Option<&'static str>| {
        let mut req = axum::http::Request::post("/api/v1/cases").header("cookie", &cookie).header("content-type", "application/json").header("host", "grid.example.cn");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.body(axum::body::Body::from(json!({"category": "0102", "description": "x", "area": "371002001001"}).to_string())).unwrap()
    };
    assert_eq!(app.clone().oneshot(post(Some("https://evil.example"))).await.unwrap().status(), 403, "another site's page");
    assert_eq!(app.clone().oneshot(post(Some("https://grid.example.cn"))).await.unwrap().status(), 201, "the app's own page");
    assert_eq!(app.clone().oneshot(post(None)).await.unwrap().status(), 201, "no Origin: not a browser's cross-site request");
}

#[tokio::test]
async fn pages_carry_the_browser_protections() {
    let (app, _dir) = app(civicgrid_store::testing::Backend::Sqlite).await;
    for path in ["/", "/api/v1/categories"] {
        let res = app.clone().oneshot(axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap()).await.unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{path}: {csp}");
        assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{path}");
        assert_eq!(h.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("no-referrer"), "{path}");
        assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{path}");
    }
}

backend_test! {
    async fn an_admin_imports_only_what_lies_under_his_scope(b: Backend) {
        let (app, _dir) = app(b).await;
        let town = login(&app, "townadmin", "civicgrid").await.1.unwrap();
        let square = json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], [122.01, 37.0], [122.01, 37.01], [122.0, 37.01], [122.0, 37.0]]]});
        let file = |code: &str| {
            json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": code}, "geometry": square}]}).to_string().into_bytes()
        };
        for (path, code_, what) in [
            ("/api/v1/boundaries/import", "371003001", "another county's outline"),
            ("/api/v1/grids/import?dry_run=true", "371002002001001", "another town's grids, even as a dry run"),
        ] {
            let (s, e) = call_raw(&app, "POST", path, Some(&town), Some("application/geo+json"), file(code_)).await;
            assert_eq!((s, code(&e)), (422, "invalid_file"), "{b} {what}: {e}");
            assert_eq!(e["error"]["details"]["problems"][0]["kind"], "outside_scope", "{b} {what}: {e}");
            assert_eq!(e["error"]["details"]["problems"][0]["feature"], 1, "{b} {what}: names the row");
        }
        let (_, outlines) = call(&app, "GET", "/api/v1/boundaries", None, None).await;
        assert_eq!(outlines["features"].as_array().map(Vec::len), Some(0), "{b}: nothing written");
    }
}

#[tokio::test]
async fn a_sheet_of_bad_rows_answers_the_first_thousand_and_the_count() {
    let (app, _dir) = app(civicgrid_store::testing::Backend::Sqlite).await;
    let admin = login(&app, "cityadmin", "civicgrid").await.1.unwrap();
    let mut sheet = String::from("区县,街道,社区,道路,门牌号,经度,纬度\n");
    for i in 0..20_000 {
        sheet.push_str(&format!("环翠区,环翠楼街道,东北村居委会,统一路,{i}号,not-a-number,37.5\n"));
    }
    let (s, e) = call_raw(&app, "POST", "/api/v1/addresses/import", Some(&admin), Some("text/csv"), sheet.into_bytes()).await;
    assert_eq!((s, code(&e)), (422, "invalid_file"), "{e}");
    assert_eq!(e["error"]["details"]["rows"].as_array().map(Vec::len), Some(1000), "the first thousand");
    assert_eq!(e["error"]["details"]["rows_total"], 20_000, "and how many in all");
    assert!(e.to_string().len() < 1 << 20, "{} bytes", e.to_string().len());
}

#[tokio::test]
async fn weak_passwords_are_refused_by_the_policy() {
    let (app, _dir) = app(civicgrid_store::testing::Backend::Sqlite).await;
    let admin = login(&app, "cityadmin", "civicgrid").await.1.unwrap();
    for (password, says) in [("12345678", "of:"), ("password", "of:"), ("        ", "of:"), ("Handler9-x", "username"), ("P@ssw0rd", "common")] {
        let body = json!({"username": "handler9", "role": "leader", "scope": "3710", "password": password});
        let (s, e) = call(&app, "POST", "/api/v1/admin/users", Some(&admin), Some(body)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("password")), "{password}: {e}");
        assert!(e["error"]["message"].as_str().unwrap().contains(says), "{password}: {e}");
    }
    let body = json!({"username": "handler9", "role": "leader", "scope": "3710", "password": "Grid-worker-7"});
    assert_eq!(call(&app, "POST", "/api/v1/admin/users", Some(&admin), Some(body)).await.0, 201);
}

#[tokio::test]
async fn anonymous_reports_are_limited_per_client() {
    let (store, _dir) = support::seeded_store(civicgrid_store::testing::Backend::Sqlite, &ACCOUNTS).await;
    let config = ServerConfig { anonymous_writes_per_minute: 3, client_ip_header: Some("x-forwarded-for".into()), ..ServerConfig::default() };
    let app = router(AppState::new(store, Cipher::from_bytes([7; 32]), config));
    let report = |client: &'static str, token: Option<String>| {
        let app = app.clone();
        async move {
            let mut req = axum::http::Request::post("/api/v1/cases").header("content-type", "application/json").header("x-forwarded-for", client);
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            let body = json!({"category": "0102", "description": "垃圾桶满溢", "area": "371002001001"}).to_string();
            app.oneshot(req.body(axum::body::Body::from(body)).unwrap()).await.unwrap()
        }
    };
    for i in 0..3 {
        assert_eq!(report("203.0.113.7", None).await.status(), 201, "report {i}");
    }
    let refused = report("203.0.113.7", None).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&wait), "Retry-After {wait}");
    assert_eq!(report("198.51.100.9", None).await.status(), 201, "another client has its own allowance");
    let town = login(&app, "town", "civicgrid").await.1.unwrap();
    assert_eq!(report("203.0.113.7", Some(town)).await.status(), 201, "staff signed in are not limited");
}

backend_test! {
    async fn every_read_of_case_content_by_an_account_is_logged(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([7; 32]), ServerConfig::default()));
        let (_, c) = call(&app, "POST", "/api/v1/cases", None, Some(json!({"category": "0102", "description": "张三家门口垃圾", "area": "371002001001"}))).await;
        let id = c["id"].as_str().unwrap().to_string();
        // The public reads its own report's view without an account: nothing to log.
        assert!(store.access_log(None, None, 10).await.unwrap().is_empty(), "{b}");
        let town = login(&app, "town", "civicgrid").await.1.unwrap();
        assert_eq!(call(&app, "GET", &format!("/api/v1/cases/{id}"), Some(&town), None).await.0, 200, "{b}");
        assert_eq!(call(&app, "GET", &format!("/api/v1/cases/{id}/events"), Some(&town), None).await.0, 200, "{b}");
        assert_eq!(call(&app, "GET", "/api/v1/cases?state=reported", Some(&town), None).await.0, 200, "{b}");
        let me = call(&app, "GET", "/api/v1/me", Some(&town), None).await.1;
        let log = store.access_log(me["id"].as_str(), None, 10).await.unwrap();
        let seen: Vec<(&str, &str, &str)> = log.iter().map(|e| (e.subject_kind.as_str(), e.subject_id.as_str(), e.field.as_str())).collect();
        assert_eq!(seen, vec![("case_list", "", "state=reported"), ("case", id.as_str(), "events"), ("case", id.as_str(), "case")], "{b}");
        assert_eq!(store.purge_access_log(chrono::Utc::now() + chrono::Duration::seconds(1)).await.unwrap(), 3, "{b}");
    }
}

backend_test! {
    async fn strangers_guessing_cannot_lock_the_owner_out(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let config = ServerConfig { client_ip_header: Some("x-forwarded-for".into()), max_account_failures: 8, ..ServerConfig::default() };
        let app = router(AppState::new(store, Cipher::from_bytes([7; 32]), config));
        let sign_in = |client: String, password: &'static str, cookie: Option<String>| {
            let app = app.clone();
            async move {
                let mut req = axum::http::Request::post("/api/v1/session").header("content-type", "application/json").header("x-forwarded-for", client);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                let body = json!({"username": "town", "password": password}).to_string();
                let res = app.oneshot(req.body(axum::body::Body::from(body)).unwrap()).await.unwrap();
                let device = res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("cg_device=")).map(|c| c.split(';').next().unwrap().to_string());
                (res.status().as_u16(), device)
            }
        };
        // The owner signs in once from his office browser, which keeps a device mark.
        let (s, mark) = sign_in("198.51.100.1".into(), "civicgrid", None).await;
        assert_eq!(s, 200, "{b}");
        let mark = mark.expect("a device mark");
        // One stranger's five guesses lock only that stranger.
        for _ in 0..5 {
            assert_eq!(sign_in("203.0.113.7".into(), "wrong-guess", None).await.0, 401, "{b}");
        }
        assert_eq!(sign_in("203.0.113.7".into(), "civicgrid", None).await.0, 423, "{b}: that client is locked");
        assert_eq!(sign_in("198.51.100.2".into(), "civicgrid", None).await.0, 200, "{b}: the owner, from a new client, is not");
        // Many strangers together lock the name for every client that never signed in as it ...
        for i in 0..8 {
            sign_in(format!("203.0.113.{}", 20 + i), "wrong-guess", None).await;
        }
        assert_eq!(sign_in("198.51.100.3".into(), "civicgrid", None).await.0, 423, "{b}: a new client waits");
        // ... but not the owner's browser with its mark.
        assert_eq!(sign_in("198.51.100.1".into(), "civicgrid", Some(mark)).await.0, 200, "{b}: the owner's browser still signs in");
    }
}
