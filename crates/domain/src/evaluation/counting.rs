//! How cases are counted (part of the published method, 考核办法): the follow-up window after a
//! closure, the optional default rating, and which unit a case counts for when grouped by area
//! ([`CountRules`], [`Attribution`]).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::{EvalBy, Period};
use crate::case::string_enum;
use crate::DomainError;

string_enum!(
    /// Which town or community a case counts for.
    Attribution, "attribution" {
        /// 属地: the area the case lies in, whoever worked on it.
        Location = "location",
        /// 责任: the centre responsible for each occasion (the one a case was dispatched to, or
        /// the one that owned it), so a town is not scored on a city department's work.
        Responsibility = "responsibility",
    }
);

/// The counting rules in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CountRules {
    /// 回访期: natural days after a closure in which its reopening or rating counts for it; the
    /// closing period is provisional until the window of its last day has passed.
    pub follow_up_days: u32,
    /// 默认满意: a closure the reporter has not rated within this many days counts as satisfied
    /// (not as rated in 参评率). Off (none) unless the city turns it on.
    pub default_satisfied_days: Option<u32>,
    /// Which town a case counts for.
    pub town: Attribution,
    /// Which community a case counts for.
    pub community: Attribution,
}

impl Default for CountRules {
    fn default() -> Self {
        CountRules { follow_up_days: 7, default_satisfied_days: None, town: Attribution::Location, community: Attribution::Location }
    }
}

impl CountRules {
    /// Refuses a window of 0 days or one over a year, and a default rating later than the window.
    pub fn validate(self, field: &str) -> Result<CountRules, DomainError> {
        if !(1..=366).contains(&self.follow_up_days) {
            return Err(DomainError::invalid(field, format!("follow_up_days is {}; give 1 to 366 days", self.follow_up_days)));
        }
        if let Some(d) = self.default_satisfied_days.filter(|d| *d == 0 || *d > self.follow_up_days) {
            return Err(DomainError::invalid(
                field,
                format!("default_satisfied_days is {d}; give 1 to follow_up_days ({}) days", self.follow_up_days),
            ));
        }
        Ok(self)
    }

    /// The follow-up window.
    pub fn window(&self) -> Duration {
        Duration::days(i64::from(self.follow_up_days))
    }

    /// How long a rating is waited for: the default rating's days when on, else the window.
    pub fn rating_window(&self) -> Duration {
        Duration::days(i64::from(self.default_satisfied_days.unwrap_or(self.follow_up_days)))
    }

    /// When `period`'s figures become final: once the window of its last closure has passed.
    pub fn final_at(&self, period: &Period) -> DateTime<Utc> {
        period.end() + self.window()
    }

    /// The attribution of a grouping by area; none for departments and people.
    pub fn attribution(&self, by: EvalBy) -> Option<Attribution> {
        match by {
            EvalBy::Town => Some(self.town),
            EvalBy::Community => Some(self.community),
            EvalBy::Grid => Some(Attribution::Location),
            EvalBy::Department | EvalBy::Worker => None,
        }
    }
}
