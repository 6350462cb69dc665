//! Time limits: durable timers, fired once by whichever server claims them, and the calendar
//! files an admin loads.
//!
//! What makes a timer fire once is that it is marked fired in the same transaction, under the
//! case's row lock, that appends its events; the lease (`claimed_until`, taken with `FOR UPDATE
//! SKIP LOCKED` on PostgreSQL) only spreads the work between servers.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::TimerSpec;
use serde::Serialize;
use uuid::Uuid;

use crate::Result;

/// What one round of timer firing did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FireReport {
    /// Timers this server claimed.
    pub claimed: u64,
    /// Timers that appended events.
    pub fired: u64,
    /// Timers whose deadline had moved on, or whose case had: marked fired, nothing appended.
    pub stale: u64,
    /// Events appended (a timer's own and what the rules did in answer).
    pub events: u64,
}

/// A calendar file an admin loaded (a further year's holidays and make-up days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarFile {
    /// The years it covers.
    pub years: Vec<i32>,
    /// The CSV text as loaded.
    pub body: String,
    /// Who loaded it.
    pub loaded_by: String,
    /// When.
    pub loaded_at: DateTime<Utc>,
}

/// Time limits: durable timers fired once, calendar files loaded by an admin.
#[async_trait]
pub trait TimeLimitStore: Send + Sync {
    /// Fires the timers due at `now`: claims up to `limit` of them for `server`, then fires each
    /// in its own transaction with its case locked, marking it fired in that transaction.
    async fn fire_due_timers(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<FireReport>;
    /// A case's timers still to fire, soonest first.
    async fn pending_timers(&self, case_id: Uuid) -> Result<Vec<TimerSpec>>;
    /// Keeps a loaded calendar file.
    async fn add_calendar_file(&self, f: &CalendarFile) -> Result<()>;
    /// The loaded calendar files, oldest first (later ones win).
    async fn calendar_files(&self) -> Result<Vec<CalendarFile>>;
}
