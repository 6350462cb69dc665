//! The API's one error type: a status, a stable code, a message and the field at fault,
//! answered as `{"error": {"code", "message", "field"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use civicgrid_domain::DomainError;
use civicgrid_store::StoreError;
use serde::Serialize;
use thiserror::Error;

/// Most entries a refused file's answer lists (the count of all is given beside them).
pub const MAX_LISTED: usize = 1000;

/// An error answered to a client.
#[derive(Debug, Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine code (see the OpenAPI document's `ErrorBody`).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// The request field at fault.
    pub field: Option<String>,
    /// Structured detail, e.g. every problem of a refused import.
    pub details: Option<serde_json::Value>,
    /// For a 500: the id under which the cause was logged; the cause itself stays in the log.
    pub incident: Option<String>,
}

/// The JSON body of an error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What an error body says.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `malformed_json`, `invalid_field`, `unknown_action`, `unauthenticated`,
    /// `invalid_credentials`, `account_locked`, `rate_limited`, `forbidden`, `bad_receipt`, `not_found`,
    /// `illegal_transition`, `duplicate`, `conflict`, `payload_too_large`, `unavailable`, `internal`,
    /// `invalid_file`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// Structured detail where a message is not enough: `problems` of a refused import (each
    /// with `kind`, `feature`, `code`, `message`) or `rows` of a refused sheet (`row`, `column`, `reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    /// For `internal`: the id under which the server logged the cause, to quote to its operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
}

impl ApiError {
    /// An error with every part given.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiError { status, code, message: message.into(), field: field.map(Into::into), details: None, incident: None }
    }

    /// 422 `invalid_file`: an uploaded file was refused as a whole, with every problem found.
    pub fn invalid_file(field: &str, message: impl Into<String>, details: serde_json::Value) -> Self {
        Self::invalid_file_inner(field, message, details)
    }

    /// A refused file whose `name` list (rows, problems) is cut to its first [`MAX_LISTED`]
    /// entries, with `<name>_total` saying how many there were: a 20 MB sheet of bad rows
    /// answers a few hundred kilobytes, not hundreds of megabytes.
    pub fn invalid_file_listing<T: serde::Serialize>(field: &str, message: impl Into<String>, name: &str, mut items: Vec<T>) -> Self {
        let total = items.len();
        items.truncate(MAX_LISTED);
        let mut details = serde_json::Map::new();
        details.insert(name.to_string(), serde_json::to_value(items).unwrap_or_default());
        details.insert(format!("{name}_total"), total.into());
        Self::invalid_file_inner(field, message, serde_json::Value::Object(details))
    }

    fn invalid_file_inner(field: &str, message: impl Into<String>, details: serde_json::Value) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_file", message, Some(field));
        e.details = Some(details);
        e
    }

    /// 422 for a field that does not pass validation.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message, Some(field))
    }

    /// 404: the thing does not exist, or the reader may not know that it does.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"), None)
    }

    /// 401.
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first", None)
    }

    /// 500: logs `cause` under a new incident id and answers only that id, never the cause: a
    /// database's error text can name tables, columns and values.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let incident = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        tracing::error!(incident = %incident, cause = %cause, "internal error");
        let mut e = Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("内部错误 internal error; incident {incident}"), None);
        e.incident = Some(incident);
        e
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message, None)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() && self.incident.is_none() {
            tracing::error!(code = self.code, message = %self.message, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
                details: self.details,
                incident: self.incident,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let message = e.to_string();
        match e {
            DomainError::InvalidField { field, .. } => ApiError::invalid(&field, message),
            DomainError::IllegalTransition { .. } => ApiError::new(StatusCode::CONFLICT, "illegal_transition", message, Some("action")),
            DomainError::Forbidden(_) => ApiError::forbidden(message),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::NotFound(what) => ApiError::not_found(&what),
            StoreError::Duplicate { field, value } => {
                ApiError::new(StatusCode::CONFLICT, "duplicate", format!("{field} `{value}` already exists"), Some(&field))
            }
            StoreError::Conflict(what) => ApiError::new(StatusCode::CONFLICT, "conflict", format!("{what} changed meanwhile; retry"), None),
            StoreError::Unavailable(why) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", format!("nothing was stored: {why}; retry"), None)
            }
            StoreError::Db(sqlx_err) if matches!(sqlx_err, sqlx::Error::PoolTimedOut) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the database is busy; retry", None)
            }
            other => ApiError::internal(other),
        }
    }
}

/// Result with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;
