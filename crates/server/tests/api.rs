//! The HTTP API end to end (router in process, real store), on SQLite and PostgreSQL.

use civicgrid_store::backend_test;
use civicgrid_store::testing::Backend;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::Store;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

mod support;

const A: &str = "371002001001";
const B: &str = "371002001002";

struct Api {
    app: axum::Router,
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl Api {
    async fn new(backend: civicgrid_store::testing::Backend) -> Api {
        let accounts = [
            ("dispatcher", Role::DistrictDispatcher, "3710", None),
            ("community_a", Role::CommunityAdmin, A, None),
            ("community_b", Role::CommunityAdmin, B, None),
            ("handler", Role::DepartmentHandler, "3710", Some("urban")),
            ("leader", Role::Leader, "3710", None),
        ];
        let (store, dir) = support::seeded_store(backend, &accounts).await;
        let state = AppState::new(store.clone(), Cipher::from_bytes([9; 32]), ServerConfig::default());
        Api { app: router(state), store, _dir: dir }
    }

    async fn call(&self, method: &str, uri: &str, token: Option<&str>, body: Option<&str>, headers: &[(&str, &str)]) -> Res {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body.unwrap_or("").to_string())).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        Res { status, headers, body }
    }

    async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> Res {
        self.call("POST", uri, token, Some(&body.to_string()), &[]).await
    }

    async fn get(&self, uri: &str, token: Option<&str>) -> Res {
        self.call("GET", uri, token, None, &[]).await
    }

    async fn login(&self, user: &str) -> String {
        let r = self.post("/api/v1/session", None, json!({"username": user, "password": "civicgrid"})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    async fn report(&self, area: &str) -> Value {
        let r = self
            .post("/api/v1/cases", None, json!({"category": "0102", "description": "垃圾桶满溢", "area": area, "reporter_phone": "13800138000"}))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body
    }

    async fn act(&self, token: &str, id: &str, action: &str, body: Value) -> Res {
        self.post(&format!("/api/v1/cases/{id}/actions/{action}"), Some(token), body).await
    }

    async fn case_count(&self) -> u64 {
        self.store.count_by_state(&Default::default()).await.unwrap().iter().map(|(_, n)| n).sum()
    }
}

fn error_of(r: &Res) -> (&str, &str) {
    (r.body["error"]["code"].as_str().unwrap_or("?"), r.body["error"]["field"].as_str().unwrap_or(""))
}

/// A receipt in a query string (it may hold `+`, `/` and `=`).
fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

backend_test! {
    async fn report_to_rating_over_http(b: Backend) {
        let api = Api::new(b).await;
        let created = api.report(A).await;
        let (id, code, receipt) = (created["id"].as_str().unwrap(), created["code"].as_str().unwrap(), created["receipt"].as_str().unwrap());
        assert_eq!(created["state"], "reported");
        assert_eq!(created["reporter_phone"], "138****8000", "{b}: masked");
        assert!(!created.to_string().contains("13800138000"), "{b}: phone never in clear");
        assert_eq!(created["area"][3]["name"], "环翠楼街道");
        assert_eq!(created["owner_area"]["code"], "371002001");
        let d = api.login("dispatcher").await;
        let h = api.login("handler").await;
        let r = api.get(&format!("/api/v1/cases/{id}"), Some(&d)).await;
        assert_eq!(r.body["allowed_actions"], json!(["accept", "reject", "escalate", "supervise", "merge", "locate", "reclassify", "set_deadline"]), "{b}");
        assert_eq!(api.act(&d, id, "accept", json!({})).await.status, 200);
        let r = api.act(&d, id, "dispatch", json!({"department": "urban", "instructions": "请今日处理"})).await;
        assert_eq!(r.body["state"], "dispatched", "{b}: {:?}", r.body);
        assert_eq!(r.body["assignee"]["name"], "综合行政执法局");
        assert_eq!(api.call("POST", &format!("/api/v1/cases/{id}/actions/claim"), Some(&h), None, &[]).await.status, 200, "{b}: claim with no body");
        assert_eq!(api.act(&h, id, "handle", json!({"feedback": "已清运", "attachments": ["https://photos.example.org/1.jpg"]})).await.status, 200);
        let r = api.act(&d, id, "verify", json!({"passed": true})).await;
        assert_eq!(r.body["state"], "closed", "{b}");
        let t = api.get(&format!("/api/v1/track/{code}"), None).await;
        assert_eq!((t.body["state"].as_str(), t.body["can_rate"].as_bool()), (Some("closed"), Some(true)), "{b}");
        assert!(!t.body.to_string().contains("垃圾桶满溢"), "{b}: the public view has no text");
        // The unit is named to anyone; its reply (feedback, result photos) only with the receipt.
        assert_eq!((t.body["handled_by"].as_str(), &t.body["reply"]), (Some("综合行政执法局"), &Value::Null), "{b}");
        assert!(!t.body.to_string().contains("已清运"), "{b}: no feedback without the receipt");
        let mine = api.get(&format!("/api/v1/track/{code}?receipt={}", urlencode(receipt)), None).await;
        assert_eq!(mine.body["reply"]["feedback"], "已清运", "{b}: {:?}", mine.body);
        assert_eq!(mine.body["reply"]["photos"], json!(["https://photos.example.org/1.jpg"]), "{b}");
        let wrong = api.get(&format!("/api/v1/track/{code}?receipt=AAAAAAAAAAAAAAAAAAAA"), None).await;
        assert_eq!((wrong.status, error_of(&wrong)), (StatusCode::FORBIDDEN, ("bad_receipt", "receipt")), "{b}");
        let bad = api.post(&format!("/api/v1/track/{code}/rate"), None, json!({"receipt": "AAAAAAAAAAAAAAAAAAAA", "rating": "satisfied"})).await;
        assert_eq!((bad.status, error_of(&bad)), (StatusCode::FORBIDDEN, ("bad_receipt", "receipt")), "{b}");
        let ok = api.post(&format!("/api/v1/track/{code}/rate"), None, json!({"receipt": receipt, "rating": "satisfied", "comment": "很快"})).await;
        assert_eq!(ok.body["state"], "rated", "{b}: {:?}", ok.body);
        let ev = api.get(&format!("/api/v1/cases/{id}/events"), Some(&d)).await;
        let steps: Vec<(String, String)> = ev.body.as_array().unwrap().iter()
            .map(|e| (e["type"].as_str().unwrap().to_string(), e["actor"]["name"].as_str().unwrap().to_string())).collect();
        assert_eq!(steps, [("reported", "public"), ("accepted", "dispatcher"), ("dispatched", "dispatcher"), ("claimed", "handler"),
            ("handled", "handler"), ("verified", "dispatcher"), ("rated", "reporter")]
            .map(|(a, b)| (a.to_string(), b.to_string())), "{b}");
        assert!(ev.body.as_array().unwrap().iter().all(|e| e["at"].is_string()));
        assert!(!ev.body.to_string().contains("reporter_phone_enc"), "{b}: ciphertext stays inside");
        // A second rating is an illegal transition.
        let again = api.post(&format!("/api/v1/track/{code}/rate"), None, json!({"receipt": receipt, "rating": "unsatisfied"})).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}");
    }
}

backend_test! {
    async fn a_community_never_sees_another_communitys_case(b: Backend) {
        let api = Api::new(b).await;
        let in_a = api.report(A).await;
        let id = in_a["id"].as_str().unwrap();
        let cb = api.login("community_b").await;
        let ca = api.login("community_a").await;
        assert_eq!(api.get(&format!("/api/v1/cases/{id}"), Some(&cb)).await.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(api.get(&format!("/api/v1/cases/{id}/events"), Some(&cb)).await.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(api.act(&cb, id, "supervise", json!({"instruction": "x"})).await.status, StatusCode::NOT_FOUND, "{b}");
        let list = api.get("/api/v1/cases", Some(&cb)).await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 0, "{b}");
        assert_eq!(api.get(&format!("/api/v1/cases/{id}"), Some(&ca)).await.status, StatusCode::OK, "{b}");
        assert_eq!(api.get("/api/v1/cases", Some(&ca)).await.body["items"].as_array().unwrap().len(), 1, "{b}");
        // Without a session the case is not there either.
        assert_eq!(api.get(&format!("/api/v1/cases/{id}"), None).await.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(api.get("/api/v1/cases", None).await.status, StatusCode::UNAUTHORIZED, "{b}");
        // The handler sees only what is with his department.
        let h = api.login("handler").await;
        assert_eq!(api.get(&format!("/api/v1/cases/{id}"), Some(&h)).await.status, StatusCode::NOT_FOUND, "{b}");
    }
}

backend_test! {
    async fn bad_input_names_the_field_and_writes_nothing(b: Backend) {
        let api = Api::new(b).await;
        let d = api.login("dispatcher").await;
        let case = api.report(A).await;
        let id = case["id"].as_str().unwrap();
        let before = api.case_count().await;
        let cases = [
            (r#"{"category": "0102", "description": "#, StatusCode::BAD_REQUEST, "malformed_json", ""),
            (r#"{"category": "9999", "description": "x", "area": "371002001001"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "category"),
            (r#"{"category": "0102", "description": "x", "area": "37100A"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "area"),
            (r#"{"category": "0102", "description": "x", "area": "371099001001"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "area"),
            (r#"{"category": "0102", "area": "371002001001"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "description"),
            (r#"{"category": "0102", "description": "x", "area": "371002001001", "reporter_phone": "12"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "reporter_phone"),
            (r#"{"category": "0102", "description": "x", "area": "371002001001", "location": {"lon": 200, "lat": 37}}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "location.lon"),
            (r#"{"category": "0102", "description": "x", "area": "371002001001", "colour": "red"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", "colour"),
        ];
        for (body, status, code, field) in cases {
            let r = api.call("POST", "/api/v1/cases", None, Some(body), &[]).await;
            assert_eq!((r.status, error_of(&r).0), (status, code), "{b}: {body} → {:?}", r.body);
            if !field.is_empty() {
                assert_eq!(error_of(&r).1, field, "{b}: {body} → {:?}", r.body);
            }
            assert!(r.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        let long = json!({"category": "0102", "description": "长".repeat(4001), "area": A});
        let r = api.post("/api/v1/cases", None, long).await;
        assert_eq!(error_of(&r), ("invalid_field", "description"), "{b}");
        let r = api.act(&d, id, "verify", json!({"passed": true})).await;
        assert_eq!((r.status, error_of(&r).0), (StatusCode::CONFLICT, "illegal_transition"), "{b}");
        let r = api.act(&d, id, "teleport", json!({})).await;
        assert_eq!((r.status, error_of(&r)), (StatusCode::NOT_FOUND, ("unknown_action", "action")), "{b}");
        let r = api.act(&d, id, "reject", json!({})).await;
        assert_eq!(error_of(&r), ("invalid_field", "reason"), "{b}");
        let r = api.act(&d, id, "reject", json!({"reason": "x".repeat(1001)})).await;
        assert_eq!(error_of(&r), ("invalid_field", "reason"), "{b}");
        let r = api.act(&d, id, "accept", json!({"passed": "yes"})).await;
        assert_eq!(error_of(&r), ("invalid_field", "passed"), "{b}");
        let r = api.get("/api/v1/cases?stat=reported", Some(&d)).await;
        assert_eq!(error_of(&r), ("invalid_field", "stat"), "{b}");
        let r = api.get("/api/v1/cases?state=lost", Some(&d)).await;
        assert_eq!(error_of(&r), ("invalid_field", "state"), "{b}");
        let r = api.get("/api/v1/cases?created_from=yesterday", Some(&d)).await;
        assert_eq!(error_of(&r), ("invalid_field", "created_from"), "{b}");
        assert_eq!(api.case_count().await, before, "{b}: nothing written");
        assert_eq!(api.store.case_events(uuid::Uuid::parse_str(id).unwrap()).await.unwrap().len(), 1, "{b}");
        let text = api.call("POST", "/api/v1/cases", None, None, &[("content-type", "text/plain")]).await;
        assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}

backend_test! {
    async fn login_errors_and_lockout(b: Backend) {
        let api = Api::new(b).await;
        let r = api.post("/api/v1/session", None, json!({"username": "nobody", "password": "x"})).await;
        assert_eq!((r.status, error_of(&r)), (StatusCode::UNAUTHORIZED, ("invalid_credentials", "password")), "{b}");
        for i in 1..=5 {
            let r = api.post("/api/v1/session", None, json!({"username": "leader", "password": "wrong"})).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b} attempt {i}");
            // The figures a client words in its reader's language.
            assert_eq!(r.body["error"]["details"]["attempts_left"], 5 - i, "{b} attempt {i}: {}", r.body);
        }
        let r = api.post("/api/v1/session", None, json!({"username": "leader", "password": "civicgrid"})).await;
        assert_eq!((r.status, error_of(&r).0), (StatusCode::LOCKED, "account_locked"), "{b}: even the right password waits");
        assert!(r.body["error"]["details"]["retry_minutes"].as_i64().is_some_and(|m| m >= 1), "{b}: {}", r.body);
        let t = api.login("dispatcher").await;
        let me = api.get("/api/v1/me", Some(&t)).await;
        assert_eq!(me.body["role"], "district_dispatcher");
        let out = api.call("DELETE", "/api/v1/session", Some(&t), None, &[]).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(api.get("/api/v1/me", Some(&t)).await.status, StatusCode::UNAUTHORIZED, "{b}: logged out");
        let cookie = api.post("/api/v1/session", None, json!({"username": "dispatcher", "password": "civicgrid"})).await;
        let set = cookie.headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(set.starts_with("cg_session=") && set.contains("HttpOnly"), "{set}");
        let c = set.split(';').next().unwrap().to_string();
        assert_eq!(api.call("GET", "/api/v1/me", None, None, &[("cookie", &c)]).await.status, StatusCode::OK, "{b}: cookie session");
    }
}

backend_test! {
    async fn idempotency_contact_and_reference(b: Backend) {
        let api = Api::new(b).await;
        let body = json!({"category": "0102", "description": "x", "area": A, "reporter_phone": "13912345678"}).to_string();
        let first = api.call("POST", "/api/v1/cases", None, Some(&body), &[("idempotency-key", "abc")]).await;
        let again = api.call("POST", "/api/v1/cases", None, Some(&body), &[("idempotency-key", "abc")]).await;
        assert_eq!(first.body["id"], again.body["id"], "{b}");
        assert_eq!(first.body["receipt"], again.body["receipt"], "{b}");
        assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(api.case_count().await, 1, "{b}");
        // The same key on another anonymous report is another case, not the first one's receipt.
        let other = json!({"category": "0102", "description": "y", "area": A}).to_string();
        let third = api.call("POST", "/api/v1/cases", None, Some(&other), &[("idempotency-key", "abc")]).await;
        assert_ne!(third.body["id"], first.body["id"], "{b}");
        assert_eq!(api.case_count().await, 2, "{b}");
        let id = first.body["id"].as_str().unwrap();
        let d = api.login("dispatcher").await;
        let c = api.get(&format!("/api/v1/cases/{id}/contact"), Some(&d)).await;
        assert_eq!(c.body["reporter_phone"], "13912345678", "{b}");
        let l = api.login("leader").await;
        assert_eq!(api.get(&format!("/api/v1/cases/{id}/contact"), Some(&l)).await.status, StatusCode::FORBIDDEN, "{b}");
        // Reference data.
        let a = api.get("/api/v1/areas/371002001", None).await;
        assert_eq!(a.body["name"], "环翠楼街道", "{b}");
        assert_eq!(a.body["path"][1]["name"], "威海市");
        let kids = api.get("/api/v1/areas/371002001/children", None).await;
        assert!(kids.body.as_array().unwrap().len() > 5);
        assert_eq!(api.get("/api/v1/areas/999999", None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.get("/api/v1/areas/99x", None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let cats = api.get("/api/v1/categories", None).await;
        assert!(cats.body.as_array().unwrap().iter().any(|c| c["name"] == "矛盾纠纷"));
        let deps = api.get("/api/v1/departments?category=0102&area=371002001001", None).await;
        assert_eq!(deps.body.as_array().unwrap().len(), 1, "{b}");
        let bad = api.get("/api/v1/departments?categry=1101", None).await;
        assert_eq!(error_of(&bad), ("invalid_field", "categry"), "{b}");
        let none = api.get("/api/v1/departments?category=1101", None).await;
        assert_eq!(none.body.as_array().unwrap().len(), 0, "{b}");
    }
}

#[tokio::test]
async fn health_openapi_and_docs() {
    let api = Api::new(Backend::Sqlite).await;
    assert_eq!(api.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(api.get("/readyz", None).await.status, StatusCode::OK);
    let doc = api.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.body["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    for p in ["/api/v1/cases", "/api/v1/cases/{id}/actions/{action}", "/api/v1/track/{code}/rate", "/api/v1/session"] {
        assert!(doc.body["paths"][p].is_object(), "{p} missing from the OpenAPI document");
    }
    let html = api.get("/docs", None).await;
    assert!(html.body.as_str().unwrap().contains("/api/v1/cases/{id}/actions/{action}"));
    let missing = api.get("/api/v1/nothing", None).await;
    assert_eq!((missing.status, error_of(&missing).0), (StatusCode::NOT_FOUND, "not_found"));
}
