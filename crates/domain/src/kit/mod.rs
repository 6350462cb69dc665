//! What every module's domain shares: the life-cycle pattern records with states follow.

pub mod lifecycle;

pub use lifecycle::{checked_step, Lifecycle};
