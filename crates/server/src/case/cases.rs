//! Cases: intake, lists, reads, the event log, and one action per transition.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use civicgrid_domain::{
    Action, Actor, AreaCode, AreaLevel, Card, Case, CaseCode, CaseState, CategoryCode, Channel, Command, DispatchTarget, GridCode,
    Location, LocationFix, NewCase, NewCaseInput, PhoneNumber, Priority, Rating, Role,
};
use civicgrid_geo::Crs;
use civicgrid_store::{Awaiting, AwaitingFilter, CaseQuery, CreateCase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use uuid::Uuid;

use civicgrid_store::crypto::token_hash;

use super::attachments::check_references;
use super::search::{self, Search};
use super::views::{CaseView, CreatedCase, EventView};
use crate::geo::{self, PlaceRequest, Placed};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::audit;
use crate::kit::extract::{parse_json, require_json, ApiJson, ApiQuery, MaybeUser, SignedIn};
use civicgrid_store::Subject;
use crate::{AppState, RefData};

/// A point as a client sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Coordinate system: `wgs84` (default), `cgcs2000`, `gcj02` (Amap, Tencent, WeChat) or `bd09` (Baidu).
    pub crs: Option<String>,
}

/// A report.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCaseRequest {
    /// Category code, e.g. `0102`.
    pub category: String,
    /// What is wrong (up to 4000 characters).
    pub description: String,
    /// Short title (up to 100); derived from the description if absent.
    pub title: Option<String>,
    /// Where, as a point.
    pub location: Option<LocationInput>,
    /// Where, as an address (up to 200).
    pub address: Option<String>,
    /// Area code; staff default to their own area.
    pub area: Option<String>,
    /// Channel; defaults by the reporter's role.
    pub channel: Option<String>,
    /// Reporter's phone: stored encrypted, shown masked.
    pub reporter_phone: Option<String>,
    /// Photos (up to 9): ids from `POST /api/v1/attachments`, or http(s) URLs.
    pub attachments: Option<Vec<String>>,
}

/// Reads a point and its coordinate system, naming the field at fault.
pub(crate) fn point_of(l: &LocationInput) -> ApiResult<(f64, f64, Crs)> {
    let crs = l.crs.as_deref().map(|c| geo::parse_crs("location.crs", c)).transpose()?.unwrap_or(Crs::Wgs84);
    Location::new(l.lon, l.lat)?;
    Ok((l.lon, l.lat, crs))
}

/// A point as given, in WGS84.
pub(crate) fn wgs84_location(l: &LocationInput) -> ApiResult<Location> {
    let (lon, lat, crs) = point_of(l)?;
    let (x, y) = civicgrid_geo::to_wgs84(crs, lon, lat);
    Ok(Location::new(x, y)?)
}

fn default_channel(actor: &Actor) -> Channel {
    match actor.role() {
        Some(Role::GridWorker) => Channel::GridWorker,
        Some(Role::TownDispatcher | Role::DistrictDispatcher | Role::CommunityAdmin) => Channel::Hotline,
        Some(Role::Mediator) => Channel::Mediation,
        Some(Role::Leader | Role::Admin) => Channel::Inspection,
        _ => Channel::Resident,
    }
}

fn known_area(rd: &RefData, field: &str, raw: &str) -> ApiResult<AreaCode> {
    let code = AreaCode::parse(raw).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    if !rd.areas.contains_key(code.as_str()) {
        return Err(ApiError::invalid(field, format!("{field}: no area with code {code}")));
    }
    Ok(code)
}

/// Reports a case. Anyone may report; a resident without an account gives a phone number if he
/// wants a call back, and keeps the `receipt` to rate the case later.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCaseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe key: the same key answers the first case")),
    responses((status = 201, body = CreatedCase), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(
    State(app): State<AppState>,
    user: MaybeUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewCaseRequest>,
) -> ApiResult<Response> {
    let actor = user.actor();
    let rd = app.refdata().await?;
    let code = CategoryCode::parse(&req.category).map_err(|e| ApiError::invalid("category", e.to_string()))?;
    let category = rd.category(&code).ok_or_else(|| ApiError::invalid("category", format!("category: no category with code {code}")))?;
    let named = req.area.as_deref().map(|a| known_area(&rd, "area", a)).transpose()?;
    let scope = match &actor {
        Actor::User { scope, role, .. } if *role != Role::Resident && scope.level() >= AreaLevel::Town => Some(scope.clone()),
        _ => None,
    };
    let point = req.location.as_ref().map(point_of).transpose()?;
    let address = req.address.as_deref().filter(|a| !a.trim().is_empty());
    let placed = if point.is_some() || address.is_some() {
        let snap = app.geo().await?;
        let hint = actor.scope().cloned();
        geo::place(&snap, &rd, &PlaceRequest { point, address, area: named.or(scope), hint })?
    } else {
        Placed { area: named.or(scope), location: None, fix: LocationFix::area_only(None) }
    };
    let area = placed
        .area
        .clone()
        .ok_or_else(|| ApiError::invalid("area", "area: give the area code where the problem is, a point inside a grid, or an address"))?;
    let location = placed.location;
    let channel = match req.channel.as_deref() {
        None => default_channel(&actor),
        Some(c) => {
            let ch = Channel::from_str(c)?;
            if actor.role().is_none() && ch != Channel::Resident {
                return Err(ApiError::invalid("channel", "channel: reports without an account come in by the resident channel"));
            }
            ch
        }
    };
    let input = NewCaseInput {
        title: req.title,
        description: req.description,
        address: req.address,
        channel,
        location,
        attachments: check_references(&app, req.attachments).await?,
    };
    let mut new = NewCase::validate(input, category, area)?;
    new.located = Some(placed.fix);
    if let Some(p) = req.reporter_phone.as_deref().filter(|p| !p.trim().is_empty()) {
        search::keep_phone(&app.cipher, &mut new, &PhoneNumber::parse(p)?);
    }
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let k = v
                .to_str()
                .ok()
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .ok_or_else(|| ApiError::invalid("Idempotency-Key", "Idempotency-Key: 1 to 200 visible ASCII characters"))?;
            // A signed-in user's keys are his own. Anonymous reporters share no identity, so
            // their key is bound to the exact report: someone who guesses a key but not the
            // report (phone included) gets a new case, never another reporter's case or receipt.
            let who = match &actor {
                Actor::User { id, .. } => id.clone(),
                _ => {
                    let fingerprint = format!("{:?}|{:?}|{}|{:?}", new.category, new.area, new.description, req.reporter_phone);
                    format!("public-{}", token_hash(&fingerprint))
                }
            };
            Some(format!("{who}:{k}"))
        }
    };
    let created = app
        .store
        .create_case(CreateCase {
            new,
            handling_level: category.handling_level,
            actor: actor.clone(),
            idempotency_key: key,
            now: app.now(),
        })
        .await?;
    let body = CreatedCase { case: CaseView::new(&created.case, &actor, &rd), receipt: app.cipher.receipt(created.case.id) };
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if created.replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// One page of cases.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CasePageView {
    /// Cases, newest first.
    pub items: Vec<CaseView>,
    /// Pass as `cursor` for the next page; absent on the last page. A rare filter can answer
    /// fewer cases than `limit`, even none, with a cursor: the walk stops after a bounded number
    /// of rows rather than read the whole history, so follow the cursor until it is absent.
    pub next_cursor: Option<String>,
}

/// The filters of the case list and its counts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseFilters {
    /// One search box: a tracking code, the caller's phone (matched through a keyed hash), a
    /// grid code, or a keyword in the title, description or address.
    q: Option<String>,
    /// Comma-separated states.
    state: Option<String>,
    /// Category or main class code.
    category: Option<String>,
    /// Area code.
    area: Option<String>,
    /// Grid code.
    grid: Option<String>,
    /// Channel.
    channel: Option<String>,
    /// Under supervision (督办).
    supervised: Option<bool>,
    /// Waiting for the centre's decision: `any`, `review` (a return), `extension`, `suspension`.
    awaiting: Option<String>,
    /// `red`: past the deadline; `yellow`: past the warning time.
    card: Option<String>,
    /// RFC 3339, inclusive.
    created_from: Option<String>,
    /// RFC 3339, exclusive.
    created_to: Option<String>,
    /// The `next_cursor` of the page before.
    cursor: Option<String>,
    /// 1..200, default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// The store's query for `f`, naming the parameter at fault, and the tracking code `q` names.
pub(super) fn case_query(app: &AppState, actor: &Actor, f: CaseFilters) -> ApiResult<(CaseQuery, Option<CaseCode>)> {
    let mut q = CaseQuery { visibility: actor.visibility(), ..Default::default() };
    let mut code = None;
    match f.q.as_deref().map(|s| Search::parse(&app.cipher, s)).transpose()? {
        Some(Search::Code(c, grid)) => {
            code = Some(c);
            q.grid = grid;
        }
        Some(Search::Phone(p)) => q.phone_index = Some(p),
        Some(Search::Grid(g)) => q.grid = Some(g),
        Some(Search::Text(t)) => q.text = Some(t),
        None => {}
    }
    let time = |k: &str, v: &str| {
        DateTime::parse_from_rfc3339(v)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| ApiError::invalid(k, format!("{k}: `{v}` is not an RFC 3339 time: {e}")))
    };
    if let Some(v) = f.state {
        q.states = v.split(',').map(CaseState::from_str).collect::<Result<_, _>>()?;
    }
    q.category = f.category.as_deref().map(CategoryCode::parse).transpose()?;
    q.area = f.area.as_deref().map(AreaCode::parse).transpose()?;
    if let Some(g) = f.grid.as_deref() {
        q.grid = Some(GridCode::parse(g)?);
    }
    q.channel = f.channel.as_deref().map(Channel::from_str).transpose()?;
    q.supervised = f.supervised;
    q.awaiting = f.awaiting.as_deref().map(awaiting_filter).transpose()?;
    q.card = f.card.as_deref().map(|v| Card::from_str(v).map(|c| (c, Utc::now()))).transpose()?;
    q.created_from = f.created_from.as_deref().map(|v| time("created_from", v)).transpose()?;
    q.created_to = f.created_to.as_deref().map(|v| time("created_to", v)).transpose()?;
    if let Some(c) = f.cursor {
        q.after = Some(Uuid::parse_str(&c).map_err(|_| ApiError::invalid("cursor", "cursor: not a cursor from this API"))?);
    }
    if let Some(n) = f.limit {
        q.limit = Some(n).filter(|n| (1..=200).contains(n)).ok_or_else(|| ApiError::invalid("limit", "limit: a number from 1 to 200"))?;
    }
    Ok((q, code))
}

/// The `awaiting` parameter.
fn awaiting_filter(v: &str) -> ApiResult<AwaitingFilter> {
    if v == "any" {
        return Ok(AwaitingFilter::Any);
    }
    Awaiting::ALL
        .into_iter()
        .find(|a| a.as_str() == v)
        .map(AwaitingFilter::Only)
        .ok_or_else(|| ApiError::invalid("awaiting", format!("awaiting: `{v}` is not any, review, extension or suspension")))
}

/// What a search by tracking code finds: `None` if the search is not a code, or is 15 digits no
/// case has (then read as a grid code); else the case the reader may see with that code, or none.
/// A code finds its case whatever the other filters say.
pub(super) async fn by_code(app: &AppState, actor: &Actor, code: Option<&CaseCode>, q: &CaseQuery) -> ApiResult<Option<Vec<Case>>> {
    let Some(code) = code else { return Ok(None) };
    let found = app.store.case_by_code(code).await?.filter(|c| c.visible_to(actor));
    Ok(match found {
        Some(c) => Some(vec![c]),
        None if q.grid.is_some() => None,
        None => Some(Vec::new()),
    })
}

/// Lists the cases the reader may see, newest first, with filters and a cursor.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseFilters),
    responses((status = 200, body = CasePageView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    uri: axum::http::Uri,
    ApiQuery(filters): ApiQuery<CaseFilters>,
) -> ApiResult<Json<CasePageView>> {
    let actor = user.actor();
    let (q, code) = case_query(&app, &actor, filters)?;
    let page = match by_code(&app, &actor, code.as_ref(), &q).await? {
        Some(items) => civicgrid_store::CasePage { items, next: None },
        None => app.store.list_cases(&q).await?,
    };
    audit::listed(&app, &user, Subject::CASE, uri.query().unwrap_or_default()).await?;
    let rd = app.refdata().await?;
    Ok(Json(CasePageView {
        items: page.items.iter().map(|c| CaseView::new(c, &actor, &rd)).collect(),
        next_cursor: page.next.map(|id| id.to_string()),
    }))
}

/// Case counts per state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountsView {
    /// State → number of cases.
    pub by_state: BTreeMap<String, u64>,
    /// All of them.
    pub total: u64,
}

/// Counts the reader's cases per state, with the same filters as the list (but `state`).
#[utoipa::path(get, path = "/api/v1/cases/counts", tag = "cases", params(CaseFilters), responses((status = 200, body = CountsView)))]
pub(crate) async fn counts(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(filters): ApiQuery<CaseFilters>,
) -> ApiResult<Json<CountsView>> {
    let actor = user.actor();
    let (q, code) = case_query(&app, &actor, filters)?;
    let counts = match by_code(&app, &actor, code.as_ref(), &q).await? {
        Some(found) => found.iter().map(|c| (c.state, 1)).collect(),
        None => app.store.count_by_state(&q).await?,
    };
    let total = counts.iter().map(|(_, n)| n).sum();
    Ok(Json(CountsView { by_state: counts.into_iter().map(|(s, n)| (s.to_string(), n)).collect(), total }))
}

/// Counts the reader's cases per grid, with the list's filters; without `state`, the open ones.
/// For the map: grids coloured by their open cases.
#[utoipa::path(get, path = "/api/v1/cases/counts/grids", tag = "cases", params(CaseFilters),
    responses((status = 200, description = "grid code → number of cases", body = BTreeMap<String, u64>)))]
pub(crate) async fn counts_by_grid(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(filters): ApiQuery<CaseFilters>,
) -> ApiResult<Json<BTreeMap<String, u64>>> {
    let actor = user.actor();
    let (mut q, code) = case_query(&app, &actor, filters)?;
    if q.states.is_empty() {
        q.states = CaseState::ALL.iter().copied().filter(|s| s.is_open()).collect();
    }
    if let Some(found) = by_code(&app, &actor, code.as_ref(), &q).await? {
        let open = found.iter().filter(|c| q.states.contains(&c.state));
        return Ok(Json(open.filter_map(|c| c.grid().map(|g| (g.to_string(), 1))).collect()));
    }
    Ok(Json(app.store.count_by_grid(&q).await?.into_iter().collect()))
}

/// What waits for the reader's decision, as the views of the workbench count it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AwaitingCounts {
    /// Returns to review (退单审核).
    pub review: u64,
    /// Extensions to decide.
    pub extension: u64,
    /// Suspensions to decide.
    pub suspension: u64,
    /// Handled cases to verify.
    pub verify: u64,
    /// All of them.
    pub total: u64,
}

/// Counts the reader's cases waiting for a decision (returns to review, extensions and
/// suspensions to decide, handled cases to verify), with the list's filters: the badges of the
/// workbench's views and the menu.
#[utoipa::path(get, path = "/api/v1/cases/counts/awaiting", tag = "cases", params(CaseFilters), responses((status = 200, body = AwaitingCounts)))]
pub(crate) async fn counts_awaiting(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(filters): ApiQuery<CaseFilters>,
) -> ApiResult<Json<AwaitingCounts>> {
    let (q, _) = case_query(&app, &user.actor(), filters)?;
    let kinds = app.store.count_awaiting(&q).await?;
    let n = |k: Awaiting| kinds.iter().find(|(a, _)| *a == k).map_or(0, |(_, n)| *n);
    let all = CaseQuery { awaiting: None, ..q };
    let verify = app.store.count_by_state(&all).await?.into_iter().filter(|(s, _)| *s == CaseState::Handled).map(|(_, n)| n).sum();
    let (review, extension, suspension) = (n(Awaiting::Review), n(Awaiting::Extension), n(Awaiting::Suspension));
    Ok(Json(AwaitingCounts { review, extension, suspension, verify, total: review + extension + suspension + verify }))
}

/// Red and yellow cards among the reader's cases.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CardCounts {
    /// Past the deadline (超期).
    pub red: u64,
    /// Past the warning time, not yet the deadline (预警).
    pub yellow: u64,
}

/// Counts the reader's red and yellow cards now, with the list's filters.
#[utoipa::path(get, path = "/api/v1/cases/counts/cards", tag = "cases", params(CaseFilters), responses((status = 200, body = CardCounts)))]
pub(crate) async fn counts_by_card(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(filters): ApiQuery<CaseFilters>,
) -> ApiResult<Json<CardCounts>> {
    let actor = user.actor();
    let (q, code) = case_query(&app, &actor, filters)?;
    let (red, yellow) = match by_code(&app, &actor, code.as_ref(), &q).await? {
        Some(found) => {
            let card = |k: Card| found.iter().filter(|c| c.deadline.as_ref().and_then(|d| d.card(app.now())) == Some(k)).count() as u64;
            (card(Card::Red), card(Card::Yellow))
        }
        None => app.store.count_by_card(&q, app.now()).await?,
    };
    Ok(Json(CardCounts { red, yellow }))
}

/// Loads a case the reader may see; anything else is "not found", so existence does not leak.
async fn visible_case(app: &AppState, actor: &Actor, id: &str) -> ApiResult<Case> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::not_found("case"))?;
    match app.store.case(id).await? {
        Some(c) if c.visible_to(actor) => Ok(c),
        _ => Err(ApiError::not_found("case")),
    }
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_one(State(app): State<AppState>, user: MaybeUser, Path(id): Path<String>) -> ApiResult<Json<CaseView>> {
    let actor = user.actor();
    let c = visible_case(&app, &actor, &id).await?;
    audit::read(&app, user.0.as_ref(), &Subject::case(c.id), "case").await?;
    Ok(Json(CaseView::new(&c, &actor, &*app.refdata().await?)))
}

/// A case's log, oldest first, with actor and time of every step.
#[utoipa::path(get, path = "/api/v1/cases/{id}/events", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = [EventView]), (status = 404, body = ErrorBody)))]
pub(crate) async fn events(State(app): State<AppState>, user: MaybeUser, Path(id): Path<String>) -> ApiResult<Json<Vec<EventView>>> {
    let c = visible_case(&app, &user.actor(), &id).await?;
    audit::read(&app, user.0.as_ref(), &Subject::case(c.id), "events").await?;
    Ok(Json(app.store.case_events(c.id).await?.iter().map(EventView::new).collect()))
}

/// The reporter's contact in clear.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContactView {
    /// Phone number, if given.
    pub reporter_phone: Option<String>,
}

/// Reveals the reporter's phone to a role that needs it to call back; every read is logged.
#[utoipa::path(get, path = "/api/v1/cases/{id}/contact", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn contact(State(app): State<AppState>, SignedIn(user): SignedIn, Path(id): Path<String>) -> ApiResult<Json<ContactView>> {
    let c = visible_case(&app, &user.actor(), &id).await?;
    if !user.role.may_read_contact() {
        return Err(ApiError::forbidden("your role does not need the reporter's contact"));
    }
    let phone = match &c.report.reporter_phone_enc {
        Some(enc) => {
            app.store.log_pii_access(&user.id, c.id, "reporter_phone", app.now()).await?;
            Some(app.cipher.decrypt(enc)?)
        }
        None => None,
    };
    Ok(Json(ContactView { reporter_phone: phone }))
}

/// The caller's other cases: those reported from the same phone that the reader may see, newest
/// first, at most 20. Matched through the phone's keyed hash; no phone is shown.
#[utoipa::path(get, path = "/api/v1/cases/{id}/same-caller", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CasePageView), (status = 404, body = ErrorBody)))]
pub(crate) async fn same_caller(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> ApiResult<Json<CasePageView>> {
    let actor = user.actor();
    let c = visible_case(&app, &actor, &id).await?;
    let index = c.report.reporter_phone_index.clone().or_else(|| {
        // Reported before phones were indexed: its own phone gives the index (nothing is shown).
        c.report.reporter_phone_enc.as_deref().and_then(|enc| search::index_stored_phone(&app.cipher, enc))
    });
    let items = match index {
        Some(phone_index) => {
            let q = CaseQuery { visibility: actor.visibility(), phone_index: Some(phone_index), limit: 21, ..Default::default() };
            app.store.list_cases(&q).await?.items.into_iter().filter(|o| o.id != c.id).take(20).collect()
        }
        None => Vec::new(),
    };
    audit::listed(&app, &user, Subject::CASE, &format!("same_caller={}", c.id)).await?;
    let rd = app.refdata().await?;
    Ok(Json(CasePageView { items: items.iter().map(|c| CaseView::new(c, &actor, &rd)).collect(), next_cursor: None }))
}

/// The fields of an action; which are required depends on the action.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// accept, resume: optional note. instruct: the instruction text.
    pub note: Option<String>,
    /// reject, return, escalate, suspend, reopen: required; request_extension: required; decide_extension: optional.
    pub reason: Option<String>,
    /// dispatch: department id (or `area`).
    pub department: Option<String>,
    /// dispatch: area code of a lower level (or `department`).
    pub area: Option<String>,
    /// dispatch: instructions for the handler.
    pub instructions: Option<String>,
    /// request_extension, set_deadline: the new deadline, RFC 3339.
    pub until: Option<DateTime<Utc>>,
    /// decide_extension, decide_suspension: grant or refuse.
    pub granted: Option<bool>,
    /// review_return: true accepts the return (a wrong dispatch), false sends the case back
    /// (say why in `comment`).
    pub accepted: Option<bool>,
    /// handle: what was done.
    pub feedback: Option<String>,
    /// handle, close_on_spot: photos (up to 9): ids from `POST /api/v1/attachments`, or http(s) URLs.
    pub attachments: Option<Vec<String>>,
    /// verify: true closes the case, false sends it back to the handler.
    pub passed: Option<bool>,
    /// verify (required when failing), rate: comment.
    pub comment: Option<String>,
    /// rate: satisfied, basically_satisfied or unsatisfied.
    pub rating: Option<Rating>,
    /// reclassify: the corrected category (a subclass code).
    pub category: Option<String>,
    /// reclassify: the priority; the category's own when left out.
    pub priority: Option<Priority>,
    /// supervise: the instruction.
    pub instruction: Option<String>,
    /// merge: id or tracking code of the case to merge into.
    pub into: Option<String>,
    /// close_on_spot: what was done on the spot.
    pub evidence: Option<String>,
    /// locate: the grid code (its community becomes the area unless `area` is given).
    pub grid: Option<String>,
    /// locate: the point (placed in its grid unless `grid` is given).
    pub location: Option<LocationInput>,
}

fn required<T>(v: Option<T>, field: &str) -> ApiResult<T> {
    v.ok_or_else(|| ApiError::invalid(field, format!("{field}: required for this action")))
}

/// Turns an action and its fields into a domain command, resolving references.
async fn command(app: &AppState, actor: &Actor, action: Action, r: ActionRequest, rd: &RefData) -> ApiResult<Command> {
    Ok(match action {
        Action::Accept => Command::Accept { note: r.note },
        Action::Reject => Command::Reject { reason: required(r.reason, "reason")? },
        Action::Dispatch => {
            let to = match (r.department, r.area) {
                (Some(id), None) => {
                    let d =
                        rd.department(&id).ok_or_else(|| ApiError::invalid("department", format!("department: no department `{id}`")))?;
                    DispatchTarget::Department { id, area: d.area.clone() }
                }
                (None, Some(a)) => DispatchTarget::Area(known_area(rd, "area", &a)?),
                _ => return Err(ApiError::invalid("department", "department: give either a department or a lower area")),
            };
            Command::Dispatch { to, instructions: r.instructions }
        }
        Action::Claim => Command::Claim,
        Action::Return => Command::Return { reason: required(r.reason, "reason")? },
        Action::ReviewReturn => Command::ReviewReturn { accepted: required(r.accepted, "accepted")?, comment: r.comment },
        Action::RequestSuspension => Command::RequestSuspension { reason: required(r.reason, "reason")? },
        Action::DecideSuspension => Command::DecideSuspension { granted: required(r.granted, "granted")?, reason: r.reason },
        Action::RequestExtension => Command::RequestExtension { until: required(r.until, "until")?, reason: required(r.reason, "reason")? },
        Action::DecideExtension => Command::DecideExtension { granted: required(r.granted, "granted")?, reason: r.reason },
        Action::Handle => {
            Command::Handle { feedback: required(r.feedback, "feedback")?, attachments: check_references(app, r.attachments).await? }
        }
        Action::Verify => Command::Verify { passed: required(r.passed, "passed")?, comment: r.comment },
        Action::Rate => Command::Rate { rating: required(r.rating, "rating")?, comment: r.comment },
        Action::Escalate => Command::Escalate { reason: required(r.reason, "reason")? },
        Action::Supervise => Command::Supervise { instruction: required(r.instruction, "instruction")? },
        Action::Merge => {
            let into = required(r.into, "into")?;
            let target = match Uuid::parse_str(&into) {
                Ok(id) => app.store.case(id).await?,
                Err(_) => match CaseCode::parse(&into) {
                    Ok(code) => app.store.case_by_code(&code).await?,
                    Err(_) => None,
                },
            };
            let target = target
                .filter(|t| t.visible_to(actor))
                .ok_or_else(|| ApiError::invalid("into", format!("into: no case `{into}` that you can see")))?;
            if !target.state.is_open() {
                return Err(ApiError::invalid(
                    "into",
                    format!("into: case {} is {} and cannot take duplicates", target.code, target.state),
                ));
            }
            Command::Merge { into: target.id, into_code: target.code }
        }
        Action::Suspend => Command::Suspend { reason: required(r.reason, "reason")? },
        Action::Resume => Command::Resume { note: r.note },
        Action::CloseOnSpot => {
            Command::CloseOnSpot { evidence: required(r.evidence, "evidence")?, attachments: check_references(app, r.attachments).await? }
        }
        Action::Instruct => Command::Instruct { note: required(r.note, "note")? },
        Action::Reopen => Command::Reopen { reason: required(r.reason, "reason")? },
        Action::Locate => locate_command(app, rd, r).await?,
        Action::Reclassify => {
            let code = CategoryCode::parse(&required(r.category, "category")?)?;
            let cat = rd.category(&code).ok_or_else(|| ApiError::invalid("category", format!("category: no category `{code}`")))?;
            Command::Reclassify { category: code, priority: r.priority.unwrap_or(cat.priority), reason: required(r.reason, "reason")? }
        }
        Action::Recall => Command::Recall { reason: required(r.reason, "reason")? },
        Action::SetDeadline => Command::SetDeadline { until: required(r.until, "until")?, reason: required(r.reason, "reason")? },
    })
}

/// A person places a case: by grid, by point (placed through the grid index) and/or by area.
async fn locate_command(app: &AppState, rd: &RefData, r: ActionRequest) -> ApiResult<Command> {
    let mut grid = r.grid.as_deref().map(GridCode::parse).transpose()?;
    if let Some(g) = &grid {
        let known = app.store.grids(Some(&g.community())).await?.iter().any(|s| &s.record.code == g);
        if !known {
            return Err(ApiError::invalid("grid", format!("grid: no grid {}", g.as_str())));
        }
    }
    let mut found = None;
    let location = match &r.location {
        None => None,
        Some(l) => {
            let p = wgs84_location(l)?;
            if grid.is_none() {
                match app.geo().await?.index.locate(p.lon, p.lat) {
                    civicgrid_geo::index::Placement::Grid { grid: g, .. } => grid = Some(g),
                    civicgrid_geo::index::Placement::Area { area } => found = Some(area),
                    civicgrid_geo::index::Placement::Outside => {}
                }
            }
            Some(p)
        }
    };
    let area = match r.area.as_deref() {
        Some(a) => known_area(rd, "area", a)?,
        None => grid
            .as_ref()
            .map(GridCode::community)
            .or(found)
            .ok_or_else(|| ApiError::invalid("area", "area: give the area, a grid or a point"))?,
    };
    Ok(Command::Locate { area, grid, location, note: r.note })
}

/// Performs one transition. The body holds the action's fields (see `ActionRequest`); an
/// action the case's state does not allow answers 409 and changes nothing.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases",
    params(("id" = Uuid, Path), ("action" = Action, Path)), request_body = ActionRequest,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "illegal_transition"), (status = 422, body = ErrorBody)))]
pub(crate) async fn act(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<CaseView>> {
    let actor = user.actor();
    let action =
        Action::from_str(&action).map_err(|e| ApiError::new(StatusCode::NOT_FOUND, "unknown_action", e.to_string(), Some("action")))?;
    let req: ActionRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ActionRequest::default()
    } else {
        require_json(&headers)?;
        parse_json(&body)?
    };
    let case = visible_case(&app, &actor, &id).await?;
    let rd = app.refdata().await?;
    let cmd = command(&app, &actor, action, req, &rd).await?;
    let after = app.store.act(case.id, &actor, cmd, app.now()).await?;
    Ok(Json(CaseView::new(&after, &actor, &rd)))
}
