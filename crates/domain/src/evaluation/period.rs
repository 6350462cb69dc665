//! The period an evaluation covers: whole days, China time ([`Period`], at most [`MAX_DAYS`]).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::china_time;
use crate::DomainError;

/// The longest period one evaluation covers: a (leap) year.
pub const MAX_DAYS: i64 = 366;

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
