//! The one way a module appends events to a record's log, with the outbox message each carries,
//! inside the caller's transaction. The module writes its projection in the same transaction
//! (its own table, its own columns) and resets the record's timers with [`super::timers`]; then
//! the log, the projection, the outbox and the timers commit or fail together.
//!
//! Part of `kit/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Db, Tx};
use crate::kit::chain::{link, Linked, GENESIS};
use crate::kit::micros;
use crate::Result;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::HashMap;
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
/// Each event is linked to the one before it in its record's log under `key` (`kit::chain`).
pub(crate) async fn append(tx: &mut Tx<'_>, log: &Log, entries: &[Entry], key: &[u8; 32]) -> Result<()> {
    let links = links(tx, log, entries, key).await?;
    for (chunk, links) in entries.chunks(1000).zip(links.chunks(1000)) {
        let mut b = QueryBuilder::<Db>::new(format!("INSERT INTO {} ({}, seq, at, kind, payload, link) ", log.table, log.id_column));
        b.push_values(chunk.iter().zip(links), |mut r, (e, link)| {
            r.push_bind(e.id.to_string())
                .push_bind(e.seq as i64)
                .push_bind(micros(e.at))
                .push_bind(e.kind)
                .push_bind(e.payload.as_str())
                .push_bind(link.as_str());
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

/// The link of each entry: after the previous entry of its record in this append, or after the
/// stored event before it (read once per record), or after [`GENESIS`] for a first event.
async fn links(tx: &mut Tx<'_>, log: &Log, entries: &[Entry], key: &[u8; 32]) -> Result<Vec<String>> {
    let mut last: HashMap<Uuid, String> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let prev = match last.get(&e.id) {
            Some(p) => p.clone(),
            None if e.seq <= 1 => GENESIS.to_string(),
            None => {
                let sql = format!("SELECT link FROM {} WHERE {} = $1 AND seq = $2", log.table, log.id_column);
                let stored: Option<Option<String>> =
                    sqlx::query_scalar(&sql).bind(e.id.to_string()).bind(e.seq as i64 - 1).fetch_optional(&mut **tx).await?;
                stored.flatten().unwrap_or_default()
            }
        };
        let payload = e.payload.as_str();
        let link = link(key, &prev, &Linked { id: e.id, seq: e.seq, at: micros(e.at), kind: e.kind, payload });
        last.insert(e.id, link.clone());
        out.push(link);
    }
    Ok(out)
}
