//! Time limits over HTTP on both backends: deadlines and red/yellow cards on cases, timers
//! firing through the server's job, notices reaching the inbox and a webhook with retries, and
//! an admin loading next year's calendar.

use civicgrid_store::backend_test;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use civicgrid_domain::{Actor, AreaCode, AreaLevel, CaseCode, Command, NewCase, NewCaseInput, Role};
use civicgrid_server::jobs::{self, NotifyConfig, WebhookConfig};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::testing::fresh_url;
use serde_json::{json, Value};

mod support;
use support::{call, call_raw, login};

const ACCOUNTS: [support::Account<'static>; 5] = [
    ("city", Role::DistrictDispatcher, "3710", None),
    ("town", Role::TownDispatcher, "371002001", None),
    ("handler", Role::DepartmentHandler, "3710", Some("urban")),
    ("leader", Role::Leader, "3710", None),
    ("admin", Role::Admin, "3710", None),
];

async fn report(app: &axum::Router, token: &str) -> Value {
    let body = json!({"category": "0102", "area": "371002001001", "description": "垃圾桶满溢，三天没人清运"});
    let (s, c) = call(app, "POST", "/api/v1/cases", Some(token), Some(body)).await;
    assert_eq!(s, 201, "{c}");
    c
}

backend_test! {
    async fn cases_carry_deadlines_cards_and_fire_their_timers(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let state = AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default());
        let app = router(state.clone());
        let town = login(&app, "town", "civicgrid").await.1.unwrap();

        let c = report(&app, &town).await;
        assert_eq!(c["deadline"]["step"], "accept", "{b}: {c}");
        assert_eq!(c["deadline"]["limit"], json!({"amount": 2, "unit": "working_hours"}), "{b}");
        assert_eq!(c["card"], Value::Null, "{b}");
        let (_, cards) = call(&app, "GET", "/api/v1/cases/counts/cards", Some(&town), None).await;
        assert_eq!(cards, json!({"red": 0, "yellow": 0}), "{b}");

        // A case accepted ten days ago and never dispatched: its 4 working hours are long gone.
        let cat = store.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0102").unwrap();
        let new = NewCase::validate(NewCaseInput { description: "路灯不亮".into(), ..Default::default() }, &cat, AreaCode::parse("371002001001").unwrap()).unwrap();
        let then = Utc::now() - Duration::days(10);
        let policy = store.policy();
        let (mut old, first) = policy.report(uuid::Uuid::now_v7(), CaseCode::new(then, 900), new, AreaLevel::Town, &Actor::Public, then).unwrap();
        let mut log = vec![first];
        log.extend(policy.execute(&mut old, &Actor::System, Command::Accept { note: None }, then + Duration::minutes(5)).unwrap());
        store.import_cases(&[(old.clone(), log)]).await.unwrap();
        let (_, red) = call(&app, "GET", "/api/v1/cases?card=red", Some(&town), None).await;
        let codes: Vec<&str> = red["items"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        assert_eq!(codes, [old.code.as_str()], "{b}");
        assert_eq!(red["items"][0]["card"], "red", "{b}");
        assert_eq!(red["items"][0]["deadline"]["step"], "dispatch", "{b}");
        let (_, cards) = call(&app, "GET", "/api/v1/cases/counts/cards", Some(&town), None).await;
        assert_eq!(cards, json!({"red": 1, "yellow": 0}), "{b}");
        let (s, e) = call(&app, "GET", "/api/v1/cases?card=orange", Some(&town), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("card")), "{b}");

        // A month later the new case's timers have all come due: warned, overdue (and so
        // supervised), then escalated for being more than 3 working days late.
        let report = jobs::fire_timers_once(&state, Utc::now() + Duration::days(30)).await.unwrap();
        assert_eq!((report.fired, report.events), (3, 4), "{b}: {report:?}");
        let (_, events) = call(&app, "GET", &format!("/api/v1/cases/{}/events", c["id"].as_str().unwrap()), Some(&town), None).await;
        let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["reported", "deadline_warned", "overdue", "supervised", "escalated"], "{b}");
        assert!(events.as_array().unwrap()[1..].iter().all(|e| e["actor"]["kind"] == "system"), "{b}");
        assert_eq!(events[4]["deadline"]["step"], "accept", "{b}: a case not yet accepted waits for the level above to accept it");
        let (_, case) = call(&app, "GET", &format!("/api/v1/cases/{}", c["id"].as_str().unwrap()), Some(&town), None).await;
        assert_eq!((case["owner_area"]["code"].as_str(), case["supervised"].as_bool()), (Some("371002"), Some(true)), "{b}");
        assert_eq!(jobs::fire_timers_once(&state, Utc::now() + Duration::days(30)).await.unwrap().claimed, 0, "{b}: once only");
    }
}

/// A webhook receiver that fails its first `fail` calls with 503 and records every call's
/// message id.
async fn receiver(fail: usize) -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::Json<Value>| {
            let log = log.clone();
            async move {
                let id = headers.get("x-civicgrid-message-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                let mut log = log.lock().unwrap();
                log.push((id, body.0));
                if log.len() <= fail { axum::http::StatusCode::SERVICE_UNAVAILABLE } else { axum::http::StatusCode::OK }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

backend_test! {
    async fn notices_reach_the_inbox_once_and_a_webhook_at_least_once(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let (url, seen) = receiver(2).await;
        let config = ServerConfig { notify: NotifyConfig { log: true, webhooks: vec![WebhookConfig { name: "sms".into(), url }] }, ..ServerConfig::default() };
        let state = AppState::new(store.clone(), Cipher::from_bytes([5; 32]), config);
        let app = router(state.clone());
        let (city, handler, leader) = (
            login(&app, "city", "civicgrid").await.1.unwrap(),
            login(&app, "handler", "civicgrid").await.1.unwrap(),
            login(&app, "leader", "civicgrid").await.1.unwrap(),
        );
        let c = report(&app, &city).await;
        let id = c["id"].as_str().unwrap();
        let now = Utc::now();
        assert_eq!(jobs::relay_outbox_once(&state, now).await.unwrap(), 1, "{b}: the report (nobody's notice)");
        call(&app, "POST", &format!("/api/v1/cases/{id}/actions/accept"), Some(&city), Some(json!({}))).await;
        let (s, d) = call(&app, "POST", &format!("/api/v1/cases/{id}/actions/dispatch"), Some(&city),
                          Some(json!({"department": "urban", "instructions": "今日清运"}))).await;
        assert_eq!(s, 200, "{b}: {d}");
        assert_eq!(jobs::relay_outbox_once(&state, now).await.unwrap(), 2, "{b}");
        assert_eq!(jobs::relay_outbox_once(&state, now).await.unwrap(), 0, "{b}: relayed once");

        let (_, inbox) = call(&app, "GET", "/api/v1/inbox", Some(&handler), None).await;
        assert_eq!(inbox["unread"], 1, "{b}: {inbox}");
        let notice = &inbox["items"][0];
        assert_eq!((notice["kind"].as_str(), notice["subject_code"].as_str()), (Some("dispatched"), c["code"].as_str()), "{b}");
        assert!(notice["title"].as_str().unwrap().starts_with("新派遣"), "{b}: {notice}");
        assert!(notice["body"].as_str().unwrap().contains("今日清运"), "{b}: {notice}");
        let (_, other) = call(&app, "GET", "/api/v1/inbox", Some(&leader), None).await;
        assert_eq!(other["unread"], 0, "{b}: not the leader's business yet");
        let nid = notice["id"].as_str().unwrap();
        assert_eq!(call(&app, "POST", &format!("/api/v1/inbox/{nid}/read"), Some(&leader), None).await.0, 404, "{b}: not his notice");
        assert_eq!(call(&app, "POST", &format!("/api/v1/inbox/{nid}/read"), Some(&handler), None).await.0, 204, "{b}");
        let (_, unread) = call(&app, "GET", "/api/v1/inbox?unread_only=true", Some(&handler), None).await;
        assert_eq!((unread["unread"].as_u64(), unread["items"].as_array().map(Vec::len)), (Some(0), Some(0)), "{b}");
        assert_eq!(call(&app, "POST", "/api/v1/inbox/read-all", Some(&handler), None).await.1, json!({"marked": 0}), "{b}");
        assert_eq!(call(&app, "GET", "/api/v1/inbox?limit=0", Some(&handler), None).await.0, 422, "{b}");

        // The log channel delivers at once; the SMS gateway fails twice, then takes it.
        assert_eq!(jobs::send_deliveries_once(&state, now).await.unwrap(), 1, "{b}: log sent, sms failed");
        assert_eq!(jobs::send_deliveries_once(&state, now + Duration::seconds(5)).await.unwrap(), 0, "{b}: backing off 10 s");
        assert_eq!(jobs::send_deliveries_once(&state, now + Duration::seconds(11)).await.unwrap(), 0, "{b}: second failure");
        assert_eq!(jobs::send_deliveries_once(&state, now + Duration::seconds(25)).await.unwrap(), 0, "{b}: backing off 20 s");
        assert_eq!(jobs::send_deliveries_once(&state, now + Duration::seconds(40)).await.unwrap(), 1, "{b}");
        assert_eq!(jobs::send_deliveries_once(&state, now + Duration::hours(1)).await.unwrap(), 0, "{b}: delivered, not sent again");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 3, "{b}");
        assert!(seen.iter().all(|(mid, body)| *mid == seen[0].0 && body["message_id"] == mid.as_str()), "{b}: one message id to deduplicate on");
        assert_eq!((seen[0].1["to"]["username"].as_str(), seen[0].1["kind"].as_str()), (Some("handler"), Some("dispatched")), "{b}");
    }
}

const YEAR_2027: &str = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n";

backend_test! {
    async fn an_admin_loads_next_years_calendar_and_every_server_counts_with_it(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let open = || async {
            let s = civicgrid_store::connect(&url, civicgrid_store::SqliteDurability::Normal).await.unwrap();
            s.migrate().await.unwrap();
            s
        };
        let store = open().await;
        civicgrid_store::seed::seed_reference(store.as_ref()).await.unwrap();
        store
            .create_user(
                civicgrid_store::NewUser {
                    username: "admin".into(),
                    display_name: "admin".into(),
                    password_hash: civicgrid_store::crypto::hash_password("civicgrid").unwrap(),
                    role: Role::Admin,
                    scope: AreaCode::parse("3710").unwrap(),
                    department: None,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        let app = router(AppState::new(store, Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let admin = login(&app, "admin", "civicgrid").await.1.unwrap();
        let deadline = "/api/v1/calendar/deadline?start=2026-12-31T10:00:00%2B08:00&working_days=1";
        let (_, before) = call(&app, "GET", deadline, None, None).await;
        assert_eq!((before["deadline"].as_str(), before["weekends_only"].as_bool()), (Some("2027-01-01T10:00:00+08:00"), Some(true)), "{b}");

        let bad = "date,kind,name\n2027-01-01,holidy,元旦\n";
        let (s, e) = call_raw(&app, "POST", "/api/v1/admin/calendar", Some(&admin), Some("text/csv"), bad.into()).await;
        assert_eq!((s, e["error"]["code"].as_str(), e["error"]["field"].as_str()), (422, Some("invalid_file"), Some("line 2, column 2 (kind)")), "{b}: {e}");
        assert_eq!(call(&app, "GET", deadline, None, None).await.1, before, "{b}: a refused file changes nothing");
        let (s, e) = call_raw(&app, "POST", "/api/v1/admin/calendar", None, Some("text/csv"), YEAR_2027.into()).await;
        assert_eq!(s, 401, "{b}: {e}");

        let (s, loaded) = call_raw(&app, "POST", "/api/v1/admin/calendar", Some(&admin), Some("text/csv"), YEAR_2027.into()).await;
        assert_eq!((s, loaded), (200, json!({"years": [2027]})), "{b}");
        let (_, after) = call(&app, "GET", deadline, None, None).await;
        assert_eq!((after["deadline"].as_str(), after["weekends_only"].as_bool()), (Some("2027-01-04T10:00:00+08:00"), Some(false)), "{b}");
        let (_, years) = call(&app, "GET", "/api/v1/admin/calendar", Some(&admin), None).await;
        let last = years["years"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["year"].as_i64(), last["source"].as_str()), (Some(2027), Some("loaded")), "{b}: {years}");
        assert_eq!(years["years"][0]["year"], 2004, "{b}");

        // Another server on the same database picks the file up.
        let other = AppState::new(open().await, Cipher::from_bytes([5; 32]), ServerConfig::default());
        assert!(jobs::refresh_calendar(&other).await.unwrap(), "{b}");
        assert!(!jobs::refresh_calendar(&other).await.unwrap(), "{b}: already in step");
        assert_eq!(call(&router(other), "GET", deadline, None, None).await.1["deadline"], "2027-01-04T10:00:00+08:00", "{b}");
    }
}
