//! 退单审核, requested suspensions and extension limits over HTTP on both backends (issue 25):
//! a returned case waits for the centre's review; a refused return goes back to its handler with
//! a notice and its deadline running; a handler asks for a suspension and the centre decides;
//! an extension past the limits is refused naming the latest deadline allowed.

use civicgrid_store::backend_test;

use civicgrid_domain::Role;
use civicgrid_server::jobs;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 2] =
    [("city", Role::DistrictDispatcher, "3710", None), ("handler", Role::DepartmentHandler, "3710", Some("urban"))];

backend_test! {
    async fn a_return_is_reviewed_and_a_suspension_is_asked_for(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let state = AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default());
        let app = router(state.clone());
        let (city, handler) = (login(&app, "city", "civicgrid").await.1.unwrap(), login(&app, "handler", "civicgrid").await.1.unwrap());
        let body = json!({"category": "0102", "area": "371002001001", "description": "垃圾桶满溢，三天没人清运"});
        let (s, c) = call(&app, "POST", "/api/v1/cases", Some(&city), Some(body)).await;
        assert_eq!(s, 201, "{b}: {c}");
        let act = |who: String, action: &'static str, body: Value| {
            let (app, id) = (app.clone(), c["id"].as_str().unwrap().to_string());
            async move { call(&app, "POST", &format!("/api/v1/cases/{id}/actions/{action}"), Some(&who), Some(body)).await }
        };
        act(city.clone(), "accept", json!({})).await;
        let (s, d) = act(city.clone(), "dispatch", json!({"department": "urban"})).await;
        assert_eq!(s, 200, "{b}: {d}");
        let due = d["deadline"]["due"].clone();
        let (_, r) = act(handler.clone(), "return", json!({"reason": "不属于本部门"})).await;
        assert_eq!((r["state"].as_str(), r["returned_by"]["id"].as_str()), (Some("returned"), Some("urban")), "{b}: {r}");

        // It waits in the centre's view of approvals, counted.
        let (_, n) = call(&app, "GET", "/api/v1/cases/counts/awaiting", Some(&city), None).await;
        assert_eq!(n, json!({"review": 1, "extension": 0, "suspension": 0, "verify": 0, "total": 1}), "{b}");
        let (_, list) = call(&app, "GET", "/api/v1/cases?awaiting=review", Some(&city), None).await;
        assert_eq!(list["items"][0]["id"], c["id"], "{b}: {list}");
        let (s, e) = call(&app, "GET", "/api/v1/cases?awaiting=soon", Some(&city), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("awaiting")), "{b}: {e}");

        // The centre reviews first; refusing says why.
        let (s, e) = act(city.clone(), "dispatch", json!({"department": "urban"})).await;
        assert_eq!((s, e["error"]["code"].as_str()), (409, Some("illegal_transition")), "{b}: {e}");
        let (s, e) = act(city.clone(), "review_return", json!({"accepted": false})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("comment")), "{b}: {e}");
        let (s, e) = act(city.clone(), "review_return", json!({"comment": "x"})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("accepted")), "{b}: {e}");
        let (s, back) = act(city.clone(), "review_return", json!({"accepted": false, "comment": "属于市容职责"})).await;
        assert_eq!(s, 200, "{b}: {back}");
        assert_eq!((back["state"].as_str(), back["assignee"]["id"].as_str(), &back["returned_by"]), (Some("dispatched"), Some("urban"), &Value::Null), "{b}");
        assert_eq!((back["deadline"]["step"].as_str(), &back["deadline"]["due"]), (Some("handle"), &due), "{b}: the deadline ran on");
        while jobs::relay_outbox_once(&state, chrono::Utc::now()).await.unwrap() > 0 {}
        let (_, inbox) = call(&app, "GET", "/api/v1/inbox", Some(&handler), None).await;
        assert!(inbox["items"].as_array().unwrap().iter().any(|n| n["kind"] == "return_refused"), "{b}: {inbox}");

        // The handler asks to suspend; the clock runs until the centre grants it.
        let (s, q) = act(handler.clone(), "request_suspension", json!({"reason": "等待业主提供材料"})).await;
        assert_eq!((s, q["suspension_requested"].as_str(), q["state"].as_str()), (200, Some("等待业主提供材料"), Some("dispatched")), "{b}: {q}");
        let (_, n) = call(&app, "GET", "/api/v1/cases/counts/awaiting", Some(&city), None).await;
        assert_eq!((n["review"].as_u64(), n["suspension"].as_u64(), n["total"].as_u64()), (Some(0), Some(1), Some(1)), "{b}: {n}");
        let (_, list) = call(&app, "GET", "/api/v1/cases?awaiting=any", Some(&city), None).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{b}");
        let (s, _) = act(handler.clone(), "decide_suspension", json!({"granted": true})).await;
        assert_eq!(s, 403, "{b}: not the handler's to grant");
        let (s, g) = act(city.clone(), "decide_suspension", json!({"granted": true})).await;
        assert_eq!((s, g["state"].as_str(), &g["suspension_requested"]), (200, Some("suspended"), &Value::Null), "{b}: {g}");
        assert!(g["deadline"]["paused_at"].is_string(), "{b}: {g}");
        let (s, _) = act(city.clone(), "resume", json!({})).await;
        assert_eq!(s, 200, "{b}");

        // Extensions: at most 30 days in all by default, refused past that naming the latest.
        let due = chrono::DateTime::parse_from_rfc3339(back["deadline"]["due"].as_str().unwrap()).unwrap();
        let (s, e) = act(handler.clone(), "request_extension", json!({"until": (due + chrono::Duration::days(40)).to_rfc3339(), "reason": "需采购"})).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("until")), "{b}: {e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("30 days"), "{b}: {e}");
    }
}
