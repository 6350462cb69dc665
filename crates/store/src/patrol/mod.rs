//! The grid worker's patrol and visit log (巡查走访): entries appended, read by day and area.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, PatrolEntry};

use crate::Result;

/// The grid worker's patrol and visit log (巡查走访).
#[async_trait]
pub trait PatrolStore: Send + Sync {
    /// Appends an entry to the patrol and visit log.
    async fn add_patrol(&self, e: &PatrolEntry) -> Result<()>;
    /// The log entries under `area` (of one user when given) in `[from, to)`, oldest first.
    async fn patrols(&self, area: &AreaCode, user_id: Option<&str>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<PatrolEntry>>;
}
