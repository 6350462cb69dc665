//! The in-app inbox (消息): notices of dispatches, warnings, overdue cases, supervision,
//! returns, closing and ratings, for the signed-in reader only.

use utoipa_axum::{router::OpenApiRouter, routes};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kit::access::{guard, Access};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiQuery, SignedIn};
use crate::kit::openapi::module;
use crate::AppState;

/// A page of the reader's inbox.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InboxView {
    /// Newest first.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<civicgrid_store::Notification>,
    /// Unread notices in all.
    pub unread: u64,
}

/// How many were marked read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Marked {
    /// Notices changed.
    pub marked: u64,
}

/// Which notices to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxFilter {
    /// Only the unread ones.
    unread_only: Option<bool>,
    /// 1..200, default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// The reader's notices, newest first (`unread_only=true` for the unread ones; `limit` 1–200).
#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox", params(InboxFilter),
    responses((status = 200, body = InboxView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(f): ApiQuery<InboxFilter>,
) -> ApiResult<Json<InboxView>> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "limit: a number from 1 to 200"));
    }
    let (items, unread) = app.store.inbox(&user.id, f.unread_only.unwrap_or(false), limit).await?;
    Ok(Json(InboxView { items, unread }))
}

/// Marks one of the reader's notices read; another reader's notice is not found.
#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn read(State(app): State<AppState>, SignedIn(user): SignedIn, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found("notice"))?;
    if app.store.mark_read(&user.id, Some(id), app.now()).await? == 0 {
        // Already read is fine; someone else's (or none) is not found.
        let (items, _) = app.store.inbox(&user.id, false, 500).await?;
        if !items.iter().any(|n| n.id == id) {
            return Err(ApiError::not_found("notice"));
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all the reader's notices read.
#[utoipa::path(post, path = "/api/v1/inbox/read-all", tag = "inbox", responses((status = 200, body = Marked)))]
pub(crate) async fn read_all(State(app): State<AppState>, SignedIn(user): SignedIn) -> ApiResult<Json<Marked>> {
    Ok(Json(Marked { marked: app.store.mark_read(&user.id, None, app.now()).await? }))
}

/// `/api/v1/inbox`: the reader's own notices.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let routes = module("inbox", "消息: the reader's notices").routes(routes!(list)).routes(routes!(read_all)).routes(routes!(read));
    guard(Access::SignedIn, routes)
}
