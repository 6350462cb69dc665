//! The working calendar: deadlines counted in working days, working hours or natural hours.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::Query;
use axum::Json;
use chrono::DateTime;
use civicgrid_domain::calendar::{Deadline, TimeLimit, TimeUnit, WorkCalendar};

use crate::error::{ApiError, ApiResult, ErrorBody};

/// The calendar compiled into the binary (2004–2026).
fn calendar() -> &'static WorkCalendar {
    static CAL: OnceLock<WorkCalendar> = OnceLock::new();
    CAL.get_or_init(WorkCalendar::shipped)
}

const UNITS: [TimeUnit; 3] = [TimeUnit::WorkingDays, TimeUnit::WorkingHours, TimeUnit::NaturalHours];

/// Parses an RFC 3339 moment; a `+` of the offset that arrived as a space (unencoded in the
/// query string) is put back.
fn parse_start(raw: &str) -> ApiResult<DateTime<chrono::FixedOffset>> {
    let fixed;
    let s = match raw.len().checked_sub(6) {
        Some(i) if raw.is_char_boundary(i) && raw[i..].starts_with(' ') => {
            fixed = format!("{}+{}", &raw[..i], &raw[i + 1..]);
            fixed.as_str()
        }
        _ => raw,
    };
    DateTime::parse_from_rfc3339(s)
        .map_err(|e| ApiError::invalid("start", format!("`{raw}` is not an RFC 3339 moment such as 2025-01-24T10:00:00+08:00: {e}")))
}

/// The deadline of a time limit from a start, on the shipped working calendar (weekends,
/// statutory holidays, make-up working days; working hours 09:00–12:00 and 13:30–17:30 China
/// Standard Time). Give exactly one of `working_days`, `working_hours` and `hours`. A count
/// running through a year without calendar data uses weekends only and lists that year in
/// `uncovered_years`.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "reference",
    params(("start" = String, Query, description = "RFC 3339 moment, e.g. 2025-01-24T10:00:00+08:00 (encode `+` as %2B)"),
           ("working_days" = Option<u32>, Query, description = "N working days: same clock time on the Nth working day after the start's day"),
           ("working_hours" = Option<u32>, Query, description = "N hours counted inside working hours of working days"),
           ("hours" = Option<u32>, Query, description = "N natural hours")),
    responses((status = 200, body = Deadline), (status = 422, body = ErrorBody)))]
pub(crate) async fn deadline(Query(params): Query<HashMap<String, String>>) -> ApiResult<Json<Deadline>> {
    let mut start = None;
    let mut limit: Option<(TimeUnit, &str)> = None;
    let mut keys: Vec<&String> = params.keys().collect();
    keys.sort();
    for key in keys {
        let value = params[key].as_str();
        if key == "start" {
            start = Some(parse_start(value.trim())?);
            continue;
        }
        let Some(unit) = UNITS.into_iter().find(|u| u.param() == key) else {
            return Err(ApiError::invalid(key, format!("unknown query parameter `{key}`")));
        };
        if let Some((first, _)) = limit {
            return Err(ApiError::invalid(
                key,
                format!("give only one of working_days, working_hours and hours (`{}` is already given)", first.param()),
            ));
        }
        limit = Some((unit, value));
    }
    let start = start.ok_or_else(|| ApiError::invalid("start", "start is required (RFC 3339)"))?;
    let (unit, raw) = limit.ok_or_else(|| ApiError::invalid("working_days", "give one of working_days, working_hours and hours"))?;
    let amount: u32 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid(unit.param(), format!("`{raw}` is not a whole number")))?;
    Ok(Json(calendar().deadline(&start, TimeLimit::new(amount, unit)?)?))
}
