//! The grid worker's patrol and visit log (巡查走访): `/api/v1/patrols`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use civicgrid_domain::{PatrolEntry, PatrolKind, Role};
use civicgrid_geo::index::Placement;
use serde::Deserialize;
use uuid::Uuid;

use crate::case::{wgs84_location, LocationInput};
use crate::kit::access::{guard, Access};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiJson, ApiQuery, SignedIn};
use crate::kit::openapi::module;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Who writes the log: grid workers and community staff.
const WRITERS: &[Role] = &[Role::GridWorker, Role::CommunityAdmin];

/// Who reads it: the writers, and the staff and leaders above them.
const READERS: &[Role] =
    &[Role::GridWorker, Role::CommunityAdmin, Role::TownDispatcher, Role::DistrictDispatcher, Role::Leader, Role::Admin];

/// `/api/v1/patrols`.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let write = OpenApiRouter::default().routes(routes!(add));
    let read = OpenApiRouter::default().routes(routes!(list));
    module("patrols", "网格员巡查走访: the grid worker's patrol and visit log")
        .merge(guard(Access::Roles { roles: WRITERS, refusal: "the patrol log is kept by grid workers and community staff" }, write))
        .merge(guard(Access::Roles { roles: READERS, refusal: "your role does not read the patrol log" }, read))
}

/// China Standard Time: the log's days are China's days.
fn china() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// An entry as a worker writes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatrolRequest {
    /// `patrol` (巡查) or `visit` (走访).
    pub kind: PatrolKind,
    /// What was seen or done (up to 1000 characters).
    pub note: String,
    /// Where (any supported coordinate system); placed in its grid.
    pub location: Option<LocationInput>,
}

/// Adds an entry to the signed-in grid worker's (or community admin's) log, placed in its grid.
#[utoipa::path(post, path = "/api/v1/patrols", tag = "patrols", request_body = PatrolRequest,
    responses((status = 201, body = PatrolEntry), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(req): ApiJson<PatrolRequest>,
) -> ApiResult<(StatusCode, Json<PatrolEntry>)> {
    let note = PatrolEntry::note(&req.note)?;
    let (mut area, mut grid, mut location) = (user.scope.clone(), None, None);
    if let Some(l) = &req.location {
        let p = wgs84_location(l)?;
        location = Some(p);
        if let Placement::Grid { grid: g, .. } = app.geo().await?.index.locate(p.lon, p.lat) {
            // A point in a grid of his own area files the entry there; elsewhere it stays at his scope.
            if user.scope.contains(&g.community()) {
                area = g.community();
                grid = Some(g);
            }
        }
    }
    let e = PatrolEntry {
        id: Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        username: user.username.clone(),
        kind: req.kind,
        area,
        grid,
        location,
        note,
        at: app.now(),
    };
    app.store.add_patrol(&e).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Which day's log, and whose.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PatrolFilter {
    /// YYYY-MM-DD, China time; today by default.
    date: Option<String>,
    /// Username, for staff above the grid worker.
    user: Option<String>,
}

/// One day's log (China's calendar day, `date=YYYY-MM-DD`, today by default). A grid worker reads
/// his own; community, town and district staff and leaders read their area's, optionally of one
/// `user` (username).
#[utoipa::path(get, path = "/api/v1/patrols", tag = "patrols", params(PatrolFilter),
    responses((status = 200, body = [PatrolEntry]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(params): ApiQuery<PatrolFilter>,
) -> ApiResult<Json<Vec<PatrolEntry>>> {
    let day = match &params.date {
        Some(d) => {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| ApiError::invalid("date", format!("date: `{d}` is not YYYY-MM-DD")))?
        }
        None => app.now().with_timezone(&china()).date_naive(),
    };
    let from =
        china().from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset").with_timezone(&Utc);
    let user_id = match user.role {
        Role::GridWorker => Some(user.id.clone()),
        Role::CommunityAdmin | Role::TownDispatcher | Role::DistrictDispatcher | Role::Leader | Role::Admin => match &params.user {
            Some(name) => {
                let u = app.store.users().await?.into_iter().find(|u| &u.username == name && user.scope.contains(&u.scope));
                Some(u.ok_or_else(|| ApiError::invalid("user", format!("user: no account `{name}` in your area")))?.id)
            }
            None => None,
        },
        _ => return Err(ApiError::forbidden("your role does not read the patrol log")),
    };
    Ok(Json(app.store.patrols(&user.scope, user_id.as_deref(), from, from + Duration::days(1)).await?))
}
