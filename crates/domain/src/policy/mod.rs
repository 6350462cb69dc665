//! What the platform does on its own: it puts a deadline on a case each time a step starts,
//! says which timers should watch that deadline, turns a fired timer into events, and runs the
//! supervision and escalation rules (督办, 升级, 重办) after each event.
//!
//! All of it is pure: the store calls [`CasePolicy::execute`], [`CasePolicy::report`] and
//! [`CasePolicy::fire`] inside its transactions and keeps the timers [`CasePolicy::timers`] asks for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use crate::calendar::{TimeLimit, TimeUnit, WorkCalendar};
use crate::case::{string_enum, EventKind};
use crate::timelimit::{Step, StepDeadline, TimeLimits};
use crate::{Actor, AreaLevel, Case, CaseCode, CaseEvent, Command, DomainError, NewCase, Rating};

/// The supervision and escalation rules, as configured (`[rules]` in `civicgrid.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// An overdue case is put under supervision (逾期自动督办).
    pub supervise_overdue: bool,
    /// A case overdue by more than this many working days goes to the level above.
    pub escalate_overdue_days: Option<u32>,
    /// A case returned this many times goes to the level above (退单升级).
    pub escalate_after_returns: Option<u32>,
    /// An unsatisfied rating sends the case back to its centre to be dispatched again (重办).
    pub redo_unsatisfied: bool,
    /// At most this many extensions granted per case.
    pub max_extensions: Option<u32>,
    /// The extensions of a case add at most this many natural days in all.
    pub max_extension_days: Option<u32>,
    /// A suspension ends by itself after this many natural days: the clock runs again.
    pub max_suspension_days: Option<u32>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            supervise_overdue: true,
            escalate_overdue_days: Some(3),
            escalate_after_returns: Some(2),
            redo_unsatisfied: true,
            max_extensions: Some(2),
            max_extension_days: Some(30),
            max_suspension_days: Some(30),
        }
    }
}

string_enum!(
    /// What a timer does when it fires.
    TimerKind, "kind" {
        /// Warns that the step's warning time has passed (黄牌).
        Warn = "warn",
        /// Marks the step overdue (红牌).
        Overdue = "overdue",
        /// Escalates a case overdue by more than the configured working days.
        Escalate = "escalate",
        /// Ends a suspension that reached the configured length.
        Resume = "resume",
    }
);

/// A timer a case should have: fire `kind` at `at` for the deadline `due` of `step`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerSpec {
    /// What it does.
    pub kind: TimerKind,
    /// The step whose deadline it watches.
    pub step: Step,
    /// That deadline; a timer whose deadline has moved on is stale and does nothing.
    pub due: DateTime<Utc>,
    /// When it fires.
    pub at: DateTime<Utc>,
}

/// The calendar, the time limits and the rules: everything the case loop does on its own.
#[derive(Debug, Clone)]
pub struct CasePolicy {
    /// Working days and hours.
    pub calendar: WorkCalendar,
    /// Time limits per category, priority and step.
    pub limits: TimeLimits,
    /// Supervision and escalation rules.
    pub rules: Rules,
}

/// Most events one command may cause through the rules (the command's own event included).
const MAX_CHAIN: usize = 6;

impl CasePolicy {
    /// The shipped calendar and time limits with the default rules.
    pub fn shipped() -> CasePolicy {
        CasePolicy { calendar: WorkCalendar::shipped(), limits: TimeLimits::shipped(), rules: Rules::default() }
    }

    /// Reports a case (see [`Case::report`]) with its accept step's deadline.
    pub fn report(
        &self,
        id: Uuid,
        code: CaseCode,
        new: NewCase,
        handling_level: AreaLevel,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Case, CaseEvent), DomainError> {
        let (mut case, mut event) = Case::report(id, code, new, handling_level, actor, now)?;
        event.deadline = self.start(&case, Step::Accept, now);
        case.deadline = event.deadline.clone();
        Ok((case, event))
    }

    /// Decides and applies `cmd`, then whatever the rules do in answer; answers every event,
    /// each carrying the deadline it set.
    pub fn execute(&self, case: &mut Case, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<Vec<CaseEvent>, DomainError> {
        self.within_limits(case, &cmd)?;
        let event = case.decide(actor, cmd, now)?;
        let mut out = vec![self.commit(case, event)];
        self.follow_rules(case, &mut out, now);
        Ok(out)
    }

    /// Refuses an extension past the configured limits (how many, how long in all); the request
    /// is refused, not cut short, so the handler knows what he may still ask for.
    fn within_limits(&self, case: &Case, cmd: &Command) -> Result<(), DomainError> {
        let Command::RequestExtension { until, .. } = cmd else { return Ok(()) };
        let r = &self.rules;
        if let Some(max) = r.max_extensions.filter(|m| case.extensions_granted >= *m) {
            return Err(DomainError::invalid("until", format!("this case has had {max} extensions, the most the rules allow")));
        }
        if let (Some(days), Some(d)) = (r.max_extension_days, &case.deadline) {
            let left = chrono::Duration::days(i64::from(days)) - chrono::Duration::seconds(case.extension_seconds);
            if *until > d.due + left {
                let latest = (d.due + left.max(chrono::Duration::zero())).with_timezone(&crate::calendar::china_time());
                return Err(DomainError::invalid(
                    "until",
                    format!("extensions may add {days} days in all to this case; the latest deadline you may ask for is {}", latest.format("%Y-%m-%d %H:%M")),
                ));
            }
        }
        Ok(())
    }

    /// The events a fired timer causes: none if the deadline it watched has moved on.
    pub fn fire(&self, case: &mut Case, timer: &TimerSpec, now: DateTime<Utc>) -> Vec<CaseEvent> {
        let Some(d) = &case.deadline else { return Vec::new() };
        if timer.kind == TimerKind::Resume {
            // The suspension it watched is the one still running.
            if d.paused_at != Some(timer.due) || case.state != crate::CaseState::Suspended {
                return Vec::new();
            }
            let days = self.rules.max_suspension_days.unwrap_or(0);
            let Ok(e) = case.decide(&Actor::System, Command::Resume { note: Some(format!("挂起满{days}天，自动恢复计时")) }, now) else {
                return Vec::new();
            };
            let mut out = vec![self.commit(case, e)];
            self.follow_rules(case, &mut out, now);
            return out;
        }
        if d.step != timer.step || d.due != timer.due || d.paused_at.is_some() || Step::of_state(case.state) != Some(d.step) {
            return Vec::new();
        }
        let event = match timer.kind {
            TimerKind::Warn => self.system_event(case, EventKind::DeadlineWarned { step: d.step, due: d.due }, now),
            TimerKind::Overdue => self.system_event(case, EventKind::Overdue { step: d.step, due: d.due }, now),
            TimerKind::Escalate => {
                let days = self.rules.escalate_overdue_days.unwrap_or(0);
                let reason = format!("{}超过时限{days}个工作日，自动升级", step_name(d.step));
                match case.decide(&Actor::System, Command::Escalate { reason }, now) {
                    Ok(e) => e,
                    // Already at the top level: nothing above to escalate to.
                    Err(_) => return Vec::new(),
                }
            }
            TimerKind::Resume => unreachable!("handled above"),
        };
        let mut out = vec![self.commit(case, event)];
        self.follow_rules(case, &mut out, now);
        out
    }

    /// When the case is expected to be resolved (handled): the running step's deadline, counted on
    /// through the steps still ahead of handling on the working calendar; `None` once handled,
    /// while suspended, or with no deadline running.
    pub fn expected_resolution(&self, case: &Case) -> Option<DateTime<Utc>> {
        let d = case.deadline.as_ref().filter(|d| d.paused_at.is_none())?;
        let ahead = [Step::Accept, Step::Dispatch, Step::Handle];
        let from = ahead.iter().position(|s| *s == d.step)?;
        let mut due = d.due;
        for step in &ahead[from + 1..] {
            due = StepDeadline::start(&self.calendar, &self.limits, &case.report.category, case.report.priority, *step, due).ok()?.due;
        }
        Some(due)
    }

    /// The timers that should watch `case` as it stands: warning, overdue and (if configured)
    /// escalation for the running step; none while suspended or with no step running.
    pub fn timers(&self, case: &Case) -> Vec<TimerSpec> {
        let Some(d) = &case.deadline else { return Vec::new() };
        if let (Some(at), Some(days), crate::CaseState::Suspended) = (d.paused_at, self.rules.max_suspension_days, case.state) {
            let end = at + chrono::Duration::days(i64::from(days));
            return vec![TimerSpec { kind: TimerKind::Resume, step: d.step, due: at, at: end }];
        }
        if d.paused_at.is_some() || Step::of_state(case.state) != Some(d.step) {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(3);
        if d.warn < d.due {
            out.push(TimerSpec { kind: TimerKind::Warn, step: d.step, due: d.due, at: d.warn });
        }
        out.push(TimerSpec { kind: TimerKind::Overdue, step: d.step, due: d.due, at: d.due });
        if let Some(days) = self.rules.escalate_overdue_days.filter(|n| *n > 0) {
            let limit = TimeLimit::new(days, TimeUnit::WorkingDays).expect("a positive day count");
            if let Ok(e) = self.calendar.deadline(&d.due, limit) {
                out.push(TimerSpec { kind: TimerKind::Escalate, step: d.step, due: d.due, at: e.deadline.with_timezone(&Utc) });
            }
        }
        out
    }

    /// Stamps `event` with the deadline it sets and applies it.
    fn commit(&self, case: &mut Case, mut event: CaseEvent) -> CaseEvent {
        event.deadline = self.deadline_after(case, &event);
        case.apply(&event);
        event
    }

    /// The deadline `event` sets on `before`: a new one when a step starts (or starts over), the
    /// old one paused, resumed or extended, or `None` to leave the case's deadline as it is.
    fn deadline_after(&self, before: &Case, event: &CaseEvent) -> Option<StepDeadline> {
        let mut after = before.clone();
        after.apply(event);
        let step = Step::of_state(after.state);
        let old = before.deadline.as_ref();
        match (&event.kind, old) {
            (EventKind::Suspended { .. } | EventKind::SuspensionDecided { granted: true, .. }, Some(d)) => {
                return Some(d.paused(event.at))
            }
            // The same step under the new category's limit, counted from when the step began; an
            // extension granted for it stands.
            (EventKind::Reclassified { .. }, Some(d)) => {
                if before.extended_until == Some(d.due) {
                    return None;
                }
                let mut again = self.start(&after, d.step, d.started)?;
                again.paused_at = d.paused_at;
                return Some(again);
            }
            // A refused return: the handling deadline ran on through the review.
            (EventKind::ReturnReviewed { accepted: false, .. }, _) => {
                if let Some(d) = before.returned_from.as_ref().and_then(|f| f.deadline.clone()) {
                    return Some(d);
                }
            }
            (EventKind::Resumed { .. }, Some(d)) if Some(d.step) == step => {
                if let Some(at) = d.paused_at {
                    return Some(d.resumed(at, event.at));
                }
            }
            (EventKind::ExtensionDecided { granted: true, until, .. } | EventKind::DeadlineSet { until, .. }, Some(d))
                if Some(d.step) == step =>
            {
                return Some(d.extended(*until, self.limits.warn_at));
            }
            _ => {}
        }
        let starts_over =
            matches!(event.kind, EventKind::Escalated { .. } | EventKind::Reopened { .. } | EventKind::Verified { passed: false, .. });
        if starts_over || step != Step::of_state(before.state) {
            step.and_then(|s| self.start(&after, s, event.at))
        } else {
            None
        }
    }

    /// The deadline of `step` started at `at` for `case`; `None` only if the calendar cannot count it.
    fn start(&self, case: &Case, step: Step, at: DateTime<Utc>) -> Option<StepDeadline> {
        StepDeadline::start(&self.calendar, &self.limits, &case.report.category, case.report.priority, step, at).ok()
    }

    /// Runs the rules over each new event, applying what they command as the system.
    fn follow_rules(&self, case: &mut Case, out: &mut Vec<CaseEvent>, now: DateTime<Utc>) {
        let mut i = 0;
        while i < out.len() && out.len() < MAX_CHAIN {
            if let Some(cmd) = self.react(case, &out[i]) {
                // A rule that no longer fits (the state moved on) simply does nothing.
                if let Ok(e) = case.decide(&Actor::System, cmd, now) {
                    let e = self.commit(case, e);
                    out.push(e);
                }
            }
            i += 1;
        }
    }

    /// What the rules command in answer to `event`, which has been applied to `case`.
    fn react(&self, case: &Case, event: &CaseEvent) -> Option<Command> {
        let r = &self.rules;
        match &event.kind {
            EventKind::Overdue { step, due } if r.supervise_overdue && !case.supervised => Some(Command::Supervise {
                instruction: format!(
                    "逾期自动督办：{}时限 {} 已过",
                    step_name(*step),
                    due.with_timezone(&crate::calendar::china_time()).format("%Y-%m-%d %H:%M")
                ),
            }),
            EventKind::ReturnReviewed { accepted: true, .. }
                if r.escalate_after_returns.is_some_and(|n| n > 0 && case.return_count >= n)
                    && matches!(case.owner_area.level(), AreaLevel::Village | AreaLevel::Town | AreaLevel::County) =>
            {
                Some(Command::Escalate { reason: format!("退回{}次，自动升级", case.return_count) })
            }
            EventKind::Rated { rating: Rating::Unsatisfied, .. } if r.redo_unsatisfied => {
                Some(Command::Reopen { reason: "群众评价不满意，自动重办".into() })
            }
            _ => None,
        }
    }

    /// An event of the system's own (a timer's) on `case`.
    fn system_event(&self, case: &Case, kind: EventKind, now: DateTime<Utc>) -> CaseEvent {
        CaseEvent { case_id: case.id, seq: case.version + 1, at: now, actor: Actor::System.to_ref(), kind, deadline: None }
    }
}

/// The Chinese name of a step, as notices and rule reasons use it.
pub fn step_name(step: Step) -> &'static str {
    match step {
        Step::Accept => "受理",
        Step::Dispatch => "派遣",
        Step::Handle => "处置",
        Step::Verify => "核查",
    }
}

#[cfg(test)]
mod tests;
