use super::*;
use crate::case::{DispatchTarget, NewCaseInput};
use crate::{Actor, AreaCode, CaseCode, CasePolicy, CaseState, Command, NewCase, Role};
use uuid::Uuid;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{s}+08:00")).unwrap().with_timezone(&Utc)
}

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn user(id: &str, role: Role, scope: &str, dept: Option<&str>) -> Actor {
    Actor::User { id: id.into(), username: id.into(), role, scope: code(scope), department: dept.map(Into::into) }
}

fn town() -> Actor {
    user("town", Role::TownDispatcher, "371002001", None)
}

/// The handler of `urban` (h1) or of `water` (h2).
fn handler_of(dept: &str) -> Actor {
    user(if dept == "urban" { "h1" } else { "h2" }, Role::DepartmentHandler, "3710", Some(dept))
}

fn handler() -> Actor {
    handler_of("urban")
}

fn march() -> Period {
    Period::parse("2025-03-01", "2025-03-31").unwrap()
}

/// One case's log, written command by command at the times given (China time).
struct Story {
    policy: CasePolicy,
    case: Case,
    log: Vec<CaseEvent>,
}

impl Story {
    /// A normal 0101 case (5 working days to handle) reported in a village of town 371002001.
    fn reported(at: &str) -> Story {
        Story::reported_in("371002001001", at)
    }

    fn reported_in(village: &str, at: &str) -> Story {
        let policy = CasePolicy::shipped();
        let input = NewCaseInput { description: "路边垃圾堆积".into(), ..Default::default() };
        let new = NewCase::validate(input, &crate::case::tests::category(), code(village)).unwrap();
        let (case, first) = policy.report(Uuid::now_v7(), CaseCode::new(t(at), 1), new, AreaLevel::Town, &Actor::Public, t(at)).unwrap();
        Story { policy, case, log: vec![first] }
    }

    fn act(mut self, actor: &Actor, cmd: Command, at: &str) -> Story {
        let events = self.policy.execute(&mut self.case, actor, cmd, t(at)).unwrap();
        self.log.extend(events);
        self
    }

    /// Accepted at 09:30 and dispatched to `urban` at 10:00 on the report's day (Monday 3 March):
    /// handling is due five working days later, Monday 10 March 10:00.
    fn dispatched(self, dept: &str) -> Story {
        let town_code = self.case.area().at_level(AreaLevel::Town).unwrap();
        let to = Command::Dispatch { to: DispatchTarget::Department { id: dept.into(), area: town_code }, instructions: None };
        let dispatcher = user("town", Role::TownDispatcher, self.case.owner_area.as_str(), None);
        self.act(&dispatcher, Command::Accept { note: None }, "2025-03-03T09:30:00").act(&dispatcher, to, "2025-03-03T10:00:00")
    }

    /// The handler of the department the case is with.
    fn handler(&self) -> Actor {
        match &self.case.assignee {
            Some(Assignee::Department { id }) => handler_of(id),
            _ => handler(),
        }
    }

    fn claimed(self, at: &str) -> Story {
        let h = self.handler();
        self.act(&h, Command::Claim, at)
    }

    fn handled(self, at: &str) -> Story {
        let h = self.handler();
        self.act(&h, Command::Handle { feedback: "已清理".into(), attachments: vec![] }, at)
    }

    fn verified(self, at: &str) -> Story {
        let dispatcher = user("town", Role::TownDispatcher, self.case.owner_area.as_str(), None);
        self.act(&dispatcher, Command::Verify { passed: true, comment: None }, at)
    }

    fn rated(self, rating: Rating, at: &str) -> Story {
        self.act(&town(), Command::Rate { rating, comment: None }, at)
    }

    fn facts(&self, by: EvalBy, period: &Period) -> CaseFacts {
        CaseFacts::of(&self.log, period, by, t("2030-01-01T00:00:00"), &CountRules::default())
    }
}

/// The units' tallies over some cases' facts, `listed` units always among them.
fn tally_units<'a>(facts: impl IntoIterator<Item = &'a CaseFacts>, listed: &[String]) -> BTreeMap<String, Tally> {
    let mut t = Tallies::listing(listed);
    for f in facts {
        t.add(f);
    }
    t.into_units()
}

/// The figures of one unit over some stories.
fn figures(stories: &[&Story], by: EvalBy, period: &Period, unit: &str) -> Figures {
    let facts: Vec<CaseFacts> = stories.iter().map(|s| s.facts(by, period)).collect();
    tally_units(&facts, &[]).get(unit).copied().unwrap_or_default().figures()
}

fn closed_on_time() -> Story {
    Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .handled("2025-03-04T10:00:00")
        .verified("2025-03-04T11:00:00")
}

#[test]
fn a_period_is_whole_days_in_china_time() {
    let p = march();
    assert_eq!(p.start(), t("2025-03-01T00:00:00"));
    assert_eq!(p.end(), t("2025-04-01T00:00:00"));
    assert!(p.contains(t("2025-03-31T23:59:59")) && !p.contains(t("2025-04-01T00:00:00")));
    assert_eq!(Period::parse("2025-03-02", "2025-03-01").unwrap_err().field(), Some("to"));
    assert_eq!(Period::parse("2025-3-x", "2025-03-01").unwrap_err().field(), Some("from"));
    assert!(Period::parse("2024-01-01", "2024-12-31").is_ok(), "a leap year is 366 days");
    let e = Period::parse("2024-01-01", "2025-01-01").unwrap_err();
    assert!(e.to_string().contains("367 days"), "{e}");
    assert_eq!(Period::month_to_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), Period::parse("2026-11-01", "2026-11-23").unwrap());
}

#[test]
fn weights_are_scaled_to_one_and_bad_ones_are_named() {
    let w = Weights::parse("on_time:3, satisfaction:1", "weights").unwrap();
    assert_eq!((w.on_time, w.satisfaction, w.response), (0.75, 0.25, 0.0));
    let sum: f64 = Metric::ALL.iter().map(|m| Weights::default().get(*m)).sum();
    assert!((sum - 1.0).abs() < 1e-9, "the defaults sum to 1");
    for (bad, says) in [("speed:1", "unknown value `speed`"), ("on_time", "rate:weight"), ("on_time:x", "not a number"), ("on_time:-1", "0 or more"), ("on_time:0", "every weight is 0")] {
        let e = Weights::parse(bad, "weights").unwrap_err();
        assert_eq!(e.field(), Some("weights"), "{bad}");
        assert!(e.to_string().contains(says), "{bad}: {e}");
    }
}

#[test]
fn a_case_done_on_time_counts_in_every_rate_and_step() {
    let s = closed_on_time().rated(Rating::Satisfied, "2025-03-05T09:00:00");
    let f = figures(&[&s], EvalBy::Town, &march(), "371002001");
    assert_eq!(
        f.counts,
        Counts {
            dispatched: 1,
            responded: 1,
            due: 1,
            on_time: 1,
            closed: 1,
            resolved: 1,
            rated: 1,
            satisfied: 1,
            reopened: 0,
            returned: 0,
            sent: 1,
            accurate: 1,
            suspended: 0,
            first_fix: 1,
            participated: 1
        }
    );
    assert_eq!(f.rates.on_time, Some(1.0));
    assert_eq!(f.rates.reopen, Some(0.0));
    assert_eq!(f.avg_hours, StepHours { accept: Some(0.5), dispatch: Some(0.5), handle: Some(24.0), verify: Some(1.0) });
    // The department is judged on its own step only.
    let d = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!(d.counts, Counts { sent: 0, accurate: 0, ..f.counts }, "派单准确率 is the dispatcher's");
    assert_eq!(d.avg_hours, StepHours { handle: Some(24.0), ..Default::default() });
    // And the person who handled it.
    assert_eq!(figures(&[&s], EvalBy::Worker, &march(), "h1").counts, Counts { sent: 0, accurate: 0, ..f.counts });
    assert_eq!(figures(&[&s], EvalBy::Worker, &march(), "town").counts.sent, 1, "the dispatcher's dispatch");
    // In another month nothing happened.
    let april = Period::parse("2025-04-01", "2025-04-30").unwrap();
    assert_eq!(figures(&[&s], EvalBy::Town, &april, "371002001"), Figures::default());
}

#[test]
fn late_handling_counts_once_in_the_period_of_its_deadline() {
    // Due Monday 10 March 10:00, handled on the 11th.
    let s = Story::reported("2025-03-03T09:00:00").dispatched("urban").claimed("2025-03-03T11:00:00").handled("2025-03-11T10:00:00");
    let first = Period::parse("2025-03-01", "2025-03-10").unwrap();
    let second = Period::parse("2025-03-11", "2025-03-31").unwrap();
    let f = figures(&[&s], EvalBy::Department, &first, "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0), "late as its deadline passes");
    let f = figures(&[&s], EvalBy::Department, &second, "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (0, 0), "not again when handled");
    assert_eq!(f.avg_hours.handle, Some(8.0 * 24.0), "its handling time counts when handled");
    // Still open at the deadline, looked at before the handling: late.
    let open = Story::reported("2025-03-03T09:00:00").dispatched("urban").claimed("2025-03-03T11:00:00");
    let f = open.facts(EvalBy::Department, &march());
    assert_eq!(f.observations.iter().filter(|o| o.metric == Metric::OnTime).map(|o| o.hit).collect::<Vec<_>>(), [false]);
    // Before the deadline, an open case is not yet due.
    let early = CaseFacts::of(&open.log, &march(), EvalBy::Department, t("2025-03-07T12:00:00"), &CountRules::default());
    assert!(early.observations.iter().all(|o| o.metric != Metric::OnTime), "{early:?}");
}

#[test]
fn an_extension_and_a_suspension_move_the_deadline_handling_is_judged_by() {
    let until = t("2025-03-12T17:00:00");
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&handler(), Command::RequestExtension { until, reason: "需要采购".into() }, "2025-03-04T09:00:00")
        .act(&town(), Command::DecideExtension { granted: true, reason: None }, "2025-03-04T10:00:00")
        .handled("2025-03-11T10:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 1), "on time by the granted date");

    // Suspended 5–12 March: the deadline moves a week on, to 17 March.
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&town(), Command::Suspend { reason: "等待天气".into() }, "2025-03-05T10:00:00");
    let during = CaseFacts::of(&s.log, &march(), EvalBy::Department, t("2025-03-11T12:00:00"), &CountRules::default());
    assert!(during.observations.iter().all(|o| o.metric != Metric::OnTime), "the clock stands still: {during:?}");
    let s = s.act(&town(), Command::Resume { note: None }, "2025-03-12T10:00:00").handled("2025-03-14T10:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 1));
    assert_eq!(f.avg_hours.handle, Some(11.0 * 24.0 - 7.0 * 24.0), "the suspension is left out of its time");
}

fn returned(s: Story, dept: &str, at: &str) -> Story {
    s.act(&handler_of(dept), Command::Return { reason: "不属于本单位".into() }, at)
}

fn reviewed(s: Story, accepted: bool, at: &str) -> Story {
    let comment = (!accepted).then(|| "属于本单位职责".to_string());
    s.act(&town(), Command::ReviewReturn { accepted, comment }, at)
}

/// Issue 25 退单审核: a return the centre accepts is a wrong dispatch — the department answered,
/// is not late, has not returned wrongly; the dispatcher's accuracy takes it.
#[test]
fn an_accepted_return_is_the_dispatchers_not_the_departments() {
    let s = returned(Story::reported("2025-03-03T09:00:00").dispatched("water"), "water", "2025-03-03T12:00:00");
    let s = reviewed(s, true, "2025-03-12T12:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.responded, f.counts.returned, f.counts.due), (1, 1, 0, 0), "not late though reviewed after its deadline");
    assert_eq!((f.rates.response, f.rates.return_, f.rates.on_time), (Some(1.0), Some(0.0), None));
    let w = figures(&[&s], EvalBy::Worker, &march(), "town");
    assert_eq!((w.counts.sent, w.counts.accurate), (1, 0), "a wrong dispatch");
    assert_eq!(figures(&[&s], EvalBy::Worker, &march(), "h2").counts.dispatched, 1, "the person who sent it back answered it");
    // A dispatch nobody answered names nobody, and is not taken up by the period's end.
    let waiting = Story::reported("2025-03-03T09:00:00").dispatched("water");
    let f = waiting.facts(EvalBy::Worker, &march());
    assert!(f.observations.iter().all(|o| !matches!(o.metric, Metric::Response | Metric::Return)), "{f:?}");
    let f = figures(&[&waiting], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.responded), (1, 0));
}

/// Issue 25 finding 2: a return refused on review counts against the department, before or
/// after claiming, and its deadline ran on through the review.
#[test]
fn a_refused_return_counts_and_its_deadline_ran_on() {
    let s = returned(Story::reported("2025-03-03T09:00:00").dispatched("water"), "water", "2025-03-03T12:00:00");
    let s = reviewed(s, false, "2025-03-11T09:00:00").claimed("2025-03-11T10:00:00").handled("2025-03-11T11:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.responded, f.counts.returned), (1, 1, 1));
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0), "due on the 10th: the review did not stop the clock");
    assert_eq!(figures(&[&s], EvalBy::Worker, &march(), "town").counts.accurate, 1, "not a wrong dispatch");
    // After claiming: the claimer sent it back.
    let s = returned(Story::reported("2025-03-03T09:00:00").dispatched("water").claimed("2025-03-03T11:00:00"), "water", "2025-03-04T09:00:00");
    let s = reviewed(s, false, "2025-03-04T10:00:00");
    assert_eq!(s.case.state, CaseState::InProgress);
    let f = figures(&[&s], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.responded, f.counts.returned), (1, 1, 1));
    assert_eq!(figures(&[&s], EvalBy::Worker, &march(), "h2").counts.returned, 1);
    // Claimed and handled: not returned; a return still under review at the period's end: not yet.
    let f = figures(&[&closed_on_time()], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.dispatched, f.counts.returned), (1, 0));
    let open = returned(Story::reported("2025-03-03T09:00:00").dispatched("water"), "water", "2025-03-31T09:00:00");
    let f = figures(&[&open], EvalBy::Department, &march(), "water");
    assert_eq!((f.counts.dispatched, f.counts.responded, f.counts.returned), (1, 1, 0));
}

#[test]
fn an_unsatisfied_rating_reopens_and_the_closure_did_not_stand() {
    // The shipped rules send an unsatisfied case back (重办).
    let s = closed_on_time().rated(Rating::Unsatisfied, "2025-03-05T09:00:00");
    assert!(s.log.iter().any(|e| matches!(e.kind, EventKind::Reopened { .. })));
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.closed, f.counts.resolved, f.counts.reopened), (1, 0, 1));
    assert_eq!((f.counts.rated, f.counts.satisfied), (1, 0));
    // Dispatched again and closed for good: still one case, counted by its worst occasion.
    let s = s.dispatched_again().claimed("2025-03-06T09:00:00").handled("2025-03-06T15:00:00").verified("2025-03-06T16:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.dispatched, f.counts.responded, f.counts.closed, f.counts.resolved, f.counts.reopened), (1, 1, 1, 0, 1), "once per case");
    let basically = closed_on_time().rated(Rating::BasicallySatisfied, "2025-03-05T09:00:00");
    assert_eq!(figures(&[&basically], EvalBy::Department, &march(), "urban").counts.satisfied, 1);
}

impl Story {
    fn dispatched_again(self) -> Story {
        let to = Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("371002001") }, instructions: None };
        self.act(&town(), to, "2025-03-05T10:00:00")
    }
}

#[test]
fn cases_fall_to_their_town_community_and_grid() {
    let a = closed_on_time();
    let b = Story::reported_in("371002002001", "2025-03-03T09:00:00").dispatched("urban");
    let facts: Vec<CaseFacts> = [&a, &b].iter().map(|s| s.facts(EvalBy::Town, &march())).collect();
    let units: Vec<String> = tally_units(&facts, &["371002003".into()]).into_keys().collect();
    assert_eq!(units, ["371002001", "371002002", "371002003"], "a listed town without cases is kept");
    let f = a.facts(EvalBy::Community, &march());
    assert!(f.observations.iter().all(|o| o.unit == "371002001001"));
    assert!(a.facts(EvalBy::Grid, &march()).observations.is_empty(), "a case without a grid has no grid to count for");
}

#[test]
fn the_score_weighs_the_rates_it_has() {
    let w = Weights::default();
    let all = Rates { response: Some(1.0), on_time: Some(0.5), resolution: Some(1.0), satisfaction: Some(1.0), reopen: Some(0.0), return_: Some(0.0), ..Default::default() };
    assert_eq!(score(&all, &w), Some(85.0), "100 less 30 % of 50");
    let some = Rates { on_time: Some(0.5), satisfaction: Some(1.0), ..Default::default() };
    assert_eq!(score(&some, &w), Some(72.73), "(0.3 × 0.5 + 0.25) / 0.55");
    assert_eq!(score(&Rates::default(), &w), None);
}

/// `n` stories made by `make`, as one unit's tally grouped by town.
fn town_tally(n: usize, make: impl Fn() -> Story) -> Tally {
    let facts: Vec<CaseFacts> = (0..n).map(|_| make().facts(EvalBy::Town, &march())).collect();
    tally_units(&facts, &[])["371002001"]
}

fn late() -> Story {
    Story::reported("2025-03-03T09:00:00").dispatched("water").claimed("2025-03-03T11:00:00").handled("2025-03-11T10:00:00")
}

/// Issue 25 finding 6: 17 of 31 towns shared rank 1 at 100 on one or two cases each.
#[test]
fn one_case_ranks_no_one_and_ties_are_broken_by_stated_rules() {
    let w = Weights::default();
    let rules = RankRules { min_cases: 3 };
    let unit = |id: &str, name: &str| Unit { id: id.into(), name: name.into() };
    let units = vec![
        (unit("a", "竹岛街道"), town_tally(1, closed_on_time)),
        (unit("b", "鲸园街道"), town_tally(3, closed_on_time)),
        (unit("c", "环翠楼街道"), town_tally(3, closed_on_time)),
        (unit("d", "孙家疃街道"), town_tally(4, late)),
        (unit("e", "张村街道"), Tally::default()),
        (unit("f", "田村街道"), town_tally(4, closed_on_time)),
    ];
    let (rows, total) = rank(units, &w, &rules);
    let order: Vec<(&str, Option<u32>)> = rows.iter().map(|r| (r.unit.id.as_str(), r.rank)).collect();
    // f, b and c score alike: f did more; b and c did as much and as well, so pinyin (huan < jing).
    assert_eq!(order, [("f", Some(1)), ("c", Some(2)), ("b", Some(3)), ("d", Some(4)), ("a", None), ("e", None)]);
    let a = rows.iter().find(|r| r.unit.id == "a").unwrap();
    assert_eq!((a.score, a.figures.rates.on_time), (None, Some(1.0)), "one case is shown, not ranked");
    assert!(a.thin.contains(&Metric::OnTime));
    assert_eq!((total.counts.due, total.counts.on_time), (15, 11));
    // A thin rate counts at everyone's level: b's 满意率 (no ratings) is the total's (none).
    let b = rows.iter().find(|r| r.unit.id == "b").unwrap();
    assert!(b.thin.contains(&Metric::Satisfaction) && !b.thin.contains(&Metric::OnTime));
    assert_eq!(b.score, Some(100.0));
    // With a minimum of one, the single case is ranked again.
    let units = vec![(unit("a", "竹岛街道"), town_tally(1, closed_on_time)), (unit("d", "孙家疃街道"), town_tally(4, late))];
    let (rows, _) = rank(units, &w, &RankRules { min_cases: 1 });
    assert_eq!(rows.iter().map(|r| r.rank).collect::<Vec<_>>(), [Some(1), Some(2)]);
}

/// Issue 25 finding 1: case 20261124000006 was claimed after its deadline, given an extension
/// and handled, and counted on time.
#[test]
fn an_extension_asked_for_after_the_deadline_leaves_the_lateness() {
    // Due Monday 10 March 10:00.
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-11T09:00:00")
        .act(&handler(), Command::RequestExtension { until: t("2025-03-20T17:00:00"), reason: "需要采购".into() }, "2025-03-11T10:00:00")
        .act(&town(), Command::DecideExtension { granted: true, reason: None }, "2025-03-11T11:00:00")
        .handled("2025-03-12T10:00:00");
    for (from, to, due) in [("2025-03-01", "2025-03-31", 1), ("2025-03-01", "2025-03-10", 1), ("2025-03-11", "2025-03-31", 0)] {
        let f = figures(&[&s], EvalBy::Department, &Period::parse(from, to).unwrap(), "urban");
        assert_eq!((f.counts.due, f.counts.on_time), (due, 0), "{from}–{to}: late once, in the period of its deadline");
    }
    // Asked for before the deadline and granted after it: the new deadline holds.
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&handler(), Command::RequestExtension { until: t("2025-03-14T17:00:00"), reason: "需要采购".into() }, "2025-03-07T10:00:00")
        .act(&town(), Command::DecideExtension { granted: true, reason: None }, "2025-03-11T11:00:00")
        .handled("2025-03-13T10:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 1));
    // Refused after the deadline: late as of that deadline.
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&handler(), Command::RequestExtension { until: t("2025-03-14T17:00:00"), reason: "需要采购".into() }, "2025-03-07T10:00:00")
        .act(&town(), Command::DecideExtension { granted: false, reason: Some("理由不足".into()) }, "2025-03-11T11:00:00")
        .handled("2025-03-12T10:00:00");
    let f = figures(&[&s], EvalBy::Department, &Period::parse("2025-03-01", "2025-03-10").unwrap(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (0, 0), "undecided at the period's end: not yet judged");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0));
    // Suspended after the deadline: still late.
    let s = Story::reported("2025-03-03T09:00:00")
        .dispatched("urban")
        .claimed("2025-03-03T11:00:00")
        .act(&town(), Command::Suspend { reason: "等待天气".into() }, "2025-03-11T10:00:00")
        .act(&town(), Command::Resume { note: None }, "2025-03-20T10:00:00")
        .handled("2025-03-20T11:00:00");
    let f = figures(&[&s], EvalBy::Department, &march(), "urban");
    assert_eq!((f.counts.due, f.counts.on_time), (1, 0));
}

/// Issue 25 finding 7: 20261205000007's dispatch step was timed from its first acceptance.
#[test]
fn an_escalation_starts_the_step_over() {
    let county = user("county", Role::DistrictDispatcher, "371002", None);
    let to = Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("371002") }, instructions: None };
    let s = Story::reported("2025-03-03T09:00:00")
        .act(&town(), Command::Accept { note: None }, "2025-03-03T09:30:00")
        .act(&town(), Command::Escalate { reason: "超出街道职权".into() }, "2025-03-03T12:00:00")
        .act(&county, to, "2025-03-03T13:00:00");
    let f = figures(&[&s], EvalBy::Town, &march(), "371002001");
    assert_eq!(f.avg_hours.dispatch, Some(1.0), "from the escalation, not from 09:30");
    assert_eq!(f.avg_hours.accept, Some(0.5));
}


mod window;
