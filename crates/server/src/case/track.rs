//! Public tracking by code, and rating by the reporter's receipt.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use civicgrid_domain::{Actor, Case, CaseCode, Command, Rating};
use serde::Deserialize;

use super::attachments::file;
use super::views::{TrackReply, TrackView};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiJson, ApiQuery};
use crate::AppState;

async fn by_code(app: &AppState, code: &str) -> ApiResult<Case> {
    let code = CaseCode::parse(code).map_err(|_| ApiError::not_found("case"))?;
    app.store.case_by_code(&code).await?.ok_or_else(|| ApiError::not_found("case"))
}

async fn view(app: &AppState, c: &Case, reporter: bool) -> ApiResult<Json<TrackView>> {
    let events = app.store.case_events(c.id).await?;
    Ok(Json(TrackView::new(c, &events, &*app.refdata().await?, reporter)))
}

fn bad_receipt() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "bad_receipt", "the receipt does not belong to this case", Some("receipt"))
}

/// The reporter's receipt, to see the handling unit's reply.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The receipt given when the case was reported.
    receipt: Option<String>,
}

/// A case's public status: category, state, the unit handling it and the times of its public
/// steps; with the reporter's receipt, the unit's feedback and result photos too.
#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "tracking", params(("code" = String, Path), TrackQuery),
    responses((status = 200, body = TrackView), (status = 403, body = ErrorBody, description = "bad_receipt"), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(State(app): State<AppState>, Path(code): Path<String>, ApiQuery(q): ApiQuery<TrackQuery>) -> ApiResult<Json<TrackView>> {
    let c = by_code(&app, &code).await?;
    let reporter = match q.receipt.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if app.cipher.check_receipt(c.id, r) => true,
        Some(_) => return Err(bad_receipt()),
        None => false,
    };
    view(&app, &c, reporter).await
}

/// Which photo size, with the receipt.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReplyPhotoQuery {
    /// The receipt given when the case was reported.
    receipt: String,
    /// The thumbnail (at most 320 px a side) rather than the photo.
    #[serde(default)]
    thumb: bool,
}

/// A photo of the handling unit's reply, for the reporter (with the receipt): residents without
/// an account see the result of what they reported. 404 for any photo not in the reply.
#[utoipa::path(get, path = "/api/v1/track/{code}/photos/{id}", tag = "tracking",
    params(("code" = String, Path), ("id" = Uuid, Path), ReplyPhotoQuery),
    responses((status = 200, description = "the photo or its thumbnail", content_type = "image/jpeg"),
              (status = 403, body = ErrorBody, description = "bad_receipt"), (status = 404, body = ErrorBody)))]
pub(crate) async fn reply_photo(
    State(app): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ReplyPhotoQuery>,
) -> ApiResult<axum::response::Response> {
    let c = by_code(&app, &code).await?;
    if !app.cipher.check_receipt(c.id, q.receipt.trim()) {
        return Err(bad_receipt());
    }
    let missing = || ApiError::not_found("photo");
    let reply = TrackReply::of(&app.store.case_events(c.id).await?).ok_or_else(missing)?;
    let uuid = civicgrid_store::case::attachment_id(&id).filter(|u| reply.photos.contains(&u.to_string())).ok_or_else(missing)?;
    let a = app.store.attachment(uuid).await?.ok_or_else(missing)?;
    if q.thumb {
        file(&app, &a.thumb_path, "image/jpeg").await
    } else {
        file(&app, &a.path, &a.content_type).await
    }
}

/// The reporter's rating.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// The receipt given when the case was reported.
    pub receipt: String,
    /// The rating.
    pub rating: Rating,
    /// Optional comment.
    pub comment: Option<String>,
}

/// Rates a closed case with the receipt, without an account.
#[utoipa::path(post, path = "/api/v1/track/{code}/rate", tag = "tracking", params(("code" = String, Path)), request_body = RateRequest,
    responses((status = 200, body = TrackView), (status = 403, body = ErrorBody, description = "bad_receipt"),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn rate(
    State(app): State<AppState>,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<RateRequest>,
) -> ApiResult<Json<TrackView>> {
    let c = by_code(&app, &code).await?;
    if !app.cipher.check_receipt(c.id, &req.receipt) {
        return Err(bad_receipt());
    }
    let after = app.store.act(c.id, &Actor::Reporter, Command::Rate { rating: req.rating, comment: req.comment }, app.now()).await?;
    view(&app, &after, true).await
}
