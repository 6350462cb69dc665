//! `GET /api/v1/calendar/deadline` end to end (router in process). The calendar needs no
//! storage, so one SQLite store is enough.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::testing::fresh;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = app.clone().oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn assert_invalid(status: StatusCode, body: &Value, field: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_field", "{body}");
    assert_eq!(body["error"]["field"], field, "{body}");
}

#[tokio::test]
async fn deadline_endpoint() {
    let (store, _dir) = fresh(civicgrid_store::testing::Backend::Sqlite).await;
    let app = router(AppState::new(store, Cipher::from_bytes([9; 32]), ServerConfig::default()));

    // 5 working days from the Friday before Spring Festival 2025 (调休 Sunday 01-26 counts).
    let (status, body) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00%2B08:00&working_days=5").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({
            "start": "2025-01-24T10:00:00+08:00",
            "deadline": "2025-02-07T10:00:00+08:00",
            "rule": {"amount": 5, "unit": "working_days"},
            "uncovered_years": [],
            "weekends_only": false,
        })
    );

    // An unencoded `+` arrives as a space and is put back; UTC input is answered in UTC+8.
    let (status, body) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00+08:00&working_days=6").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["deadline"], "2025-02-08T10:00:00+08:00");

    // 2 natural hours over midnight.
    let (status, body) = get(&app, "/api/v1/calendar/deadline?start=2025-03-07T15:15:00Z&hours=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["start"], "2025-03-07T23:15:00+08:00");
    assert_eq!(body["deadline"], "2025-03-08T01:15:00+08:00");
    assert_eq!(body["rule"], json!({"amount": 2, "unit": "natural_hours"}));

    // Working hours across a weekend and lunch.
    let (status, body) = get(&app, "/api/v1/calendar/deadline?start=2025-03-07T16:00:00%2B08:00&working_hours=5").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["deadline"], "2025-03-10T14:00:00+08:00");

    // Golden week 2025.
    let (_, body) = get(&app, "/api/v1/calendar/deadline?start=2025-09-30T15:00:00%2B08:00&working_days=3").await;
    assert_eq!(body["deadline"], "2025-10-11T15:00:00+08:00");

    // A year without calendar data is flagged.
    let (status, body) = get(&app, "/api/v1/calendar/deadline?start=2026-12-31T10:00:00%2B08:00&working_days=1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["deadline"], "2027-01-01T10:00:00+08:00");
    assert_eq!(body["uncovered_years"], json!([2027]));
    assert_eq!(body["weekends_only"], true);

    // Errors name the parameter.
    let (s, b) = get(&app, "/api/v1/calendar/deadline?working_days=5").await;
    assert_invalid(s, &b, "start");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=yesterday&working_days=5").await;
    assert_invalid(s, &b, "start");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z").await;
    assert_invalid(s, &b, "working_days");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z&working_days=5&hours=2").await;
    assert_invalid(s, &b, "working_days");
    assert!(b["error"]["message"].as_str().unwrap().contains("only one"), "{b}");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z&working_hours=two").await;
    assert_invalid(s, &b, "working_hours");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z&hours=0").await;
    assert_invalid(s, &b, "hours");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z&working_days=10001").await;
    assert_invalid(s, &b, "working_days");
    let (s, b) = get(&app, "/api/v1/calendar/deadline?start=2025-01-24T10:00:00Z&days=5").await;
    assert_invalid(s, &b, "days");

    // The OpenAPI document lists the route.
    let (_, doc) = get(&app, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/calendar/deadline"]["get"].is_object(), "{}", doc["paths"]);
    assert!(doc["components"]["schemas"]["Deadline"].is_object());
}
