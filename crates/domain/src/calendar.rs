//! The working calendar and the counting rule for time limits (时限).
//!
//! A day is a working day (工作日) unless it is a Saturday or Sunday or a day off of a
//! statutory holiday (法定节假日); a make-up working day (调休) turns a Saturday or Sunday into
//! a working day. The holidays and make-up days come from `data/calendar/cn-workdays.csv`
//! (2004–2026, compiled in); an admin can add a further year from a CSV file with the same
//! columns. All clock times are China Standard Time, a fixed UTC+8 without daylight saving.
//!
//! The counting rule:
//! - **N working days** from a moment end at the same clock time on the Nth working day after
//!   that moment's day. The clock time is first clamped into working hours: before opening
//!   counts as the opening, after the end of a working period as the end of that period
//!   (lunch counts as 12:00, the evening as 17:30), and a moment on a day off as the closing
//!   time. So 20:00 on a Friday plus 1 working day is 17:30 on Monday.
//! - **N working hours** count only the time inside working hours on working days; a deadline
//!   that uses up a period exactly ends at that period's end (17:30, not 09:00 the next day).
//! - **N natural hours** are plain elapsed time, for urgent matters.
//!
//! A deadline whose count runs through a year the calendar does not cover is computed with
//! weekends only and says so (`uncovered_years`, `weekends_only`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::DomainError;

/// The shipped calendar: holidays and make-up working days 2004–2026.
const SHIPPED_CSV: &str = include_str!("../../../data/calendar/cn-workdays.csv");

/// The header every calendar CSV starts with.
pub const CSV_HEADER: &str = "date,kind,name";

/// The largest amount a time limit may have, in any unit (keeps every count bounded).
pub const MAX_AMOUNT: u32 = 10_000;

/// China Standard Time: UTC+8, no daylight saving.
pub fn china_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// What a calendar row says about its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off of a statutory holiday period (法定节假日, including days off in lieu).
    Holiday,
    /// A Saturday or Sunday that is a working day (调休 make-up working day).
    Workday,
}

impl DayKind {
    /// The CSV spelling: `holiday` or `workday`.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

/// One row of a calendar: a date, what it is, and the holiday it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarDay {
    /// The civil date in China.
    pub date: NaiveDate,
    /// Day off or make-up working day.
    pub kind: DayKind,
    /// The holiday's name, e.g. 春节.
    pub name: String,
}

/// The working periods of a working day, in China Standard Time, ordered and disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    periods: Vec<(NaiveTime, NaiveTime)>,
}

impl Default for WorkingHours {
    /// 09:00–12:00 and 13:30–17:30: seven hours, the common office hours of Chinese government
    /// service centres.
    fn default() -> Self {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        WorkingHours { periods: vec![(t(9, 0), t(12, 0)), (t(13, 30), t(17, 30))] }
    }
}

impl WorkingHours {
    /// Working periods `(from, to)`; refused unless non-empty, each `from < to`, and ordered
    /// without overlap.
    pub fn new(periods: Vec<(NaiveTime, NaiveTime)>) -> Result<Self, DomainError> {
        if periods.is_empty() {
            return Err(DomainError::invalid("working_hours", "at least one working period is needed"));
        }
        for (i, &(from, to)) in periods.iter().enumerate() {
            if from >= to {
                return Err(DomainError::invalid("working_hours", format!("period {from}–{to} ends before it starts")));
            }
            if i > 0 && periods[i - 1].1 > from {
                return Err(DomainError::invalid("working_hours", format!("period {from}–{to} overlaps the one before")));
            }
        }
        Ok(WorkingHours { periods })
    }

    /// The working periods.
    pub fn periods(&self) -> &[(NaiveTime, NaiveTime)] {
        &self.periods
    }

    /// Working time per working day.
    pub fn per_day(&self) -> Duration {
        self.periods.iter().map(|&(from, to)| to - from).sum()
    }

    /// Start of the first period.
    pub fn opening(&self) -> NaiveTime {
        self.periods[0].0
    }

    /// End of the last period.
    pub fn closing(&self) -> NaiveTime {
        self.periods[self.periods.len() - 1].1
    }

    /// A clock time moved into working hours: before opening → opening; in a gap or after
    /// closing → the end of the period before it; inside a period → unchanged.
    pub fn clamp(&self, t: NaiveTime) -> NaiveTime {
        let mut clamped = self.opening();
        for &(from, to) in &self.periods {
            if t < from {
                break;
            }
            clamped = if t <= to { t } else { to };
        }
        clamped
    }
}

/// The unit of a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Working days (工作日).
    WorkingDays,
    /// Working hours, inside working periods of working days.
    WorkingHours,
    /// Natural (elapsed) hours, for urgent matters.
    NaturalHours,
}

impl TimeUnit {
    /// The name used in the API's query parameters: `working_days`, `working_hours`, `hours`.
    pub fn param(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working_days",
            TimeUnit::WorkingHours => "working_hours",
            TimeUnit::NaturalHours => "hours",
        }
    }
}

/// A time limit: an amount of a unit, e.g. 5 working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimeLimit {
    /// How many units, 1 to 10 000.
    pub amount: u32,
    /// The unit.
    pub unit: TimeUnit,
}

impl TimeLimit {
    /// A time limit, refused (naming the unit's query parameter) unless 1 ≤ amount ≤ 10 000.
    pub fn new(amount: u32, unit: TimeUnit) -> Result<Self, DomainError> {
        if amount == 0 || amount > MAX_AMOUNT {
            return Err(DomainError::invalid(unit.param(), format!("must be between 1 and {MAX_AMOUNT}, not {amount}")));
        }
        Ok(TimeLimit { amount, unit })
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            TimeUnit::WorkingDays => "working day",
            TimeUnit::WorkingHours => "working hour",
            TimeUnit::NaturalHours => "hour",
        };
        write!(f, "{} {unit}{}", self.amount, if self.amount == 1 { "" } else { "s" })
    }
}

/// A computed deadline, with the years the calendar lacked while counting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Deadline {
    /// The start, in China Standard Time.
    #[schema(value_type = String, format = DateTime, example = "2025-01-24T10:00:00+08:00")]
    pub start: DateTime<FixedOffset>,
    /// The deadline, in China Standard Time.
    #[schema(value_type = String, format = DateTime, example = "2025-02-07T10:00:00+08:00")]
    pub deadline: DateTime<FixedOffset>,
    /// The time limit applied.
    pub rule: TimeLimit,
    /// Years the count ran through that the calendar does not cover (weekends only there).
    pub uncovered_years: Vec<i32>,
    /// True when `uncovered_years` is not empty: holidays and make-up days may be missing.
    pub weekends_only: bool,
}

/// A calendar CSV refused, with the line (1-based) and, where one is at fault, the column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}{}: {message}", column.map(|(n, name)| format!(", column {n} ({name})")).unwrap_or_default())]
pub struct CalendarCsvError {
    /// The line, counting the header as line 1.
    pub line: usize,
    /// The column at fault, 1-based, with its name (`date`, `kind` or `name`).
    pub column: Option<(usize, &'static str)>,
    /// What is wrong.
    pub message: String,
}

impl CalendarCsvError {
    fn at(line: usize, column: Option<usize>, message: impl Into<String>) -> Self {
        const NAMES: [&str; 3] = ["date", "kind", "name"];
        CalendarCsvError { line, column: column.map(|c| (c, NAMES[c - 1])), message: message.into() }
    }
}

/// Weekends, statutory holidays, make-up working days and working hours, for counting time limits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, (DayKind, String)>,
    years: BTreeSet<i32>,
    hours: WorkingHours,
}

impl WorkCalendar {
    /// A calendar from rows and the years they fully describe, with the default working hours.
    pub fn new(rows: impl IntoIterator<Item = CalendarDay>, years: impl IntoIterator<Item = i32>) -> Self {
        WorkCalendar {
            days: rows.into_iter().map(|d| (d.date, (d.kind, d.name))).collect(),
            years: years.into_iter().collect(),
            hours: WorkingHours::default(),
        }
    }

    /// The calendar compiled into the binary: China 2004–2026, default working hours.
    pub fn shipped() -> WorkCalendar {
        static SHIPPED: OnceLock<WorkCalendar> = OnceLock::new();
        SHIPPED
            .get_or_init(|| WorkCalendar::from_csv(SHIPPED_CSV).expect("data/calendar/cn-workdays.csv is valid"))
            .clone()
    }

    /// A calendar from CSV text (`date,kind,name`), with the default working hours.
    pub fn from_csv(text: &str) -> Result<WorkCalendar, CalendarCsvError> {
        let mut cal = WorkCalendar::default();
        cal.extend_from_csv(text)?;
        Ok(cal)
    }

    /// The same calendar with other working hours.
    pub fn with_hours(mut self, hours: WorkingHours) -> Self {
        self.hours = hours;
        self
    }

    /// The working hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// Adds the rows of a CSV file (header `date,kind,name`; kind `holiday` or `workday`) and
    /// returns the years it covers: those whose January 1 (元旦) it lists as a holiday. A row
    /// replaces what the calendar said about its date. Nothing changes if any line is refused.
    pub fn extend_from_csv(&mut self, text: &str) -> Result<Vec<i32>, CalendarCsvError> {
        let rows = parse_csv(text)?;
        let years: BTreeSet<i32> = rows
            .iter()
            .filter(|d| d.kind == DayKind::Holiday && d.date.month() == 1 && d.date.day() == 1)
            .map(|d| d.date.year())
            .collect();
        for d in rows {
            self.days.insert(d.date, (d.kind, d.name));
        }
        self.years.extend(&years);
        Ok(years.into_iter().collect())
    }

    /// The years the calendar describes fully; other years count weekends only.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// Whether the calendar describes `year` fully.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// What the calendar lists for a date (nothing for plain weekdays and weekends).
    pub fn day(&self, date: NaiveDate) -> Option<CalendarDay> {
        self.days.get(&date).map(|(kind, name)| CalendarDay { date, kind: *kind, name: name.clone() })
    }

    /// Every row of the calendar, by date.
    pub fn rows(&self) -> impl Iterator<Item = CalendarDay> + '_ {
        self.days.iter().map(|(date, (kind, name))| CalendarDay { date: *date, kind: *kind, name: name.clone() })
    }

    /// Whether `date` is a working day: listed make-up days are, listed holidays are not,
    /// otherwise Monday to Friday are.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some((DayKind::Holiday, _)) => false,
            Some((DayKind::Workday, _)) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The deadline of `limit` counted from `start`.
    pub fn deadline<Tz: TimeZone>(&self, start: &DateTime<Tz>, limit: TimeLimit) -> Result<Deadline, DomainError> {
        match limit.unit {
            TimeUnit::WorkingDays => self.add_working_days(start, limit.amount),
            TimeUnit::WorkingHours => self.add_working_hours(start, limit.amount),
            TimeUnit::NaturalHours => self.add_natural_hours(start, limit.amount),
        }
    }

    /// N working days: the same clock time (clamped into working hours, a day off counting as
    /// its closing time) on the Nth working day after the start's day.
    pub fn add_working_days<Tz: TimeZone>(&self, start: &DateTime<Tz>, n: u32) -> Result<Deadline, DomainError> {
        let rule = TimeLimit::new(n, TimeUnit::WorkingDays)?;
        let local = start.with_timezone(&china_time()).naive_local();
        let first = local.date();
        let time = if self.is_working_day(first) { self.hours.clamp(local.time()) } else { self.hours.closing() };
        let mut day = first;
        let mut counted = 0;
        while counted < n {
            day = next_day(day);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        Ok(self.finish(start, day.and_time(time), rule))
    }

    /// N working hours: only time inside working periods of working days counts.
    pub fn add_working_hours<Tz: TimeZone>(&self, start: &DateTime<Tz>, n: u32) -> Result<Deadline, DomainError> {
        let rule = TimeLimit::new(n, TimeUnit::WorkingHours)?;
        let local = start.with_timezone(&china_time()).naive_local();
        let mut remaining = Duration::hours(i64::from(n));
        let mut day = local.date();
        let mut from_time = local.time();
        loop {
            if self.is_working_day(day) {
                for &(from, to) in self.hours.periods() {
                    let begin = from.max(from_time);
                    if begin >= to {
                        continue;
                    }
                    let available = to - begin;
                    if remaining <= available {
                        return Ok(self.finish(start, day.and_time(begin) + remaining, rule));
                    }
                    remaining -= available;
                }
            }
            day = next_day(day);
            from_time = NaiveTime::MIN;
        }
    }

    /// N natural hours: elapsed time, whatever the calendar says.
    pub fn add_natural_hours<Tz: TimeZone>(&self, start: &DateTime<Tz>, n: u32) -> Result<Deadline, DomainError> {
        let rule = TimeLimit::new(n, TimeUnit::NaturalHours)?;
        let start = start.with_timezone(&china_time());
        let deadline = start + Duration::hours(i64::from(n));
        Ok(Deadline { start, deadline, rule, uncovered_years: vec![], weekends_only: false })
    }

    /// Wraps a local deadline, listing the uncovered years between the start and it.
    fn finish<Tz: TimeZone>(&self, start: &DateTime<Tz>, deadline: NaiveDateTime, rule: TimeLimit) -> Deadline {
        let start = start.with_timezone(&china_time());
        let uncovered_years: Vec<i32> =
            (start.year()..=deadline.year()).filter(|y| !self.covers(*y)).collect();
        let deadline = china_time().from_local_datetime(&deadline).single().expect("a fixed offset has one local time");
        Deadline { start, deadline, rule, weekends_only: !uncovered_years.is_empty(), uncovered_years }
    }
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().expect("a bounded count stays far inside chrono's date range")
}

/// Parses calendar CSV text into rows, refusing the first bad line with its line and column.
fn parse_csv(text: &str) -> Result<Vec<CalendarDay>, CalendarCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let header = lines.next().unwrap_or_default();
    if header.trim() != CSV_HEADER {
        return Err(CalendarCsvError::at(1, None, format!("expected the header `{CSV_HEADER}`, found `{header}`")));
    }
    let mut rows = vec![];
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 3 {
            return Err(CalendarCsvError::at(
                n,
                None,
                format!("expected 3 columns `{CSV_HEADER}`, found {} (names may not contain commas)", fields.len()),
            ));
        }
        if let Some(c) = fields.iter().position(|f| f.contains('"')) {
            return Err(CalendarCsvError::at(n, Some(c + 1), "quoted fields are not supported"));
        }
        let date = NaiveDate::parse_from_str(fields[0], "%Y-%m-%d")
            .ok()
            .filter(|_| fields[0].len() == 10)
            .ok_or_else(|| CalendarCsvError::at(n, Some(1), format!("`{}` is not a date in the form YYYY-MM-DD", fields[0])))?;
        let kind = match fields[1] {
            "holiday" => DayKind::Holiday,
            "workday" => DayKind::Workday,
            other => {
                return Err(CalendarCsvError::at(n, Some(2), format!("`{other}` is neither `holiday` nor `workday`")));
            }
        };
        if kind == DayKind::Workday && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return Err(CalendarCsvError::at(
                n,
                Some(2),
                format!("{date} is a {:?}; a make-up working day must be a Saturday or a Sunday", date.weekday()),
            ));
        }
        if fields[2].is_empty() {
            return Err(CalendarCsvError::at(n, Some(3), "the holiday's name is missing"));
        }
        if let Some(first) = seen.insert(date, n) {
            return Err(CalendarCsvError::at(n, Some(1), format!("{date} is already on line {first}")));
        }
        rows.push(CalendarDay { date, kind, name: fields[2].to_string() });
    }
    if rows.is_empty() {
        return Err(CalendarCsvError::at(1, None, "the file has no rows"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(cal: &WorkCalendar, start: &str, n: u32) -> String {
        cal.add_working_days(&at(start), n).unwrap().deadline.to_rfc3339()
    }

    fn hours(cal: &WorkCalendar, start: &str, n: u32) -> String {
        cal.add_working_hours(&at(start), n).unwrap().deadline.to_rfc3339()
    }

    #[test]
    fn shipped_calendar_covers_2004_to_2026() {
        let cal = WorkCalendar::shipped();
        assert_eq!(cal.covered_years().collect::<Vec<_>>(), (2004..=2026).collect::<Vec<_>>());
        assert_eq!(cal.rows().count(), 769);
        assert_eq!(cal.rows().filter(|d| d.kind == DayKind::Workday).count(), 150);
        for d in cal.rows().filter(|d| d.kind == DayKind::Workday) {
            assert!(matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun), "{d:?}");
        }
        assert_eq!(cal.hours().per_day(), Duration::hours(7));
    }

    #[test]
    fn spring_festival_2025_data() {
        let cal = WorkCalendar::shipped();
        // 调休: Sunday 2025-01-26 and Saturday 2025-02-08 are working days.
        assert_eq!(date("2025-01-26").weekday(), Weekday::Sun);
        assert!(cal.is_working_day(date("2025-01-26")));
        assert_eq!(cal.day(date("2025-01-26")).unwrap().name, "春节");
        assert_eq!(date("2025-02-08").weekday(), Weekday::Sat);
        assert!(cal.is_working_day(date("2025-02-08")));
        assert!(!cal.is_working_day(date("2025-01-25")));
        for d in ["2025-01-28", "2025-01-31", "2025-02-03", "2025-02-04"] {
            assert!(!cal.is_working_day(date(d)), "{d}");
        }
        assert!(cal.is_working_day(date("2025-01-27")));
        assert!(cal.is_working_day(date("2025-02-05")));
        assert!(!cal.is_working_day(date("2025-02-09")));
    }

    #[test]
    fn five_working_days_from_the_friday_before_spring_festival_2025() {
        let cal = WorkCalendar::shipped();
        let start = "2025-01-24T10:00:00+08:00";
        // Working days after Friday 01-24: Sun 01-26 (调休), Mon 01-27, then 01-28..02-04 off,
        // Wed 02-05, Thu 02-06, Fri 02-07.
        let d = cal.add_working_days(&at(start), 5).unwrap();
        assert_eq!(d.deadline.to_rfc3339(), "2025-02-07T10:00:00+08:00");
        assert_eq!(d.start.to_rfc3339(), start);
        assert_eq!(d.rule, TimeLimit { amount: 5, unit: TimeUnit::WorkingDays });
        assert!(d.uncovered_years.is_empty());
        assert!(!d.weekends_only);
        assert_eq!(days(&cal, start, 1), "2025-01-26T10:00:00+08:00");
        assert_eq!(days(&cal, start, 2), "2025-01-27T10:00:00+08:00");
        assert_eq!(days(&cal, start, 3), "2025-02-05T10:00:00+08:00");
        // The sixth is the 调休 Saturday, the seventh the Monday after.
        assert_eq!(days(&cal, start, 6), "2025-02-08T10:00:00+08:00");
        assert_eq!(days(&cal, start, 7), "2025-02-10T10:00:00+08:00");
        // The same start given in UTC gives the same instant.
        let utc = cal.add_working_days(&at("2025-01-24T02:00:00Z").with_timezone(&chrono::Utc), 5).unwrap();
        assert_eq!(utc.deadline.to_rfc3339(), "2025-02-07T10:00:00+08:00");
    }

    #[test]
    fn working_days_clamp_the_clock_into_working_hours() {
        let cal = WorkCalendar::shipped();
        // After closing on Friday: the end of Monday.
        assert_eq!(days(&cal, "2025-03-07T20:00:00+08:00", 1), "2025-03-10T17:30:00+08:00");
        // On a Saturday: the closing time of the first working day after it.
        assert_eq!(days(&cal, "2025-03-08T10:00:00+08:00", 1), "2025-03-10T17:30:00+08:00");
        // Before opening: the opening.
        assert_eq!(days(&cal, "2025-03-10T07:30:00+08:00", 1), "2025-03-11T09:00:00+08:00");
        // Over lunch: the end of the morning.
        assert_eq!(days(&cal, "2025-03-10T12:45:00+08:00", 2), "2025-03-12T12:00:00+08:00");
        // Inside working hours, to the second.
        assert_eq!(days(&cal, "2025-03-10T15:20:05+08:00", 1), "2025-03-11T15:20:05+08:00");
    }

    #[test]
    fn two_natural_hours_over_midnight() {
        let cal = WorkCalendar::shipped();
        let d = cal.add_natural_hours(&at("2025-03-07T23:15:00+08:00"), 2).unwrap();
        assert_eq!(d.deadline.to_rfc3339(), "2025-03-08T01:15:00+08:00");
        assert_eq!(d.rule, TimeLimit { amount: 2, unit: TimeUnit::NaturalHours });
        assert!(!d.weekends_only);
        // Given in UTC, answered in China Standard Time; a holiday night makes no difference.
        let d = cal.add_natural_hours(&at("2025-12-31T15:30:00Z"), 2).unwrap();
        assert_eq!(d.start.to_rfc3339(), "2025-12-31T23:30:00+08:00");
        assert_eq!(d.deadline.to_rfc3339(), "2026-01-01T01:30:00+08:00");
    }

    #[test]
    fn working_hours_across_lunch_and_a_weekend() {
        let cal = WorkCalendar::shipped();
        // Monday 11:00 + 2 h: 11:00–12:00, 13:30–14:30.
        assert_eq!(hours(&cal, "2025-03-03T11:00:00+08:00", 2), "2025-03-03T14:30:00+08:00");
        // Friday 16:30 + 3 h: 16:30–17:30, Monday 09:00–11:00.
        assert_eq!(hours(&cal, "2025-03-07T16:30:00+08:00", 3), "2025-03-10T11:00:00+08:00");
        // Friday 16:00 + 5 h: 1.5 h Friday, 3 h Monday morning, 0.5 h after lunch.
        assert_eq!(hours(&cal, "2025-03-07T16:00:00+08:00", 5), "2025-03-10T14:00:00+08:00");
        // A full day from the opening ends at the closing, not at 09:00 the next day.
        assert_eq!(hours(&cal, "2025-03-10T09:00:00+08:00", 7), "2025-03-10T17:30:00+08:00");
        // Saturday evening + 1 h: Monday 10:00.
        assert_eq!(hours(&cal, "2025-03-08T20:00:00+08:00", 1), "2025-03-10T10:00:00+08:00");
        // During lunch + 1 h: 14:30.
        assert_eq!(hours(&cal, "2025-03-10T12:10:00+08:00", 1), "2025-03-10T14:30:00+08:00");
    }

    #[test]
    fn national_day_golden_week_2025() {
        let cal = WorkCalendar::shipped();
        assert!(cal.is_working_day(date("2025-09-28")), "调休 Sunday");
        for d in ["2025-10-01", "2025-10-06", "2025-10-08"] {
            assert!(!cal.is_working_day(date(d)), "{d}");
        }
        assert_eq!(cal.day(date("2025-10-06")).unwrap().name, "中秋");
        assert!(cal.is_working_day(date("2025-10-11")), "调休 Saturday");
        assert!(!cal.is_working_day(date("2025-10-12")));
        // Tuesday 2025-09-30 15:00: the next working days are Thu 10-09, Fri 10-10, Sat 10-11.
        assert_eq!(days(&cal, "2025-09-30T15:00:00+08:00", 1), "2025-10-09T15:00:00+08:00");
        assert_eq!(days(&cal, "2025-09-30T15:00:00+08:00", 3), "2025-10-11T15:00:00+08:00");
        assert_eq!(days(&cal, "2025-09-30T15:00:00+08:00", 4), "2025-10-13T15:00:00+08:00");
        // Starting on the 调休 Sunday before: Mon 09-29 is the first working day after it.
        assert_eq!(days(&cal, "2025-09-28T10:00:00+08:00", 2), "2025-09-30T10:00:00+08:00");
        // 2 working hours from Tuesday 16:30: one that day, one on Thursday 10-09.
        assert_eq!(hours(&cal, "2025-09-30T16:30:00+08:00", 2), "2025-10-09T10:00:00+08:00");
    }

    #[test]
    fn a_year_without_data_counts_weekends_only_and_is_flagged() {
        let mut cal = WorkCalendar::shipped();
        // Thursday 2026-12-31 + 1 working day: without 2027 data, Friday 2027-01-01 counts.
        let d = cal.add_working_days(&at("2026-12-31T10:00:00+08:00"), 1).unwrap();
        assert_eq!(d.deadline.to_rfc3339(), "2027-01-01T10:00:00+08:00");
        assert_eq!(d.uncovered_years, vec![2027]);
        assert!(d.weekends_only);
        let d = cal.add_working_hours(&at("2027-03-01T09:00:00+08:00"), 2).unwrap();
        assert_eq!(d.uncovered_years, vec![2027]);
        // A deadline inside covered years is not flagged.
        assert!(!cal.add_working_days(&at("2026-12-01T10:00:00+08:00"), 5).unwrap().weekends_only);
        // A start before 2004 is flagged too.
        assert_eq!(cal.add_working_days(&at("2003-12-31T10:00:00+08:00"), 1).unwrap().uncovered_years, vec![2003]);

        // Loading 2027 from a file (元旦 2027-01-01) moves the deadline and clears the flag.
        let covered = cal.extend_from_csv("date,kind,name\r\n2027-01-01,holiday,元旦\r\n\r\n").unwrap();
        assert_eq!(covered, vec![2027]);
        assert!(cal.covers(2027));
        let d = cal.add_working_days(&at("2026-12-31T10:00:00+08:00"), 1).unwrap();
        assert_eq!(d.deadline.to_rfc3339(), "2027-01-04T10:00:00+08:00");
        assert!(d.uncovered_years.is_empty());
        assert!(!d.weekends_only);
    }

    #[test]
    fn extend_from_csv_adds_days_and_covers_only_years_with_new_year() {
        let mut cal = WorkCalendar::shipped();
        let csv = "date,kind,name\n2027-12-26,workday,元旦\n2028-01-01,holiday,元旦\n2028-01-03,holiday,元旦\n";
        assert_eq!(cal.extend_from_csv(csv).unwrap(), vec![2028]);
        assert!(!cal.covers(2027), "a December row of the next notice does not cover its year");
        assert!(cal.is_working_day(date("2027-12-26")));
        assert!(!cal.is_working_day(date("2028-01-03")));
    }

    #[test]
    fn malformed_csv_is_rejected_with_line_and_column() {
        let mut cal = WorkCalendar::shipped();
        let before = cal.clone();
        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.column, Some((1, "date")));
        assert_eq!(e.to_string(), "line 3, column 1 (date): `2027-02-30` is not a date in the form YYYY-MM-DD");
        assert_eq!(cal, before, "a refused file changes nothing");

        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,rest,春节\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, Some((2, "kind"))));
        // A make-up working day on a weekday (2027-02-08 is a Monday).
        let e = cal.extend_from_csv("date,kind,name\n2027-02-08,workday,春节\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, Some((2, "kind"))));
        assert!(e.to_string().contains("Saturday or a Sunday"), "{e}");
        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, None));
        assert_eq!(e.to_string(), "line 2: expected 3 columns `date,kind,name`, found 2 (names may not contain commas)");
        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday,\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, Some((3, "name"))));
        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday,元旦\n\n2027-01-01,holiday,元旦\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, Some((1, "date"))));
        assert!(e.to_string().ends_with("2027-01-01 is already on line 2"), "{e}");
        let e = cal.extend_from_csv("2027-01-01,holiday,元旦\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, None));
        let e = cal.extend_from_csv("date,kind,name\n").unwrap_err();
        assert_eq!(e.to_string(), "line 1: the file has no rows");
        let e = cal.extend_from_csv("date,kind,name\n2027-01-01,holiday,\"元旦\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, Some((3, "name"))));
        assert_eq!(cal, before);
    }

    #[test]
    fn limits_are_bounded_and_name_their_parameter() {
        let cal = WorkCalendar::shipped();
        let start = at("2025-03-03T10:00:00+08:00");
        assert_eq!(cal.add_working_days(&start, 0).unwrap_err().field(), Some("working_days"));
        assert_eq!(cal.add_working_hours(&start, MAX_AMOUNT + 1).unwrap_err().field(), Some("working_hours"));
        assert_eq!(cal.add_natural_hours(&start, 0).unwrap_err().field(), Some("hours"));
        assert!(cal.add_working_days(&start, MAX_AMOUNT).unwrap().weekends_only);
        assert_eq!(TimeLimit::new(5, TimeUnit::WorkingDays).unwrap().to_string(), "5 working days");
    }

    #[test]
    fn working_hours_are_validated_and_clamp() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(WorkingHours::new(vec![]).is_err());
        assert!(WorkingHours::new(vec![(t(12, 0), t(9, 0))]).is_err());
        assert!(WorkingHours::new(vec![(t(9, 0), t(12, 0)), (t(11, 0), t(17, 0))]).is_err());
        let h = WorkingHours::default();
        assert_eq!(h.clamp(t(6, 0)), t(9, 0));
        assert_eq!(h.clamp(t(10, 0)), t(10, 0));
        assert_eq!(h.clamp(t(12, 30)), t(12, 0));
        assert_eq!(h.clamp(t(13, 30)), t(13, 30));
        assert_eq!(h.clamp(t(23, 0)), t(17, 30));
        // Other hours: 08:30–17:00 without a lunch break.
        let cal = WorkCalendar::shipped().with_hours(WorkingHours::new(vec![(t(8, 30), t(17, 0))]).unwrap());
        assert_eq!(hours(&cal, "2025-03-07T16:00:00+08:00", 2), "2025-03-10T09:30:00+08:00");
    }
}
