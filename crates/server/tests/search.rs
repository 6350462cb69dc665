//! Finding a case over HTTP on both backends (issue 20): one search box takes a tracking code,
//! the caller's phone however it is written (matched through a keyed hash), a grid code or a
//! keyword; a case shows the caller's other cases; each reader finds only what he may see.

use civicgrid_store::backend_test;

use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 2] =
    [("city", Role::DistrictDispatcher, "3710", None), ("town2", Role::TownDispatcher, "371002002", None)];

fn codes(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap_or_else(|| panic!("{page}")).iter().map(|c| c["code"].as_str().unwrap().to_string()).collect()
}

backend_test! {
    async fn one_box_finds_a_case_by_code_phone_grid_or_keyword(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let city = login(&app, "city", "civicgrid").await.1.unwrap();
        let report = |description: &str, phone: Option<&str>, area: &str| {
            let mut body = json!({"category": "0102", "area": area, "description": description, "address": "幸福路12号"});
            if let Some(p) = phone {
                body["reporter_phone"] = json!(p);
            }
            let (app, city) = (app.clone(), city.clone());
            async move {
                let (s, c) = call(&app, "POST", "/api/v1/cases", Some(&city), Some(body)).await;
                assert_eq!(s, 201, "{c}");
                c
            }
        };
        let a = report("垃圾桶满溢，三天没人清运", Some("13800138000"), "371002001001").await;
        let b2 = report("路灯不亮", Some("138-0013-8000"), "371002002001").await;
        let other = report("井盖缺失 100%危险", Some("13900139000"), "371002001001").await;
        let search = |q: &str, token: &str| {
            let (app, url, token) = (app.clone(), format!("/api/v1/cases?q={}", urlencode(q)), token.to_string());
            async move {
                let (s, page) = call(&app, "GET", &url, Some(&token), None).await;
                assert_eq!(s, 200, "{url}: {page}");
                codes(&page)
            }
        };
        let code = |c: &Value| c["code"].as_str().unwrap().to_string();

        // A tracking code: that case at once, and the counts agree.
        assert_eq!(search(&code(&a), &city).await, [code(&a)], "{b}");
        let (_, n) = call(&app, "GET", &format!("/api/v1/cases/counts?q={}", code(&a)), Some(&city), None).await;
        assert_eq!(n, json!({"by_state": {"reported": 1}, "total": 1}), "{b}");
        let (_, n) = call(&app, "GET", "/api/v1/cases/counts?q=20991231999999", Some(&city), None).await;
        assert_eq!(n["total"], 0, "{b}: a code no case has");
        // A phone however written: both of that caller's cases, newest first, never the other's.
        for typed in ["13800138000", "+86 138 0013 8000", "138-0013-8000"] {
            assert_eq!(search(typed, &city).await, [code(&b2), code(&a)], "{b}: {typed}");
        }
        // A keyword in the description or the address; LIKE's `%` is only itself.
        assert_eq!(search("路灯", &city).await, [code(&b2)], "{b}");
        assert_eq!(search("幸福路", &city).await.len(), 3, "{b}");
        assert_eq!(search("0%", &city).await, [code(&other)], "{b}");
        // A town dispatcher finds only his town's: the same phone, one case; another's code, none.
        let town2 = login(&app, "town2", "civicgrid").await.1.unwrap();
        assert_eq!(search("13800138000", &town2).await, [code(&b2)], "{b}");
        assert!(search(&code(&a), &town2).await.is_empty(), "{b}: a code outside his area finds nothing");

        // The caller's other cases, from the case: the same phone, not the case itself.
        let id = a["id"].as_str().unwrap();
        let (s, same) = call(&app, "GET", &format!("/api/v1/cases/{id}/same-caller"), Some(&city), None).await;
        assert_eq!(s, 200, "{b}: {same}");
        assert_eq!(codes(&same), [code(&b2)], "{b}");
        assert!(!same.to_string().contains("13800138000"), "{b}: no phone in clear");
        let (s, _) = call(&app, "GET", &format!("/api/v1/cases/{id}/same-caller"), Some(&town2), None).await;
        assert_eq!(s, 404, "{b}: a case he may not see");

        // A blank box is no filter; an over-long one is refused, naming `q`.
        assert_eq!(search(" ", &city).await.len(), 3, "{b}");
        let long = "长".repeat(101);
        let (s, e) = call(&app, "GET", &format!("/api/v1/cases?q={}", urlencode(&long)), Some(&city), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("q")), "{b}: {e}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

backend_test! {
    async fn the_queue_exports_to_excel_with_its_filters(b: Backend) {
        use calamine::{Data, Reader, Xlsx};
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let city = login(&app, "city", "civicgrid").await.1.unwrap();
        for (d, phone) in [("路灯不亮", "13800138000"), ("垃圾满溢", "13900139000"), ("路灯闪烁", "13700137000")] {
            let body = json!({"category": "0102", "area": "371002001001", "description": d, "reporter_phone": phone});
            assert_eq!(call(&app, "POST", "/api/v1/cases", Some(&city), Some(body)).await.0, 201, "{b}");
        }
        use tower::ServiceExt;
        let req = axum::http::Request::builder()
            .uri(format!("/api/v1/cases/export.xlsx?q={}", urlencode("路灯")))
            .header("authorization", format!("Bearer {city}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200, "{b}");
        assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"), "{b}");
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("工单列表").unwrap();
        let cell = |r: usize, c: usize| sheet.get((r, c)).cloned().unwrap_or(Data::Empty).to_string();
        assert_eq!((cell(3, 0), cell(3, 8)), ("工单编号".to_string(), "来电号码".to_string()), "{b}");
        let titles: Vec<String> = (4..sheet.height()).map(|r| cell(r, 1)).collect();
        assert_eq!(titles, ["路灯闪烁", "路灯不亮"], "{b}: the list's filter, newest first");
        assert_eq!(cell(4, 8), "137****7000", "{b}: phones masked");
        assert!(cell(1, 0).contains("共 2 条"), "{b}: {}", cell(1, 0));
    }
}
