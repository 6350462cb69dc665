//! What one case's log says for a period and a grouping ([`CaseFacts::of`]): the observations
//! for each rate as their occasions settle, and the step times.

use chrono::{DateTime, Duration, Utc};

use super::occasions::{Closure, Collector, DispatchOcc, End, HandleOcc, Who};
use super::{Attribution, CountRules, EvalBy, Metric, Period};
use crate::case::EventKind;
use crate::timelimit::Step;
use crate::{AreaCode, AreaLevel, Assignee, Case, CaseEvent, CaseState, GridCode, Rating};

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
    /// The centre responsible for the occasion (for [`Attribution::Responsibility`]).
    pub area: Option<AreaCode>,
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
    /// The centre responsible for the step.
    pub area: Option<AreaCode>,
}

/// What one case's log says for a period and a grouping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFacts {
    /// At most one per unit and rate.
    pub observations: Vec<Observation>,
    /// Steps completed in the period.
    pub steps: Vec<StepTime>,
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

/// The centre responsible for the case now: the lower centre it was dispatched to, else the
/// centre that owns it.
fn responsible(case: &Case) -> AreaCode {
    match &case.assignee {
        Some(Assignee::Area { code }) => code.clone(),
        _ => case.owner_area.clone(),
    }
}

/// Who the case is with now: its department, its handler, the responsible centre.
fn with(case: &Case) -> Who {
    Who { dept: dept_of(case.assignee.as_ref()), worker: case.handler_user_id.clone(), area: Some(responsible(case)) }
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

/// One case's log being read: its occasions open and settle as the events come.
struct Fold<'a> {
    c: Collector<'a>,
    case: Case,
    dispatch: Option<DispatchOcc>,
    handling: Option<HandleOcc>,
    closure: Option<Closure>,
    /// A verification failed since the last closure (no first-time fix).
    failed: bool,
    run: Option<StepRun>,
}

impl Fold<'_> {
    /// Reads one event of the period.
    fn event(&mut self, e: &CaseEvent) {
        let before = with(&self.case);
        self.close_window(e.at);
        if let Some(h) = self.handling.as_mut() {
            h.judge(&mut self.c, e.at, before.worker.as_deref());
        }
        self.case.apply(e);
        let actor = e.actor.user_id.as_deref();
        self.dispatches(e, actor);
        self.handlings(e, actor, &before);
        self.closures(e);
        self.clock(e, before, actor);
    }

    /// Dispatches: taken up (claimed, handled, or dispatched on by a lower centre), sent back
    /// and reviewed, or gone elsewhere.
    fn dispatches(&mut self, e: &CaseEvent, actor: Option<&str>) {
        use EventKind as E;
        let c = &mut self.c;
        match (&e.kind, self.dispatch.as_mut()) {
            (E::Claimed, Some(d)) => d.respond(c, true, actor),
            // Sending it back answers it: whether rightly, the review says.
            (E::Returned { .. }, Some(d)) => {
                d.respond(c, true, actor);
                d.review = true;
            }
            (E::ReturnReviewed { accepted: false, .. }, Some(d)) => {
                d.review = false;
                d.bad_return = true;
            }
            (E::Suspended { .. } | E::SuspensionDecided { granted: true, .. }, Some(d)) => d.suspended = true,
            _ => {}
        }
        let end = match &e.kind {
            E::Handled { .. } | E::Dispatched { .. } => Some(End::TakenUp),
            E::ReturnReviewed { accepted: true, .. } => Some(End::WrongDispatch),
            E::Recalled { .. } => Some(End::Recalled),
            E::Escalated { .. } | E::Merged { .. } | E::Rejected { .. } | E::Reopened { .. } => Some(End::Gone),
            _ => None,
        };
        if let (Some(end), Some(d)) = (end, end.and_then(|_| self.dispatch.take())) {
            d.end(c, end, actor);
        }
        if let E::Dispatched { owner_area, .. } = &e.kind {
            let by = Who { dept: None, worker: actor.map(str::to_string), area: Some(owner_area.clone()) };
            self.dispatch = Some(DispatchOcc::new(e.at, Who { worker: None, ..with(&self.case) }, by));
        }
    }

    /// Handling: from a dispatch or a failed verification until handled or the case leaves it.
    fn handlings(&mut self, e: &CaseEvent, actor: Option<&str>, before: &Who) {
        use EventKind as E;
        let c = &mut self.c;
        match &e.kind {
            E::Handled { .. } => {
                if let Some(h) = self.handling.take() {
                    h.settle(c, Some(e.at), e.at, self.case.handler_user_id.as_deref().or(actor));
                }
            }
            E::Dispatched { .. } | E::Escalated { .. } | E::Merged { .. } | E::Rejected { .. } => {
                if let Some(h) = self.handling.take() {
                    h.settle(c, None, e.at, before.worker.as_deref());
                }
            }
            // A wrong dispatch, or one taken back: the handling was never the unit's.
            E::ReturnReviewed { accepted: true, .. } | E::Recalled { .. } => self.handling = None,
            _ => {}
        }
        let h = self.handling.as_mut();
        match (&e.kind, h) {
            // The case drops a pending extension when sent back.
            (E::Returned { .. }, Some(h)) => {
                h.review = true;
                h.extension_pending = false;
            }
            (E::ReturnReviewed { accepted: false, .. }, Some(h)) => {
                h.review = false;
                h.decided_at = Some(e.at);
            }
            // Asked for before the deadline it extends: that deadline waits for the decision.
            // Asked for later, it may be granted for the work, but the lateness stands.
            (E::ExtensionRequested { until, .. }, Some(h)) => {
                h.extension_pending = !h.late;
                h.asked_until = Some(*until);
            }
            (E::ExtensionDecided { .. }, Some(h)) => {
                h.extension_pending = false;
                h.decided_at = Some(e.at);
            }
            _ => {}
        }
        match &e.kind {
            E::Dispatched { .. } => self.handling = Some(HandleOcc::new(Who { worker: None, ..with(&self.case) })),
            E::Verified { passed: false, .. } => self.handling = Some(HandleOcc::new(with(&self.case))),
            _ => {}
        }
        if let (Some(h), Some(d)) = (self.handling.as_mut().filter(|h| !h.late), self.case.deadline.as_ref()) {
            if d.step == Step::Handle {
                h.due = Some(d.due);
                h.paused_at = d.paused_at;
            }
        }
    }

    /// Closures and what follows them in their window: reopenings and ratings.
    fn closures(&mut self, e: &CaseEvent) {
        use EventKind as E;
        match &e.kind {
            E::Verified { passed: true, .. } | E::ClosedOnSpot { .. } => {
                if let Some(old) = self.closure.take() {
                    old.settle(&mut self.c, e.at);
                }
                let first_try = !std::mem::take(&mut self.failed);
                let to = with(&self.case);
                self.closure = Some(Closure { at: e.at, to, first_try, reopened: false, unsatisfied: false, rated: false, rating: None });
            }
            E::Verified { passed: false, .. } => self.failed = true,
            _ => self.follow_up(e),
        }
    }

    /// A reopening or a rating within the window of the closure it follows; a later closure
    /// ends that window.
    fn follow_up(&mut self, e: &CaseEvent) {
        self.close_window(e.at);
        let rules = self.c.rules;
        let Some(cl) = self.closure.as_mut() else { return };
        match &e.kind {
            EventKind::Verified { passed: true, .. } | EventKind::ClosedOnSpot { .. } => {
                if let Some(cl) = self.closure.take() {
                    cl.settle(&mut self.c, e.at);
                }
            }
            EventKind::Reopened { .. } => cl.reopened = true,
            EventKind::Rated { rating, .. } => {
                cl.unsatisfied |= *rating == Rating::Unsatisfied;
                cl.rated = true;
                if e.at <= cl.at + rules.rating_window() {
                    cl.rating = Some(*rating);
                }
            }
            _ => {}
        }
    }

    /// Settles the closure whose window `at` has passed.
    fn close_window(&mut self, at: DateTime<Utc>) {
        if let Some(cl) = self.closure.take_if(|cl| !cl.within(at, self.c.rules)) {
            cl.settle(&mut self.c, at);
        }
    }

    /// Step clocks: a step runs from its start to the event that completes it, suspensions left
    /// out; an escalation starts it over.
    fn clock(&mut self, e: &CaseEvent, before: Who, actor: Option<&str>) {
        let next = Step::of_state(self.case.state);
        if self.case.state == CaseState::Suspended {
            if let Some(r) = self.run.as_mut().filter(|r| !r.paused) {
                r.spent += e.at - r.since;
                r.paused = true;
            }
            return;
        }
        let starts_over = matches!(e.kind, EventKind::Escalated { .. });
        if let Some(r) = self.run.as_mut().filter(|r| Some(r.step) == next && !completes(r.step, &e.kind) && !starts_over) {
            if r.paused {
                r.since = e.at;
                r.paused = false;
            }
            return;
        }
        if let Some(r) = self.run.take() {
            if completes(r.step, &e.kind) && self.c.period.contains(e.at) {
                let spent = r.spent + if r.paused { Duration::zero() } else { e.at - r.since };
                let who = match r.step {
                    Step::Handle => Who { worker: before.worker.or(actor.map(str::to_string)), ..before },
                    _ => Who { dept: None, worker: None, area: before.area },
                };
                if let Some(unit) = self.c.unit(&who) {
                    let hours = spent.num_seconds() as f64 / 3600.0;
                    self.c.out.steps.push(StepTime { unit, step: r.step, hours, area: who.area });
                }
            }
        }
        self.run = next.map(|step| StepRun { step, since: e.at, spent: Duration::zero(), paused: false });
    }

    /// Settles what still runs at the period's end (or `as_of`): dispatches and handling.
    /// Answers where the case lies then.
    fn freeze(&mut self, cutoff: DateTime<Utc>) -> (AreaCode, Option<GridCode>) {
        if let Some(d) = self.dispatch.take() {
            d.end(&mut self.c, End::Cutoff, None);
        }
        if let Some(h) = self.handling.take() {
            h.settle(&mut self.c, None, cutoff, self.case.handler_user_id.as_deref());
        }
        (self.case.area().clone(), self.case.grid().cloned())
    }
}

impl CaseFacts {
    /// What `log` (one case's events in order) says for `period` grouped `by` under `rules`,
    /// reading the events before the period's end and before `as_of` — and, for the closures
    /// of the period, their follow-up windows after it.
    pub fn of(log: &[CaseEvent], period: &Period, by: EvalBy, as_of: DateTime<Utc>, rules: &CountRules) -> CaseFacts {
        let cutoff = period.end().min(as_of);
        let read_to = (period.end() + rules.window()).min(as_of);
        let n = log.iter().take_while(|e| e.at < read_to).count();
        let log = &log[..n];
        let Some(case) = log.get(..1).and_then(Case::from_events).filter(|c| c.created_at < cutoff) else {
            return CaseFacts::default();
        };
        let run = Step::of_state(case.state).map(|step| StepRun { step, since: case.created_at, spent: Duration::zero(), paused: false });
        let c = Collector { by, period, rules, out: CaseFacts::default() };
        let mut f = Fold { c, case, dispatch: None, handling: None, closure: None, failed: false, run };
        let mut lies: Option<(AreaCode, Option<GridCode>)> = None;
        for e in &log[1..] {
            if lies.is_none() && e.at >= cutoff {
                lies = Some(f.freeze(cutoff));
            }
            match lies {
                None => f.event(e),
                // After the period only the closures' windows are read.
                Some(_) => f.follow_up(e),
            }
        }
        let (area, grid) = lies.unwrap_or_else(|| f.freeze(cutoff));
        if let Some(cl) = f.closure.take() {
            cl.settle(&mut f.c, read_to);
        }
        let mut out = f.c.out;
        if !attribute(&mut out, by, rules, &area, grid.as_ref()) {
            return CaseFacts::default();
        }
        out.observations = worst_per_unit(out.observations);
        out
    }
}

/// Grouped by area, names the unit of every observation and step: where the case lies (false if
/// that is not known at the grouping's level), or the centre responsible for each.
fn attribute(out: &mut CaseFacts, by: EvalBy, rules: &CountRules, area: &AreaCode, grid: Option<&GridCode>) -> bool {
    let level = if by == EvalBy::Town { AreaLevel::Town } else { AreaLevel::Village };
    match rules.attribution(by) {
        None => true,
        Some(Attribution::Location) => {
            let unit = match by {
                EvalBy::Grid => grid.map(|g| g.to_string()),
                _ => area.at_level(level).map(|a| a.to_string()),
            };
            let Some(u) = unit else { return false };
            out.observations.iter_mut().for_each(|o| o.unit.clone_from(&u));
            out.steps.iter_mut().for_each(|s| s.unit.clone_from(&u));
            true
        }
        Some(Attribution::Responsibility) => {
            let unit_of = |a: &Option<AreaCode>| a.as_ref().and_then(|a| a.at_level(level)).map(|a| a.to_string());
            out.observations.retain_mut(|o| unit_of(&o.area).map(|u| o.unit = u).is_some());
            out.steps.retain_mut(|s| unit_of(&s.area).map(|u| s.unit = u).is_some());
            true
        }
    }
}

/// One observation per unit and rate: the worst occasion's.
fn worst_per_unit(observations: Vec<Observation>) -> Vec<Observation> {
    let mut worst: Vec<Observation> = Vec::with_capacity(observations.len());
    for o in observations {
        match worst.iter_mut().find(|w| w.unit == o.unit && w.metric == o.metric) {
            Some(w) if o.metric.lower_is_better() => w.hit |= o.hit,
            Some(w) => w.hit &= o.hit,
            None => worst.push(o),
        }
    }
    worst
}
