//! 常用语: `/api/v1/phrases`. Staff keep their own phrases (instructions, reasons for sending
//! work back, feedback) and pick them in the case dialogs; an admin shares phrases with everyone
//! under his area. The shipped ones reach everyone until a city admin removes them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use civicgrid_domain::phrase::PERSONAL_MAX;
use civicgrid_domain::{Phrase, PhraseKind, Role};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::kit::access::{guard, Access, STAFF};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiJson, ApiQuery, SignedIn};
use crate::kit::openapi::module;
use crate::AppState;

/// `/api/v1/phrases`: staff only (a resident writes no instructions).
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let staff = OpenApiRouter::default().routes(routes!(list, add)).routes(routes!(remove));
    module("phrases", "常用语: phrases kept for the case dialogs")
        .merge(guard(Access::Roles { roles: STAFF, refusal: "phrases are for staff" }, staff))
}

/// Which phrases.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PhraseFilter {
    /// `instruction`, `rejection` or `feedback`; all when absent.
    kind: Option<PhraseKind>,
}

/// The reader's phrases: those shared with his area (and the shipped ones) first, then his own.
#[utoipa::path(get, path = "/api/v1/phrases", tag = "phrases", params(PhraseFilter),
    responses((status = 200, body = [Phrase]), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(f): ApiQuery<PhraseFilter>,
) -> ApiResult<Json<Vec<Phrase>>> {
    Ok(Json(app.store.phrases(&user.id, &user.scope, f.kind).await?))
}

/// A phrase to keep.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPhrase {
    /// What it is for.
    pub kind: PhraseKind,
    /// The words (at most 200 characters).
    pub text: String,
    /// Share it with everyone under the admin's area (admins only); the reader's own otherwise.
    #[serde(default)]
    pub shared: bool,
}

/// Keeps a phrase: the reader's own (at most 50), or, for an admin who asks, shared under his area.
#[utoipa::path(post, path = "/api/v1/phrases", tag = "phrases", request_body = NewPhrase,
    responses((status = 201, body = Phrase), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(req): ApiJson<NewPhrase>,
) -> ApiResult<(StatusCode, Json<Phrase>)> {
    let text = Phrase::text(&req.text)?;
    if req.shared && user.role != Role::Admin {
        return Err(ApiError::forbidden("only an admin shares phrases"));
    }
    let owner = (!req.shared).then(|| user.id.clone());
    if owner.is_some() && app.store.own_phrases(&user.id).await? >= PERSONAL_MAX as u64 {
        let msg = format!("you keep {PERSONAL_MAX} phrases already: remove one first");
        return Err(ApiError::new(StatusCode::CONFLICT, "conflict", msg, Some("text")));
    }
    let p = Phrase { id: Uuid::now_v7().to_string(), kind: req.kind, text, owner, area: user.scope.as_str().to_string(), created_at: app.now() };
    app.store.add_phrase(&p).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Removes a phrase: one's own, or a shared one under an admin's area. 404 for anything else.
#[utoipa::path(delete, path = "/api/v1/phrases/{id}", tag = "phrases", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove(State(app): State<AppState>, SignedIn(user): SignedIn, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let p = app.store.phrase(&id).await?.ok_or_else(|| ApiError::not_found("phrase"))?;
    let mine = p.owner.as_deref() == Some(user.id.as_str());
    let admins = user.role == Role::Admin && p.removable_by_admin(&user.scope);
    if !(mine || admins) {
        // Another person's phrase is not there, as far as this reader knows.
        return Err(ApiError::not_found("phrase"));
    }
    app.store.remove_phrase(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
