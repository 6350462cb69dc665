//! What one case's log says for a period and a grouping ([`CaseFacts::of`]): the observations
//! for each rate as their occasions settle, and the step times.

use chrono::{DateTime, Duration, Utc};

use super::{EvalBy, Metric, Period};
use crate::case::EventKind;
use crate::timelimit::Step;
use crate::{AreaLevel, Assignee, Case, CaseEvent, CaseState, Rating};

/// One thing a case's log says about a unit for one rate: the case is in the rate's denominator,
/// and in its numerator if `hit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The unit's id: a department id, an area or grid code, a user id.
    pub unit: String,
    /// The rate.
    pub metric: Metric,
    /// In the numerator.
    pub hit: bool,
    /// When the occasion settled.
    pub at: DateTime<Utc>,
}

/// The natural hours one step took, for the unit that owned it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepTime {
    /// The unit's id.
    pub unit: String,
    /// The step.
    pub step: Step,
    /// Hours, suspensions left out.
    pub hours: f64,
}

/// What one case's log says for a period and a grouping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFacts {
    /// At most one per unit and rate.
    pub observations: Vec<Observation>,
    /// Steps completed in the period.
    pub steps: Vec<StepTime>,
}

/// A dispatch waiting to be taken up.
struct DispatchOcc {
    at: DateTime<Utc>,
    dept: Option<String>,
}

/// How a dispatch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    TakenUp,
    SentBack,
    Gone,
}

/// Handling running against its deadline.
struct HandleOcc {
    dept: Option<String>,
    due: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    /// An extension asked for before the deadline in force is waiting for its decision: until
    /// then that deadline passing does not make the handling late.
    extension_pending: bool,
    /// Judged late already: nothing later (an extension, a suspension, an escalation) changes it.
    late: bool,
}

impl HandleOcc {
    fn new(dept: Option<String>) -> HandleOcc {
        HandleOcc { dept, due: None, paused_at: None, extension_pending: false, late: false }
    }

    /// True if the deadline in force passed before `at` while the clock ran and no extension
    /// asked for in time was pending.
    fn overdue_before(&self, at: DateTime<Utc>) -> bool {
        match self.due {
            Some(due) => !self.late && !self.extension_pending && due < at && self.paused_at.is_none_or(|p| p > due),
            None => false,
        }
    }
}

/// A closure whose standing is still open.
struct Closure {
    at: DateTime<Utc>,
    dept: Option<String>,
    worker: Option<String>,
    reopened: bool,
    unsatisfied: bool,
}

/// A step's clock.
struct StepRun {
    step: Step,
    since: DateTime<Utc>,
    spent: Duration,
    paused: bool,
}

fn dept_of(a: Option<&Assignee>) -> Option<String> {
    match a {
        Some(Assignee::Department { id }) => Some(id.clone()),
        _ => None,
    }
}

/// The event that completes a step (other endings discard its time).
fn completes(step: Step, kind: &EventKind) -> bool {
    matches!(
        (step, kind),
        (Step::Accept, EventKind::Accepted { .. } | EventKind::Rejected { .. })
            | (Step::Dispatch, EventKind::Dispatched { .. })
            | (Step::Handle, EventKind::Handled { .. })
            | (Step::Verify, EventKind::Verified { .. })
    )
}

/// Collects one case's observations as they settle. Grouped by area, where the case lies is
/// known only once its log is read to the cutoff: until then the unit is left empty.
struct Collector<'a> {
    by: EvalBy,
    period: &'a Period,
    out: CaseFacts,
}

impl Collector<'_> {
    fn unit(&self, dept: Option<&str>, worker: Option<&str>) -> Option<String> {
        match self.by {
            EvalBy::Department => dept.map(str::to_string),
            EvalBy::Worker => worker.map(str::to_string),
            EvalBy::Town | EvalBy::Community | EvalBy::Grid => Some(String::new()),
        }
    }

    fn observe(&mut self, at: DateTime<Utc>, metric: Metric, hit: bool, dept: Option<&str>, worker: Option<&str>) {
        if !self.period.contains(at) {
            return;
        }
        if let Some(unit) = self.unit(dept, worker) {
            self.out.observations.push(Observation { unit, metric, hit, at });
        }
    }

    /// Judges handling late, at its deadline, the moment the log passes that deadline unhandled
    /// (before the event at `at` is applied): lateness is fixed when it happens.
    fn judge(&mut self, h: &mut HandleOcc, at: DateTime<Utc>, worker: Option<&str>) {
        if h.overdue_before(at) {
            let due = h.due.expect("overdue has a deadline");
            self.observe(due, Metric::OnTime, false, h.dept.as_deref(), worker);
            h.late = true;
        }
    }

    /// Settles handling that ended at `end` (handled or not) or is still running at `end`.
    fn settle(&mut self, h: &mut HandleOcc, handled: Option<DateTime<Utc>>, end: DateTime<Utc>, worker: Option<&str>) {
        self.judge(h, end, worker);
        match (h.due, handled) {
            (Some(due), Some(t)) if !h.late && t <= due => self.observe(t, Metric::OnTime, true, h.dept.as_deref(), worker),
            _ => {}
        }
    }

    fn closure(&mut self, c: Closure) {
        let (dept, worker) = (c.dept.as_deref(), c.worker.as_deref());
        self.observe(c.at, Metric::Resolution, !c.reopened && !c.unsatisfied, dept, worker);
        self.observe(c.at, Metric::Reopen, c.reopened, dept, worker);
    }
}

impl CaseFacts {
    /// What `log` (one case's events in order) says for `period` grouped `by`, reading the
    /// events before the period's end and before `as_of`.
    pub fn of(log: &[CaseEvent], period: &Period, by: EvalBy, as_of: DateTime<Utc>) -> CaseFacts {
        let cutoff = period.end().min(as_of);
        let n = log.iter().take_while(|e| e.at < cutoff).count();
        let log = &log[..n];
        let Some(mut case) = log.get(..1).and_then(Case::from_events) else { return CaseFacts::default() };
        let mut c = Collector { by, period, out: CaseFacts::default() };
        let mut dispatch: Option<DispatchOcc> = None;
        // A dispatch claimed and not yet handled or sent back, and who claimed it.
        let mut claimed: Option<(DispatchOcc, Option<String>)> = None;
        let mut handling: Option<HandleOcc> = None;
        let mut closure: Option<Closure> = None;
        let mut run =
            Step::of_state(case.state).map(|step| StepRun { step, since: case.created_at, spent: Duration::zero(), paused: false });

        for e in &log[1..] {
            let (prev_dept, prev_handler) = (dept_of(case.assignee.as_ref()), case.handler_user_id.clone());
            if let Some(h) = handling.as_mut() {
                c.judge(h, e.at, prev_handler.as_deref());
            }
            case.apply(e);
            let actor = e.actor.user_id.as_deref();
            use EventKind as E;
            // Dispatches: taken up (claimed, or dispatched on by a lower centre), sent back, or
            // gone elsewhere.
            let answer = match &e.kind {
                E::Claimed | E::Handled { .. } | E::Dispatched { .. } => Some(Answer::TakenUp),
                E::Returned { .. } => Some(Answer::SentBack),
                E::Escalated { .. } | E::Merged { .. } | E::Rejected { .. } | E::Reopened { .. } => Some(Answer::Gone),
                _ => None,
            };
            if let (Some(a), Some(d)) = (answer, answer.and_then(|_| dispatch.take())) {
                // A person is known only once someone answers.
                let worker = if a == Answer::Gone { None } else { actor };
                c.observe(d.at, Metric::Response, a == Answer::TakenUp, d.dept.as_deref(), worker);
                if matches!(e.kind, E::Claimed) {
                    // Claimed (签收): it may still be sent back (issue 25 finding 2).
                    claimed = Some((d, actor.map(str::to_string)));
                } else {
                    c.observe(d.at, Metric::Return, a == Answer::SentBack, d.dept.as_deref(), worker);
                }
            } else if let (Some(a), Some((d, by))) = (answer, answer.and_then(|_| claimed.take())) {
                // A claimed dispatch sent back counts as a return, for the period of the dispatch.
                c.observe(d.at, Metric::Return, a == Answer::SentBack, d.dept.as_deref(), by.as_deref());
            }
            // Handling: ends when handled, or when the case leaves it.
            match &e.kind {
                E::Handled { .. } => {
                    if let Some(mut h) = handling.take() {
                        c.settle(&mut h, Some(e.at), e.at, case.handler_user_id.as_deref().or(actor));
                    }
                }
                E::Dispatched { .. } | E::Returned { .. } | E::Escalated { .. } | E::Merged { .. } | E::Rejected { .. } => {
                    if let Some(mut h) = handling.take() {
                        c.settle(&mut h, None, e.at, prev_handler.as_deref());
                    }
                }
                _ => {}
            }
            match &e.kind {
                E::Dispatched { to, .. } => {
                    dispatch = Some(DispatchOcc { at: e.at, dept: dept_of(Some(to)) });
                    handling = Some(HandleOcc::new(dept_of(Some(to))));
                }
                E::Verified { passed: false, .. } => handling = Some(HandleOcc::new(dept_of(case.assignee.as_ref()))),
                // Asked for before the deadline it extends: that deadline waits for the decision.
                // Asked for later, it may be granted for the work, but the lateness stands.
                E::ExtensionRequested { .. } => {
                    if let Some(h) = handling.as_mut() {
                        h.extension_pending = !h.late;
                    }
                }
                E::ExtensionDecided { .. } => {
                    if let Some(h) = handling.as_mut() {
                        h.extension_pending = false;
                    }
                }
                _ => {}
            }
            if let (Some(h), Some(d)) = (handling.as_mut().filter(|h| !h.late), case.deadline.as_ref()) {
                if d.step == Step::Handle {
                    h.due = Some(d.due);
                    h.paused_at = d.paused_at;
                }
            }
            // Closures and ratings.
            match &e.kind {
                E::Verified { passed: true, .. } | E::ClosedOnSpot { .. } => {
                    if let Some(old) = closure.take() {
                        c.closure(old);
                    }
                    closure = Some(Closure {
                        at: e.at,
                        dept: dept_of(case.assignee.as_ref()),
                        worker: case.handler_user_id.clone(),
                        reopened: false,
                        unsatisfied: false,
                    });
                }
                E::Reopened { .. } => {
                    if let Some(cl) = closure.as_mut() {
                        cl.reopened = true;
                    }
                }
                E::Rated { rating, .. } => {
                    let (dept, worker) = (dept_of(case.assignee.as_ref()), case.handler_user_id.clone());
                    c.observe(e.at, Metric::Satisfaction, *rating != Rating::Unsatisfied, dept.as_deref(), worker.as_deref());
                    if let Some(cl) = closure.as_mut() {
                        cl.unsatisfied = *rating == Rating::Unsatisfied;
                    }
                }
                _ => {}
            }
            // Step clocks.
            let next = Step::of_state(case.state);
            if case.state == CaseState::Suspended {
                if let Some(r) = run.as_mut().filter(|r| !r.paused) {
                    r.spent += e.at - r.since;
                    r.paused = true;
                }
            } else if let Some(r) =
                run.as_mut().filter(|r| Some(r.step) == next && !completes(r.step, &e.kind) && !matches!(e.kind, E::Escalated { .. }))
            {
                if r.paused {
                    r.since = e.at;
                    r.paused = false;
                }
            } else {
                if let Some(r) = run.take() {
                    if completes(r.step, &e.kind) && period.contains(e.at) {
                        let spent = r.spent + if r.paused { Duration::zero() } else { e.at - r.since };
                        let (dept, worker) = match r.step {
                            Step::Handle => (prev_dept.as_deref(), prev_handler.as_deref().or(actor)),
                            _ => (None, None),
                        };
                        if let Some(unit) = c.unit(dept, worker) {
                            c.out.steps.push(StepTime { unit, step: r.step, hours: spent.num_seconds() as f64 / 3600.0 });
                        }
                    }
                }
                run = next.map(|step| StepRun { step, since: e.at, spent: Duration::zero(), paused: false });
            }
        }
        // What is still running at the cutoff.
        if let Some((d, by)) = claimed.take() {
            c.observe(d.at, Metric::Return, false, d.dept.as_deref(), by.as_deref());
        }
        if let Some(d) = dispatch.take() {
            c.observe(d.at, Metric::Response, false, d.dept.as_deref(), None);
            c.observe(d.at, Metric::Return, false, d.dept.as_deref(), None);
        }
        if let Some(mut h) = handling.take() {
            c.settle(&mut h, None, cutoff, case.handler_user_id.as_deref());
        }
        if let Some(cl) = closure.take() {
            c.closure(cl);
        }
        // Grouped by area: the area (or grid) the case lies in at the cutoff; none, no unit.
        let mut out = c.out;
        let area_unit = match by {
            EvalBy::Department | EvalBy::Worker => None,
            EvalBy::Town => Some(case.area().at_level(AreaLevel::Town).map(|a| a.to_string())),
            EvalBy::Community => Some(case.area().at_level(AreaLevel::Village).map(|a| a.to_string())),
            EvalBy::Grid => Some(case.grid().map(|g| g.to_string())),
        };
        match area_unit {
            None => {}
            Some(None) => return CaseFacts::default(),
            Some(Some(u)) => {
                out.observations.iter_mut().for_each(|o| o.unit.clone_from(&u));
                out.steps.iter_mut().for_each(|s| s.unit.clone_from(&u));
            }
        }
        // One observation per unit and rate: the worst occasion's.
        let mut worst: Vec<Observation> = Vec::with_capacity(out.observations.len());
        for o in out.observations {
            match worst.iter_mut().find(|w| w.unit == o.unit && w.metric == o.metric) {
                Some(w) if o.metric.lower_is_better() => w.hit |= o.hit,
                Some(w) => w.hit &= o.hit,
                None => worst.push(o),
            }
        }
        out.observations = worst;
        out
    }
}
