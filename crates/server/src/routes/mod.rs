//! The routes of `/api/v1` and the health checks.

pub(crate) mod calendar;
pub(crate) mod cases;
pub(crate) mod health;
pub(crate) mod reference;
pub(crate) mod session;
pub(crate) mod track;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/session", post(session::login).delete(session::logout))
        .route("/api/v1/me", get(session::me))
        .route("/api/v1/cases", post(cases::create).get(cases::list))
        .route("/api/v1/cases/counts", get(cases::counts))
        .route("/api/v1/cases/{id}", get(cases::get_one))
        .route("/api/v1/cases/{id}/events", get(cases::events))
        .route("/api/v1/cases/{id}/contact", get(cases::contact))
        .route("/api/v1/cases/{id}/actions/{action}", post(cases::act))
        .route("/api/v1/track/{code}", get(track::show))
        .route("/api/v1/track/{code}/rate", post(track::rate))
        .route("/api/v1/areas/{code}", get(reference::area))
        .route("/api/v1/areas/{code}/children", get(reference::area_children))
        .route("/api/v1/categories", get(reference::categories))
        .route("/api/v1/departments", get(reference::departments))
        .route("/api/v1/calendar/deadline", get(calendar::deadline))
        .fallback(|| async { crate::error::ApiError::not_found("route") })
}
