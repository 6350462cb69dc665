//! What a report brings: the point ([`Location`]), the tracking code ([`CaseCode`]) and the
//! report itself, raw ([`NewCaseInput`]) and validated ([`NewCase`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{Channel, Priority};
use crate::location::LocationFix;
use crate::text::{bounded, limits};
use crate::{AreaCode, Category, CategoryCode, DomainError};

/// A point in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

impl Location {
    /// Checks the point lies on the earth and roughly in China's bounding box.
    pub fn new(lon: f64, lat: f64) -> Result<Self, DomainError> {
        if !lon.is_finite() || !(73.0..=136.0).contains(&lon) {
            return Err(DomainError::invalid("location.lon", format!("{lon} is outside China (73..136)")));
        }
        if !lat.is_finite() || !(3.0..=54.0).contains(&lat) {
            return Err(DomainError::invalid("location.lat", format!("{lat} is outside China (3..54)")));
        }
        Ok(Location { lon, lat })
    }
}

/// The human-readable tracking code of a case: the report date and a daily sequence,
/// `YYYYMMDD` + at least 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "20261123000042")]
pub struct CaseCode(String);

impl CaseCode {
    /// The code for the `seq`th case reported on the day of `at`.
    pub fn new(at: DateTime<Utc>, seq: u64) -> Self {
        CaseCode(format!("{}{:06}", Self::day(at), seq))
    }

    /// The day a code is numbered in: the calendar date in China (UTC+8) of `at`.
    pub fn day(at: DateTime<Utc>) -> String {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        at.with_timezone(&china).format("%Y%m%d").to_string()
    }

    /// Parses a tracking code as a resident types it.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.len() < 14 || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("code", "a tracking code is the 8-digit date followed by at least 6 digits"));
        }
        Ok(CaseCode(s.to_string()))
    }

    /// The code's digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CaseCode::parse(&s)
    }
}

impl From<CaseCode> for String {
    fn from(c: CaseCode) -> String {
        c.0
    }
}

/// A new case, validated and ready to be reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    /// Short title; derived from the description when not given.
    pub title: String,
    /// What is wrong, in the reporter's words.
    pub description: String,
    /// Category code.
    pub category: CategoryCode,
    /// Priority.
    pub priority: Priority,
    /// How it came in.
    pub channel: Channel,
    /// The deepest known area where it is.
    pub area: AreaCode,
    /// The point, in WGS84.
    pub location: Option<Location>,
    /// The address as given.
    pub address: Option<String>,
    /// Reporter's phone, encrypted by the store's cipher; never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_phone_enc: Option<String>,
    /// Reporter's phone, masked for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_phone_masked: Option<String>,
    /// Reporter's phone as a keyed hash (a blind index): a caller's cases are found by it
    /// without decrypting any phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_phone_index: Option<String>,
    /// Attachment references given with the report.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Answers to the category's service attributes (Open311), by attribute code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<crate::attributes::AttributeValues>,
    /// Further contact details (e-mail, names, device id) as JSON, encrypted by the store's cipher; never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_contact_enc: Option<String>,
    /// How the place (area, grid, point) was found; absent on reports made before the grid existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located: Option<LocationFix>,
}

/// The raw fields of a report, before validation.
#[derive(Debug, Clone, Default)]
pub struct NewCaseInput {
    /// Optional title.
    pub title: Option<String>,
    /// Description.
    pub description: String,
    /// Optional address text.
    pub address: Option<String>,
    /// Channel.
    pub channel: Channel,
    /// Optional point.
    pub location: Option<Location>,
    /// Attachment references.
    pub attachments: Vec<String>,
}

impl NewCase {
    /// Validates a report's free text against the limits and fills in what derives from the
    /// category. The phone is encrypted by the caller, which owns the key.
    pub fn validate(input: NewCaseInput, category: &Category, area: AreaCode) -> Result<NewCase, DomainError> {
        let description = bounded("description", &input.description, limits::DESCRIPTION, true)?;
        let title = match input.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => bounded("title", t, limits::TITLE, true)?,
            None => {
                let first_line = description.lines().next().unwrap_or_default();
                let mut t: String = first_line.chars().take(30).collect();
                if first_line.chars().count() > 30 {
                    t.push('…');
                }
                t
            }
        };
        let address = match input.address.as_deref() {
            Some(a) if !a.trim().is_empty() => Some(bounded("address", a, limits::ADDRESS, true)?),
            _ => None,
        };
        Ok(NewCase {
            title,
            description,
            category: category.code.clone(),
            priority: category.priority,
            channel: input.channel,
            area,
            location: input.location,
            address,
            reporter_phone_enc: None,
            reporter_phone_masked: None,
            reporter_phone_index: None,
            attachments: validate_attachments(input.attachments)?,
            attributes: None,
            reporter_contact_enc: None,
            located: None,
        })
    }
}

pub(super) fn validate_attachments(list: Vec<String>) -> Result<Vec<String>, DomainError> {
    if list.len() > limits::ATTACHMENTS {
        return Err(DomainError::invalid("attachments", format!("at most {} attachments", limits::ATTACHMENTS)));
    }
    list.iter().enumerate().map(|(i, a)| bounded(&format!("attachments[{i}]"), a, limits::ATTACHMENT_REF, true)).collect()
}
