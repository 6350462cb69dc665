//! 事件/工单: intake, the queue, reads, the event log, one action per transition, photos, public
//! tracking and rating, and the notices case events become.

mod attachments;
mod cases;
mod export;
mod nearby;
pub(crate) mod notify;
mod photo;
pub(crate) mod search;
mod track;
mod views;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kit::access::{guard, Access};
use crate::kit::openapi::module;
use crate::AppState;

pub(crate) use cases::{wgs84_location, LocationInput};

/// `/api/v1/cases`, `/api/v1/attachments` and `/api/v1/track`. Reporting, reading one case and
/// its photos are open to the public (the domain decides what each reader sees); queues,
/// counts and actions need an account.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let open = module("cases", "事件/工单: intake, queue, transitions")
        .routes(routes!(cases::create))
        .routes(routes!(cases::get_one))
        .routes(routes!(cases::events));
    let signed_in = OpenApiRouter::default()
        .routes(routes!(cases::list))
        .routes(routes!(cases::counts))
        .routes(routes!(cases::counts_by_grid))
        .routes(routes!(cases::counts_by_card))
        .routes(routes!(cases::counts_awaiting))
        .routes(routes!(export::export))
        .routes(routes!(cases::contact))
        .routes(routes!(cases::same_caller))
        .routes(routes!(cases::act));
    let photos = module("attachments", "photos of reports and their handling")
        .routes(routes!(attachments::original))
        .routes(routes!(attachments::thumb));
    let upload = OpenApiRouter::default().routes(routes!(attachments::upload)).layer(DefaultBodyLimit::max(attachments::UPLOAD_LIMIT));
    let tracking = module("tracking", "public status by tracking code, and reports nearby")
        .routes(routes!(track::show))
        .routes(routes!(track::rate))
        .routes(routes!(track::reply_photo))
        .routes(routes!(nearby::nearby));
    open.merge(guard(Access::SignedIn, signed_in)).merge(photos).merge(upload).merge(tracking)
}
