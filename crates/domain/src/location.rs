//! How a case's place was found: from a point, from an address matched against the unified
//! address library, from the area the reporter named, or by a person who confirmed it.
//!
//! The geography itself (coordinate systems, the grid index, address matching) lives in the geo
//! and address crates; the domain only records the outcome, so the event log says for every case
//! how its grid and area were decided and whether a dispatcher still has to confirm them.

use serde::{Deserialize, Serialize};

use crate::area::{AreaCode, GridCode};
use crate::case::Location;

/// The way a case's place was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocatedBy {
    /// The report's point, placed in a grid by the grid index.
    Point,
    /// The report's address, matched against the unified address library.
    Address,
    /// Only the area the reporter (or his account's scope) named.
    Area,
    /// A dispatcher placed or confirmed it (`locate` action).
    Person,
}

/// One candidate standard address from the matcher, kept on the report for the dispatcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AddressCandidate {
    /// Id of the standard address in the library.
    pub id: i64,
    /// Its standard form.
    pub text: String,
    /// Match confidence, 0 to 1.
    pub confidence: f64,
    /// The grid the standard address lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridCode>,
    /// Its point, WGS84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The outcome of placing a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationFix {
    /// How the place was found.
    pub method: LocatedBy,
    /// The grid, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridCode>,
    /// The coordinate system the point came in (`wgs84`, `cgcs2000`, `gcj02`, `bd09`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The point exactly as given, before conversion to WGS84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Location>,
    /// The point lies on a border shared by several grids (placed by the stated rule).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_border: bool,
    /// The matched standard address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<i64>,
    /// Its standard form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_address: Option<String>,
    /// Confidence of the address match, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The best candidates, for a dispatcher who confirms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<AddressCandidate>,
    /// A dispatcher has to confirm the place.
    #[serde(default)]
    pub needs_confirmation: bool,
    /// Why, or what the placement rests on, in words for the dispatcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl LocationFix {
    /// A fix that rests only on the area the reporter named.
    pub fn area_only(note: Option<String>) -> Self {
        LocationFix {
            method: LocatedBy::Area,
            grid: None,
            crs: None,
            input: None,
            on_border: false,
            address_id: None,
            matched_address: None,
            confidence: None,
            candidates: Vec::new(),
            needs_confirmation: false,
            note,
        }
    }
}

/// Where a person placed a case, overriding the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Placed {
    /// The area.
    pub area: AreaCode,
    /// The grid, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridCode>,
    /// The point, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}
