//! 常用语 over HTTP on both backends: staff keep their own, an admin shares under his area, the
//! shipped ones reach everyone, and nobody removes another person's phrase.

use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::backend_test;
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 5] = [
    ("cityadmin", Role::Admin, "3710", None),
    ("townadmin", Role::Admin, "371002001", None),
    ("town", Role::TownDispatcher, "371002001", None),
    ("othertown", Role::TownDispatcher, "371002002", None),
    ("resident", Role::Resident, "3710", None),
];

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

backend_test! {
    async fn staff_keep_and_share_phrases(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store, Cipher::from_bytes([7; 32]), ServerConfig::default()));
        let token = |u: &'static str| { let app = app.clone(); async move { login(&app, u, "civicgrid").await.1.unwrap() } };
        let (town, other, townadmin, cityadmin, resident) =
            (token("town").await, token("othertown").await, token("townadmin").await, token("cityadmin").await, token("resident").await);

        let (s, shipped) = call(&app, "GET", "/api/v1/phrases?kind=rejection", Some(&town), None).await;
        assert_eq!(s, 200, "{b}: {shipped}");
        assert_eq!(shipped.as_array().unwrap().len(), 4, "{b}: the shipped reasons");
        let (s, _) = call(&app, "GET", "/api/v1/phrases", Some(&resident), None).await;
        assert_eq!(s, 403, "{b}: not for residents");
        let (s, e) = call(&app, "GET", "/api/v1/phrases?kind=opinion", Some(&town), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("kind")), "{b}: {e}");

        // His own, for him alone.
        let (s, mine) = call(&app, "POST", "/api/v1/phrases", Some(&town), Some(json!({"kind": "instruction", "text": " 请于今日18时前回复 "}))).await;
        assert_eq!((s, mine["text"].as_str(), mine["owner"].is_string()), (201, Some("请于今日18时前回复"), true), "{b}: {mine}");
        let (s, e) = call(&app, "POST", "/api/v1/phrases", Some(&town), Some(json!({"kind": "instruction", "text": "  "}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("text")), "{b}");
        let (s, _) = call(&app, "POST", "/api/v1/phrases", Some(&town), Some(json!({"kind": "instruction", "text": "x", "shared": true}))).await;
        assert_eq!(s, 403, "{b}: only an admin shares");
        let (_, theirs) = call(&app, "GET", "/api/v1/phrases?kind=instruction", Some(&other), None).await;
        assert!(!ids(&theirs).contains(&mine["id"].as_str().unwrap().to_string()), "{b}: not another's");

        // Shared by the town's admin: the town's dispatcher gets it, the other town does not.
        let (s, shared) = call(&app, "POST", "/api/v1/phrases", Some(&townadmin), Some(json!({"kind": "feedback", "text": "已按街道要求整改", "shared": true}))).await;
        assert_eq!((s, shared["owner"].is_null(), shared["area"].as_str()), (201, true, Some("371002001")), "{b}: {shared}");
        let sid = shared["id"].as_str().unwrap().to_string();
        assert!(ids(&call(&app, "GET", "/api/v1/phrases?kind=feedback", Some(&town), None).await.1).contains(&sid), "{b}");
        assert!(!ids(&call(&app, "GET", "/api/v1/phrases?kind=feedback", Some(&other), None).await.1).contains(&sid), "{b}");

        // Removing: his own, yes; a shared one, only an admin above it; a shipped one, a city admin.
        let uri = |id: &str| format!("/api/v1/phrases/{id}");
        assert_eq!(call(&app, "DELETE", &uri(mine["id"].as_str().unwrap()), Some(&other), None).await.0, 404, "{b}: not another's");
        assert_eq!(call(&app, "DELETE", &uri(mine["id"].as_str().unwrap()), Some(&town), None).await.0, 204, "{b}");
        assert_eq!(call(&app, "DELETE", &uri(&sid), Some(&town), None).await.0, 404, "{b}: a dispatcher keeps the shared ones");
        assert_eq!(call(&app, "DELETE", &uri("default-rejection-1"), Some(&townadmin), None).await.0, 404, "{b}");
        assert_eq!(call(&app, "DELETE", &uri("default-rejection-1"), Some(&cityadmin), None).await.0, 204, "{b}");
        assert_eq!(call(&app, "DELETE", &uri(&sid), Some(&cityadmin), None).await.0, 204, "{b}: under the city");
        assert_eq!(call(&app, "GET", "/api/v1/phrases?kind=rejection", Some(&town), None).await.1.as_array().unwrap().len(), 3, "{b}");
    }
}
