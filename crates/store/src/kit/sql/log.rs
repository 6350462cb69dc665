//! The one way a module appends events to a record's log, with the outbox message each carries,
//! inside the caller's transaction. The module writes its projection in the same transaction
//! (its own table, its own columns) and resets the record's timers with [`super::timers`]; then
//! the log, the projection, the outbox and the timers commit or fail together.
//!
//! Part of `kit/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Db, Tx};
use crate::kit::micros;
use crate::Result;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

/// A module's event log: a table `(<id_column>, seq, at, kind, payload)` with `(<id_column>,
/// seq)` unique, and the subject kind its records are known by in the shared tables.
pub(crate) struct Log {
    /// The log table, e.g. `case_events`.
    pub table: &'static str,
    /// The column naming the record, e.g. `case_id`.
    pub id_column: &'static str,
    /// The records' kind in the outbox and the other shared tables, e.g. `case`.
    pub subject_kind: &'static str,
}

/// One event as the log keeps it.
pub(crate) struct Entry {
    /// The record.
    pub id: Uuid,
    /// Its place in the record's log.
    pub seq: u32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The event's name; the outbox topic is `<subject kind>.<name>`.
    pub kind: &'static str,
    /// The event as JSON.
    pub payload: String,
    /// What the outbox message says, or `None` for no message (imported history is not news).
    pub outbox: Option<String>,
}

/// Appends `entries` to `log` and their messages to the outbox, a thousand rows per statement.
pub(crate) async fn append(tx: &mut Tx<'_>, log: &Log, entries: &[Entry]) -> Result<()> {
    for chunk in entries.chunks(1000) {
        let mut b = QueryBuilder::<Db>::new(format!("INSERT INTO {} ({}, seq, at, kind, payload) ", log.table, log.id_column));
        b.push_values(chunk, |mut r, e| {
            r.push_bind(e.id.to_string()).push_bind(e.seq as i64).push_bind(micros(e.at)).push_bind(e.kind).push_bind(e.payload.as_str());
        });
        b.build().execute(&mut **tx).await?;
        let messages: Vec<(&Entry, &str)> = chunk.iter().filter_map(|e| Some((e, e.outbox.as_deref()?))).collect();
        if messages.is_empty() {
            continue;
        }
        let mut b = QueryBuilder::<Db>::new("INSERT INTO outbox (subject_kind, subject_id, event_seq, topic, payload, created_at) ");
        b.push_values(messages, |mut r, (e, message)| {
            r.push_bind(log.subject_kind)
                .push_bind(e.id.to_string())
                .push_bind(e.seq as i64)
                .push_bind(format!("{}.{}", log.subject_kind, e.kind))
                .push_bind(message)
                .push_bind(micros(e.at));
        });
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}
