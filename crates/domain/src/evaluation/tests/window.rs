//! The follow-up window (回访期), first-time fixes, 参评率 and the default rating, 挂起率, and
//! which town a case counts for.

use super::*;

fn march_1_to_4() -> Period {
    Period::parse("2025-03-01", "2025-03-04").unwrap()
}

fn march_5_on() -> Period {
    Period::parse("2025-03-05", "2025-03-31").unwrap()
}

fn facts_as_of(s: &Story, period: &Period, rules: &CountRules, as_of: &str) -> CaseFacts {
    CaseFacts::of(&s.log, period, EvalBy::Department, t(as_of), rules)
}

fn counts_of(f: &CaseFacts) -> Counts {
    tally_units([f], &[]).get("urban").copied().unwrap_or_default().figures().counts
}

/// Issue 25 finding 4: closed on the 4th, rated unsatisfied (and so reopened) on the 5th. The
/// closing period takes the reopening; the next period does not see it again.
#[test]
fn a_reopening_in_the_window_counts_for_the_closing_period() {
    let s = closed_on_time().rated(Rating::Unsatisfied, "2025-03-05T09:00:00");
    let first = figures(&[&s], EvalBy::Department, &march_1_to_4(), "urban");
    assert_eq!((first.counts.closed, first.counts.resolved, first.counts.reopened, first.counts.first_fix), (1, 0, 1, 0));
    assert_eq!((first.counts.rated, first.counts.satisfied, first.counts.participated), (1, 0, 1));
    let second = figures(&[&s], EvalBy::Department, &march_5_on(), "urban");
    assert_eq!((second.counts.closed, second.counts.reopened, second.counts.rated), (0, 0, 0));
    // Before the rating came, the first period read resolved: provisional until the window ends.
    let early = facts_as_of(&s, &march_1_to_4(), &CountRules::default(), "2025-03-05T08:00:00");
    assert_eq!((counts_of(&early).resolved, counts_of(&early).participated), (1, 0));
    // Outside a one-day window the rating is too late to count against the closure.
    let short = CountRules { follow_up_days: 1, ..CountRules::default() };
    let late = closed_on_time().rated(Rating::Unsatisfied, "2025-03-06T09:00:00");
    let f = facts_as_of(&late, &march_1_to_4(), &short, "2030-01-01T00:00:00");
    assert_eq!((counts_of(&f).resolved, counts_of(&f).reopened, counts_of(&f).rated), (1, 0, 0));
}

/// Issue 25 finding 4: a failed verification counted nowhere; now it costs 一次办结率.
#[test]
fn a_failed_verification_costs_the_first_time_fix() {
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .handled("2025-03-04T10:00:00")
        .act(&town(), Command::Verify { passed: false, comment: Some("未清理干净".into()) }, "2025-03-04T11:00:00")
        .handled("2025-03-05T10:00:00")
        .verified("2025-03-05T11:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.closed, f.counts.resolved, f.counts.first_fix), (1, 1, 0));
    assert_eq!(f.rates.first_fix, Some(0.0));
    let f = figures(&[&closed_on_time()], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.closed, f.counts.first_fix), (1, 1));
}

/// Issue 25 finding 5: an unrated closure is visible in 参评率; "default satisfied" is off
/// unless configured, and then counts it satisfied once its days have passed.
#[test]
fn unrated_closures_show_in_participation_and_default_satisfied_is_opt_in() {
    let s = closed_on_time();
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.closed, f.counts.participated, f.counts.rated), (1, 0, 0));
    assert_eq!((f.rates.participation, f.rates.satisfaction), (Some(0.0), None));
    let on = CountRules { default_satisfied_days: Some(3), ..CountRules::default() };
    let f = facts_as_of(&s, &march(), &on, "2025-03-07T12:00:00");
    assert_eq!((counts_of(&f).rated, counts_of(&f).satisfied, counts_of(&f).participated), (1, 1, 0));
    let f = facts_as_of(&s, &march(), &on, "2025-03-06T12:00:00");
    assert_eq!(counts_of(&f).rated, 0, "not before its days have passed");
    assert!(on.validate("evaluation").is_ok());
    assert_eq!(CountRules { default_satisfied_days: Some(9), ..on }.validate("evaluation").unwrap_err().field(), Some("evaluation"));
    assert!(CountRules { follow_up_days: 0, ..on }.validate("evaluation").is_err());
}

/// Issue 25 finding 3: 挂起率 beside the six, for the unit whose handling was suspended, asked
/// for by the handler and granted by the centre.
#[test]
fn a_suspension_shows_in_the_suspension_rate() {
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&handler(), Command::RequestSuspension { reason: "等待材料".into() }, "2025-03-04T09:00:00")
        .act(&town(), Command::DecideSuspension { granted: true, reason: None }, "2025-03-04T10:00:00")
        .act(&town(), Command::Resume { note: None }, "2025-03-05T10:00:00")
        .handled("2025-03-06T10:00:00");
    let f = figures(&[&s, &closed_on_time()], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.dispatched, f.counts.suspended), (2, 1));
    assert_eq!(f.rates.suspension, Some(0.5));
    assert!(Metric::Suspension.lower_is_better());
}

/// Which town a case counts for is a rule: where it lies, or the centre responsible.
#[test]
fn towns_are_scored_on_their_own_work_when_the_city_says_so() {
    // Escalated to the county (371002), which dispatches to its own department.
    let county = user("county", Role::DistrictDispatcher, "371002", None);
    let s = Story::reported("2025-03-03T09:00:00")
        .act(&town(), Command::Accept { note: None }, "2025-03-03T09:30:00")
        .act(&town(), Command::Escalate { reason: "需区级部门".into() }, "2025-03-03T10:00:00");
    let to = Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("371002") }, instructions: None };
    let s = s.act(&county, to, "2025-03-03T11:00:00").claimed("2025-03-03T12:00:00").handled("2025-03-04T10:00:00");
    let by_place = figures(&[&s], EvalBy::Town, &march(), "371002001");
    assert_eq!((by_place.counts.dispatched, by_place.counts.due), (1, 1));
    let rules = CountRules { town: Attribution::Responsibility, ..CountRules::default() };
    let f = CaseFacts::of(&s.log, &march(), EvalBy::Town, t("2030-01-01T00:00:00"), &rules);
    assert!(f.observations.iter().all(|o| o.metric != Metric::OnTime && o.metric != Metric::Response), "the county's work: {f:?}");
    // The town's own dispatch counts for it either way.
    let f = CaseFacts::of(&closed_on_time().log, &march(), EvalBy::Town, t("2030-01-01T00:00:00"), &rules);
    assert!(f.observations.iter().any(|o| o.metric == Metric::OnTime && o.unit == "371002001"), "{f:?}");
}

/// Handled while an extension asked for in time waits for its decision: judged by the deadline
/// asked for, so neither a slow decision nor a quick handling escapes the count.
#[test]
fn handled_while_an_extension_waits_is_judged_by_the_deadline_asked_for() {
    let asked = |handled: &str| {
        Story::reported("2025-03-03T09:00:00")
            .dispatched("urban")
            .claimed("2025-03-03T11:00:00")
            .act(&handler(), Command::RequestExtension { until: t("2025-03-14T10:00:00"), reason: "需协调".into() }, "2025-03-07T09:00:00")
            .handled(handled)
    };
    let f = figures(&[&asked("2025-03-11T10:00:00")], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 1));
    let f = figures(&[&asked("2025-03-17T10:00:00")], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0));
}

/// A return sent back before the deadline and refused after it: late, dated at the refusal, so
/// the lateness counts in the period it became known rather than in one already closed.
#[test]
fn lateness_awaiting_a_decision_is_dated_at_the_decision() {
    let s = super::returned(Story::reported("2025-03-03T09:00:00").dispatched("urban"), "urban", "2025-03-05T09:00:00");
    let s = super::reviewed(s, false, "2025-03-12T09:00:00");
    let first = Period::parse("2025-03-01", "2025-03-10").unwrap();
    let second = Period::parse("2025-03-11", "2025-03-31").unwrap();
    assert_eq!(figures(&[&s], EvalBy::Department, &first, "urban").counts.due, 0);
    let f = figures(&[&s], EvalBy::Department, &second, "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0));
}

/// A return waiting for review when the case goes up counts against nobody; a suspension of a
/// dispatch that proves wrong is not the unit's; a return drops a pending extension, so the
/// deadline judges the handling once the return is refused.
#[test]
fn what_a_return_under_review_leaves_behind() {
    let s = super::returned(Story::reported("2025-03-03T09:00:00").dispatched("urban"), "urban", "2025-03-04T09:00:00");
    let up = s.act(&town(), Command::Escalate { reason: "需上级协调".into() }, "2025-03-04T10:00:00");
    assert_eq!(figures(&[&up], EvalBy::Worker, &march(), "town").counts.accurate, 1, "not a wrong dispatch");
    assert_eq!(figures(&[&up], EvalBy::Department, &march(), "urban").counts.returned, 0);

    let s = super::returned(Story::reported("2025-03-03T09:00:00").dispatched("urban"), "urban", "2025-03-04T09:00:00")
        .act(&town(), Command::Suspend { reason: "等待核实".into() }, "2025-03-04T10:00:00")
        .act(&town(), Command::Resume { note: None }, "2025-03-05T10:00:00");
    let wrong = super::reviewed(s, true, "2025-03-05T11:00:00");
    let f = figures(&[&wrong], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.dispatched, f.counts.suspended), (1, 0));

    let asked = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .act(&handler(), Command::RequestExtension { until: t("2025-03-20T10:00:00"), reason: "需协调".into() }, "2025-03-07T09:00:00");
    let back = super::reviewed(super::returned(asked, "urban", "2025-03-07T10:00:00"), false, "2025-03-08T10:00:00");
    assert!(back.case.pending_extension.is_none());
    let f = figures(&[&back], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0), "due on the 10th with no extension pending any more");
}

/// With the default rating on, a rating after its days but within the window still counts as
/// given (参评率); 满意率 took the default by then.
#[test]
fn a_late_rating_within_the_window_is_still_participation() {
    let s = closed_on_time().rated(Rating::Unsatisfied, "2025-03-09T09:00:00");
    let on = CountRules { default_satisfied_days: Some(3), ..CountRules::default() };
    let f = facts_as_of(&s, &march(), &on, "2030-01-01T00:00:00");
    let c = counts_of(&f);
    assert_eq!((c.participated, c.rated, c.satisfied), (1, 1, 1));
    assert_eq!(c.resolved, 0, "unsatisfied within the window: not resolved");
}

/// A dispatch the centre takes back before anyone claims it (撤回) was never the department's:
/// no response, no lateness; the dispatcher's 派单准确率 takes it. Lateness fixed before it
/// (the deadline passed unclaimed) stands, as before a return.
#[test]
fn a_recalled_dispatch_is_the_dispatchers_alone() {
    let recalled = |at: &str| Story::reported("2025-03-03T09:00:00").dispatched("water").act(&town(), Command::Recall { reason: "派错部门".into() }, at);
    let s = recalled("2025-03-05T09:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.due), (0, 0), "{f:?}");
    let w = figures(&[&s], EvalBy::Worker, &march(), "town");
    assert_eq!((w.counts.sent, w.counts.accurate), (1, 0));
    let f = figures(&[&recalled("2025-03-12T09:00:00")], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.due, f.counts.on_time), (0, 1, 0));
}

/// A deadline the centre sets (调整时限) counts like a granted extension: set before the
/// deadline it replaces, it judges the handling; set after, the lateness stands.
#[test]
fn a_deadline_the_centre_sets_counts_only_if_set_in_time() {
    let set = |at: &str| {
        Story::reported("2025-03-03T09:00:00")
            .dispatched("urban")
            .claimed("2025-03-03T11:00:00")
            .act(&town(), Command::SetDeadline { until: t("2025-03-20T10:00:00"), reason: "领导批示".into() }, at)
            .handled("2025-03-14T10:00:00")
    };
    let f = figures(&[&set("2025-03-07T09:00:00")], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 1));
    let f = figures(&[&set("2025-03-12T09:00:00")], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0), "due on the 10th, judged late then");
}
