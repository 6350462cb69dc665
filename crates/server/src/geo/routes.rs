//! Grids, area outlines and point lookup: `/api/v1/grids`, `/api/v1/boundaries`, `/api/v1/locate`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use civicgrid_domain::{AreaCode, GridCode, Role};
use civicgrid_geo::index::Placement;
use civicgrid_geo::{Crs, GridKind};
use civicgrid_store::StoredGrid;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::str::FromStr;

use super::snapshot::{import_grids, GridImportReport, ImportRefusal};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiQuery, MaybeUser, SignedIn};
use crate::reference::AreaRef;
use crate::{AppState, RefData};

fn geometry(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// A grid as a GeoJSON feature; staff usernames only for staff readers.
fn grid_feature(g: &StoredGrid, rd: &RefData, with_staff: bool) -> Value {
    let r = &g.record;
    let community = r.code.community();
    let mut props = json!({
        "code": r.code.as_str(),
        "name": r.name,
        "type": r.kind,
        "type_label": GridKind::from_str(&r.kind).map(|k| k.label_zh()).unwrap_or_default(),
        "community": community.as_str(),
        "community_name": rd.area_name(&community),
        "households": r.households,
        "population": r.population,
        "version": g.version,
        "valid_from": g.valid_from,
    });
    if with_staff {
        props["staff"] = r.staff.clone();
    }
    json!({"type": "Feature", "id": r.code.as_str(), "properties": props, "geometry": geometry(&r.geometry)})
}

fn is_staff(user: &MaybeUser) -> bool {
    user.0.as_ref().is_some_and(|u| u.role != Role::Resident)
}

/// An optional area filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AreaFilter {
    /// Area code; everything when absent.
    area: Option<String>,
}

impl AreaFilter {
    fn area(&self) -> ApiResult<Option<AreaCode>> {
        self.area.as_deref().map(|a| AreaCode::parse(a).map_err(|e| ApiError::invalid("area", e.to_string()))).transpose()
    }
}

/// The grids in force under an area, as a GeoJSON FeatureCollection (WGS84). Each feature's
/// properties carry `code`, `name`, `type` (and its Chinese `type_label`), the community, the
/// households and population covered, the version in force, and for staff the grid's staff.
#[utoipa::path(get, path = "/api/v1/grids", tag = "geography",
    params(AreaFilter),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object), (status = 422, body = ErrorBody)))]
pub(crate) async fn grids(State(app): State<AppState>, user: MaybeUser, ApiQuery(filter): ApiQuery<AreaFilter>) -> ApiResult<Json<Value>> {
    let area = filter.area()?;
    let rd = app.refdata().await?;
    let staff = is_staff(&user);
    let features: Vec<Value> = app.store.grids(area.as_ref()).await?.iter().map(|g| grid_feature(g, &rd, staff)).collect();
    Ok(Json(json!({"type": "FeatureCollection", "features": features})))
}

/// One grid with every version it has had (which polygon was in force when).
#[utoipa::path(get, path = "/api/v1/grids/{code}", tag = "geography", params(("code" = String, Path)),
    responses((status = 200, description = "GeoJSON Feature with `versions`", body = Object), (status = 404, body = ErrorBody)))]
pub(crate) async fn grid(State(app): State<AppState>, user: MaybeUser, Path(code): Path<String>) -> ApiResult<Json<Value>> {
    let code = GridCode::parse(&code).map_err(|_| ApiError::not_found("grid"))?;
    let rd = app.refdata().await?;
    let current = app.store.grids(Some(&code.community())).await?.into_iter().find(|g| g.record.code == code);
    let current = current.ok_or_else(|| ApiError::not_found("grid"))?;
    let mut feature = grid_feature(&current, &rd, is_staff(&user));
    let versions: Vec<Value> = app
        .store
        .grid_history(&code)
        .await?
        .iter()
        .map(|v| {
            json!({"version": v.version, "valid_from": v.valid_from, "valid_to": v.valid_to, "changed_by": v.changed_by,
                   "name": v.record.name, "type": v.record.kind, "households": v.record.households,
                   "population": v.record.population, "geometry": geometry(&v.record.geometry)})
        })
        .collect();
    feature["versions"] = Value::Array(versions);
    Ok(Json(feature))
}

/// The area outlines, as a GeoJSON FeatureCollection (`code`, `name`, `level`).
#[utoipa::path(get, path = "/api/v1/boundaries", tag = "geography",
    params(AreaFilter),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object)))]
pub(crate) async fn boundaries(State(app): State<AppState>, ApiQuery(filter): ApiQuery<AreaFilter>) -> ApiResult<Json<Value>> {
    let area = filter.area()?;
    let rd = app.refdata().await?;
    let features: Vec<Value> = app
        .store
        .boundaries()
        .await?
        .iter()
        .filter(|b| area.as_ref().is_none_or(|a| a.contains(&b.area)))
        .map(|b| {
            json!({"type": "Feature", "id": b.area.as_str(),
                   "properties": {"code": b.area.as_str(), "name": rd.area_name(&b.area), "level": b.area.level()},
                   "geometry": geometry(&b.geometry)})
        })
        .collect();
    Ok(Json(json!({"type": "FeatureCollection", "features": features})))
}

/// Import options.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportParams {
    /// Check only; write nothing.
    #[serde(default)]
    dry_run: bool,
    /// The file's coordinate system, when it does not say.
    crs: Option<String>,
}

fn crs_param(p: &ImportParams) -> ApiResult<Option<Crs>> {
    p.crs.as_deref().map(|c| super::snapshot::parse_crs("crs", c)).transpose()
}

fn body_text(body: &Bytes) -> ApiResult<&str> {
    std::str::from_utf8(body).map_err(|e| ApiError::invalid("body", format!("body: not UTF-8 at byte {}", e.valid_up_to())))
}

fn refused(what: &str, r: ImportRefusal) -> ApiError {
    let n = r.problems.len();
    let first = r.problems.first().map(|p| p.message.clone()).unwrap_or_default();
    let more = if n > 1 { format!(" (and {} more)", n - 1) } else { String::new() };
    ApiError::invalid_file_listing("body", format!("{what} refused, nothing written: {first}{more}"), "problems", r.problems)
}

/// Imports grids from a GeoJSON FeatureCollection (admin). Every check runs before anything is
/// written: rings that do not close, self-intersections, holes outside shells, grids outside their
/// community's outline, overlaps and gaps (with their areas), duplicate and unknown codes. Any
/// problem refuses the whole file (`invalid_file`, every problem in `details.problems`).
#[utoipa::path(post, path = "/api/v1/grids/import", tag = "geography",
    params(ImportParams),
    request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, body = GridImportReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn import(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<GridImportReport>> {
    let crs = crs_param(&params)?;
    let grids = civicgrid_geo::read_grids_geojson(body_text(&body)?, crs).map_err(|e| refused("grid file", ImportRefusal::from_read(e)))?;
    checked_import(&app, &user, params.dry_run, "grid file", grids, Vec::new()).await
}

/// Checks grids and outlines against each other and the stored ones, and writes them unless
/// something is wrong or this is a dry run.
async fn checked_import(
    app: &AppState,
    user: &civicgrid_domain::User,
    dry_run: bool,
    what: &str,
    grids: Vec<civicgrid_geo::GridFeature>,
    outlines: Vec<civicgrid_geo::AreaBoundary>,
) -> ApiResult<Json<GridImportReport>> {
    // An admin imports only what lies under his scope, dry runs included (issue 22 finding 3).
    let outside = outside_scope(&user.scope, &grids, &outlines);
    if !outside.is_empty() {
        return Err(refused(what, ImportRefusal { problems: outside }));
    }
    let rd = app.refdata().await?;
    let outcome = import_grids(app.store.as_ref(), &rd, grids, outlines, &user.username, app.now(), dry_run).await?;
    app.invalidate_geo();
    outcome.map(Json).map_err(|r| refused(what, r))
}

/// Every grid and outline of a file that lies outside `scope`, as problems naming the feature.
fn outside_scope(
    scope: &AreaCode,
    grids: &[civicgrid_geo::GridFeature],
    outlines: &[civicgrid_geo::AreaBoundary],
) -> Vec<super::snapshot::ProblemView> {
    let codes = grids.iter().map(|g| (g.code.community(), g.code.as_str().to_string())).chain(outlines.iter().map(|o| (o.area.clone(), o.area.to_string())));
    codes
        .enumerate()
        .filter(|(_, (area, _))| !scope.contains(area))
        .map(|(i, (area, code))| super::snapshot::ProblemView {
            kind: "outside_scope".into(),
            feature: Some(i + 1),
            message: format!("feature {} ({code}): {area} is outside your scope {scope}", i + 1),
            code: Some(code),
        })
        .collect()
}

/// Imports area outlines (communities, towns, counties) from a GeoJSON FeatureCollection whose
/// properties carry `code` (admin). Grids are then checked against them.
#[utoipa::path(post, path = "/api/v1/boundaries/import", tag = "geography",
    params(ImportParams),
    request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, body = GridImportReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn import_boundaries(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<GridImportReport>> {
    let crs = crs_param(&params)?;
    let outlines =
        civicgrid_geo::read_boundaries_geojson(body_text(&body)?, crs).map_err(|e| refused("outline file", ImportRefusal::from_read(e)))?;
    checked_import(&app, &user, params.dry_run, "outline file", Vec::new(), outlines).await
}

/// Where a point is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LocateView {
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// The grid, if the point lies in one.
    pub grid: Option<String>,
    /// On a border shared by grids (placed by the lowest-code rule).
    pub on_border: bool,
    /// The deepest area: the grid's community, else the smallest area around the point.
    pub area: Option<AreaRef>,
    /// Its path from the province.
    pub path: Vec<AreaRef>,
    /// True when the point lies in no grid: a dispatcher would confirm a case reported here.
    pub needs_confirmation: bool,
}

/// A point to place.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LocateQuery {
    /// Longitude, inside China.
    #[param(minimum = 73.0, maximum = 136.0)]
    lon: f64,
    /// Latitude, inside China.
    #[param(minimum = 3.0, maximum = 54.0)]
    lat: f64,
    /// wgs84 (default), cgcs2000, gcj02, bd09.
    crs: Option<String>,
}

/// Point → grid, community, town and county. `crs` says what the point is in.
#[utoipa::path(get, path = "/api/v1/locate", tag = "geography",
    params(LocateQuery),
    responses((status = 200, body = LocateView), (status = 422, body = ErrorBody)))]
pub(crate) async fn locate(State(app): State<AppState>, ApiQuery(q): ApiQuery<LocateQuery>) -> ApiResult<Json<LocateView>> {
    let crs = q.crs.as_deref().map(|c| super::snapshot::parse_crs("crs", c)).transpose()?.unwrap_or(Crs::Wgs84);
    let (lon, lat) = (q.lon, q.lat);
    civicgrid_domain::Location::new(lon, lat)
        .map_err(|e| ApiError::invalid(e.field().unwrap_or("lon").trim_start_matches("location."), e.to_string()))?;
    let (x, y) = civicgrid_geo::to_wgs84(crs, lon, lat);
    let rd = app.refdata().await?;
    let snap = app.geo().await?;
    let (grid, on_border, area) = match snap.index.locate(x, y) {
        Placement::Grid { grid, on_border } => {
            let c = grid.community();
            (Some(grid.as_str().to_string()), on_border, Some(c))
        }
        Placement::Area { area } => (None, false, Some(area)),
        Placement::Outside => (None, false, None),
    };
    Ok(Json(LocateView {
        lon: x,
        lat: y,
        needs_confirmation: grid.is_none(),
        grid,
        on_border,
        path: area.as_ref().map(|a| AreaRef::path(a, &rd)).unwrap_or_default(),
        area: area.as_ref().map(|a| AreaRef::of(a, &rd)),
    }))
}

/// Imports standard addresses from a CSV or Excel sheet (admin): `text/csv` or the xlsx content
/// type. Areas may be names or codes (resolved within the admin's scope); points are converted to
/// WGS84 and placed in their grid. Any bad row refuses the whole sheet (`invalid_file`, every row
/// error in `details.rows`).
#[utoipa::path(post, path = "/api/v1/addresses/import", tag = "geography",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, description = "`{\"added\": n}`", body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn import_addresses(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let kind = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let rows = if kind.contains("spreadsheetml") {
        civicgrid_address::read_xlsx(&body)
    } else if kind.starts_with("text/csv") || kind.is_empty() {
        civicgrid_address::read_csv(&body)
    } else {
        return Err(ApiError::invalid("content-type", format!("content-type: `{kind}`; send text/csv or an xlsx sheet")));
    };
    let sheet_refused = |rows: Vec<super::snapshot::RowErrorView>| {
        let n = rows.len();
        let first = rows.first().map(|r| r.message.clone()).unwrap_or_default();
        let more = if n > 1 { format!(" (and {} more)", n - 1) } else { String::new() };
        ApiError::invalid_file_listing("body", format!("address sheet refused, nothing written: {first}{more}"), "rows", rows)
    };
    let rows = rows.map_err(|e| sheet_refused(super::snapshot::row_errors(&e)))?;
    let snap = app.geo().await?;
    let scope = Some(&user.scope).filter(|s| s.level() > civicgrid_domain::AreaLevel::Province);
    let added = super::snapshot::import_addresses(app.store.as_ref(), &snap, rows, scope, app.now()).await?.map_err(sheet_refused)?;
    app.invalidate_geo();
    Ok(Json(json!({"added": added})))
}

/// A free-text address matched against the library.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddressMatchView {
    /// The parts found, in input order: `{label, text, start, end}` (char offsets).
    #[schema(value_type = Vec<Object>)]
    pub components: Vec<Value>,
    /// The deepest area the text names.
    pub area: Option<AreaRef>,
    /// The best standard addresses, best first: `{id, text, confidence, grid, lon, lat}`.
    #[schema(value_type = Vec<Object>)]
    pub candidates: Vec<Value>,
    /// The candidate taken without confirmation, if any.
    pub best: Option<i64>,
    /// Below this confidence a dispatcher confirms.
    pub confirm_below: f64,
}

/// An address to match.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// The address as said.
    #[param(min_length = 1, max_length = 200)]
    q: String,
    /// Prefer this area.
    area: Option<String>,
    /// 1..20, default 5.
    #[param(minimum = 1, maximum = 20)]
    limit: Option<usize>,
}

/// Normalises, parses and matches a free-text address (staff): what a hotline report would get.
#[utoipa::path(get, path = "/api/v1/addresses/match", tag = "geography",
    params(MatchQuery),
    responses((status = 200, body = AddressMatchView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn match_address(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(params): ApiQuery<MatchQuery>,
) -> ApiResult<Json<AddressMatchView>> {
    let q = params.q.as_str();
    if q.chars().count() > 200 {
        return Err(ApiError::invalid("q", "q: at most 200 characters"));
    }
    let area = params.area.as_deref().map(AreaCode::parse).transpose()?;
    let limit = params.limit.unwrap_or(5);
    if !(1..=20).contains(&limit) {
        return Err(ApiError::invalid("limit", "limit: 1 to 20"));
    }
    let rd = app.refdata().await?;
    let snap = app.geo().await?;
    let m = snap.library.match_address(q, area.as_ref().or(Some(&user.scope)), limit);
    Ok(Json(AddressMatchView {
        components: m
            .parsed
            .components
            .iter()
            .map(|c| json!({"label": c.label.as_str(), "text": c.text, "start": c.start, "end": c.end}))
            .collect(),
        area: m.parsed.area.as_ref().map(|a| AreaRef::of(a, &rd)),
        candidates: m
            .candidates
            .iter()
            .map(|c| {
                json!({"id": c.address.id, "text": c.text, "confidence": (c.confidence * 1000.0).round() / 1000.0,
                            "grid": c.address.grid, "lon": c.address.lon, "lat": c.address.lat})
            })
            .collect(),
        best: m.best.as_ref().map(|b| b.address.id),
        confirm_below: civicgrid_address::CONFIRM_BELOW,
    }))
}
