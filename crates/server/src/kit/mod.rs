//! What every module's routes share: errors, extractors, the access guard, the OpenAPI frame
//! and docs page, health checks, and the background jobs (timers, outbox, deliveries).

pub mod access;
pub mod audit;
pub(crate) mod browser;
pub mod limits;
pub mod error;
pub mod extract;
pub mod health;
pub mod jobs;
pub mod openapi;
