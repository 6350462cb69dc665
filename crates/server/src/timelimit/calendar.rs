//! The working calendar: deadlines counted in working days, working hours or natural hours.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use chrono::DateTime;
use civicgrid_domain::calendar::{Deadline, TimeLimit, TimeUnit, WorkCalendar};
use civicgrid_store::CalendarFile;
use serde::Serialize;

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiQuery, SignedIn};
use crate::AppState;

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

/// A deadline question: the start and one of the three counts.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// RFC 3339 moment, e.g. 2025-01-24T10:00:00+08:00 (encode `+` as %2B).
    start: String,
    /// N working days: same clock time on the Nth working day after the start's day.
    working_days: Option<u32>,
    /// N hours counted inside working hours of working days.
    working_hours: Option<u32>,
    /// N natural hours.
    hours: Option<u32>,
}

/// The deadline of a time limit from a start, on the working calendar in force (weekends,
/// statutory holidays, make-up working days; working hours 09:00–12:00 and 13:30–17:30 China
/// Standard Time). Give exactly one of `working_days`, `working_hours` and `hours`. A count
/// running through a year without calendar data uses weekends only and lists that year in
/// `uncovered_years`.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "reference",
    params(DeadlineQuery),
    responses((status = 200, body = Deadline), (status = 422, body = ErrorBody)))]
pub(crate) async fn deadline(State(app): State<AppState>, ApiQuery(q): ApiQuery<DeadlineQuery>) -> ApiResult<Json<Deadline>> {
    let start = parse_start(&q.start)?;
    let given: Vec<(TimeUnit, u32)> =
        UNITS.into_iter().zip([q.working_days, q.working_hours, q.hours]).filter_map(|(u, n)| Some((u, n?))).collect();
    let (unit, amount) = match given.as_slice() {
        [] => return Err(ApiError::invalid("working_days", "give one of working_days, working_hours and hours")),
        [one] => *one,
        [(first, _), (second, _), ..] => {
            return Err(ApiError::invalid(
                first.param(),
                format!("give only one of working_days, working_hours and hours (`{}` and `{}` are given)", first.param(), second.param()),
            ))
        }
    };
    Ok(Json(app.store.policy().calendar.deadline(&start, TimeLimit::new(amount, unit)?)?))
}

/// One year of the calendar in force.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    /// The year.
    pub year: i32,
    /// `shipped` (compiled in) or `loaded` (from a file an admin loaded, which wins).
    pub source: &'static str,
    /// When it was loaded.
    pub loaded_at: Option<DateTime<chrono::Utc>>,
}

/// The years the calendar covers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYears {
    /// Oldest first.
    pub years: Vec<CalendarYear>,
}

/// What loading a file changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarLoaded {
    /// The years the file covers.
    pub years: Vec<i32>,
}

/// The calendar's years and where each comes from.
#[utoipa::path(get, path = "/api/v1/admin/calendar", tag = "admin",
    responses((status = 200, body = CalendarYears), (status = 403, body = ErrorBody)))]
pub(crate) async fn years(State(app): State<AppState>) -> ApiResult<Json<CalendarYears>> {
    let shipped = WorkCalendar::shipped();
    let mut loaded: HashMap<i32, DateTime<chrono::Utc>> = HashMap::new();
    for f in app.store.calendar_files().await? {
        for y in f.years {
            loaded.insert(y, f.loaded_at);
        }
    }
    let calendar = &app.store.policy().calendar;
    let years = calendar
        .covered_years()
        .map(|year| match loaded.get(&year) {
            Some(at) => CalendarYear { year, source: "loaded", loaded_at: Some(*at) },
            None if shipped.covers(year) => CalendarYear { year, source: "shipped", loaded_at: None },
            None => CalendarYear { year, source: "loaded", loaded_at: None },
        })
        .collect();
    Ok(Json(CalendarYears { years }))
}

/// Loads a further year's calendar (`date,kind,name` CSV as the body: `holiday` for each day off
/// of a holiday period, `workday` for each make-up working day), as the State Council publishes
/// it. Checked whole first: an error names its line and column and changes nothing. Deadlines
/// started from then on count with it; those already set keep theirs.
#[utoipa::path(post, path = "/api/v1/admin/calendar", tag = "admin", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = CalendarLoaded), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn load(State(app): State<AppState>, SignedIn(user): SignedIn, body: Bytes) -> ApiResult<Json<CalendarLoaded>> {
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::invalid_file("body", format!("the file is not UTF-8: {e}"), serde_json::json!({})))?;
    let policy = app.store.policy();
    let mut calendar = policy.calendar.clone();
    let years = calendar.extend_from_csv(text).map_err(|e| {
        let field = match e.column {
            Some((n, name)) => format!("line {}, column {n} ({name})", e.line),
            None => format!("line {}", e.line),
        };
        ApiError::invalid_file(&field, e.to_string(), serde_json::json!({ "line": e.line, "column": e.column.map(|c| c.0) }))
    })?;
    app.store
        .add_calendar_file(&CalendarFile {
            years: years.clone(),
            body: text.to_string(),
            loaded_by: user.username.clone(),
            loaded_at: app.now(),
        })
        .await?;
    app.store.set_policy(std::sync::Arc::new(civicgrid_domain::CasePolicy { calendar, ..(*policy).clone() }));
    tracing::info!(by = %user.username, ?years, "calendar file loaded");
    Ok(Json(CalendarLoaded { years }))
}
