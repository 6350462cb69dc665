//! Reports near a point, for the resident's map (as FixMyStreet shows what neighbours reported):
//! the last 30 days within a kilometre, only of public-space categories (streets, facilities,
//! hazards), without any text, at a place rounded to about a hundred metres. Disputes, public
//! order and care for people are never shown: they are about persons, not places.

use axum::extract::State;
use axum::Json;
use chrono::Duration;
use civicgrid_domain::{AreaLevel, CaseState, Visibility};
use civicgrid_geo::index::Placement;
use civicgrid_store::CaseQuery;
use serde::{Deserialize, Serialize};

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::ApiQuery;
use crate::reference::CategoryRef;
use crate::AppState;

/// How far around the point, metres.
const RADIUS_M: f64 = 1000.0;
/// How far back, days.
const DAYS: i64 = 30;
/// Cases of the town examined, newest first.
const EXAMINED: u32 = 200;
/// Main classes about public space (市容环境, 宣传广告, 施工管理, 突发事件, 街面秩序, 其他) and the
/// subclasses of places: fire, building, gas hazards; supply, lighting and public facilities.
const PUBLIC_CLASSES: [&str; 6] = ["01", "02", "03", "04", "05", "06"];
const PUBLIC_SUBCLASSES: [&str; 6] = ["1201", "1203", "1204", "1301", "1303", "1304"];

/// The point asked about (WGS84).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NearbyQuery {
    /// Longitude.
    lon: f64,
    /// Latitude.
    lat: f64,
}

/// One report near the point.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NearbyReport {
    /// Its tracking code.
    pub code: String,
    /// Its category.
    pub category: CategoryRef,
    /// Its state.
    pub state: CaseState,
    /// When it was reported.
    pub reported_at: chrono::DateTime<chrono::Utc>,
    /// Where, rounded to 0.001° (about 100 m).
    pub lon: f64,
    /// Where, rounded to 0.001° (about 100 m).
    pub lat: f64,
}

/// True for a category about public space, which neighbours may see on a map.
fn is_public(category: &str) -> bool {
    PUBLIC_CLASSES.iter().any(|c| category.starts_with(c)) || PUBLIC_SUBCLASSES.contains(&category)
}

/// Metres between two WGS84 points (haversine).
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let (dla, dlo) = ((b.1 - a.1).to_radians(), (b.0 - a.0).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Reports of public-space problems within a kilometre of a point in the last 30 days, newest
/// first: category, state, day and a place rounded to about 100 m; no text, no photo, no person.
#[utoipa::path(get, path = "/api/v1/nearby", tag = "tracking",
    params(NearbyQuery),
    responses((status = 200, body = [NearbyReport]), (status = 422, body = ErrorBody)))]
pub(crate) async fn nearby(State(app): State<AppState>, ApiQuery(q): ApiQuery<NearbyQuery>) -> ApiResult<Json<Vec<NearbyReport>>> {
    if !(-180.0..=180.0).contains(&q.lon) {
        return Err(ApiError::invalid("lon", format!("lon: {} is not a longitude", q.lon)));
    }
    if !(-90.0..=90.0).contains(&q.lat) {
        return Err(ApiError::invalid("lat", format!("lat: {} is not a latitude", q.lat)));
    }
    let snap = app.geo().await?;
    let area = match snap.index.locate(q.lon, q.lat) {
        Placement::Grid { grid, .. } => Some(grid.community()),
        Placement::Area { area, .. } => Some(area),
        _ => None,
    };
    // The point's town: a kilometre reaches past its community.
    let Some(town) = area.and_then(|a| a.at_level(AreaLevel::Town).or(Some(a))) else { return Ok(Json(Vec::new())) };
    let query = CaseQuery {
        visibility: Visibility::Everything,
        area: Some(town),
        created_from: Some(app.now() - Duration::days(DAYS)),
        limit: EXAMINED,
        ..Default::default()
    };
    let rd = app.refdata().await?;
    let page = app.store.list_cases(&query).await?;
    let out = page
        .items
        .iter()
        .filter(|c| !matches!(c.state, CaseState::Rejected | CaseState::Merged) && is_public(c.report.category.as_str()))
        .filter_map(|c| {
            let at = c.location()?;
            (distance_m((q.lon, q.lat), (at.lon, at.lat)) <= RADIUS_M).then(|| NearbyReport {
                code: c.code.to_string(),
                category: CategoryRef::of(&c.report.category, &rd),
                state: c.state,
                reported_at: c.created_at,
                lon: round3(at.lon),
                lat: round3(at.lat),
            })
        })
        .collect();
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_space_is_shown() {
        for c in ["0102", "0405", "0504", "1201", "1303", "1304"] {
            assert!(is_public(c), "{c}");
        }
        for c in ["1101", "1102", "1302", "1401", "1403", "1105"] {
            assert!(!is_public(c), "{c}: about persons");
        }
    }

    #[test]
    fn distances_are_metres() {
        let d = distance_m((122.12, 37.51), (122.12, 37.519));
        assert!((d - 1000.8).abs() < 2.0, "{d}");
        assert_eq!(round3(122.12345), 122.123);
    }
}
