//! Correcting a case over HTTP on both backends (issue 20): reclassify it, with the running
//! time limit counted again and the queue filtering by the new category; take back a dispatch
//! not yet claimed and send it elsewhere.

use civicgrid_store::backend_test;

use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 2] =
    [("city", Role::DistrictDispatcher, "3710", None), ("handler", Role::DepartmentHandler, "3710", Some("urban"))];

backend_test! {
    async fn a_case_is_reclassified_and_a_dispatch_taken_back(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let (city, handler) = (login(&app, "city", "civicgrid").await.1.unwrap(), login(&app, "handler", "civicgrid").await.1.unwrap());
        let body = json!({"category": "0101", "area": "371002001001", "description": "路边垃圾堆积，夜里还有人烧"});
        let (s, c) = call(&app, "POST", &"/api/v1/cases".to_string(), Some(&city), Some(body)).await;
        assert_eq!(s, 201, "{b}: {c}");
        let id = c["id"].as_str().unwrap().to_string();
        let act = |who: &String, action: &str, body: Value| {
            let (app, url, who) = (app.clone(), format!("/api/v1/cases/{id}/actions/{action}"), who.clone());
            async move { call(&app, "POST", &url, Some(&who), Some(body)).await }
        };
        act(&city, "accept", json!({})).await;
        let (_, d) = act(&city, "dispatch", json!({"department": "urban"})).await;
        let due = d["deadline"]["due"].as_str().unwrap().to_string();

        // Reclassified as urgent: the handling limit is counted again from the dispatch.
        let (s, e) = act(&city, "reclassify", json!({"category": "0102"})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("reason")), "{b}: {e}");
        let (s, e) = act(&city, "reclassify", json!({"category": "9999", "reason": "x"})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("category")), "{b}: {e}");
        let (s, r) = act(&city, "reclassify", json!({"category": "0102", "priority": "urgent", "reason": "有明火，紧急"})).await;
        assert_eq!(s, 200, "{b}: {r}");
        assert_eq!((r["category"]["code"].as_str(), r["priority"].as_str()), (Some("0102"), Some("urgent")), "{b}");
        assert_eq!((r["deadline"]["step"].as_str(), r["deadline"]["started"].clone()), (Some("handle"), d["deadline"]["started"].clone()), "{b}");
        assert_ne!(r["deadline"]["due"].as_str(), Some(due.as_str()), "{b}: the urgent limit is shorter");
        assert_eq!(r["deadline"]["limit"], json!({"amount": 2, "unit": "natural_hours"}), "{b}");
        let (_, page) = call(&app, "GET", "/api/v1/cases?category=0102", Some(&city), None).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{b}: the queue knows the new category: {page}");
        let (_, events) = call(&app, "GET", &format!("/api/v1/cases/{id}/events"), Some(&city), None).await;
        assert!(events.to_string().contains("reclassified"), "{b}: in the log");

        // Taken back before anyone claimed it, then sent elsewhere; a handler cannot take it back.
        let (s, _) = act(&handler, "recall", json!({"reason": "x"})).await;
        assert_eq!(s, 403, "{b}");
        let (s, r) = act(&city, "recall", json!({"reason": "派错部门"})).await;
        assert_eq!((s, r["state"].as_str(), &r["assignee"]), (200, Some("accepted"), &Value::Null), "{b}: {r}");
        let (s, r) = act(&city, "dispatch", json!({"department": "urban", "instructions": "改派"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("dispatched")), "{b}: {r}");
        act(&handler, "claim", json!({})).await;
        let (s, _) = act(&city, "recall", json!({"reason": "x"})).await;
        assert_eq!(s, 409, "{b}: claimed, too late to take back");
    }
}
