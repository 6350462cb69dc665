//! GeoReport v2 errors: `[{"code": 403, "description": "…"}]` with the same HTTP status.

use axum::http::StatusCode;
use civicgrid_domain::DomainError;
use civicgrid_store::StoreError;
use serde_json::json;
use thiserror::Error;

use crate::kit::error::ApiError;

/// An error answered to an Open311 client.
#[derive(Debug, Error)]
#[error("{status}: {description}")]
pub struct Open311Error {
    /// HTTP status, repeated as the error's `code`.
    pub status: StatusCode,
    /// What went wrong.
    pub description: String,
}

impl Open311Error {
    /// 400: a parameter is missing or malformed.
    pub fn bad_request(description: impl Into<String>) -> Self {
        Open311Error { status: StatusCode::BAD_REQUEST, description: description.into() }
    }

    /// 403: no valid API key.
    pub fn forbidden(description: impl Into<String>) -> Self {
        Open311Error { status: StatusCode::FORBIDDEN, description: description.into() }
    }

    /// 405: a method the resource does not take.
    pub fn method_not_allowed(description: impl Into<String>) -> Self {
        Open311Error { status: StatusCode::METHOD_NOT_ALLOWED, description: description.into() }
    }

    /// 404: no such service, request, token or jurisdiction.
    pub fn not_found(description: impl Into<String>) -> Self {
        Open311Error { status: StatusCode::NOT_FOUND, description: description.into() }
    }

    /// The error document.
    pub fn body(&self) -> serde_json::Value {
        json!([{ "code": self.status.as_u16(), "description": self.description }])
    }
}

impl From<DomainError> for Open311Error {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Forbidden(m) => Open311Error::forbidden(m),
            other => Open311Error::bad_request(other.to_string()),
        }
    }
}

impl From<StoreError> for Open311Error {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ApiError> for Open311Error {
    fn from(e: ApiError) -> Self {
        let status = match e.status {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            s => s,
        };
        Open311Error { status, description: e.message }
    }
}
