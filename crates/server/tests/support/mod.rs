//! The fixture the HTTP tests share: a migrated store on one backend with the reference data,
//! the `urban` department (city level, main class 01) and accounts with the password `civicgrid`;
//! and calling the router in process.
#![allow(dead_code)] // each test crate uses its own part of it

use civicgrid_domain::{AreaCode, CategoryCode, Department, Role};
use civicgrid_store::crypto::hash_password;
use civicgrid_store::testing::fresh;
use civicgrid_store::{seed, NewUser, Store};
use std::sync::{Arc, OnceLock};

/// One account: username, role, scope, department.
pub type Account<'a> = (&'a str, Role, &'a str, Option<&'a str>);

/// A seeded store on `backend` with `accounts`, and the guard that keeps its files alive.
pub async fn seeded_store(
    backend: civicgrid_store::testing::Backend,
    accounts: &[Account<'_>],
) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    static HASH: OnceLock<String> = OnceLock::new();
    let (store, dir) = fresh(backend).await;
    seed::seed_reference(store.as_ref()).await.unwrap();
    store
        .put_department(&Department {
            id: "urban".into(),
            name: "综合行政执法局".into(),
            name_en: "Urban management".into(),
            area: AreaCode::parse("3710").unwrap(),
            categories: vec![CategoryCode::parse("01").unwrap()],
        })
        .await
        .unwrap();
    for (name, role, scope, dept) in accounts {
        let u = NewUser {
            username: (*name).into(),
            display_name: (*name).into(),
            password_hash: HASH.get_or_init(|| hash_password("civicgrid").unwrap()).clone(),
            role: *role,
            scope: AreaCode::parse(scope).unwrap(),
            department: dept.map(Into::into),
        };
        store.create_user(u, chrono::Utc::now()).await.unwrap();
    }
    (store, dir)
}

/// Calls the router in process; answers the status and the JSON body (`Null` if none).
pub async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let (ctype, bytes) = match body {
        Some(b) => (Some("application/json"), b.to_string().into_bytes()),
        None => (None, Vec::new()),
    };
    call_raw(app, method, uri, token, ctype, bytes).await
}

/// Calls the router with a body of any content type.
pub async fn call_raw(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    ctype: Option<&str>,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(c) = ctype {
        req = req.header("content-type", c);
    }
    let res = app.clone().oneshot(req.body(axum::body::Body::from(body)).unwrap()).await.unwrap();
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

/// Signs in; answers the status and the session token.
pub async fn login(app: &axum::Router, user: &str, password: &str) -> (u16, Option<String>) {
    let (s, b) = call(app, "POST", "/api/v1/session", None, Some(serde_json::json!({"username": user, "password": password}))).await;
    (s, b["token"].as_str().map(str::to_string))
}
