//! 考核: what a period's case logs say about each department, town, community, grid or person,
//! as the six rates (响应率, 按期办结率, 解决率, 满意率, 重办率, 退单率), the average time of each
//! step, a weighted score and a ranking.
//!
//! Everything is read from the event log, so every figure can be traced to the cases behind it
//! ([`CaseFacts`] says which case counts where; the drill-down lists them). The rules, one
//! *occasion* at a time, each counted in the period in which it settles:
//!
//! - **dispatch** (响应率, 退单率): every `dispatched` event in the period. It is *responded* if
//!   the unit took it up (claimed it, handled it, or, for a lower centre, dispatched it on)
//!   before the period ended, *returned* if it sent it back.
//! - **handling** (按期办结率): from a dispatch (or a failed verification) to `handled`, against
//!   the handling deadline in force (moved by extensions and suspensions). It settles when
//!   handled in time (on time), or at its deadline if not handled by then (late) — once, in the
//!   period its deadline falls in. Handling that ends otherwise (returned, escalated) before its
//!   deadline does not count; one that outlived its deadline first counts as late.
//! - **closure** (解决率, 重办率): every `verified` (passed) or `closed_on_spot` event in the
//!   period; *reopened* if reopened before the period ended, *resolved* if neither reopened nor
//!   rated unsatisfied.
//! - **rating** (满意率): every `rated` event in the period; satisfied and basically satisfied
//!   count as satisfied.
//!
//! Events after the period's end (or after `as_of`, for a period still running) are not read,
//! so a past period's figures never change. A case counts once per unit and rate, by its worst
//! occasion in the period (one late handling makes the case late; one reopening makes it
//! reopened). Step times are natural hours from a step's start to the event that
//! completes it (suspensions left out), averaged over the steps completed in the period.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::calendar::china_time;
use crate::case::{string_enum, EventKind};
use crate::timelimit::Step;
use crate::{AreaLevel, Assignee, Case, CaseEvent, CaseState, DomainError, Rating};

/// The longest period one evaluation covers: a (leap) year.
pub const MAX_DAYS: i64 = 366;

string_enum!(
    /// What an evaluation ranks.
    EvalBy, "by" {
        /// 职能部门: the department a case was dispatched to.
        Department = "department",
        /// 镇街: the town or street the case lies in.
        Town = "town",
        /// 村社区: the village or community the case lies in.
        Community = "community",
        /// 网格: the grid the case lies in.
        Grid = "grid",
        /// 人员: the person who took up, handled or closed the case.
        Worker = "worker",
    }
);

string_enum!(
    /// One of the six rates.
    Metric, "metric" {
        /// 响应率: dispatches taken up.
        Response = "response",
        /// 按期办结率: handling done by its deadline.
        OnTime = "on_time",
        /// 解决率: closures that stood.
        Resolution = "resolution",
        /// 满意率: ratings satisfied or basically satisfied.
        Satisfaction = "satisfaction",
        /// 重办率: closures reopened.
        Reopen = "reopen",
        /// 退单率: dispatches sent back.
        Return = "return",
    }
);

string_enum!(
    /// Which cases behind a rate a drill-down lists.
    Outcome, "outcome" {
        /// Those in the numerator (responded, on time, resolved, …, reopened, returned).
        Hit = "hit",
        /// Those in the denominator but not the numerator.
        Miss = "miss",
        /// The whole denominator.
        All = "all",
    }
);

impl Metric {
    /// 重办率 and 退单率: the less the better; the score counts them inverted.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Metric::Reopen | Metric::Return)
    }

    fn index(self) -> usize {
        Metric::ALL.iter().position(|m| *m == self).expect("listed")
    }
}

impl Outcome {
    /// True if an observation that is (or is not) a `hit` belongs to this outcome.
    pub fn takes(self, hit: bool) -> bool {
        match self {
            Outcome::Hit => hit,
            Outcome::Miss => !hit,
            Outcome::All => true,
        }
    }
}

/// A period of whole days, China time, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// A period from `from` to `to`; refused if it runs backwards or over [`MAX_DAYS`].
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, DomainError> {
        if to < from {
            return Err(DomainError::invalid("to", format!("the period ends ({to}) before it starts ({from})")));
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_DAYS {
            return Err(DomainError::invalid("to", format!("the period is {days} days long; at most {MAX_DAYS}")));
        }
        Ok(Period { from, to })
    }

    /// Parses `YYYY-MM-DD` days, naming the one at fault.
    pub fn parse(from: &str, to: &str) -> Result<Period, DomainError> {
        let day = |field: &str, s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| DomainError::invalid(field, format!("`{s}` is not a day such as 2026-11-01")))
        };
        Period::new(day("from", from)?, day("to", to)?)
    }

    /// The month up to and including `today`.
    pub fn month_to_date(today: NaiveDate) -> Period {
        Period { from: today.with_day0(0).expect("every month has a first day"), to: today }
    }

    /// The first moment of the period.
    pub fn start(&self) -> DateTime<Utc> {
        midnight(self.from)
    }

    /// The moment after the period (midnight after its last day).
    pub fn end(&self) -> DateTime<Utc> {
        midnight(self.to + Duration::days(1))
    }

    /// True if `t` lies in the period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start() <= t && t < self.end()
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    china_time().from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists")).unwrap().with_timezone(&Utc)
}

/// How much each rate weighs in the score (scaled to sum to 1 by [`Weights::normalized`]). In a
/// configuration file a rate left out keeps its default weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// 响应率.
    pub response: f64,
    /// 按期办结率.
    pub on_time: f64,
    /// 解决率.
    pub resolution: f64,
    /// 满意率.
    pub satisfaction: f64,
    /// 重办率 (counted as 1 − rate).
    pub reopen: f64,
    /// 退单率 (counted as 1 − rate).
    #[serde(rename = "return")]
    pub return_: f64,
}

impl Default for Weights {
    /// On time first, then satisfaction and resolution, as 12345 assessments weigh them.
    fn default() -> Self {
        Weights { response: 0.15, on_time: 0.30, resolution: 0.20, satisfaction: 0.25, reopen: 0.05, return_: 0.05 }
    }
}

impl Weights {
    /// The weight of one rate.
    pub fn get(&self, m: Metric) -> f64 {
        match m {
            Metric::Response => self.response,
            Metric::OnTime => self.on_time,
            Metric::Resolution => self.resolution,
            Metric::Satisfaction => self.satisfaction,
            Metric::Reopen => self.reopen,
            Metric::Return => self.return_,
        }
    }

    fn set(&mut self, m: Metric, w: f64) {
        *match m {
            Metric::Response => &mut self.response,
            Metric::OnTime => &mut self.on_time,
            Metric::Resolution => &mut self.resolution,
            Metric::Satisfaction => &mut self.satisfaction,
            Metric::Reopen => &mut self.reopen,
            Metric::Return => &mut self.return_,
        } = w;
    }

    /// The same weights scaled to sum to 1; refused if one is negative or not a number, or all
    /// are 0. `field` names the input at fault.
    pub fn normalized(self, field: &str) -> Result<Weights, DomainError> {
        let mut sum = 0.0;
        for m in Metric::ALL {
            let w = self.get(*m);
            if !w.is_finite() || w < 0.0 {
                return Err(DomainError::invalid(field, format!("the weight of {m} is {w}; give a number of 0 or more")));
            }
            sum += w;
        }
        if sum <= 0.0 {
            return Err(DomainError::invalid(field, "every weight is 0; give at least one rate a weight"));
        }
        let mut out = self;
        for m in Metric::ALL {
            out.set(*m, self.get(*m) / sum);
        }
        Ok(out)
    }

    /// Parses `response:0.2,on_time:0.4,…`: the rates named get those weights, the others 0.
    pub fn parse(s: &str, field: &str) -> Result<Weights, DomainError> {
        let mut w = Weights { response: 0.0, on_time: 0.0, resolution: 0.0, satisfaction: 0.0, reopen: 0.0, return_: 0.0 };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once(':')
                .ok_or_else(|| DomainError::invalid(field, format!("`{part}`: write rate:weight, e.g. on_time:0.3")))?;
            let m: Metric = name.trim().parse().map_err(|e: DomainError| DomainError::invalid(field, e.to_string()))?;
            let v: f64 = value.trim().parse().map_err(|_| DomainError::invalid(field, format!("`{value}` is not a number (weight of {m})")))?;
            w.set(m, v);
        }
        w.normalized(field)
    }
}

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

    /// Settles handling that ended at `end` (handled or not) or is still running at `end`.
    fn settle(&mut self, h: &HandleOcc, handled: Option<DateTime<Utc>>, end: DateTime<Utc>, worker: Option<&str>) {
        let Some(due) = h.due else { return };
        match handled {
            Some(t) if t <= due => self.observe(t, Metric::OnTime, true, h.dept.as_deref(), worker),
            Some(_) => self.observe(due, Metric::OnTime, false, h.dept.as_deref(), worker),
            // Not handled: late only if its deadline passed while its clock ran.
            None if due < end && h.paused_at.is_none_or(|p| p > due) => {
                self.observe(due, Metric::OnTime, false, h.dept.as_deref(), worker)
            }
            None => {}
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
        let mut handling: Option<HandleOcc> = None;
        let mut closure: Option<Closure> = None;
        let mut run = Step::of_state(case.state).map(|step| StepRun { step, since: case.created_at, spent: Duration::zero(), paused: false });

        for e in &log[1..] {
            let (prev_dept, prev_handler) = (dept_of(case.assignee.as_ref()), case.handler_user_id.clone());
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
                c.observe(d.at, Metric::Return, a == Answer::SentBack, d.dept.as_deref(), worker);
            }
            // Handling: ends when handled, or when the case leaves it.
            match &e.kind {
                E::Handled { .. } => {
                    if let Some(h) = handling.take() {
                        c.settle(&h, Some(e.at), e.at, case.handler_user_id.as_deref().or(actor));
                    }
                }
                E::Dispatched { .. } | E::Returned { .. } | E::Escalated { .. } | E::Merged { .. } | E::Rejected { .. } => {
                    if let Some(h) = handling.take() {
                        c.settle(&h, None, e.at, prev_handler.as_deref());
                    }
                }
                _ => {}
            }
            match &e.kind {
                E::Dispatched { to, .. } => {
                    dispatch = Some(DispatchOcc { at: e.at, dept: dept_of(Some(to)) });
                    handling = Some(HandleOcc { dept: dept_of(Some(to)), due: None, paused_at: None });
                }
                E::Verified { passed: false, .. } => {
                    handling = Some(HandleOcc { dept: dept_of(case.assignee.as_ref()), due: None, paused_at: None })
                }
                _ => {}
            }
            if let (Some(h), Some(d)) = (handling.as_mut(), case.deadline.as_ref()) {
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
            } else if let Some(r) = run.as_mut().filter(|r| Some(r.step) == next && !completes(r.step, &e.kind)) {
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
        if let Some(d) = dispatch.take() {
            c.observe(d.at, Metric::Response, false, d.dept.as_deref(), None);
            c.observe(d.at, Metric::Return, false, d.dept.as_deref(), None);
        }
        if let Some(h) = handling.take() {
            c.settle(&h, None, cutoff, case.handler_user_id.as_deref());
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

/// The counts behind the rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    /// 派遣: dispatches (响应率's and 退单率's denominator).
    pub dispatched: u64,
    /// 响应: dispatches taken up.
    pub responded: u64,
    /// 应办结: handling that settled (按期办结率's denominator).
    pub due: u64,
    /// 按期办结: handled by the deadline.
    pub on_time: u64,
    /// 办结: closures (解决率's and 重办率's denominator).
    pub closed: u64,
    /// 解决: closures that stood.
    pub resolved: u64,
    /// 评价: ratings.
    pub rated: u64,
    /// 满意: satisfied or basically satisfied.
    pub satisfied: u64,
    /// 重办: closures reopened.
    pub reopened: u64,
    /// 退单: dispatches sent back.
    pub returned: u64,
}

/// The six rates, 0–1; none where the denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rates {
    /// 响应率.
    pub response: Option<f64>,
    /// 按期办结率.
    pub on_time: Option<f64>,
    /// 解决率.
    pub resolution: Option<f64>,
    /// 满意率.
    pub satisfaction: Option<f64>,
    /// 重办率.
    pub reopen: Option<f64>,
    /// 退单率.
    #[serde(rename = "return")]
    pub return_: Option<f64>,
}

impl Rates {
    /// One rate.
    pub fn get(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::Response => self.response,
            Metric::OnTime => self.on_time,
            Metric::Resolution => self.resolution,
            Metric::Satisfaction => self.satisfaction,
            Metric::Reopen => self.reopen,
            Metric::Return => self.return_,
        }
    }
}

/// Average natural hours per step; none where no step was completed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepHours {
    /// 受理.
    pub accept: Option<f64>,
    /// 派遣.
    pub dispatch: Option<f64>,
    /// 处置.
    pub handle: Option<f64>,
    /// 核查.
    pub verify: Option<f64>,
}

impl StepHours {
    /// One step's average.
    pub fn get(&self, s: Step) -> Option<f64> {
        match s {
            Step::Accept => self.accept,
            Step::Dispatch => self.dispatch,
            Step::Handle => self.handle,
            Step::Verify => self.verify,
        }
    }
}

/// The figures of one unit (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figures {
    /// The counts.
    pub counts: Counts,
    /// The rates they give.
    pub rates: Rates,
    /// Average hours per step.
    pub avg_hours: StepHours,
}

/// Sums of observations and step times, for one unit or all.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    num: [u64; 6],
    den: [u64; 6],
    hours: [(f64, u64); 4],
}

impl Tally {
    /// Counts one observation.
    fn observe(&mut self, o: &Observation) {
        self.den[o.metric.index()] += 1;
        self.num[o.metric.index()] += u64::from(o.hit);
    }

    /// Counts one completed step.
    fn step(&mut self, s: &StepTime) {
        let i = Step::ALL.iter().position(|x| *x == s.step).expect("listed");
        self.hours[i].0 += s.hours;
        self.hours[i].1 += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        for i in 0..6 {
            self.num[i] += other.num[i];
            self.den[i] += other.den[i];
        }
        for i in 0..4 {
            self.hours[i].0 += other.hours[i].0;
            self.hours[i].1 += other.hours[i].1;
        }
    }

    /// The counts, rates and hours.
    pub fn figures(&self) -> Figures {
        let (num, den) = (|m: Metric| self.num[m.index()], |m: Metric| self.den[m.index()]);
        let rate = |m: Metric| (den(m) > 0).then(|| num(m) as f64 / den(m) as f64);
        let hours = |s: usize| {
            let (sum, n) = self.hours[s];
            (n > 0).then(|| (sum / n as f64 * 100.0).round() / 100.0)
        };
        Figures {
            counts: Counts {
                dispatched: den(Metric::Response),
                responded: num(Metric::Response),
                due: den(Metric::OnTime),
                on_time: num(Metric::OnTime),
                closed: den(Metric::Resolution),
                resolved: num(Metric::Resolution),
                rated: den(Metric::Satisfaction),
                satisfied: num(Metric::Satisfaction),
                reopened: num(Metric::Reopen),
                returned: num(Metric::Return),
            },
            rates: Rates {
                response: rate(Metric::Response),
                on_time: rate(Metric::OnTime),
                resolution: rate(Metric::Resolution),
                satisfaction: rate(Metric::Satisfaction),
                reopen: rate(Metric::Reopen),
                return_: rate(Metric::Return),
            },
            avg_hours: StepHours { accept: hours(0), dispatch: hours(1), handle: hours(2), verify: hours(3) },
        }
    }
}

/// The score (0–100) of a unit's rates: their weighted mean, 重办率 and 退单率 counted as
/// 1 − rate, over the rates it has (the weights of those it lacks are shared out); none
/// without any rate.
pub fn score(rates: &Rates, w: &Weights) -> Option<f64> {
    let (mut sum, mut wsum) = (0.0, 0.0);
    for m in Metric::ALL {
        if let Some(r) = rates.get(*m) {
            let v = if m.lower_is_better() { 1.0 - r } else { r };
            sum += w.get(*m) * v;
            wsum += w.get(*m);
        }
    }
    (wsum > 0.0).then(|| (sum / wsum * 10_000.0).round() / 100.0)
}

/// A unit evaluated: a department, an area, a grid or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unit {
    /// Department id, area or grid code, or user id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One unit's line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Row {
    /// 1 for the best score; units with the same score share a rank; none without a score.
    pub rank: Option<u32>,
    /// The unit.
    pub unit: Unit,
    /// The score, 0–100.
    pub score: Option<f64>,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The units' tallies as a period's cases are read (a page at a time, so memory stays bounded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies(BTreeMap<String, Tally>);

impl Tallies {
    /// Tallies in which the `listed` units are (with empty figures if nothing happened).
    pub fn listing(listed: &[String]) -> Tallies {
        Tallies(listed.iter().map(|u| (u.clone(), Tally::default())).collect())
    }

    /// Adds what one case says, for every unit it names.
    pub fn add(&mut self, f: &CaseFacts) {
        for o in &f.observations {
            self.unit(&o.unit).observe(o);
        }
        for s in &f.steps {
            self.unit(&s.unit).step(s);
        }
    }

    fn unit(&mut self, id: &str) -> &mut Tally {
        if !self.0.contains_key(id) {
            self.0.insert(id.to_string(), Tally::default());
        }
        self.0.get_mut(id).expect("inserted above")
    }

    /// Adds the tallies of another page.
    pub fn merge(&mut self, other: Tallies) {
        for (u, t) in other.0 {
            self.0.entry(u).or_default().merge(&t);
        }
    }

    /// Each unit's tally, by id.
    pub fn into_units(self) -> BTreeMap<String, Tally> {
        self.0
    }
}

/// The rows of a ranking, best first (units without a score last, in the order given), and
/// the total of them all.
pub fn rank(units: Vec<(Unit, Tally)>, w: &Weights) -> (Vec<Row>, Figures) {
    let mut total = Tally::default();
    let mut rows: Vec<Row> = units
        .into_iter()
        .map(|(unit, t)| {
            total.merge(&t);
            let figures = t.figures();
            Row { rank: None, unit, score: score(&figures.rates, w), figures }
        })
        .collect();
    // Stable: equal scores keep the caller's order (by name).
    rows.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if let Some(s) = r.score {
            let rank = match prev {
                Some((p, k)) if p == s => k,
                _ => i as u32 + 1,
            };
            prev = Some((s, rank));
            r.rank = Some(rank);
        }
    }
    (rows, total.figures())
}

#[cfg(test)]
mod tests;
