//! Time limits (时限) per category and priority for each step of the case loop, and the step
//! deadlines they give on the working calendar: when a step starts, and how a granted extension
//! or a suspension moves it.
//!
//! This is the pure half of time limits. Keeping the deadlines on cases, the durable timers that
//! warn and mark cases overdue, and the rules that act on them are the store's and the server's,
//! and come next.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::calendar::{TimeLimit, TimeUnit, WorkCalendar};
use crate::case::{string_enum, CaseState, Priority};
use crate::{CategoryCode, DomainError};

/// civicgrid's default time limits (`data/time_limits.csv`).
const SHIPPED: &str = include_str!("../../../data/time_limits.csv");

string_enum!(
    /// A step of the loop that runs against a time limit.
    Step, "step" {
        /// 受理: a reported case waits to be accepted.
        Accept = "accept",
        /// 派遣: an accepted (or returned) case waits to be dispatched.
        Dispatch = "dispatch",
        /// 处置: a dispatched case waits to be handled.
        Handle = "handle",
        /// 核查: a handled case waits to be verified.
        Verify = "verify",
    }
);

impl Step {
    /// The step a case in `state` is running, if any (final and suspended states run none).
    pub fn of_state(state: CaseState) -> Option<Step> {
        match state {
            CaseState::Reported => Some(Step::Accept),
            CaseState::Accepted | CaseState::Returned => Some(Step::Dispatch),
            CaseState::Dispatched | CaseState::InProgress => Some(Step::Handle),
            CaseState::Handled => Some(Step::Verify),
            _ => None,
        }
    }
}

/// One row of the table: `None` matches any category or priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitRule {
    /// A main class or a subclass; `None` for every category.
    pub category: Option<CategoryCode>,
    /// `None` for every priority.
    pub priority: Option<Priority>,
    /// The step.
    pub step: Step,
    /// The limit.
    pub limit: TimeLimit,
}

impl LimitRule {
    /// How closely the rule fits: `None` if it does not apply; more is more specific (a subclass
    /// beats its main class, which beats any category; a priority beats any priority).
    fn fit(&self, category: &CategoryCode, priority: Priority, step: Step) -> Option<u8> {
        if self.step != step || self.priority.is_some_and(|p| p != priority) {
            return None;
        }
        let category_fit = match &self.category {
            None => 0,
            Some(c) if c == category => 2 + (c.as_str().len() == 4) as u8,
            Some(c) if category.parent().as_ref() == Some(c) => 2,
            Some(_) => return None,
        };
        Some(category_fit * 2 + self.priority.is_some() as u8)
    }
}

/// The time limits of every step, by category and priority.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeLimits {
    rules: Vec<LimitRule>,
    /// The share of a step's time after which a warning is due (0.8: at 80 % of the time).
    pub warn_at: f64,
}

impl TimeLimits {
    /// civicgrid's defaults, compiled in.
    pub fn shipped() -> TimeLimits {
        TimeLimits::from_csv(SHIPPED).expect("the shipped time limits parse")
    }

    /// Reads `category,priority,step,amount,unit` rows (`*` for any category or priority; units
    /// `working_days`, `working_hours`, `hours`); every error names its line and column.
    pub fn from_csv(text: &str) -> Result<TimeLimits, DomainError> {
        const COLUMNS: [&str; 5] = ["category", "priority", "step", "amount", "unit"];
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, header)) if header.trim().trim_start_matches('\u{feff}') == COLUMNS.join(",") => {}
            _ => return Err(DomainError::invalid("line 1", format!("the header must be `{}`", COLUMNS.join(",")))),
        }
        let mut rules = Vec::new();
        for (i, line) in lines {
            let line_no = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != COLUMNS.len() {
                return Err(DomainError::invalid(format!("line {line_no}"), format!("{} columns, expected 5", fields.len())));
            }
            let at = |c: usize| format!("line {line_no}, column {} ({})", c + 1, COLUMNS[c]);
            let any = |s: &str| s == "*" || s.is_empty();
            let category = if any(fields[0]) {
                None
            } else {
                Some(CategoryCode::parse(fields[0]).map_err(|e| DomainError::invalid(at(0), e.to_string()))?)
            };
            let priority = if any(fields[1]) {
                None
            } else {
                Some(Priority::from_str(fields[1]).map_err(|e| DomainError::invalid(at(1), e.to_string()))?)
            };
            let step = Step::from_str(fields[2]).map_err(|e| DomainError::invalid(at(2), e.to_string()))?;
            let amount: u32 = fields[3].parse().map_err(|_| DomainError::invalid(at(3), format!("`{}` is not a whole number", fields[3])))?;
            let unit = match fields[4] {
                "working_days" => TimeUnit::WorkingDays,
                "working_hours" => TimeUnit::WorkingHours,
                "hours" => TimeUnit::NaturalHours,
                other => return Err(DomainError::invalid(at(4), format!("`{other}` is not working_days, working_hours or hours"))),
            };
            let limit = TimeLimit::new(amount, unit).map_err(|e| DomainError::invalid(at(3), e.to_string()))?;
            let rule = LimitRule { category, priority, step, limit };
            if rules.iter().any(|r: &LimitRule| r.category == rule.category && r.priority == rule.priority && r.step == rule.step) {
                return Err(DomainError::invalid(format!("line {line_no}"), "the same category, priority and step are given twice"));
            }
            rules.push(rule);
        }
        for step in Step::ALL {
            if !rules.iter().any(|r| r.step == *step && r.category.is_none() && r.priority.is_none()) {
                return Err(DomainError::invalid("time limits", format!("no default row `*,*,{step},…`: every step needs one")));
            }
        }
        Ok(TimeLimits { rules, warn_at: 0.8 })
    }

    /// The limit of `step` for a case of `category` and `priority`: the most specific row.
    pub fn limit(&self, category: &CategoryCode, priority: Priority, step: Step) -> TimeLimit {
        self.rules
            .iter()
            .filter_map(|r| r.fit(category, priority, step).map(|fit| (fit, r.limit)))
            .max_by_key(|(fit, _)| *fit)
            .map(|(_, limit)| limit)
            .expect("every step has a default row")
    }
}

/// The deadline of the step a case is running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepDeadline {
    /// The step.
    pub step: Step,
    /// When the step started.
    pub started: DateTime<Utc>,
    /// When a warning is due (at `warn_at` of the step's elapsed time).
    pub warn: DateTime<Utc>,
    /// When the step is overdue.
    pub due: DateTime<Utc>,
    /// The limit applied.
    pub limit: TimeLimit,
    /// The count ran through a year without calendar data: weekends only there.
    pub weekends_only: bool,
    /// Set while the case is suspended: the clock stopped then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_at: Option<DateTime<Utc>>,
}

impl StepDeadline {
    /// The deadline of `step` started at `at` for a case of `category` and `priority`.
    pub fn start(
        calendar: &WorkCalendar,
        limits: &TimeLimits,
        category: &CategoryCode,
        priority: Priority,
        step: Step,
        at: DateTime<Utc>,
    ) -> Result<StepDeadline, DomainError> {
        let limit = limits.limit(category, priority, step);
        let d = calendar.deadline(&at, limit)?;
        let due = d.deadline.with_timezone(&Utc);
        Ok(StepDeadline { step, started: at, warn: warn_time(at, due, limits.warn_at), due, limit, weekends_only: d.weekends_only, paused_at: None })
    }

    /// The deadline after an extension to `until` was granted; the warning keeps its share.
    pub fn extended(&self, until: DateTime<Utc>, warn_at: f64) -> StepDeadline {
        StepDeadline { due: until, warn: warn_time(self.started, until, warn_at), ..self.clone() }
    }

    /// The deadline after a suspension from `from` to `to`: suspended time does not count, so
    /// whatever of the step was still ahead at `from` moves by the suspension's length.
    pub fn resumed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StepDeadline {
        let paused = (to - from).max(Duration::zero());
        let shift = |t: DateTime<Utc>| if t > from { t + paused } else { t };
        StepDeadline { warn: shift(self.warn), due: shift(self.due), paused_at: None, ..self.clone() }
    }

    /// The deadline with its clock stopped at `at` (a suspension).
    pub fn paused(&self, at: DateTime<Utc>) -> StepDeadline {
        StepDeadline { paused_at: Some(at), ..self.clone() }
    }

    /// The card a reader sees at `now`: red once overdue, yellow once past the warning time;
    /// none while the clock is stopped.
    pub fn card(&self, now: DateTime<Utc>) -> Option<Card> {
        if self.paused_at.is_some() {
            None
        } else if now >= self.due {
            Some(Card::Red)
        } else if now >= self.warn {
            Some(Card::Yellow)
        } else {
            None
        }
    }

    /// True once `now` is past the deadline.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        now >= self.due
    }
}

string_enum!(
    /// The mark on a case whose deadline is near or past (红黄牌).
    Card, "card" {
        /// 黄牌: past the warning time.
        Yellow = "yellow",
        /// 红牌: past the deadline.
        Red = "red",
    }
);

/// The moment `share` of the way from `start` to `due`.
fn warn_time(start: DateTime<Utc>, due: DateTime<Utc>, share: f64) -> DateTime<Utc> {
    let span = (due - start).num_seconds().max(0) as f64;
    start + Duration::seconds((span * share.clamp(0.0, 1.0)).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn cat(s: &str) -> CategoryCode {
        CategoryCode::parse(s).unwrap()
    }

    #[test]
    fn the_most_specific_row_wins() {
        let l = TimeLimits::shipped();
        let days = |n| TimeLimit::new(n, TimeUnit::WorkingDays).unwrap();
        assert_eq!(l.limit(&cat("0102"), Priority::Normal, Step::Handle), days(5), "the default");
        assert_eq!(l.limit(&cat("1101"), Priority::Normal, Step::Handle), days(10), "disputes: their main class's row");
        assert_eq!(l.limit(&cat("0102"), Priority::High, Step::Handle), days(3), "a priority row beats the default");
        assert_eq!(l.limit(&cat("0102"), Priority::Urgent, Step::Handle), TimeLimit::new(2, TimeUnit::NaturalHours).unwrap());
        let custom = TimeLimits::from_csv(
            "category,priority,step,amount,unit\n*,*,accept,1,hours\n*,*,dispatch,1,hours\n*,*,handle,5,working_days\n*,*,verify,1,hours\n\
             11,*,handle,10,working_days\n1101,*,handle,15,working_days\n11,urgent,handle,1,working_days\n",
        )
        .unwrap();
        assert_eq!(custom.limit(&cat("1101"), Priority::Normal, Step::Handle), days(15), "a subclass beats its main class");
        assert_eq!(custom.limit(&cat("1102"), Priority::Normal, Step::Handle), days(10));
        assert_eq!(custom.limit(&cat("1102"), Priority::Urgent, Step::Handle), days(1), "main class and priority beat main class alone");
    }

    #[test]
    fn a_broken_table_names_line_and_column() {
        for (text, field) in [
            ("category,priority,step,amount,unit\n*,*,accept,2,weeks\n", "line 2, column 5 (unit)"),
            ("category,priority,step,amount,unit\n*,*,accept,2,hours\n*,soon,handle,1,hours\n", "line 3, column 2 (priority)"),
            ("category,priority,step,amount,unit\n*,*,accept,0,hours\n", "line 2, column 4 (amount)"),
            ("category,priority,step,amount,unit\n*,*,close,1,hours\n", "line 2, column 3 (step)"),
            ("category,priority,step,amount,unit\n*,*,accept,1,hours\n", "time limits"),
            ("category,priority,step\n", "line 1"),
        ] {
            let e = TimeLimits::from_csv(text).unwrap_err();
            assert_eq!(e.field(), Some(field), "{text}: {e}");
        }
    }

    #[test]
    fn five_working_days_over_spring_festival_2025() {
        // Friday 2025-01-24 10:00: Sunday 01-26 is a make-up working day, 01-28 to 02-04 are off.
        let d = StepDeadline::start(&WorkCalendar::shipped(), &TimeLimits::shipped(), &cat("0102"), Priority::Normal, Step::Handle, t("2025-01-24T10:00:00+08:00"))
            .unwrap();
        assert_eq!(d.due, t("2025-02-07T10:00:00+08:00"));
        assert!(!d.weekends_only);
        assert!(d.warn > d.started && d.warn < d.due);
    }

    #[test]
    fn two_natural_hours_run_over_midnight() {
        let d = StepDeadline::start(&WorkCalendar::shipped(), &TimeLimits::shipped(), &cat("0402"), Priority::Urgent, Step::Handle, t("2025-03-07T23:00:00+08:00"))
            .unwrap();
        assert_eq!(d.due, t("2025-03-08T01:00:00+08:00"));
        assert_eq!(d.warn, t("2025-03-08T00:36:00+08:00"), "at 80 % of two hours");
    }

    #[test]
    fn an_extension_and_a_suspension_move_the_deadline() {
        let d = StepDeadline::start(&WorkCalendar::shipped(), &TimeLimits::shipped(), &cat("0102"), Priority::Normal, Step::Handle, t("2025-03-03T09:00:00+08:00"))
            .unwrap();
        assert_eq!(d.due, t("2025-03-10T09:00:00+08:00"));
        let e = d.extended(t("2025-03-14T17:30:00+08:00"), 0.8);
        assert_eq!(e.due, t("2025-03-14T17:30:00+08:00"));
        assert!(e.warn > d.warn && e.warn < e.due);
        // Suspended for two days in the middle: what was ahead moves by two days.
        let r = e.resumed(t("2025-03-05T09:00:00+08:00"), t("2025-03-07T09:00:00+08:00"));
        assert_eq!(r.due, t("2025-03-16T17:30:00+08:00"));
        assert_eq!(r.started, d.started);
        // A suspension after the deadline does not move it back to the future.
        let late = d.resumed(t("2025-03-11T09:00:00+08:00"), t("2025-03-12T09:00:00+08:00"));
        assert_eq!(late.due, d.due);
        assert!(late.is_overdue(t("2025-03-12T09:00:00+08:00")));
    }

    #[test]
    fn each_open_state_runs_one_step() {
        assert_eq!(Step::of_state(CaseState::Reported), Some(Step::Accept));
        assert_eq!(Step::of_state(CaseState::Returned), Some(Step::Dispatch));
        assert_eq!(Step::of_state(CaseState::InProgress), Some(Step::Handle));
        assert_eq!(Step::of_state(CaseState::Handled), Some(Step::Verify));
        assert_eq!(Step::of_state(CaseState::Suspended), None);
        assert_eq!(Step::of_state(CaseState::Closed), None);
    }
}
