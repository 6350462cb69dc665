//! The grid worker's patrol and visit log (巡查走访): what he walked and whom he visited, by day.
//! Entries are appended and never changed; they are not cases and move no case.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::area::{AreaCode, GridCode};
use crate::case::Location;
use crate::text::{bounded, limits};
use crate::DomainError;

crate::case::string_enum!(
    /// What kind of round an entry records.
    PatrolKind, "kind" {
        /// 巡查: a walk through the grid.
        Patrol = "patrol",
        /// 走访: a visit to a household, shop or place.
        Visit = "visit",
    }
);

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PatrolEntry {
    /// Id (UUID v7).
    pub id: String,
    /// The worker's user id.
    pub user_id: String,
    /// The worker's username.
    pub username: String,
    /// Patrol or visit.
    pub kind: PatrolKind,
    /// The deepest area (the grid's community, else the worker's scope).
    pub area: AreaCode,
    /// The grid, when the point lies in one.
    pub grid: Option<GridCode>,
    /// Where, WGS84.
    pub location: Option<Location>,
    /// What was seen or done (up to 1000 characters).
    pub note: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl PatrolEntry {
    /// Checks the note: present, bounded, no control characters.
    pub fn note(raw: &str) -> Result<String, DomainError> {
        bounded("note", raw, limits::NOTE, true)
    }
}
