//! The occasions one case's log opens and settles — a dispatch, a handling against its deadline,
//! a closure with its follow-up window — and the collector of what they say.

use chrono::{DateTime, Utc};

use super::{CaseFacts, CountRules, EvalBy, Metric, Observation, Period};
use crate::{AreaCode, Rating};

/// Who an occasion counts for: the department, the person, the centre responsible.
#[derive(Debug, Clone, Default)]
pub(super) struct Who {
    pub dept: Option<String>,
    pub worker: Option<String>,
    pub area: Option<AreaCode>,
}

/// Collects one case's observations as they settle. Grouped by area, the unit is filled in
/// once the whole log is read (where the case lies, or the responsible centre).
pub(super) struct Collector<'a> {
    pub by: EvalBy,
    pub period: &'a Period,
    pub rules: &'a CountRules,
    pub out: CaseFacts,
}

impl Collector<'_> {
    /// The unit `who` is under the grouping; none if the grouping does not apply to it.
    pub fn unit(&self, who: &Who) -> Option<String> {
        match self.by {
            EvalBy::Department => who.dept.clone(),
            EvalBy::Worker => who.worker.clone(),
            EvalBy::Town | EvalBy::Community | EvalBy::Grid => Some(String::new()),
        }
    }

    /// Counts an occasion dated `at` (it counts for the period `at` lies in).
    pub fn observe(&mut self, at: DateTime<Utc>, metric: Metric, hit: bool, who: &Who) {
        if !self.period.contains(at) {
            return;
        }
        if let Some(unit) = self.unit(who) {
            self.out.observations.push(Observation { unit, metric, hit, at, area: who.area.clone() });
        }
    }
}

/// How a dispatch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// Claimed and handled, or dispatched on by a lower centre.
    TakenUp,
    /// Sent back and the return accepted on review: a wrong dispatch.
    WrongDispatch,
    /// Taken back by the centre before anyone claimed it (撤回): the centre's correction.
    Recalled,
    /// Escalated, merged or rejected before it was taken up.
    Gone,
    /// Still running when the period (or `as_of`) ended.
    Cutoff,
}

/// A dispatch, from `dispatched` until it is handled or leaves the unit: 响应率, 退单率, 挂起率 for
/// the unit it was sent to, 派单准确率 for the dispatcher.
pub(super) struct DispatchOcc {
    pub at: DateTime<Utc>,
    /// The unit it was sent to; `worker` is the first who answered it.
    pub to: Who,
    /// The dispatcher and his centre.
    pub by: Who,
    /// 响应率 settled.
    pub responded: bool,
    /// A return waits for the centre's review.
    pub review: bool,
    /// A return was refused on review (不合理退单).
    pub bad_return: bool,
    /// Its handling was suspended.
    pub suspended: bool,
}

impl DispatchOcc {
    /// A dispatch at `at` to `to` by `by`.
    pub fn new(at: DateTime<Utc>, to: Who, by: Who) -> DispatchOcc {
        DispatchOcc { at, to, by, responded: false, review: false, bad_return: false, suspended: false }
    }

    /// Settles 响应率 once: taken up by `worker`, or not.
    pub fn respond(&mut self, c: &mut Collector<'_>, hit: bool, worker: Option<&str>) {
        if self.responded {
            return;
        }
        if hit && self.to.worker.is_none() {
            self.to.worker = worker.map(str::to_string);
        }
        let who = Who { worker: if hit { self.to.worker.clone() } else { None }, ..self.to.clone() };
        c.observe(self.at, Metric::Response, hit, &who);
        self.responded = true;
    }

    /// Settles the rest as the dispatch ends. Only a return accepted on review is a wrong
    /// dispatch; one still waiting when the case leaves (or the period ends) counts against
    /// nobody. A wrong dispatch's suspension was not the unit's either.
    pub fn end(mut self, c: &mut Collector<'_>, end: End, worker: Option<&str>) {
        if end == End::Recalled && !self.responded {
            // Never the unit's to answer: only the dispatcher's accuracy counts it.
            c.observe(self.at, Metric::Accuracy, false, &self.by);
            return;
        }
        self.respond(c, end == End::TakenUp, worker);
        let wrong = matches!(end, End::WrongDispatch | End::Recalled);
        // `to.worker` is whoever answered (claimed, or sent it back); none if nobody did.
        c.observe(self.at, Metric::Return, self.bad_return, &self.to);
        c.observe(self.at, Metric::Suspension, self.suspended && !wrong, &self.to);
        c.observe(self.at, Metric::Accuracy, !wrong, &self.by);
    }
}

/// Handling running against its deadline (按期办结率).
pub(super) struct HandleOcc {
    pub to: Who,
    pub due: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    /// An extension asked for before the deadline in force is waiting for its decision: until
    /// then that deadline passing does not make the handling late.
    pub extension_pending: bool,
    /// The deadline that extension asks for.
    pub asked_until: Option<DateTime<Utc>>,
    /// When the last extension or return was decided: lateness that was waiting for the
    /// decision is dated then, so it counts in the period it became known.
    pub decided_at: Option<DateTime<Utc>>,
    /// A return waits for review: accepted, the handling was never the unit's; refused, the
    /// deadline that ran on through the review judges it.
    pub review: bool,
    /// Judged late already: nothing later (an extension, a suspension, an escalation) changes it.
    pub late: bool,
}

impl HandleOcc {
    /// Handling by `to`, its deadline not yet known.
    pub fn new(to: Who) -> HandleOcc {
        HandleOcc { to, due: None, paused_at: None, extension_pending: false, asked_until: None, decided_at: None, review: false, late: false }
    }

    /// True if the deadline in force passed before `at` while the clock ran and no extension
    /// asked for in time, nor a return, was waiting for a decision.
    fn overdue_before(&self, at: DateTime<Utc>) -> bool {
        match self.due {
            Some(due) => {
                !self.late && !self.extension_pending && !self.review && due < at && self.paused_at.is_none_or(|p| p > due)
            }
            None => false,
        }
    }

    /// Judges the handling late, at its deadline, the moment the log passes that deadline
    /// unhandled (before the event at `at` is applied): lateness is fixed when it happens (or,
    /// if a decision was awaited then, when it was decided).
    pub fn judge(&mut self, c: &mut Collector<'_>, at: DateTime<Utc>, worker: Option<&str>) {
        if self.overdue_before(at) {
            let due = self.due.expect("overdue has a deadline");
            let dated = self.decided_at.filter(|d| *d > due).unwrap_or(due);
            c.observe(dated, Metric::OnTime, false, &Who { worker: worker.map(str::to_string), ..self.to.clone() });
            self.late = true;
        }
    }

    /// Settles handling that ended at `end` (handled at `handled`, or not) or still runs then.
    /// Handled while an extension waits for its decision, it is judged by the deadline asked for.
    pub fn settle(mut self, c: &mut Collector<'_>, handled: Option<DateTime<Utc>>, end: DateTime<Utc>, worker: Option<&str>) {
        self.judge(c, end, worker);
        if let (Some(due), Some(t)) = (self.due, handled) {
            if !self.late {
                let due = if self.extension_pending { self.asked_until.map_or(due, |u| u.max(due)) } else { due };
                c.observe(t, Metric::OnTime, t <= due, &Who { worker: worker.map(str::to_string), ..self.to });
            }
        }
    }
}

/// A closure whose follow-up window is still open.
pub(super) struct Closure {
    pub at: DateTime<Utc>,
    pub to: Who,
    /// No verification failed since the handling began.
    pub first_try: bool,
    pub reopened: bool,
    pub unsatisfied: bool,
    /// Rated within the follow-up window (参评).
    pub rated: bool,
    /// The reporter's rating, given within the rating window (the default rating's days when
    /// that is on, else the follow-up window).
    pub rating: Option<Rating>,
}

impl Closure {
    /// True while `t` lies in the closure's follow-up window.
    pub fn within(&self, t: DateTime<Utc>, rules: &CountRules) -> bool {
        t <= self.at + rules.window()
    }

    /// Settles the closure's rates, its window read up to `read_to`. Every rate counts for the
    /// closing period.
    pub fn settle(self, c: &mut Collector<'_>, read_to: DateTime<Utc>) {
        let (at, who) = (self.at, &self.to);
        c.observe(at, Metric::Resolution, !self.reopened && !self.unsatisfied, who);
        c.observe(at, Metric::Reopen, self.reopened, who);
        c.observe(at, Metric::FirstFix, self.first_try && !self.reopened, who);
        c.observe(at, Metric::Participation, self.rated, who);
        match self.rating {
            Some(r) => c.observe(at, Metric::Satisfaction, r != Rating::Unsatisfied, who),
            // 默认满意: once the rating window has passed unrated.
            None if c.rules.default_satisfied_days.is_some() && read_to > at + c.rules.rating_window() => {
                c.observe(at, Metric::Satisfaction, true, who)
            }
            None => {}
        }
    }
}
