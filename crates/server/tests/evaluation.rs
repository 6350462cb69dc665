//! 考核 over HTTP on both backends: the rates of a fixture month, worked out by hand below, by
//! department, town and person; the cases behind a figure; the Excel export carrying the
//! figures the API shows; and the refusals.

use civicgrid_store::backend_test;
use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Utc};
use civicgrid_domain::evaluation::RankRules;
use civicgrid_domain::{Actor, AreaCode, AreaLevel, Case, CaseCode, CaseEvent, Command, Department, DispatchTarget, NewCase, NewCaseInput, Rating, Role};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::Store;
use serde_json::{json, Value};

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 7] = [
    ("city", Role::DistrictDispatcher, "3710", None),
    ("town", Role::TownDispatcher, "371002001", None),
    ("handler", Role::DepartmentHandler, "3710", Some("urban")),
    ("plumber", Role::DepartmentHandler, "3710", Some("water")),
    ("gridder", Role::GridWorker, "371002002", None),
    ("leader", Role::Leader, "3710", None),
    ("admin", Role::Admin, "3710", None),
];

/// Towns 环翠楼街道 (T1) and 鲸园街道 (T2) of 环翠区.
const T1: &str = "371002001";
const T2: &str = "371002002";
const MARCH: &str = "from=2025-03-01&to=2025-03-31";

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2025-03-{s}+08:00")).unwrap().with_timezone(&Utc)
}

/// Writes one case's log, command by command at the times given.
struct Writer {
    store: std::sync::Arc<dyn Store>,
    actors: HashMap<String, Actor>,
    out: Vec<(Case, Vec<CaseEvent>)>,
}

impl Writer {
    async fn new(store: std::sync::Arc<dyn Store>) -> Writer {
        let actors = store.users().await.unwrap().into_iter().map(|u| (u.username.clone(), u.actor())).collect();
        Writer { store, actors, out: Vec::new() }
    }

    /// A 0101 case (5 working days to handle) reported at 09:00 on Monday 3 March in a community
    /// of `town`, owned by the city centre; `steps` are (who, what, day and time).
    async fn case(&mut self, town: &str, seq: u64, steps: Vec<(&str, Command, &str)>) -> String {
        let policy = self.store.policy();
        let cat = self.store.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0101").unwrap();
        let input = NewCaseInput { description: "楼顶违章搭建彩钢棚".into(), ..Default::default() };
        let new = NewCase::validate(input, &cat, AreaCode::parse(&format!("{town}001")).unwrap()).unwrap();
        let at = t("03T09:00:00");
        let (mut case, first) = policy.report(uuid::Uuid::now_v7(), CaseCode::new(at, seq), new, AreaLevel::City, &Actor::Public, at).unwrap();
        let mut log = vec![first];
        for (who, cmd, when) in steps {
            let actor = &self.actors[who];
            log.extend(policy.execute(&mut case, actor, cmd, t(when)).unwrap_or_else(|e| panic!("case {seq}, {who} at {when}: {e}")));
        }
        let code = case.code.to_string();
        self.out.push((case, log));
        code
    }
}

fn dispatch(dept: &str) -> Command {
    Command::Dispatch { to: DispatchTarget::Department { id: dept.into(), area: AreaCode::parse("3710").unwrap() }, instructions: None }
}
fn accept() -> Command {
    Command::Accept { note: None }
}
fn handle() -> Command {
    Command::Handle { feedback: "已拆除".into(), attachments: vec![] }
}
fn verify() -> Command {
    Command::Verify { passed: true, comment: None }
}
fn rate(r: Rating) -> Command {
    Command::Rate { rating: r, comment: None }
}

/// The fixture month, March 2025. Every case is reported Monday 3 March 09:00, accepted 09:30 and
/// (but C6) dispatched 10:00, so handling is due Monday 10 March 10:00.
///
/// | case | town | department | what happens | counts for |
/// |---|---|---|---|---|
/// | C1 | T1 | urban | claimed, handled 4th 10:00, verified 11:00, rated 满意 | on time, resolved, satisfied |
/// | C2 | T1 | urban | claimed, handled 12th 10:00 (late), verified, rated 基本满意 | late, resolved, satisfied |
/// | C3 | T1 | urban | claimed, handled 4th, verified, rated 不满意 → reopened (重办) | on time, reopened, unsatisfied |
/// | C4 | T2 | water | sent back 3rd 12:00, the return refused 14:00 (退单审核), never claimed | responded, returned, late |
/// | C5 | T2 | urban | never claimed | not responded, late |
/// | C6 | T2 | —     | closed on the spot by the grid worker 3rd 09:20 | resolved, not rated |
/// | C7 | T2 | water | sent back 3rd 12:00, the return accepted 14:00: a wrong dispatch | responded; the dispatcher's inaccurate dispatch |
///
/// Issue 25 changed C4: its return used to count as "not responded, returned" with no handling
/// due; now sending it back answers the dispatch, the refused return counts against water, and
/// its deadline ran on. C7 was added for the accepted return.
async fn fixture(store: std::sync::Arc<dyn Store>) -> Vec<String> {
    let mut w = Writer::new(store.clone()).await;
    type Steps = Vec<(&'static str, Command, &'static str)>;
    fn start() -> Steps {
        vec![("city", accept(), "03T09:30:00"), ("city", dispatch("urban"), "03T10:00:00")]
    }
    fn done(handled: &'static str, verified: &'static str, rating: Rating, rated: &'static str) -> Steps {
        let mut s = start();
        s.extend([
            ("handler", Command::Claim, "03T11:00:00"),
            ("handler", handle(), handled),
            ("city", verify(), verified),
            ("city", rate(rating), rated),
        ]);
        s
    }
    let c1 = w.case(T1, 1, done("04T10:00:00", "04T11:00:00", Rating::Satisfied, "05T09:00:00")).await;
    let c2 = w.case(T1, 2, done("12T10:00:00", "12T11:00:00", Rating::BasicallySatisfied, "13T09:00:00")).await;
    let c3 = w.case(T1, 3, done("04T10:00:00", "04T11:00:00", Rating::Unsatisfied, "05T09:00:00")).await;
    let returned = |accepted: bool| -> Steps {
        let comment = (!accepted).then(|| "属于供水职责".to_string());
        vec![
            ("city", accept(), "03T09:30:00"),
            ("city", dispatch("water"), "03T10:00:00"),
            ("plumber", Command::Return { reason: "不属于供水".into() }, "03T12:00:00"),
            ("city", Command::ReviewReturn { accepted, comment }, "03T14:00:00"),
        ]
    };
    let c4 = w.case(T2, 4, returned(false)).await;
    let c5 = w.case(T2, 5, start()).await;
    let c6 = w.case(T2, 6, vec![("gridder", Command::CloseOnSpot { evidence: "当场劝离".into(), attachments: vec![] }, "03T09:20:00")]).await;
    let c7 = w.case(T2, 7, returned(true)).await;
    store.import_cases(&w.out).await.unwrap();
    vec![c1, c2, c3, c4, c5, c6, c7]
}

fn row<'a>(e: &'a Value, id: &str) -> &'a Value {
    e["rows"].as_array().unwrap().iter().find(|r| r["unit"]["id"] == id).unwrap_or_else(|| panic!("no row {id}: {e}"))
}

fn counts(v: &Value) -> [u64; 10] {
    ["dispatched", "responded", "due", "on_time", "closed", "resolved", "rated", "satisfied", "reopened", "returned"].map(|k| v["counts"][k].as_u64().unwrap())
}

fn rates(v: &Value) -> [Option<f64>; 6] {
    ["response", "on_time", "resolution", "satisfaction", "reopen", "return"].map(|k| v["rates"][k].as_f64())
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

backend_test! {
    async fn the_fixture_month_gives_the_hand_computed_figures(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        store
            .put_department(&Department { id: "water".into(), name: "水务集团".into(), name_en: "Water".into(), area: AreaCode::parse("3710").unwrap(), categories: vec![] })
            .await
            .unwrap();
        let codes = fixture(store.clone()).await;
        // A fixture month is small: every rate on one case or more counts as the unit's own.
        let config = ServerConfig { rank_rules: RankRules { min_cases: 1 }, ..ServerConfig::default() };
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), config));
        let leader = login(&app, "leader", "civicgrid").await.1.unwrap();

        // By department. urban: 4 dispatched (C1, C2, C3, C5), 3 claimed; due 4, on time 2 (C1,
        // C3; C2 handled late, C5 never); closed 3, resolved 2 (C3 reopened); rated 3, satisfied
        // 2 (满意, 基本满意). water: 2 dispatched and answered (C4, C7); C4's refused return
        // counts, its deadline passed unhandled; C7's accepted return does not.
        let (s, e) = call(&app, "GET", &format!("/api/v1/evaluation?{MARCH}&by=department"), Some(&leader), None).await;
        assert_eq!(s, 200, "{b}: {e}");
        assert_eq!((e["period"]["from"].as_str(), e["period"]["to"].as_str(), e["by"].as_str()), (Some("2025-03-01"), Some("2025-03-31"), Some("department")));
        let urban = row(&e, "urban");
        assert_eq!(counts(urban), [4, 3, 4, 2, 3, 2, 3, 2, 1, 0], "{b}: {urban}");
        let r = rates(urban);
        assert!(close(r[0], 0.75) && close(r[1], 0.5) && close(r[2], 2.0 / 3.0) && close(r[3], 2.0 / 3.0) && close(r[4], 1.0 / 3.0) && close(r[5], 0.0), "{b}: {r:?}");
        // 0.15·0.75 + 0.30·0.5 + 0.20·⅔ + 0.25·⅔ + 0.05·(1 − ⅓) + 0.05·1 = 0.645833…
        assert_eq!(urban["score"].as_f64(), Some(64.58), "{b}");
        assert_eq!(urban["rank"], 1, "{b}");
        // Handling: 24 h (C1), 216 h (C2), 24 h (C3); the centre's steps are not the department's.
        assert_eq!(urban["avg_hours"], json!({"accept": null, "dispatch": null, "handle": 88.0, "verify": null}), "{b}");
        let water = row(&e, "water");
        assert_eq!(counts(water), [2, 2, 1, 0, 0, 0, 0, 0, 0, 1], "{b}: {water}");
        // Rates water lacks count at everyone's level (issue 25 finding 6; they used to be left
        // out, which scored it 0): 0.15·1 + 0.30·0 + 0.20·⅔ + 0.25·⅔ + 0.05·(1 − ⅓) + 0.05·(1 − ½).
        assert_eq!((rates(water), water["score"].as_f64(), water["rank"].as_u64()), ([Some(1.0), Some(0.0), None, None, None, Some(0.5)], Some(50.83), Some(2)), "{b}");
        assert_eq!(water["thin"], json!(["resolution", "satisfaction", "reopen"]), "{b}");
        assert_eq!(e["rules"], json!({"min_cases": 1}), "{b}");
        assert!(e["computed_at"].as_str().is_some_and(|t| t.starts_with("20")), "{b}: {e}");
        assert_eq!(water["unit"]["name"], "水务集团", "{b}");
        assert_eq!(counts(&e["total"]), [6, 5, 5, 2, 3, 2, 3, 2, 1, 1], "{b}: the rows' sum");
        assert_eq!(
            e["weights"],
            json!({"response": 0.15, "on_time": 0.3, "resolution": 0.2, "satisfaction": 0.25, "reopen": 0.05, "return": 0.05,
                   "accuracy": 0.0, "suspension": 0.0, "first_fix": 0.0, "participation": 0.0}),
            "{b}"
        );
        // Beside the six: urban's first-time fixes (C3 was reopened) and ratings given.
        assert_eq!((urban["counts"]["first_fix"].as_u64(), urban["counts"]["participated"].as_u64()), (Some(2), Some(3)), "{b}");
        // The period ended long ago: its follow-up windows have passed.
        assert_eq!((e["provisional"].as_bool(), e["final_at"].as_str()), (Some(false), Some("2025-04-07T16:00:00Z")), "{b}");

        // By town, in 环翠区. T1: all three responded, 2 of 3 on time; T2: C4 answered, returned
        // and late, C5 not taken up and late, C6 closed on the spot and stood, C7 answered.
        let (_, e) = call(&app, "GET", &format!("/api/v1/evaluation?{MARCH}&by=town&area=371002"), Some(&leader), None).await;
        let t1 = row(&e, T1);
        assert_eq!(counts(t1), [3, 3, 3, 2, 3, 2, 3, 2, 1, 0], "{b}: {t1}");
        assert_eq!(t1["avg_hours"], json!({"accept": 0.5, "dispatch": 0.5, "handle": 88.0, "verify": 1.0}), "{b}");
        // 0.15 + 0.05 + (0.30 + 0.20 + 0.25 + 0.05)·⅔ = 0.7333…
        assert_eq!(t1["score"].as_f64(), Some(73.33), "{b}");
        let t2 = row(&e, T2);
        assert_eq!(counts(t2), [3, 2, 2, 0, 1, 1, 0, 0, 0, 1], "{b}: {t2}");
        // No rating: its 满意率 counts at the district's ⅔ (issue 25 finding 6; it used to be left
        // out and its weight shared): 0.15·⅔ + 0.30·0 + 0.20·1 + 0.25·⅔ + 0.05·1 + 0.05·(1 − ⅓).
        assert_eq!((t2["score"].as_f64(), t2["rates"]["satisfaction"].as_f64()), (Some(55.0), None), "{b}");
        assert_eq!((t2["counts"]["participated"].as_u64(), t2["rates"]["participation"].as_f64()), (Some(0), Some(0.0)), "{b}: C6 unrated");
        assert_eq!((t1["rank"].as_u64(), t2["rank"].as_u64()), (Some(1), Some(2)), "{b}");
        assert_eq!(t1["unit"]["name"], "环翠楼街道", "{b}");
        let quiet: Vec<&Value> = e["rows"].as_array().unwrap().iter().filter(|r| r["unit"]["id"] != T1 && r["unit"]["id"] != T2).collect();
        assert!(!quiet.is_empty() && quiet.iter().all(|r| r["rank"].is_null() && counts(r) == [0; 10]), "{b}: the district's other towns are listed, unranked");
        assert_eq!(e["area"]["code"], "371002", "{b}");

        // By person: the urban handler took up C1–C3; the water handler sent C4 and C7 back (C4
        // wrongly); the grid worker's closure on the spot stood. C5, never answered, names nobody.
        // The dispatcher's 派单准确率: C7 of his six dispatches was a wrong dispatch.
        let (_, e) = call(&app, "GET", &format!("/api/v1/evaluation?{MARCH}&by=worker"), Some(&leader), None).await;
        let by_name = |n: &str| e["rows"].as_array().unwrap().iter().find(|r| r["unit"]["name"] == n).unwrap_or_else(|| panic!("{n}: {e}")).clone();
        assert_eq!(counts(&by_name("handler")), [3, 3, 3, 2, 3, 2, 3, 2, 1, 0], "{b}");
        assert_eq!(counts(&by_name("plumber")), [2, 2, 0, 0, 0, 0, 0, 0, 0, 1], "{b}");
        assert_eq!(counts(&by_name("gridder")), [0, 0, 0, 0, 1, 1, 0, 0, 0, 0], "{b}");
        let city = by_name("city");
        assert_eq!((city["counts"]["sent"].as_u64(), city["counts"]["accurate"].as_u64(), city["rank"].as_u64()), (Some(6), Some(5), None), "{b}");
        assert_eq!(e["rows"].as_array().unwrap().len(), 4, "{b}");

        // April saw nothing of these cases; February neither.
        let (_, e) = call(&app, "GET", "/api/v1/evaluation?from=2025-04-01&to=2025-04-30&by=department", Some(&leader), None).await;
        assert_eq!(counts(&e["total"]), [0; 10], "{b}");

        // The cases behind urban's 按期办结率: the late C2 and C5; behind its 重办率, C3.
        let drill = |q: String| {
            let app = app.clone();
            let leader = leader.clone();
            async move { call(&app, "GET", &format!("/api/v1/evaluation/cases?{MARCH}&{q}"), Some(&leader), None).await }
        };
        let (s, late) = drill("by=department&unit=urban&metric=on_time&outcome=miss".into()).await;
        assert_eq!(s, 200, "{b}: {late}");
        let got: Vec<&str> = late["items"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        assert_eq!((late["count"].as_u64(), got), (Some(2), vec![codes[4].as_str(), codes[1].as_str()]), "{b}: newest code first");
        assert_eq!(late["items"][0]["category"]["name"], "私搭乱建", "{b}");
        let (_, reopened) = drill("by=department&unit=urban&metric=reopen&outcome=hit".into()).await;
        assert_eq!(reopened["items"][0]["code"].as_str(), Some(codes[2].as_str()), "{b}");
        let (_, all) = drill("by=town&unit=371002002&metric=response".into()).await;
        assert_eq!(all["count"], 3, "{b}: outcome defaults to all");

        // The method in force, readable by the assessed: its version is the one the figures carry.
        let plumber = login(&app, "plumber", "civicgrid").await.1.unwrap();
        let (s, m) = call(&app, "GET", "/api/v1/evaluation/method", Some(&plumber), None).await;
        assert_eq!(s, 200, "{b}: {m}");
        assert_eq!((m["title"].as_str(), m["rank_rules"]["min_cases"].as_u64()), (Some("考核办法"), Some(1)), "{b}");
        assert_eq!(m["rates"].as_array().unwrap().len(), 10, "{b}");
        assert_eq!(m["rates"][1]["weight"], 0.3, "{b}");
        assert_eq!(m["version"], e["method_version"], "{b}");
        let (s, _) = call(&app, "GET", "/api/v1/evaluation/method", None, None).await;
        assert_eq!(s, 401, "{b}");

        // With the shipped minimum of five cases, no unit of this month is ranked on so little.
        let strict = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let token = login(&strict, "leader", "civicgrid").await.1.unwrap();
        let (_, e) = call(&strict, "GET", &format!("/api/v1/evaluation?{MARCH}&by=department"), Some(&token), None).await;
        let urban = row(&e, "urban");
        assert_eq!((urban["rank"].as_u64(), urban["score"].as_f64()), (None, None), "{b}: listed, not ranked");
        let (_, m) = call(&strict, "GET", "/api/v1/evaluation/method", Some(&token), None).await;
        assert_eq!(m["version"], e["method_version"], "{b}");
        assert_ne!(m["version"], method_version(&app, &leader).await, "{b}: another minimum, another version");
        assert_eq!(counts(urban), [4, 3, 4, 2, 3, 2, 3, 2, 1, 0], "{b}: its figures are still shown");

        // The Excel workbook carries the same figures.
        let (status, bytes, ctype) = download(&app, &leader, &format!("/api/v1/evaluation/export.xlsx?{MARCH}&by=department")).await;
        assert_eq!(status, 200, "{b}");
        assert!(ctype.contains("spreadsheetml"), "{b}: {ctype}");
        let (_, e) = call(&app, "GET", &format!("/api/v1/evaluation?{MARCH}&by=department"), Some(&leader), None).await;
        check_workbook(&bytes, &e);
    }
}

async fn method_version(app: &axum::Router, token: &str) -> Value {
    call(app, "GET", "/api/v1/evaluation/method", Some(token), None).await.1["version"].clone()
}

async fn download(app: &axum::Router, token: &str, uri: &str) -> (u16, Vec<u8>, String) {
    use tower::ServiceExt;
    let req = axum::http::Request::builder().uri(uri).header("authorization", format!("Bearer {token}")).body(axum::body::Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec(), ctype)
}

fn cell(r: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    r.get((row, col)).cloned().unwrap_or(Data::Empty)
}

/// Each API figure in the ranking sheet (rates as fractions, blank "—" where none) and the
/// counts sheet; the title, period and units lines.
fn check_workbook(bytes: &[u8], e: &Value) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX file");
    assert_eq!(book.sheet_names(), ["考核排名", "考核明细"]);
    let rank = book.worksheet_range("考核排名").unwrap();
    assert_eq!(cell(&rank, 0, 0), Data::String("考核评价排名（职能部门）".into()));
    let line = cell(&rank, 1, 0).to_string();
    assert!(line.contains("考核期间：2025-03-01 至 2025-03-31") && line.contains("威海市"), "{line}");
    assert!(cell(&rank, 2, 0).to_string().starts_with("单位：比率 %"), "units line");
    assert_eq!(cell(&rank, 4, 4), Data::String("响应率（%）".into()));
    let metrics = ["response", "on_time", "resolution", "satisfaction", "reopen", "return", "accuracy", "suspension", "first_fix", "participation"];
    assert_eq!(cell(&rank, 4, 13), Data::String("参评率（%）".into()));
    assert_eq!(cell(&rank, 4, 16), Data::String("处置用时（小时）".into()), "the hours after the ten rates");
    let rows = e["rows"].as_array().unwrap();
    for (i, r) in rows.iter().enumerate() {
        let at = 5 + i;
        assert_eq!(cell(&rank, at, 2), Data::String(r["unit"]["id"].as_str().unwrap().into()), "row {at}");
        assert_eq!(cell(&rank, at, 1), Data::String(r["unit"]["name"].as_str().unwrap().into()));
        match r["rank"].as_u64() {
            Some(n) => assert_eq!(cell(&rank, at, 0), Data::Float(n as f64)),
            None => assert_eq!(cell(&rank, at, 0), Data::String("—".into())),
        }
        assert_eq!(cell(&rank, at, 3), r["score"].as_f64().map_or(Data::String("—".into()), Data::Float));
        for (j, m) in metrics.iter().enumerate() {
            let want = r["rates"][m].as_f64().map_or(Data::String("—".into()), Data::Float);
            assert_eq!(cell(&rank, at, 4 + j), want, "{} {m}", r["unit"]["id"]);
        }
        assert_eq!(cell(&rank, at, 16), r["avg_hours"]["handle"].as_f64().map_or(Data::String("—".into()), Data::Float));
    }
    let total = 5 + rows.len();
    assert_eq!(cell(&rank, total, 1), Data::String("合计".into()));
    assert_eq!(cell(&rank, total, 5), Data::Float(e["total"]["rates"]["on_time"].as_f64().unwrap()));

    let sheet = book.worksheet_range("考核明细").unwrap();
    assert!(cell(&sheet, 2, 0).to_string().starts_with("单位：件"));
    let heads = ["派遣", "响应", "退单", "应办结", "按期办结", "办结", "解决", "重办", "评价", "满意", "派单", "派单准确", "挂起", "一次办结", "参评"];
    let keys = [
        "dispatched", "responded", "returned", "due", "on_time", "closed", "resolved", "reopened", "rated", "satisfied", "sent", "accurate", "suspended",
        "first_fix", "participated",
    ];
    for (j, h) in heads.iter().enumerate() {
        assert_eq!(cell(&sheet, 4, 2 + j), Data::String((*h).into()));
    }
    for (i, r) in rows.iter().chain(std::iter::once(&e["total"])).enumerate() {
        for (j, k) in keys.iter().enumerate() {
            assert_eq!(cell(&sheet, 5 + i, 2 + j), Data::Float(r["counts"][k].as_f64().unwrap()), "counts row {i} {k}");
        }
    }
}

backend_test! {
    async fn a_wrong_question_is_refused_naming_what_is_wrong(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([5; 32]), ServerConfig::default()));
        let (leader, town, handler) = (
            login(&app, "leader", "civicgrid").await.1.unwrap(),
            login(&app, "town", "civicgrid").await.1.unwrap(),
            login(&app, "handler", "civicgrid").await.1.unwrap(),
        );
        for (uri, field, says) in [
            ("/api/v1/evaluation?by=street", "by", "unknown value `street`"),
            ("/api/v1/evaluation?from=2025-03-31&to=2025-03-01", "to", "ends (2025-03-01) before it starts"),
            ("/api/v1/evaluation?from=2025-03-01", "to", "give the last day"),
            ("/api/v1/evaluation?from=2025-13-01&to=2025-12-31", "from", "not a day"),
            ("/api/v1/evaluation?from=2024-01-01&to=2025-06-30", "to", "at most 366"),
            ("/api/v1/evaluation?area=99", "area", "no area"),
            ("/api/v1/evaluation?weights=on_time:-1", "weights", "0 or more"),
            ("/api/v1/evaluation?month=3", "month", "unknown query parameter"),
            ("/api/v1/evaluation/cases?metric=on_time", "unit", "unit is required"),
            ("/api/v1/evaluation/cases?unit=urban&metric=speed", "metric", "unknown value"),
            ("/api/v1/evaluation/cases?unit=urban&metric=on_time&outcome=late", "outcome", "unknown value"),
            ("/api/v1/evaluation/export.xlsx?by=everyone", "by", "unknown value"),
        ] {
            let (s, e) = call(&app, "GET", uri, Some(&leader), None).await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{b} {uri}: {e}");
            assert!(e["error"]["message"].as_str().unwrap().contains(says), "{b} {uri}: {e}");
        }
        let (s, e) = call(&app, "GET", "/api/v1/evaluation?area=371002002", Some(&town), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("area")), "{b}: another town is outside his area: {e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("outside your area"), "{b}");
        let (s, e) = call(&app, "GET", "/api/v1/evaluation", Some(&town), None).await;
        assert_eq!((s, e["area"]["code"].as_str()), (200, Some(T1)), "{b}: his own area, this month by default");
        // A department reads the departments' ranking, and the cases behind its own figures only.
        let (s, e) = call(&app, "GET", "/api/v1/evaluation", Some(&handler), None).await;
        assert_eq!((s, e["by"].as_str()), (200, Some("department")), "{b}: {e}");
        assert!(e["rows"].as_array().unwrap().iter().any(|r| r["unit"]["id"] == "urban"), "{b}: its own row");
        assert_eq!(call(&app, "GET", "/api/v1/evaluation?by=town", Some(&handler), None).await.0, 403, "{b}: departments only");
        assert_eq!(call(&app, "GET", "/api/v1/evaluation/cases?unit=urban&metric=on_time", Some(&handler), None).await.0, 200, "{b}");
        assert_eq!(call(&app, "GET", "/api/v1/evaluation/cases?unit=water&metric=on_time", Some(&handler), None).await.0, 403, "{b}");
        assert_eq!(call(&app, "GET", "/api/v1/evaluation/export.xlsx", Some(&handler), None).await.0, 403, "{b}: no export");
        assert_eq!(call(&app, "GET", "/api/v1/evaluation", None, None).await.0, 401, "{b}");
        // Weights of the question: only on-time counts.
        let (_, e) = call(&app, "GET", "/api/v1/evaluation?weights=on_time:2", Some(&leader), None).await;
        assert_eq!(e["weights"]["on_time"], 1.0, "{b}: scaled to 1");
    }
}
