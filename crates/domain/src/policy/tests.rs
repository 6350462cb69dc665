use super::*;
use crate::case::{DispatchTarget, NewCaseInput};
use crate::{AreaCode, CaseState, Role};

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn user(id: &str, role: Role, scope: &str, dept: Option<&str>) -> Actor {
    Actor::User { id: id.into(), username: id.into(), role, scope: code(scope), department: dept.map(Into::into) }
}

fn town() -> Actor {
    user("town", Role::TownDispatcher, "371002001", None)
}

fn handler() -> Actor {
    user("handler", Role::DepartmentHandler, "3710", Some("urban"))
}

/// A normal-priority 0101 case reported on Monday 2025-03-03 09:00 (China) in a village of
/// town 371002001, which owns it; and its first event.
fn report(p: &CasePolicy) -> (Case, CaseEvent) {
    let category = crate::case::tests::category();
    let input = NewCaseInput { description: "路边垃圾堆积".into(), ..Default::default() };
    let new = NewCase::validate(input, &category, code("371002001001")).unwrap();
    let at = t("2025-03-03T09:00:00+08:00");
    p.report(Uuid::now_v7(), CaseCode::new(at, 1), new, AreaLevel::Town, &Actor::Public, at).unwrap()
}

fn reported(p: &CasePolicy) -> Case {
    report(p).0
}

fn run(p: &CasePolicy, c: &mut Case, actor: &Actor, cmd: Command, at: &str) -> Vec<CaseEvent> {
    p.execute(c, actor, cmd, t(at)).unwrap()
}

fn dispatch() -> Command {
    Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("371002001") }, instructions: None }
}

/// Dispatched, claimed, handled on Tuesday and verified as done.
fn closed(p: &CasePolicy) -> Case {
    let mut c = dispatched(p);
    run(p, &mut c, &handler(), Command::Claim, "2025-03-03T11:00:00+08:00");
    run(p, &mut c, &handler(), Command::Handle { feedback: "已清理".into(), attachments: vec![] }, "2025-03-04T10:00:00+08:00");
    run(p, &mut c, &town(), Command::Verify { passed: true, comment: None }, "2025-03-04T11:00:00+08:00");
    c
}

/// Accepted at 09:30 and dispatched at 10:00 on Monday 2025-03-03.
fn dispatched(p: &CasePolicy) -> Case {
    let mut c = reported(p);
    run(p, &mut c, &town(), Command::Accept { note: None }, "2025-03-03T09:30:00+08:00");
    run(p, &mut c, &town(), dispatch(), "2025-03-03T10:00:00+08:00");
    c
}

#[test]
fn each_step_gets_its_deadline_as_it_starts() {
    let p = CasePolicy::shipped();
    let mut c = reported(&p);
    let d = c.deadline.clone().unwrap();
    assert_eq!((d.step, d.due), (Step::Accept, t("2025-03-03T11:00:00+08:00")), "2 working hours");

    let e = run(&p, &mut c, &town(), Command::Accept { note: None }, "2025-03-03T09:30:00+08:00");
    let d = e[0].deadline.clone().expect("accepting starts the dispatch step");
    assert_eq!((d.step, d.due), (Step::Dispatch, t("2025-03-03T15:00:00+08:00")), "4 working hours over lunch");

    let e = run(&p, &mut c, &town(), dispatch(), "2025-03-03T10:00:00+08:00");
    assert_eq!(e[0].deadline.as_ref().unwrap().due, t("2025-03-10T10:00:00+08:00"), "5 working days");

    let e = run(&p, &mut c, &handler(), Command::Claim, "2025-03-04T10:00:00+08:00");
    assert_eq!(e[0].deadline, None, "claiming runs on in the same step");
    assert_eq!(c.deadline.as_ref().unwrap().step, Step::Handle);

    let e = run(&p, &mut c, &handler(), Command::Handle { feedback: "已清理".into(), attachments: vec![] }, "2025-03-05T10:00:00+08:00");
    assert_eq!(e[0].deadline.as_ref().unwrap().step, Step::Verify);
    run(&p, &mut c, &town(), Command::Verify { passed: true, comment: None }, "2025-03-05T11:00:00+08:00");
    assert_eq!(c.state, CaseState::Closed);
    assert_eq!(c.deadline, None, "a closed case runs no step");
    assert!(p.timers(&c).is_empty());
}

#[test]
fn timers_follow_the_deadline() {
    let p = CasePolicy::shipped();
    let c = dispatched(&p);
    let timers = p.timers(&c);
    let kinds: Vec<_> = timers.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TimerKind::Warn, TimerKind::Overdue, TimerKind::Escalate]);
    assert_eq!(timers[1].at, t("2025-03-10T10:00:00+08:00"));
    assert_eq!(timers[2].at, t("2025-03-13T10:00:00+08:00"), "3 working days after the deadline");
    let quiet = CasePolicy { rules: Rules { escalate_overdue_days: None, ..Rules::default() }, ..CasePolicy::shipped() };
    assert_eq!(quiet.timers(&c).len(), 2);
}

#[test]
fn a_granted_extension_moves_the_deadline_and_its_timers() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    let until = t("2025-03-14T17:30:00+08:00");
    run(&p, &mut c, &handler(), Command::RequestExtension { until, reason: "需要采购".into() }, "2025-03-04T09:00:00+08:00");
    assert_eq!(c.deadline.as_ref().unwrap().due, t("2025-03-10T10:00:00+08:00"), "a request alone moves nothing");
    let e = run(&p, &mut c, &town(), Command::DecideExtension { granted: true, reason: None }, "2025-03-04T10:00:00+08:00");
    assert_eq!(e[0].deadline.as_ref().unwrap().due, until);
    assert!(p.timers(&c).iter().all(|t| t.due == until));
}

#[test]
fn a_suspension_stops_the_clock() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    run(&p, &mut c, &town(), Command::Suspend { reason: "等待天气".into() }, "2025-03-05T10:00:00+08:00");
    let d = c.deadline.clone().unwrap();
    assert_eq!(d.paused_at, Some(t("2025-03-05T10:00:00+08:00")));
    let kinds: Vec<_> = p.timers(&c).iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TimerKind::Resume], "no deadline timer runs while suspended, only the one that ends it");
    assert_eq!(d.card(t("2025-03-20T10:00:00+08:00")), None);
    run(&p, &mut c, &town(), Command::Resume { note: None }, "2025-03-07T10:00:00+08:00");
    let d = c.deadline.clone().unwrap();
    assert_eq!((c.state, d.step, d.paused_at), (CaseState::Dispatched, Step::Handle, None));
    assert_eq!(d.due, t("2025-03-12T10:00:00+08:00"), "two days later");
}

#[test]
fn timers_warn_then_mark_overdue_and_supervise() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    let timers = p.timers(&c);
    let e = p.fire(&mut c, &timers[0], timers[0].at);
    assert_eq!(e.len(), 1);
    assert!(matches!(e[0].kind, EventKind::DeadlineWarned { step: Step::Handle, .. }));
    assert_eq!(e[0].actor.kind, "system");
    let e = p.fire(&mut c, &timers[1], timers[1].at);
    assert_eq!(e.iter().map(|e| e.kind.name()).collect::<Vec<_>>(), ["overdue", "supervised"]);
    assert!(c.supervised);
    assert_eq!(c.deadline.as_ref().unwrap().card(timers[1].at), Some(crate::timelimit::Card::Red));
    // More than three working days late: one level up, and the dispatch step starts over there.
    let e = p.fire(&mut c, &timers[2], timers[2].at);
    assert_eq!(e.iter().map(|e| e.kind.name()).collect::<Vec<_>>(), ["escalated"]);
    assert_eq!((c.state, c.owner_area.as_str()), (CaseState::Accepted, "371002"));
    assert_eq!(c.deadline.as_ref().unwrap().step, Step::Dispatch);
    // The old timers are stale now.
    assert!(p.fire(&mut c, &timers[1], timers[2].at).is_empty());
    assert_eq!(Case::from_events(&all_events(&p)).map(|c| c.deadline.is_some()), Some(true));
}

/// A whole log written under the policy, to check that folding it gives the live case back.
fn all_events(p: &CasePolicy) -> Vec<CaseEvent> {
    let (mut c, first) = report(p);
    let mut log = vec![first];
    log.extend(run(p, &mut c, &town(), Command::Accept { note: None }, "2025-03-03T09:30:00+08:00"));
    log.extend(run(p, &mut c, &town(), dispatch(), "2025-03-03T10:00:00+08:00"));
    log.extend(run(p, &mut c, &town(), Command::Suspend { reason: "雨".into() }, "2025-03-04T10:00:00+08:00"));
    log.extend(run(p, &mut c, &town(), Command::Resume { note: None }, "2025-03-05T10:00:00+08:00"));
    let timers = p.timers(&c);
    log.extend(p.fire(&mut c, &timers[1], timers[1].at));
    assert_eq!(Case::from_events(&log).as_ref(), Some(&c));
    log
}

#[test]
fn two_accepted_returns_go_up_a_level() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    let accept = || Command::ReviewReturn { accepted: true, comment: None };
    run(&p, &mut c, &handler(), Command::Return { reason: "非本部门职责".into() }, "2025-03-03T11:00:00+08:00");
    let e = run(&p, &mut c, &town(), accept(), "2025-03-03T11:30:00+08:00");
    assert_eq!(e.len(), 1, "once is no reason yet");
    run(&p, &mut c, &town(), dispatch(), "2025-03-03T14:00:00+08:00");
    run(&p, &mut c, &handler(), Command::Return { reason: "仍非本部门职责".into() }, "2025-03-03T15:00:00+08:00");
    let e = run(&p, &mut c, &town(), accept(), "2025-03-03T15:30:00+08:00");
    assert_eq!(e.iter().map(|e| e.kind.name()).collect::<Vec<_>>(), ["return_reviewed", "escalated"]);
    assert_eq!(e[1].actor.kind, "system");
    assert_eq!(c.owner_area.as_str(), "371002");
    assert_eq!(c.deadline.as_ref().unwrap().step, Step::Dispatch);
}

#[test]
fn a_refused_return_goes_back_with_its_deadline_running() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    run(&p, &mut c, &handler(), Command::Claim, "2025-03-03T10:30:00+08:00");
    let handle_due = c.deadline.as_ref().unwrap().due;
    run(&p, &mut c, &handler(), Command::Return { reason: "非本部门职责".into() }, "2025-03-03T11:00:00+08:00");
    assert_eq!(c.state, CaseState::Returned);
    assert_eq!(c.deadline.as_ref().unwrap().step, Step::Dispatch, "the centre's review runs against the dispatch limit");
    assert_eq!(c.decide(&town(), dispatch(), t("2025-03-03T11:10:00+08:00")).unwrap_err().code(), "illegal_transition", "review first");
    let refuse = Command::ReviewReturn { accepted: false, comment: None };
    assert_eq!(p.execute(&mut c.clone(), &town(), refuse, t("2025-03-03T11:20:00+08:00")).unwrap_err().field(), Some("comment"));
    let e = run(&p, &mut c, &town(), Command::ReviewReturn { accepted: false, comment: Some("属于本部门职责".into()) }, "2025-03-04T09:00:00+08:00");
    assert_eq!(c.state, CaseState::InProgress);
    assert_eq!(c.handler_user_id.as_deref(), Some("handler"), "back with the one who claimed it");
    assert_eq!(c.deadline.as_ref().unwrap().due, handle_due, "the review did not stop the clock");
    assert_eq!(e[0].deadline.as_ref().map(|d| d.due), Some(handle_due));
    assert_eq!(c.return_count, 0, "a refused return is no wrong dispatch");
}

#[test]
fn extensions_are_limited_in_number_and_length() {
    let p = CasePolicy { rules: Rules { max_extensions: Some(1), max_extension_days: Some(10), ..Rules::default() }, ..CasePolicy::shipped() };
    let mut c = dispatched(&p);
    let due = c.deadline.as_ref().unwrap().due;
    let ask = |days: i64| Command::RequestExtension { until: due + chrono::Duration::days(days), reason: "需协调".into() };
    let e = p.execute(&mut c.clone(), &handler(), ask(11), t("2025-03-04T09:00:00+08:00")).unwrap_err();
    assert_eq!(e.field(), Some("until"));
    assert!(e.to_string().contains("10 days"), "{e}");
    run(&p, &mut c, &handler(), ask(4), "2025-03-04T09:00:00+08:00");
    run(&p, &mut c, &town(), Command::DecideExtension { granted: true, reason: None }, "2025-03-04T10:00:00+08:00");
    assert_eq!(c.extensions_granted, 1);
    assert_eq!(c.extension_seconds, 4 * 86_400);
    let e = p.execute(&mut c.clone(), &handler(), ask(6), t("2025-03-05T09:00:00+08:00")).unwrap_err();
    assert!(e.to_string().contains("1 extensions"), "{e}");
}

#[test]
fn a_requested_suspension_waits_for_the_centre_and_ends_by_itself() {
    let p = CasePolicy { rules: Rules { max_suspension_days: Some(5), ..Rules::default() }, ..CasePolicy::shipped() };
    let mut c = dispatched(&p);
    run(&p, &mut c, &handler(), Command::RequestSuspension { reason: "等待材料".into() }, "2025-03-04T09:00:00+08:00");
    assert_eq!(c.state, CaseState::Dispatched, "asking does not stop the clock");
    assert!(c.deadline.as_ref().unwrap().paused_at.is_none());
    assert_eq!(c.decide(&handler(), Command::DecideSuspension { granted: true, reason: None }, t("2025-03-04T09:10:00+08:00")).unwrap_err().code(), "forbidden");
    run(&p, &mut c, &town(), Command::DecideSuspension { granted: true, reason: None }, "2025-03-04T10:00:00+08:00");
    assert_eq!(c.state, CaseState::Suspended);
    let timers = p.timers(&c);
    assert_eq!(timers.len(), 1);
    assert_eq!((timers[0].kind, timers[0].at), (TimerKind::Resume, t("2025-03-09T10:00:00+08:00")));
    let e = p.fire(&mut c, &timers[0], timers[0].at);
    assert_eq!(e.iter().map(|e| e.kind.name()).collect::<Vec<_>>(), ["resumed"]);
    assert_eq!(c.state, CaseState::Dispatched);
    assert!(p.fire(&mut c, &timers[0], timers[0].at).is_empty(), "a resumed case's timer is stale");
}

#[test]
fn an_unsatisfied_rating_goes_back_for_redispatch() {
    let p = CasePolicy::shipped();
    let mut c = closed(&p);
    let e = run(&p, &mut c, &Actor::Reporter, Command::Rate { rating: Rating::Unsatisfied, comment: None }, "2025-03-04T12:00:00+08:00");
    assert_eq!(e.iter().map(|e| e.kind.name()).collect::<Vec<_>>(), ["rated", "reopened"]);
    assert_eq!(c.state, CaseState::Accepted);
    assert_eq!(c.deadline.as_ref().unwrap().step, Step::Dispatch);
    let off = CasePolicy { rules: Rules { redo_unsatisfied: false, ..Rules::default() }, ..CasePolicy::shipped() };
    let mut c = closed(&off);
    let e = run(&off, &mut c, &Actor::Reporter, Command::Rate { rating: Rating::Unsatisfied, comment: None }, "2025-03-04T12:00:00+08:00");
    assert_eq!(e.len(), 1, "the rule is off");
}

#[test]
fn a_failed_verification_starts_the_handling_over() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    run(&p, &mut c, &handler(), Command::Claim, "2025-03-03T11:00:00+08:00");
    run(&p, &mut c, &handler(), Command::Handle { feedback: "已清理".into(), attachments: vec![] }, "2025-03-04T10:00:00+08:00");
    let e = run(&p, &mut c, &town(), Command::Verify { passed: false, comment: Some("没扫干净".into()) }, "2025-03-04T11:00:00+08:00");
    let d = e[0].deadline.clone().unwrap();
    assert_eq!((d.step, d.started), (Step::Handle, t("2025-03-04T11:00:00+08:00")));
}

#[test]
fn a_reclassified_case_runs_its_step_under_the_new_limit_and_a_dispatch_can_be_taken_back() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    let d = c.deadline.clone().unwrap();
    assert_eq!(d.due, t("2025-03-10T10:00:00+08:00"), "five working days for 0101, normal");
    let urgent = Command::Reclassify { category: crate::CategoryCode::parse("0102").unwrap(), priority: crate::Priority::Urgent, reason: "紧急".into() };
    let e = run(&p, &mut c, &town(), urgent, "2025-03-03T10:30:00+08:00");
    assert_eq!(e[0].kind.name(), "reclassified");
    let again = c.deadline.clone().unwrap();
    assert_eq!((again.step, again.started), (Step::Handle, d.started), "the same step, from when it began");
    assert_eq!(again.due, t("2025-03-03T12:00:00+08:00"), "two natural hours for an urgent case");
    assert_eq!((c.report.category.as_str(), c.report.priority), ("0102", crate::Priority::Urgent));
    let same = Command::Reclassify { category: crate::CategoryCode::parse("0102").unwrap(), priority: crate::Priority::Urgent, reason: "x".into() };
    assert_eq!(p.execute(&mut c.clone(), &town(), same, t("2025-03-03T10:40:00+08:00")).unwrap_err().field(), Some("category"));
    assert_eq!(c.decide(&handler(), Command::Recall { reason: "x".into() }, t("2025-03-03T10:40:00+08:00")).unwrap_err().code(), "forbidden");
    run(&p, &mut c, &town(), Command::Recall { reason: "派错部门".into() }, "2025-03-03T10:45:00+08:00");
    assert_eq!((c.state, c.assignee.clone(), c.deadline.as_ref().unwrap().step), (CaseState::Accepted, None, Step::Dispatch));
    run(&p, &mut c, &town(), dispatch(), "2025-03-03T10:50:00+08:00");
    run(&p, &mut c, &handler(), Command::Claim, "2025-03-03T11:00:00+08:00");
    assert_eq!(c.decide(&town(), Command::Recall { reason: "x".into() }, t("2025-03-03T11:10:00+08:00")).unwrap_err().code(), "illegal_transition", "claimed: too late to take back");
}

#[test]
fn the_centre_sets_a_deadline_with_a_reason() {
    let p = CasePolicy::shipped();
    let mut c = dispatched(&p);
    let until = t("2025-03-05T17:00:00+08:00");
    assert_eq!(c.decide(&handler(), Command::SetDeadline { until, reason: "x".into() }, t("2025-03-03T11:00:00+08:00")).unwrap_err().code(), "forbidden");
    let e = run(&p, &mut c, &town(), Command::SetDeadline { until, reason: "领导批示：限期两日".into() }, "2025-03-03T11:00:00+08:00");
    assert_eq!((e[0].kind.name(), e[0].deadline.as_ref().map(|d| d.due)), ("deadline_set", Some(until)));
    assert!(p.timers(&c).iter().all(|t| t.due == until), "the timers watch the new deadline");
    let past = Command::SetDeadline { until: t("2025-03-03T10:00:00+08:00"), reason: "x".into() };
    assert_eq!(c.decide(&town(), past, t("2025-03-03T11:30:00+08:00")).unwrap_err().field(), Some("until"));
}
