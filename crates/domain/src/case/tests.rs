use super::*;
use crate::location::LocatedBy;
use crate::kit::checked_step;
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet, VecDeque};

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn user(id: &str, role: Role, scope: &str, dept: Option<&str>) -> Actor {
    Actor::User { id: id.into(), username: id.into(), role, scope: code(scope), department: dept.map(Into::into) }
}

const VILLAGE: &str = "371002001001";

fn actors() -> Vec<Actor> {
    vec![
        user("city", Role::DistrictDispatcher, "3710", None),
        user("town", Role::TownDispatcher, "371002001", None),
        user("community", Role::CommunityAdmin, VILLAGE, None),
        user("worker", Role::GridWorker, VILLAGE, None),
        user("handler", Role::DepartmentHandler, "3710", Some("urban")),
        user("handler2", Role::DepartmentHandler, "3710", Some("water")),
        user("leader", Role::Leader, "3710", None),
        user("resident", Role::Resident, "37", None),
        user("outsider", Role::TownDispatcher, "371002002", None),
        Actor::Reporter,
        Actor::Public,
    ]
}

/// A normal 0101 subclass handled by towns: the category the domain's tests report in.
pub(crate) fn category() -> Category {
    Category {
        code: CategoryCode::parse("0101").unwrap(),
        name: "暴露垃圾".into(),
        name_en: "Exposed rubbish".into(),
        parent: CategoryCode::parse("01").ok(),
        priority: Priority::Normal,
        handling_level: AreaLevel::Town,
    }
}

fn t0() -> DateTime<Utc> {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn new_case(reporter: &Actor) -> Case {
    let input = NewCaseInput { description: "路边垃圾堆积".into(), ..Default::default() };
    let new = NewCase::validate(input, &category(), code(VILLAGE)).unwrap();
    Case::report(Uuid::now_v7(), CaseCode::new(t0(), 1), new, AreaLevel::Town, reporter, t0()).unwrap().0
}

/// One sample command per action, with variants for the branching ones.
fn commands() -> Vec<Command> {
    let other = Uuid::now_v7();
    vec![
        Command::Accept { note: None },
        Command::Reject { reason: "非平台事项".into() },
        Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("3710") }, instructions: Some("速办".into()) },
        Command::Dispatch { to: DispatchTarget::Department { id: "water".into(), area: code("3710") }, instructions: None },
        Command::Dispatch { to: DispatchTarget::Area(code(VILLAGE)), instructions: None },
        Command::Claim,
        Command::Return { reason: "非本部门职责".into() },
        Command::ReviewReturn { accepted: true, comment: None },
        Command::ReviewReturn { accepted: false, comment: Some("属于本部门职责".into()) },
        Command::RequestExtension { until: t0() + chrono::Duration::days(30), reason: "需要采购".into() },
        Command::DecideExtension { granted: true, reason: None },
        Command::DecideExtension { granted: false, reason: Some("不符合条件".into()) },
        Command::Handle { feedback: "已清理".into(), attachments: vec!["a.jpg".into()] },
        Command::Verify { passed: true, comment: None },
        Command::Verify { passed: false, comment: Some("未清理干净".into()) },
        Command::Rate { rating: Rating::Satisfied, comment: None },
        Command::Rate { rating: Rating::Unsatisfied, comment: Some("又堆上了".into()) },
        Command::Escalate { reason: "需要多部门".into() },
        Command::Supervise { instruction: "限期办结".into() },
        Command::Merge { into: other, into_code: CaseCode::new(t0(), 2) },
        Command::Suspend { reason: "等待天气".into() },
        Command::RequestSuspension { reason: "等待材料".into() },
        Command::DecideSuspension { granted: true, reason: None },
        Command::DecideSuspension { granted: false, reason: Some("不符合挂起条件".into()) },
        Command::Resume { note: None },
        Command::CloseOnSpot { evidence: "已当场处理".into(), attachments: vec![] },
        Command::Instruct { note: "请高度重视".into() },
        Command::Reopen { reason: "居民不满意".into() },
        Command::Reclassify { category: CategoryCode::parse("0102").unwrap(), priority: Priority::High, reason: "实为垃圾满溢".into() },
        Command::Recall { reason: "派错部门".into() },
        Command::SetDeadline { until: t0() + chrono::Duration::days(3), reason: "领导批示限期".into() },
        Command::Locate {
            area: code(VILLAGE),
            grid: Some(GridCode::parse(&format!("{VILLAGE}001")).unwrap()),
            location: None,
            note: Some("电话核实".into()),
        },
    ]
}

/// The specification of legal transitions, written independently of `permits`.
fn legal(from: CaseState, action: Action, to: CaseState) -> bool {
    use CaseState as S;
    let open = from.is_open();
    match action {
        Action::Accept => from == S::Reported && to == S::Accepted,
        Action::Reject => from == S::Reported && to == S::Rejected,
        Action::Dispatch => matches!(from, S::Accepted | S::Dispatched) && to == S::Dispatched,
        Action::Claim => from == S::Dispatched && to == S::InProgress,
        Action::Return => matches!(from, S::Dispatched | S::InProgress) && to == S::Returned,
        Action::ReviewReturn => from == S::Returned && matches!(to, S::Accepted | S::Dispatched | S::InProgress),
        Action::RequestSuspension => matches!(from, S::Dispatched | S::InProgress) && to == from,
        Action::DecideSuspension => matches!(from, S::Dispatched | S::InProgress) && (to == from || to == S::Suspended),
        Action::RequestExtension | Action::DecideExtension => matches!(from, S::Dispatched | S::InProgress) && to == from,
        Action::Handle => from == S::InProgress && to == S::Handled,
        Action::Verify => from == S::Handled && matches!(to, S::Closed | S::InProgress),
        Action::Rate => from == S::Closed && to == S::Rated,
        Action::Reopen => from == S::Rated && to == S::Accepted,
        Action::Escalate => open && (to == S::Accepted || (from == S::Reported && to == S::Reported)),
        Action::Supervise => open && to == from,
        Action::Merge => matches!(from, S::Reported | S::Accepted | S::Returned) && to == S::Merged,
        Action::Suspend => matches!(from, S::Accepted | S::Dispatched | S::InProgress | S::Returned) && to == S::Suspended,
        Action::Resume => from == S::Suspended && matches!(to, S::Accepted | S::Dispatched | S::InProgress | S::Returned),
        Action::CloseOnSpot => from == S::Reported && to == S::Closed,
        Action::Instruct => to == from,
        Action::Locate => open && to == from,
        Action::Reclassify => {
            matches!(from, S::Reported | S::Accepted | S::Dispatched | S::InProgress | S::Returned | S::Suspended) && to == from
        }
        Action::Recall => from == S::Dispatched && to == S::Accepted,
        Action::SetDeadline => matches!(from, S::Reported | S::Accepted | S::Returned | S::Dispatched | S::InProgress | S::Handled) && to == from,
    }
}

#[test]
fn full_loop_from_report_to_rating() {
    let all = actors();
    let (city, handler, reporter) = (&all[0], &all[4], &Actor::Reporter);
    let mut c = new_case(&Actor::Public);
    assert_eq!(c.owner_area.as_str(), "371002001", "a town-level category is owned by the town");
    let now = t0();
    c.execute(city, Command::Accept { note: None }, now).unwrap();
    c.execute(city, Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("3710") }, instructions: None }, now).unwrap();
    assert_eq!(c.allowed_actions(handler), vec![Action::Claim, Action::Return, Action::RequestExtension, Action::RequestSuspension]);
    c.execute(handler, Command::Claim, now).unwrap();
    assert_eq!(c.handler_user_id.as_deref(), Some("handler"));
    c.execute(handler, Command::Handle { feedback: "done".into(), attachments: vec![] }, now).unwrap();
    c.execute(city, Command::Verify { passed: true, comment: None }, now).unwrap();
    assert_eq!(c.state, CaseState::Closed);
    c.execute(reporter, Command::Rate { rating: Rating::Satisfied, comment: None }, now).unwrap();
    assert_eq!(c.state, CaseState::Rated);
    assert_eq!(c.version, 7);
}

#[test]
fn scope_and_role_are_enforced() {
    let all = actors();
    let c = new_case(&Actor::Public);
    let outsider = &all[8];
    let err = c.decide(outsider, Command::Accept { note: None }, t0()).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    // The community admin does not run the town's queue.
    assert!(c.permits(&all[2], Action::Accept).is_err());
    // A handler cannot accept; an illegal state answers illegal_transition.
    assert!(c.permits(&all[4], Action::Accept).is_err());
    let err = c.decide(&all[0], Command::Claim, t0()).unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    // The other department cannot claim what was sent to "urban".
    let mut c = c;
    c.execute(&all[0], Command::Accept { note: None }, t0()).unwrap();
    c.execute(&all[0], Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("3710") }, instructions: None }, t0()).unwrap();
    assert_eq!(c.decide(&all[5], Command::Claim, t0()).unwrap_err().code(), "forbidden");
}

#[test]
fn dispatch_refuses_wrong_targets() {
    let all = actors();
    let mut c = new_case(&Actor::Public);
    let town = &all[1];
    c.execute(town, Command::Accept { note: None }, t0()).unwrap();
    // A town cannot send to a city department: it must escalate.
    let err = c.decide(town, Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("3710") }, instructions: None }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("department"));
    // Not a level on the way to the case.
    let err = c.decide(town, Command::Dispatch { to: DispatchTarget::Area(code("371002001002")), instructions: None }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("area"));
    c.execute(town, Command::Dispatch { to: DispatchTarget::Area(code(VILLAGE)), instructions: None }, t0()).unwrap();
    // The community may claim it or dispatch again below itself... but nothing is below a village.
    assert!(c.allowed_actions(&all[2]).contains(&Action::Claim));
}

#[test]
fn escalation_climbs_one_level_and_stops_at_the_city() {
    let all = actors();
    let city = &all[0];
    let mut c = new_case(&Actor::Public);
    c.execute(city, Command::Accept { note: None }, t0()).unwrap();
    c.execute(city, Command::Escalate { reason: "x".into() }, t0()).unwrap();
    assert_eq!(c.owner_area.as_str(), "371002");
    c.execute(city, Command::Escalate { reason: "x".into() }, t0()).unwrap();
    assert_eq!(c.owner_area.as_str(), "3710");
    let err = c.decide(city, Command::Escalate { reason: "x".into() }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("action"));
}

#[test]
fn free_text_limits_name_the_field() {
    let all = actors();
    let c = new_case(&Actor::Public);
    let err = c.decide(&all[0], Command::Reject { reason: "  ".into() }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let err = c.decide(&all[0], Command::Reject { reason: "x".repeat(1001) }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let input = NewCaseInput { description: "y".repeat(4001), ..Default::default() };
    assert_eq!(NewCase::validate(input, &category(), code(VILLAGE)).unwrap_err().field(), Some("description"));
}

#[test]
fn every_state_is_reachable() {
    let all = actors();
    let start = new_case(&all[3]);
    let mut seen: HashSet<CaseState> = HashSet::new();
    let mut queue = VecDeque::from([start]);
    let mut visited: HashSet<String> = HashSet::new();
    while let Some(c) = queue.pop_front() {
        seen.insert(c.state);
        let key = format!(
            "{:?}|{:?}|{}|{:?}|{:?}|{}|{}|{}",
            c.state,
            c.assignee,
            c.owner_area,
            c.pending_extension.is_some(),
            c.rating,
            c.suspended_from.is_some(),
            c.pending_suspension.is_some(),
            c.returned_from.is_some()
        );
        if !visited.insert(key) {
            continue;
        }
        for a in &all {
            for cmd in commands() {
                let mut next = c.clone();
                if next.execute(a, cmd, t0()).is_ok() {
                    queue.push_back(next);
                }
            }
        }
    }
    let missing: Vec<_> = CaseState::ALL.iter().filter(|s| !seen.contains(s)).collect();
    assert!(missing.is_empty(), "unreachable states: {missing:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_illegal_transition_is_ever_accepted(steps in prop::collection::vec((0usize..11, 0usize..32), 1..60)) {
        let all = actors();
        let cmds = commands();
        let mut c = new_case(&all[7]);
        let mut log = vec![];
        let mut taken = BTreeSet::new();
        for (a, k) in steps {
            let version = c.version;
            // The shared life-cycle check: in the table, offered to the actor, or nothing changed.
            let step = checked_step(&mut c, &all[a], cmds[k].clone(), t0(), legal);
            prop_assert!(step.is_ok(), "{}", step.unwrap_err());
            if let Ok(Some(e)) = step {
                prop_assert_eq!(e.seq, version + 1);
                taken.insert(cmds[k].action().as_str());
                log.push(e);
            }
        }
        // The log rebuilds the live state exactly.
        let first = CaseEvent { case_id: c.id, seq: 1, at: c.created_at, actor: all[7].to_ref(), kind: EventKind::Reported {
            code: c.code.clone(), case: c.report.clone(), owner_area: code("371002001"), reporter_user_id: Some("resident".into()) }, deadline: None };
        let mut events = vec![first];
        events.extend(log);
        prop_assert_eq!(Case::from_events(&events).unwrap(), c);
    }
}

#[test]
fn a_dispatcher_places_an_unconfirmed_report() {
    let all = actors();
    let (town, outsider) = (&all[1], &all[8]);
    let mut c = new_case(&Actor::Public);
    let mut fix = LocationFix::area_only(Some("地址匹配置信度 0.42".into()));
    fix.method = LocatedBy::Address;
    fix.needs_confirmation = true;
    c.report.located = Some(fix);
    assert!(c.needs_location_confirmation());
    assert_eq!(c.grid(), None);

    let grid = GridCode::parse("371002001002001").unwrap();
    // A grid outside the named area is refused, naming the field.
    let err = c
        .decide(town, Command::Locate { area: code(VILLAGE), grid: Some(grid.clone()), location: None, note: None }, t0())
        .unwrap_err();
    assert_eq!(err.field(), Some("grid"));
    // A dispatcher of another town neither sees nor places it.
    assert_eq!(
        c.decide(outsider, Command::Locate { area: code("371002002001"), grid: None, location: None, note: None }, t0())
            .unwrap_err()
            .code(),
        "forbidden"
    );
    // The town places it in a grid of another community of its own.
    let e = c
        .execute(
            town,
            Command::Locate { area: code("371002001002"), grid: Some(grid.clone()), location: None, note: Some("电话核实".into()) },
            t0(),
        )
        .unwrap();
    assert_eq!(e.kind.name(), "located");
    assert!(!e.kind.is_public());
    assert_eq!(c.area().as_str(), "371002001002");
    assert_eq!(c.grid(), Some(&grid));
    assert!(!c.needs_location_confirmation());
    assert_eq!(c.state, CaseState::Reported, "placing a case does not move it in the loop");
    // The community of the first area no longer sees it; the fold agrees with the live case.
    assert!(!c.visible_to(&all[2]));
    // Outside the town's own scope it may not place.
    let err = c.decide(town, Command::Locate { area: code("371002002"), grid: None, location: None, note: None }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("area"));
}
