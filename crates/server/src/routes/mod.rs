//! The routes of `/api/v1` and the health checks.

pub(crate) mod attachments;
pub(crate) mod admin;
pub(crate) mod calendar;
pub(crate) mod cases;
pub(crate) mod evaluation;
pub(crate) mod geo;
pub(crate) mod health;
pub(crate) mod inbox;
pub(crate) mod patrols;
pub(crate) mod reference;
pub(crate) mod session;
pub(crate) mod track;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;

use crate::AppState;

/// Largest file an import route takes: a city's grids are tens of megabytes of GeoJSON.
const IMPORT_LIMIT: usize = 256 << 20;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/session", post(session::login).delete(session::logout))
        .route("/api/v1/me", get(session::me))
        .route("/api/v1/cases", post(cases::create).get(cases::list))
        .route("/api/v1/cases/counts", get(cases::counts))
        .route("/api/v1/cases/counts/grids", get(cases::counts_by_grid))
        .route("/api/v1/cases/counts/cards", get(cases::counts_by_card))
        .route("/api/v1/cases/{id}", get(cases::get_one))
        .route("/api/v1/cases/{id}/events", get(cases::events))
        .route("/api/v1/cases/{id}/contact", get(cases::contact))
        .route("/api/v1/cases/{id}/actions/{action}", post(cases::act))
        .route("/api/v1/attachments", post(attachments::upload).layer(DefaultBodyLimit::max(attachments::UPLOAD_LIMIT)))
        .route("/api/v1/attachments/{id}", get(attachments::original))
        .route("/api/v1/attachments/{id}/thumb", get(attachments::thumb))
        .route("/api/v1/track/{code}", get(track::show))
        .route("/api/v1/track/{code}/rate", post(track::rate))
        .route("/api/v1/areas/{code}", get(reference::area))
        .route("/api/v1/areas/{code}/children", get(reference::area_children))
        .route("/api/v1/categories", get(reference::categories))
        .route("/api/v1/departments", get(reference::departments))
        .route("/api/v1/calendar/deadline", get(calendar::deadline))
        .route("/api/v1/admin/calendar", get(calendar::years).post(calendar::load))
        .route("/api/v1/admin/users", get(admin::users).post(admin::create_user))
        .route("/api/v1/admin/users/{id}", patch(admin::update_user))
        .route("/api/v1/admin/departments/{id}", put(admin::put_department))
        .route("/api/v1/admin/categories/{code}", put(admin::put_category))
        .route("/api/v1/patrols", get(patrols::list).post(patrols::add))
        .route("/api/v1/inbox", get(inbox::list))
        .route("/api/v1/inbox/read-all", post(inbox::read_all))
        .route("/api/v1/inbox/{id}/read", post(inbox::read))
        .route("/api/v1/evaluation", get(evaluation::show))
        .route("/api/v1/evaluation/cases", get(evaluation::cases))
        .route("/api/v1/evaluation/export.xlsx", get(evaluation::export))
        .route("/api/v1/grids", get(geo::grids))
        .route("/api/v1/grids/import", post(geo::import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/api/v1/grids/{code}", get(geo::grid))
        .route("/api/v1/boundaries", get(geo::boundaries))
        .route("/api/v1/boundaries/import", post(geo::import_boundaries).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/api/v1/locate", get(geo::locate))
        .route("/api/v1/addresses/match", get(geo::match_address))
        .route("/api/v1/addresses/import", post(geo::import_addresses).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .fallback(|| async { crate::error::ApiError::not_found("route") })
}
