//! An independent check of 考核 on both backends: random case histories (returns accepted and
//! refused, extensions asked for before and after the deadline, suspensions asked for and
//! imposed, escalations, failed verifications, reopenings, ratings early and late) are scored
//! by a small scorer written here from the published method (考核办法, `docs/architecture.md`
//! §15), and its counts must equal the API's, department by department, and the dispatcher's.
//!
//! The scorer shares no code with `civicgrid_domain::evaluation`: it reads the raw events and
//! applies the method's sentences one by one.

use civicgrid_store::backend_test;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use civicgrid_domain::{
    Action, Actor, AreaCode, AreaLevel, Assignee, Case, CaseCode, CaseEvent, Command, Department, DispatchTarget, EventKind, NewCase,
    NewCaseInput, Rating, Role, Step,
};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

mod support;
use support::{call, login};

const ACCOUNTS: [support::Account<'static>; 4] = [
    ("city", Role::DistrictDispatcher, "3710", None),
    ("handler", Role::DepartmentHandler, "3710", Some("urban")),
    ("plumber", Role::DepartmentHandler, "3710", Some("water")),
    ("leader", Role::Leader, "3710", None),
];

/// The published follow-up window (回访期), in days: the default configuration.
const WINDOW_DAYS: i64 = 7;

fn china(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().with_timezone(&Utc)
}

/// Some random histories of 0101 cases reported in March 2025 in a village of 环翠区, owned by
/// the county centre (so one escalation is possible), the city dispatcher running both centres.
fn histories(store: &dyn Store, cat: &civicgrid_domain::Category, actors: &HashMap<String, Actor>, seed: u64) -> Vec<(Case, Vec<CaseEvent>)> {
    let policy = store.policy();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for seq in 1..=80u64 {
        let mut at = china(2025, 3, 1) + Duration::minutes(rng.gen_range(0..29 * 24 * 60));
        let input = NewCaseInput { description: "楼道堆放杂物".into(), ..Default::default() };
        let new = NewCase::validate(input, cat, AreaCode::parse("371002001001").unwrap()).unwrap();
        let (mut case, first) = policy.report(uuid::Uuid::now_v7(), CaseCode::new(at, seq), new, AreaLevel::County, &Actor::Public, at).unwrap();
        let mut log = vec![first];
        for _ in 0..rng.gen_range(4..24) {
            at += Duration::minutes(rng.gen_range(20..4 * 24 * 60));
            // Every (person, action) the case allows now, the loop's next steps weighed more.
            let mut choices: Vec<(&str, Action)> = Vec::new();
            for who in ["city", "handler", "plumber"] {
                for a in case.allowed_actions(&actors[who]) {
                    let weight = match a {
                        Action::Supervise | Action::Instruct | Action::Locate | Action::Merge | Action::Reject => 0,
                        Action::Accept | Action::Dispatch | Action::Claim | Action::Handle | Action::Verify | Action::Rate => 4,
                        _ => 1,
                    };
                    choices.extend(std::iter::repeat_n((who, a), weight));
                }
            }
            if choices.is_empty() {
                break;
            }
            let (who, action) = choices[rng.gen_range(0..choices.len())];
            let Some(cmd) = command(action, &case, &mut rng, at) else { continue };
            // Refusals (an extension over the limits) are part of the game: skip them.
            if let Ok(events) = policy.execute(&mut case, &actors[who], cmd, at) {
                log.extend(events);
            }
        }
        out.push((case, log));
    }
    out
}

/// A random command for `action` on `case` at `at`.
fn command(action: Action, case: &Case, rng: &mut StdRng, at: DateTime<Utc>) -> Option<Command> {
    let note = |s: &str| Some(s.to_string());
    Some(match action {
        Action::Accept => Command::Accept { note: None },
        Action::Dispatch => {
            let id = if rng.gen_bool(0.5) { "urban" } else { "water" };
            Command::Dispatch { to: DispatchTarget::Department { id: id.into(), area: AreaCode::parse("3710").unwrap() }, instructions: None }
        }
        Action::Claim => Command::Claim,
        Action::Return => Command::Return { reason: "非本部门职责".into() },
        Action::ReviewReturn => {
            let accepted = rng.gen_bool(0.5);
            Command::ReviewReturn { accepted, comment: if accepted { None } else { note("属于本部门职责") } }
        }
        Action::RequestExtension => {
            // Before or after the deadline, for one to twelve days past it.
            let due = case.deadline.as_ref().map_or(at, |d| d.due).max(at);
            Command::RequestExtension { until: due + Duration::days(rng.gen_range(1..12)), reason: "需协调".into() }
        }
        Action::DecideExtension => Command::DecideExtension { granted: rng.gen_bool(0.7), reason: None },
        Action::Handle => Command::Handle { feedback: "已处理".into(), attachments: vec![] },
        Action::Verify => {
            let passed = rng.gen_bool(0.7);
            Command::Verify { passed, comment: if passed { None } else { note("未处理到位") } }
        }
        Action::Rate => {
            let rating = [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Unsatisfied][rng.gen_range(0..3)];
            Command::Rate { rating, comment: None }
        }
        Action::Escalate => Command::Escalate { reason: "需上级协调".into() },
        Action::Suspend => Command::Suspend { reason: "等待天气".into() },
        Action::RequestSuspension => Command::RequestSuspension { reason: "等待材料".into() },
        Action::DecideSuspension => Command::DecideSuspension { granted: rng.gen_bool(0.6), reason: None },
        Action::Resume => Command::Resume { note: None },
        Action::Reopen => Command::Reopen { reason: "群众不满意".into() },
        Action::Recall => Command::Recall { reason: "派错部门".into() },
        Action::SetDeadline => Command::SetDeadline { until: at + Duration::hours(rng.gen_range(1..200)), reason: "领导批示".into() },
        _ => return None,
    })
}

/// Counts per rate, as the API names them: numerator and denominator.
type Counts = BTreeMap<&'static str, (u64, u64)>;

/// One occasion: the unit, the rate, in the numerator or not.
struct Occ {
    unit: String,
    rate: &'static str,
    hit: bool,
}

fn dept(a: &Option<Assignee>) -> Option<String> {
    match a {
        Some(Assignee::Department { id }) => Some(id.clone()),
        _ => None,
    }
}

/// Ends a dispatch's life: handled, dispatched again, a return accepted, or the case gone.
fn ends_dispatch(k: &EventKind) -> bool {
    matches!(
        k,
        EventKind::Handled { .. }
            | EventKind::Dispatched { .. }
            | EventKind::ReturnReviewed { accepted: true, .. }
            | EventKind::Recalled { .. }
            | EventKind::Escalated { .. }
            | EventKind::Merged { .. }
            | EventKind::Rejected { .. }
            | EventKind::Reopened { .. }
    )
}

/// The method's occasions of one case for [start, end), by department (`by_dispatcher` false)
/// or by the dispatcher (true, 派单准确率 only).
fn occasions(log: &[CaseEvent], start: DateTime<Utc>, end: DateTime<Utc>, by_dispatcher: bool) -> Vec<Occ> {
    let read = log.iter().take_while(|e| e.at < end + Duration::days(WINDOW_DAYS)).count();
    let log = &log[..read];
    if log.first().is_none_or(|e| e.at >= end) {
        return Vec::new();
    }
    let in_period = |t: DateTime<Utc>| start <= t && t < end;
    // The case as each event left it: who it was with.
    let mut states = Vec::with_capacity(log.len());
    let mut c = Case::from_events(&log[..1]).unwrap();
    states.push(c.clone());
    for e in &log[1..] {
        c.apply(e);
        states.push(c.clone());
    }
    let mut out = Vec::new();
    let mut push = |unit: Option<String>, rate, hit| {
        if let Some(unit) = unit {
            out.push(Occ { unit, rate, hit })
        }
    };
    for (i, e) in log.iter().enumerate().filter(|(_, e)| e.at < end) {
        match &e.kind {
            // 派遣: 响应 if claimed, sent back or handled in its life before the period's end;
            // 退单 if a return was refused; 挂起 if suspended (and not a wrong dispatch); 派单准确
            // unless a return was accepted.
            EventKind::Dispatched { to, .. } => {
                let life: Vec<&CaseEvent> = {
                    let rest = log[i + 1..].iter().filter(|x| x.at < end);
                    let mut v = Vec::new();
                    for x in rest {
                        v.push(x);
                        if ends_dispatch(&x.kind) {
                            break;
                        }
                    }
                    v
                };
                if !in_period(e.at) {
                    continue;
                }
                let any = |f: &dyn Fn(&EventKind) -> bool| life.iter().any(|x| f(&x.kind));
                // Taken back (撤回) or returned and accepted: the dispatcher's mistake.
                let wrong_dispatch = any(&|k| matches!(k, EventKind::ReturnReviewed { accepted: true, .. } | EventKind::Recalled { .. }));
                if by_dispatcher {
                    push(e.actor.user_id.clone(), "accuracy", !wrong_dispatch);
                    continue;
                }
                let unit = dept(&Some(to.clone()));
                let answered = any(&|k| matches!(k, EventKind::Claimed | EventKind::Returned { .. } | EventKind::Handled { .. }));
                if !answered && any(&|k| matches!(k, EventKind::Recalled { .. })) {
                    // Taken back before anyone answered: never the department's.
                    continue;
                }
                push(unit.clone(), "response", answered);
                push(unit.clone(), "return", any(&|k| matches!(k, EventKind::ReturnReviewed { accepted: false, .. })));
                let suspended = any(&|k| matches!(k, EventKind::Suspended { .. } | EventKind::SuspensionDecided { granted: true, .. }));
                push(unit, "suspension", suspended && !wrong_dispatch);
            }
            // 办结: judged over the follow-up window, cut short by the next closure.
            EventKind::Verified { passed: true, .. } | EventKind::ClosedOnSpot { .. } if in_period(e.at) && !by_dispatcher => {
                let unit = dept(&states[i].assignee);
                let until = e.at + Duration::days(WINDOW_DAYS);
                let after: Vec<&CaseEvent> = log[i + 1..]
                    .iter()
                    .take_while(|x| !matches!(x.kind, EventKind::Verified { passed: true, .. } | EventKind::ClosedOnSpot { .. }))
                    .filter(|x| x.at <= until)
                    .collect();
                let reopened = after.iter().any(|x| matches!(x.kind, EventKind::Reopened { .. }));
                let rating = after.iter().find_map(|x| match x.kind {
                    EventKind::Rated { rating, .. } => Some(rating),
                    _ => None,
                });
                let before = log[..i].iter().rev().take_while(|x| !matches!(x.kind, EventKind::Verified { passed: true, .. } | EventKind::ClosedOnSpot { .. }));
                let failed = before.clone().any(|x| matches!(x.kind, EventKind::Verified { passed: false, .. }));
                push(unit.clone(), "resolution", !reopened && rating != Some(Rating::Unsatisfied));
                push(unit.clone(), "reopen", reopened);
                push(unit.clone(), "first_fix", !failed && !reopened);
                push(unit.clone(), "participation", rating.is_some());
                if let Some(r) = rating {
                    push(unit, "satisfaction", r != Rating::Unsatisfied);
                }
            }
            _ => {}
        }
    }
    if !by_dispatcher {
        for (unit, hit, at) in handlings(log, &states, end) {
            if in_period(at) {
                push(Some(unit), "on_time", hit);
            }
        }
    }
    out
}

/// 按期办结: each handling (from a dispatch to a department, or a failed verification) with the
/// moment it is judged: handled by its deadline in force (on time, when handled), or late at
/// that deadline once it passed unhandled while the clock ran, no extension asked for before
/// it waited for its decision, and no return waited for review — dated at the decision if one
/// was awaited then. Handled while an extension waits, the deadline asked for judges it.
fn handlings(log: &[CaseEvent], states: &[Case], end: DateTime<Utc>) -> Vec<(String, bool, DateTime<Utc>)> {
    let mut out = Vec::new();
    let starts = log.iter().enumerate().filter(|(i, e)| {
        *i > 0 && e.at < end && matches!(e.kind, EventKind::Dispatched { .. } | EventKind::Verified { passed: false, .. }) && dept(&states[*i].assignee).is_some()
    });
    for (i, _) in starts {
        let unit = dept(&states[i].assignee).unwrap();
        let (mut due, mut paused, mut asked, mut review) = (None::<DateTime<Utc>>, None::<DateTime<Utc>>, false, false);
        let (mut asked_until, mut decided) = (None::<DateTime<Utc>>, None::<DateTime<Utc>>);
        let take_deadline = |k: usize, due: &mut Option<DateTime<Utc>>, paused: &mut Option<DateTime<Utc>>| {
            if let Some(d) = states[k].deadline.as_ref().filter(|d| d.step == Step::Handle) {
                *due = Some(d.due);
                *paused = d.paused_at;
            }
        };
        take_deadline(i, &mut due, &mut paused);
        let passed_unhandled =
            |t: DateTime<Utc>, due: Option<DateTime<Utc>>, paused: Option<DateTime<Utc>>, asked: bool, review: bool| {
                due.filter(|d| *d < t && !asked && !review && paused.is_none_or(|p| p > *d))
            };
        let mut verdict = None;
        let mut k = i + 1;
        loop {
            let next = log.get(k).filter(|x| x.at < end);
            let t = next.map_or(end, |x| x.at);
            if let Some(d) = passed_unhandled(t, due, paused, asked, review) {
                verdict = Some((false, decided.filter(|x| *x > d).unwrap_or(d)));
                break;
            }
            let Some(x) = next else { break };
            match &x.kind {
                EventKind::Handled { .. } => {
                    let limit = if asked { due.max(asked_until) } else { due };
                    verdict = limit.map(|d| (x.at <= d, x.at));
                    break;
                }
                EventKind::Dispatched { .. }
                | EventKind::Escalated { .. }
                | EventKind::Merged { .. }
                | EventKind::Rejected { .. }
                | EventKind::ReturnReviewed { accepted: true, .. }
                | EventKind::Recalled { .. } => break,
                // A return drops a pending extension request.
                EventKind::Returned { .. } => (review, asked) = (true, false),
                EventKind::ReturnReviewed { accepted: false, .. } => (review, decided) = (false, Some(x.at)),
                // Asked for after the deadline passed, the request changes nothing: the handling
                // was judged late above already.
                EventKind::ExtensionRequested { until, .. } => (asked, asked_until) = (true, Some(*until)),
                EventKind::ExtensionDecided { .. } => (asked, decided) = (false, Some(x.at)),
                _ => {}
            }
            take_deadline(k, &mut due, &mut paused);
            k += 1;
        }
        if let Some((hit, at)) = verdict {
            out.push((unit, hit, at));
        }
    }
    out
}

/// Sums occasions per unit and rate, a case counting once by its worst occasion.
fn tally(per_case: Vec<Vec<Occ>>) -> BTreeMap<String, Counts> {
    let lower_is_better = |r: &str| matches!(r, "reopen" | "return" | "suspension");
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for occs in per_case {
        let mut worst: BTreeMap<(String, &'static str), bool> = BTreeMap::new();
        for o in occs {
            let w = worst.entry((o.unit, o.rate)).or_insert(o.hit);
            *w = if lower_is_better(o.rate) { *w || o.hit } else { *w && o.hit };
        }
        for ((unit, rate), hit) in worst {
            let c = out.entry(unit).or_default().entry(rate).or_default();
            c.0 += u64::from(hit);
            c.1 += 1;
        }
    }
    out
}

/// The API's counts of a row, as (numerator, denominator) per rate.
fn api_counts(row: &Value) -> Counts {
    let n = |k: &str| row["counts"][k].as_u64().unwrap();
    [
        ("response", ("responded", "dispatched")),
        ("on_time", ("on_time", "due")),
        ("resolution", ("resolved", "closed")),
        ("satisfaction", ("satisfied", "rated")),
        ("reopen", ("reopened", "closed")),
        ("return", ("returned", "dispatched")),
        ("suspension", ("suspended", "dispatched")),
        ("first_fix", ("first_fix", "closed")),
        ("participation", ("participated", "closed")),
    ]
    .into_iter()
    .map(|(rate, (num, den))| (rate, (n(num), n(den))))
    .filter(|(_, (_, den))| *den > 0)
    .collect()
}

backend_test! {
    async fn random_histories_score_the_same_by_a_separate_reading_of_the_method(b: Backend) {
        let (store, _dir) = support::seeded_store(b, &ACCOUNTS).await;
        store
            .put_department(&Department { id: "water".into(), name: "水务集团".into(), name_en: "Water".into(), area: AreaCode::parse("3710").unwrap(), categories: vec![] })
            .await
            .unwrap();
        let cat = store.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0101").unwrap();
        let actors: HashMap<String, Actor> = store.users().await.unwrap().into_iter().map(|u| (u.username.clone(), u.actor())).collect();
        let cases = histories(store.as_ref(), &cat, &actors, 25);
        store.import_cases(&cases).await.unwrap();
        let kinds: std::collections::BTreeSet<&str> = cases.iter().flat_map(|(_, l)| l.iter().map(|e| e.kind.name())).collect();
        for k in ["return_reviewed", "extension_decided", "suspension_decided", "suspended", "escalated", "reopened", "rated", "recalled", "deadline_set"] {
            assert!(kinds.contains(k), "{b}: the random histories should exercise {k}: {kinds:?}");
        }

        let config = ServerConfig::default();
        let app = router(AppState::new(store.clone(), Cipher::from_bytes([7; 32]), config));
        let leader = login(&app, "leader", "civicgrid").await.1.unwrap();
        for (from, to) in [("2025-03-01", "2025-03-31"), ("2025-03-10", "2025-03-20"), ("2025-04-01", "2025-04-30")] {
            let start = china_day(from);
            let end = china_day(to) + Duration::days(1);
            let expected = tally(cases.iter().map(|(_, log)| occasions(log, start, end, false)).collect());
            let (s, e) = call(&app, "GET", &format!("/api/v1/evaluation?from={from}&to={to}&by=department"), Some(&leader), None).await;
            assert_eq!(s, 200, "{b}: {e}");
            for dept in ["urban", "water"] {
                let row = e["rows"].as_array().unwrap().iter().find(|r| r["unit"]["id"] == dept).unwrap();
                let want = expected.get(dept).cloned().unwrap_or_default();
                assert_eq!(api_counts(row), want, "{b}: {dept} {from}..{to}");
            }
            let expected = tally(cases.iter().map(|(_, log)| occasions(log, start, end, true)).collect());
            let (_, e) = call(&app, "GET", &format!("/api/v1/evaluation?from={from}&to={to}&by=worker"), Some(&leader), None).await;
            let Actor::User { id: city, .. } = &actors["city"] else { unreachable!("an account") };
            let got = e["rows"].as_array().unwrap().iter().find(|r| r["unit"]["id"] == city.as_str()).map(|r| (r["counts"]["accurate"].as_u64().unwrap(), r["counts"]["sent"].as_u64().unwrap()));
            let want = expected.get(city.as_str()).and_then(|c| c.get("accuracy").copied());
            assert_eq!(got, want, "{b}: the dispatcher's 派单准确率 {from}..{to}");
        }
    }
}

fn china_day(s: &str) -> DateTime<Utc> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}
