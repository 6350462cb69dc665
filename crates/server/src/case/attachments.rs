//! Photos: the upload, the file and its thumbnail for those who may see the case, and the check
//! of the references reports and actions make to them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use civicgrid_domain::text::limits;
use civicgrid_store::case::attachment_id;
use civicgrid_store::Attachment;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use uuid::Uuid;

use super::photo::{self, ImageType, PhotoError};
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::MaybeUser;
use crate::AppState;

/// Largest photo taken, bytes.
pub(crate) const UPLOAD_LIMIT: usize = 10 << 20;

/// Photos change never (a new photo gets a new id), and only the reader's browser may keep them.
const CACHE: &str = "private, max-age=31536000, immutable";

/// A stored photo.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    /// The id to give in a report's or an action's `attachments`.
    pub id: String,
    /// The photo as uploaded.
    pub url: String,
    /// A JPEG of at most 320 pixels a side.
    pub thumb_url: String,
    /// `image/jpeg`, `image/png` or `image/webp`, as read from the bytes.
    pub content_type: String,
    /// Size of the photo.
    pub bytes: u64,
    /// Width as displayed (EXIF orientation applied), pixels.
    pub width: u32,
    /// Height as displayed, pixels.
    pub height: u32,
}

impl AttachmentView {
    fn new(a: &Attachment) -> Self {
        AttachmentView {
            id: a.id.to_string(),
            url: format!("/api/v1/attachments/{}", a.id),
            thumb_url: format!("/api/v1/attachments/{}/thumb", a.id),
            content_type: a.content_type.clone(),
            bytes: a.bytes.max(0) as u64,
            width: a.width,
            height: a.height,
        }
    }
}

fn data_dir(app: &AppState) -> ApiResult<&PathBuf> {
    app.config
        .data_dir
        .as_ref()
        .ok_or_else(|| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "this server has no data folder for photos", None))
}

/// Uploads a photo: the body is the image itself (`image/jpeg`, `image/png` or `image/webp`, at
/// most 10 MiB). Anyone may upload, as anyone may report; the answer's `id` goes into a report's
/// or an action's `attachments`, which makes the photo visible with its case.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments",
    request_body(description = "the image's bytes; its type is read from them and must match `content-type`",
        content(([u8] = "image/jpeg"), ([u8] = "image/png"), ([u8] = "image/webp"))),
    responses((status = 201, body = AttachmentView), (status = 413, body = ErrorBody, description = "payload_too_large: over 10 MiB"),
              (status = 422, body = ErrorBody, description = "invalid_field `content-type` (not taken, or not what the bytes are) or `body` (not an image that decodes)"),
              (status = 503, body = ErrorBody)))]
pub(crate) async fn upload(
    State(app): State<AppState>,
    user: MaybeUser,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let dir = data_dir(&app)?.clone();
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("a photo may be at most {} MiB", UPLOAD_LIMIT >> 20),
            Some("body"),
        ),
        status => ApiError::new(status, "invalid_field", format!("body: {e}"), Some("body")),
    })?;
    let taken = || ImageType::ALL.map(ImageType::mime).join(", ");
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let declared_type = ImageType::from_mime(declared)
        .ok_or_else(|| ApiError::invalid("content-type", format!("content-type: `{declared}` is not one of {}", taken())))?;
    if body.is_empty() {
        return Err(ApiError::invalid("body", "body: empty; send the image's bytes"));
    }
    let kind =
        ImageType::sniff(&body).ok_or_else(|| ApiError::invalid("body", format!("body: not an image of a type taken ({})", taken())))?;
    if kind != declared_type {
        return Err(ApiError::invalid(
            "content-type",
            format!("content-type: says {} but the bytes are {} image", declared_type.mime(), kind.name()),
        ));
    }

    let id = Uuid::new_v4();
    let now = app.now();
    let folder = format!("attachments/{:04}/{:02}", now.year(), now.month());
    let path = format!("{folder}/{id}.{}", kind.ext());
    let thumb_path = format!("{folder}/{id}.thumb.jpg");
    let permit = app
        .photos
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "shutting down", None))?;
    let (original, thumb) = (dir.join(&path), dir.join(&thumb_path));
    let bytes = body.clone();
    let done = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let p = photo::process(kind, &bytes)?;
        // Both files before the row: only the row makes them reachable.
        photo::write_whole(&thumb, &p.thumb).map_err(UploadError::Io)?;
        photo::write_whole(&original, &bytes).map_err(UploadError::Io)?;
        Ok::<_, UploadError>(p)
    })
    .await
    .map_err(|e| ApiError::internal(format!("processing the photo: {e}")))?;
    let p = match done {
        Ok(p) => p,
        Err(UploadError::Photo(e @ PhotoError::Thumbnail(_))) => return Err(ApiError::internal(e.to_string())),
        Err(UploadError::Photo(e)) => return Err(ApiError::invalid("body", format!("body: {e}"))),
        Err(UploadError::Io(e)) => {
            remove_files(&dir, &[&path, &thumb_path]).await;
            return Err(ApiError::internal(format!("storing the photo: {e}")));
        }
    };
    let record = Attachment {
        id,
        uploader_user_id: user.0.as_ref().map(|u| u.id.clone()),
        content_type: kind.mime().into(),
        bytes: body.len() as i64,
        width: p.width,
        height: p.height,
        sha256: Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect(),
        path,
        thumb_path,
        created_at: now,
        case_id: None,
    };
    if let Err(e) = app.store.create_attachment(&record).await {
        remove_files(&dir, &[&record.path, &record.thumb_path]).await;
        return Err(e.into());
    }
    Ok((StatusCode::CREATED, Json(AttachmentView::new(&record))).into_response())
}

/// What can go wrong off the async threads.
#[derive(Debug, thiserror::Error)]
enum UploadError {
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error("{0}")]
    Io(std::io::Error),
}

/// Removes files of a refused upload; a leftover is only wasted space, so failures are logged.
async fn remove_files(dir: &std::path::Path, paths: &[&str]) {
    for p in paths {
        if let Err(e) = tokio::fs::remove_file(dir.join(p)).await {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %p, error = %e, "removing the files of a refused photo");
            }
        }
    }
}

/// Loads a photo the reader may see: one referenced by a case he may see, or his own upload
/// while no case references it yet. Anything else is "not found", as for cases.
async fn readable(app: &AppState, user: &MaybeUser, id: &str) -> ApiResult<Attachment> {
    let missing = || ApiError::not_found("attachment");
    let id = attachment_id(id).ok_or_else(missing)?;
    let a = app.store.attachment(id).await?.ok_or_else(missing)?;
    let may = match a.case_id {
        Some(case) => app.store.case(case).await?.is_some_and(|c| c.visible_to(&user.actor())),
        None => matches!((&user.0, &a.uploader_user_id), (Some(u), Some(up)) if &u.id == up),
    };
    if may {
        Ok(a)
    } else {
        Err(missing())
    }
}

pub(super) async fn file(app: &AppState, rel: &str, content_type: &str) -> ApiResult<Response> {
    let dir = data_dir(app)?;
    // Stored paths are written by this server; a `..` would mean the row was tampered with.
    if rel.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(ApiError::internal(format!("attachment path `{rel}` is not a plain path")));
    }
    let bytes = match tokio::fs::read(dir.join(rel)).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %rel, "an attachment's file is missing from the data folder");
            return Err(ApiError::not_found("attachment"));
        }
        Err(e) => return Err(ApiError::internal(format!("reading {rel}: {e}"))),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(res)
}

/// The photo as uploaded, for readers who may see a case that references it (or its signed-in
/// uploader until one does). The public cannot fetch photos back.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", params(("id" = Uuid, Path)),
    responses((status = 200, description = "the image", content(("image/jpeg"), ("image/png"), ("image/webp"))),
              (status = 404, body = ErrorBody)))]
pub(crate) async fn original(State(app): State<AppState>, user: MaybeUser, Path(id): Path<String>) -> ApiResult<Response> {
    let a = readable(&app, &user, &id).await?;
    if let Some(case) = a.case_id {
        crate::kit::audit::read(&app, user.0.as_ref(), &civicgrid_store::Subject::case(case), "photo").await?;
    }
    file(&app, &a.path, &a.content_type).await
}

/// The photo's thumbnail (JPEG, at most 320 pixels a side), for the same readers.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/thumb", tag = "attachments", params(("id" = Uuid, Path)),
    responses((status = 200, description = "the thumbnail", content_type = "image/jpeg"), (status = 404, body = ErrorBody)))]
pub(crate) async fn thumb(State(app): State<AppState>, user: MaybeUser, Path(id): Path<String>) -> ApiResult<Response> {
    let a = readable(&app, &user, &id).await?;
    file(&app, &a.thumb_path, "image/jpeg").await
}

/// Checks the attachment references of a report or an action: each must be the id of an
/// uploaded photo or an http(s) URL. Answers them with ids in their canonical form. Whether a
/// photo is free for this case is the store's to decide, in the transaction that links it.
pub(crate) async fn check_references(app: &AppState, refs: Option<Vec<String>>) -> ApiResult<Vec<String>> {
    let refs = refs.unwrap_or_default();
    if refs.len() > limits::ATTACHMENTS {
        return Err(ApiError::invalid("attachments", format!("attachments: at most {}", limits::ATTACHMENTS)));
    }
    let mut out = Vec::with_capacity(refs.len());
    for (i, r) in refs.into_iter().enumerate() {
        let field = format!("attachments[{i}]");
        let t = r.trim();
        if let Some(id) = attachment_id(t) {
            if app.store.attachment(id).await?.is_none() {
                return Err(ApiError::invalid(
                    &field,
                    format!("{field}: no attachment {id}; upload the photo to /api/v1/attachments first"),
                ));
            }
            out.push(id.to_string());
        } else if is_http_url(t) {
            out.push(r);
        } else {
            return Err(ApiError::invalid(
                &field,
                format!("{field}: `{t}` is neither an attachment id (upload the photo to /api/v1/attachments) nor an http(s) URL"),
            ));
        }
    }
    Ok(out)
}

fn is_http_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/')) && !s.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    #[test]
    fn http_urls() {
        assert!(super::is_http_url("https://example.org/a.jpg"));
        assert!(super::is_http_url("http://10.0.0.1/a"));
        for bad in ["https://", "https:///a", "ftp://x/y", "photo.jpg", "https://a b", "javascript:alert(1)"] {
            assert!(!super::is_http_url(bad), "{bad}");
        }
    }
}
