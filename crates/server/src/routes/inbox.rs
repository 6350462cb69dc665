//! The in-app inbox (消息): notices of dispatches, warnings, overdue cases, supervision,
//! returns, closing and ratings, for the signed-in reader only.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::SignedIn;
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

/// The reader's notices, newest first (`unread_only=true` for the unread ones; `limit` 1–200).
#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox",
    params(("unread_only" = Option<bool>, Query), ("limit" = Option<u32>, Query, description = "1..200, default 50")),
    responses((status = 200, body = InboxView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(State(app): State<AppState>, SignedIn(user): SignedIn, Query(params): Query<HashMap<String, String>>) -> ApiResult<Json<InboxView>> {
    let (mut unread_only, mut limit) = (false, 50u32);
    for (k, v) in &params {
        match k.as_str() {
            "unread_only" => unread_only = v.parse().map_err(|_| ApiError::invalid("unread_only", "unread_only: true or false"))?,
            "limit" => {
                limit = v.parse().ok().filter(|n| (1..=200).contains(n)).ok_or_else(|| ApiError::invalid("limit", "limit: a number from 1 to 200"))?
            }
            other => return Err(ApiError::invalid(other, format!("unknown query parameter `{other}`"))),
        }
    }
    let (items, unread) = app.store.inbox(&user.id, unread_only, limit).await?;
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
