//! What every module's storage shares: how values are kept in columns, the policy a store
//! applies, upkeep of the database, and the outbox relay.

pub mod chain;
pub mod crypto;
pub(crate) mod group;
pub mod outbox;

/// The record a shared row is about — an outbox message, a timer, a notice, a logged reveal of
/// personal data, an idempotency key: its module's kind and its id. Ids are UUID v7, unique
/// across kinds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    /// The module's kind of record: `case`, and later `dispute`, `order`, ….
    pub kind: String,
    /// The record's id.
    pub id: uuid::Uuid,
}

impl Subject {
    /// The kind cases are kept under.
    pub const CASE: &'static str = "case";

    /// A case.
    pub fn case(id: uuid::Uuid) -> Self {
        Subject { kind: Self::CASE.to_string(), id }
    }
}

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use crate::Result;
use outbox::{Delivery, DeliveryOutcome, NewDelivery, Notice, OutboxMessage};

/// How long a lease of the outbox or timers holds: a server that dies mid-round leaves its rows
/// to others after it.
pub(crate) const LEASE_SECS: i64 = 60;

/// Microseconds since the epoch: how times are stored.
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The inverse of [`micros`].
pub(crate) fn from_micros(v: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(v).single().unwrap_or_default()
}

/// The smallest UUID v7 of the millisecond of `t`, as stored (hyphenated lowercase text sorts
/// like the bytes).
pub(crate) fn first_v7_of(t: DateTime<Utc>) -> String {
    let ms = t.timestamp_millis().max(0) as u128;
    uuid::Uuid::from_u128((ms << 80) | (0x7 << 76) | (0x2 << 62)).to_string()
}

/// The id of a record made at `now`: a UUID v7 of that moment (not of the machine's clock, which
/// a test or a replay may not share), counted up within a millisecond, so that ids sort as the
/// records were made and a period of `created_at` bounds the ids ([`first_v7_of`]).
pub(crate) fn v7_at(now: DateTime<Utc>) -> uuid::Uuid {
    static CONTEXT: std::sync::Mutex<uuid::ContextV7> = std::sync::Mutex::new(uuid::ContextV7::new());
    let secs = now.timestamp().max(0) as u64;
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(&CONTEXT, secs, now.timestamp_subsec_nanos()))
}

/// The exclusive upper bound of a prefix range over digit strings: every code under `prefix`
/// sorts in `[prefix, prefix~)`, which an index can scan.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}~")
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain types serialise")
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The case policy a store applies (calendar, time limits, rules), swappable while running:
/// an admin may load a further year's calendar.
#[derive(Clone)]
pub(crate) struct PolicyCell(std::sync::Arc<std::sync::RwLock<std::sync::Arc<civicgrid_domain::CasePolicy>>>);

impl PolicyCell {
    pub(crate) fn shipped() -> PolicyCell {
        PolicyCell(std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(civicgrid_domain::CasePolicy::shipped()))))
    }

    pub(crate) fn get(&self) -> std::sync::Arc<civicgrid_domain::CasePolicy> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set(&self, p: std::sync::Arc<civicgrid_domain::CasePolicy>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = p;
    }
}

/// Upkeep of the database: which backend, migrations, planner statistics, reachability.
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Which backend this is: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Refreshes the query planner's statistics (after bulk loads, and now and then).
    async fn optimize(&self) -> Result<()>;
    /// Answers whether the database is reachable.
    async fn ping(&self) -> Result<()>;
}

/// The tamper-evident event logs ([`chain`]): their key, sealing, checkpoints and verification.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Sets the key the logs are chained and checkpointed with ([`crypto::Cipher::log_key`]).
    fn set_log_key(&self, key: [u8; 32]);
    /// Links the events written before the chains existed (once: they are trusted as of then).
    /// Answers how many were linked.
    async fn seal_logs(&self) -> Result<u64>;
    /// Writes a signed checkpoint of the heads of every record changed since the last one;
    /// answers how many heads it holds (none written when nothing changed).
    async fn checkpoint_logs(&self, now: DateTime<Utc>) -> Result<u64>;
    /// Checks every record's chain against its events and the checkpoints, and the checkpoints'
    /// own signatures; names the first broken link of every damaged record. Holds the last
    /// checkpointed head of every record in memory (about 150 bytes each).
    async fn verify_logs(&self) -> Result<chain::AuditReport>;
    /// Records reads of records' content (who, what, when) in the access log.
    async fn log_access(&self, entries: &[AccessEntry]) -> Result<()>;
    /// The access log, newest first: of one user, of one record, or all; at most `limit`.
    async fn access_log(&self, user_id: Option<&str>, subject_id: Option<&str>, limit: u32) -> Result<Vec<AccessEntry>>;
    /// Deletes access-log entries older than `before` (kept at least six months); answers how many.
    async fn purge_access_log(&self, before: DateTime<Utc>) -> Result<u64>;
}

/// One read in the access log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessEntry {
    /// Who read.
    pub user_id: String,
    /// What kind of record (`case`), or `case_list` for a page of a list.
    pub subject_kind: String,
    /// The record's id; for a list, empty.
    pub subject_id: String,
    /// What was read: `case`, `events`, `photo`, `phone`, or a list's query.
    pub field: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The outbox relay: leases of messages and of deliveries to outside channels.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Leases up to `limit` undelivered outbox messages to `server`, oldest first.
    async fn claim_outbox(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<OutboxMessage>>;
    /// Records what a message became (inbox notices, deliveries) and marks it delivered, in one
    /// transaction; a notice or delivery already there is kept as it is.
    async fn deliver_outbox(&self, id: i64, notices: &[Notice], deliveries: &[NewDelivery], now: DateTime<Utc>) -> Result<()>;
    /// Leases up to `limit` deliveries due at `now` to `server`.
    async fn claim_deliveries(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<Delivery>>;
    /// Records the outcome of an attempt.
    async fn delivery_result(&self, id: &str, outcome: &DeliveryOutcome, now: DateTime<Utc>) -> Result<()>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn v7_bounds_bracket_ids_of_their_millisecond() {
        let t = chrono::Utc::now();
        let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, t.timestamp() as u64, t.timestamp_subsec_nanos()));
        let lo = super::first_v7_of(t);
        let hi = super::first_v7_of(t + chrono::Duration::milliseconds(1));
        assert!(lo <= id.to_string() && id.to_string() < hi, "{lo} {id} {hi}");
    }

    #[test]
    fn ids_made_at_one_moment_keep_their_order() {
        let t: chrono::DateTime<chrono::Utc> = "2026-11-23T01:00:00Z".parse().unwrap();
        let ids: Vec<_> = (0..1000).map(|_| super::v7_at(t)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let lo = super::first_v7_of(t);
        let hi = super::first_v7_of(t + chrono::Duration::milliseconds(2));
        assert!(ids.iter().all(|id| lo <= id.to_string() && id.to_string() < hi));
    }
}
