//! Liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "alive")))]
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, description = "ready"), (status = 503, description = "database unreachable")))]
pub(crate) async fn readyz(State(app): State<AppState>) -> (StatusCode, &'static str) {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Liveness and readiness: public, for load balancers.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    super::openapi::module("health", "liveness and readiness").routes(routes!(healthz)).routes(routes!(readyz))
}
