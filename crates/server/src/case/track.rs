//! Public tracking by code, and rating by the reporter's receipt.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use civicgrid_domain::{Actor, Case, CaseCode, Command, Rating};
use serde::Deserialize;

use super::views::TrackView;
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::ApiJson;
use crate::AppState;

async fn by_code(app: &AppState, code: &str) -> ApiResult<Case> {
    let code = CaseCode::parse(code).map_err(|_| ApiError::not_found("case"))?;
    app.store.case_by_code(&code).await?.ok_or_else(|| ApiError::not_found("case"))
}

async fn view(app: &AppState, c: &Case) -> ApiResult<Json<TrackView>> {
    let events = app.store.case_events(c.id).await?;
    Ok(Json(TrackView::new(c, &events, &*app.refdata().await?)))
}

/// A case's public status: category, state and the times of its public steps.
#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "tracking", params(("code" = String, Path)),
    responses((status = 200, body = TrackView), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(State(app): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<TrackView>> {
    let c = by_code(&app, &code).await?;
    view(&app, &c).await
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
        return Err(ApiError::new(StatusCode::FORBIDDEN, "bad_receipt", "the receipt does not belong to this case", Some("receipt")));
    }
    let after = app.store.act(c.id, &Actor::Reporter, Command::Rate { rating: req.rating, comment: req.comment }, app.now()).await?;
    view(&app, &after).await
}
