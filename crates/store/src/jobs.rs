//! The store's side of the work the platform does on its own: durable timers, the outbox relay,
//! the in-app inbox, deliveries to outside channels, and calendar files loaded by an admin.
//!
//! Every queue here is claimed the same way: a short lease (`claimed_until`) taken with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so servers sharing one database share the work
//! without waiting on each other; SQLite has one writer and needs no row locks. The lease only
//! spreads work: what makes a timer fire once is that it is marked fired in the same
//! transaction, under the case's row lock, that appends its events.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::Result;
use civicgrid_domain::TimerSpec;

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

/// A message of the outbox, leased to a relay.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    /// Its id: with the topic, the message id receivers deduplicate on.
    pub id: i64,
    /// The case.
    pub case_id: Uuid,
    /// The event's place in the case's log.
    pub seq: u32,
    /// `case.<event>`.
    pub topic: String,
    /// The event summary written with it.
    pub payload: serde_json::Value,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// The id a receiver deduplicates on: the same message always has the same one.
    pub fn message_id(&self) -> String {
        format!("{}:{}", self.case_id, self.seq)
    }
}

/// A notice for one reader's in-app inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The reader.
    pub user_id: String,
    /// The message it comes from ([`OutboxMessage::message_id`]).
    pub message_id: String,
    /// The case.
    pub case_id: Uuid,
    /// The case's tracking code.
    pub case_code: String,
    /// The event's name (`dispatched`, `overdue`, …).
    pub kind: String,
    /// One line.
    pub title: String,
    /// A few lines.
    pub body: String,
}

/// A notice for an outside channel, to be sent by a sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The message it comes from.
    pub message_id: String,
    /// The channel's name (`log`, `webhook`, …).
    pub channel: String,
    /// Who it is for (a username).
    pub recipient: String,
    /// The JSON body to send.
    pub payload: String,
}

/// A delivery leased to a sender.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its id.
    pub id: String,
    /// The message id, sent along so the receiver can drop repeats.
    pub message_id: String,
    /// The channel.
    pub channel: String,
    /// Who it is for.
    pub recipient: String,
    /// The JSON body.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// How a delivery attempt ended.
#[derive(Debug, Clone)]
pub enum DeliveryOutcome {
    /// Sent.
    Delivered,
    /// Failed; try again at `at`.
    Retry {
        /// When.
        at: DateTime<Utc>,
        /// What went wrong.
        error: String,
    },
    /// Failed for good (too many attempts).
    Failed {
        /// What went wrong last.
        error: String,
    },
}

/// A notice in a reader's inbox.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Its id.
    pub id: Uuid,
    /// The message it comes from.
    pub message_id: String,
    /// The case.
    pub case_id: Uuid,
    /// The case's tracking code.
    pub case_code: String,
    /// The event's name.
    pub kind: String,
    /// One line.
    pub title: String,
    /// A few lines.
    pub body: String,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
    /// When the reader opened it.
    pub read_at: Option<DateTime<Utc>>,
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

/// The store's side of timers, notifications and calendar files.
#[async_trait]
pub trait JobStore {
    /// Fires the timers due at `now`: claims up to `limit` of them for `server`, then fires each
    /// in its own transaction with its case locked, marking it fired in that transaction.
    async fn fire_due_timers(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<FireReport>;
    /// A case's timers still to fire, soonest first.
    async fn pending_timers(&self, case_id: Uuid) -> Result<Vec<TimerSpec>>;
    /// Leases up to `limit` undelivered outbox messages to `server`, oldest first.
    async fn claim_outbox(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<OutboxMessage>>;
    /// Records what a message became (inbox notices, deliveries) and marks it delivered, in one
    /// transaction; a notice or delivery already there is kept as it is.
    async fn deliver_outbox(&self, id: i64, notices: &[Notice], deliveries: &[NewDelivery], now: DateTime<Utc>) -> Result<()>;
    /// Leases up to `limit` deliveries due at `now` to `server`.
    async fn claim_deliveries(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<Delivery>>;
    /// Records the outcome of an attempt.
    async fn delivery_result(&self, id: &str, outcome: &DeliveryOutcome, now: DateTime<Utc>) -> Result<()>;
    /// A reader's notices, newest first, and how many are unread.
    async fn inbox(&self, user_id: &str, unread_only: bool, limit: u32) -> Result<(Vec<Notification>, u64)>;
    /// Marks one notice (or, with `None`, all) of a reader read; answers how many changed.
    async fn mark_read(&self, user_id: &str, id: Option<Uuid>, now: DateTime<Utc>) -> Result<u64>;
    /// Keeps a loaded calendar file.
    async fn add_calendar_file(&self, f: &CalendarFile) -> Result<()>;
    /// The loaded calendar files, oldest first (later ones win).
    async fn calendar_files(&self) -> Result<Vec<CalendarFile>>;
}

/// Implements [`JobStore`] inside a backend module that has expanded `impl_store!` (it uses
/// that macro's helpers). `$skip` ends the SELECT that picks rows to lease.
macro_rules! impl_jobs {
    ($ty:ty, $db:ty, $skip:literal) => {
        use $crate::jobs::*;

        /// How long a lease holds: a server that dies mid-round leaves its rows to others after it.
        const LEASE_SECS: i64 = 60;

        fn timer_from_row(r: &<$db as sqlx::Database>::Row) -> Result<(String, Uuid, civicgrid_domain::TimerSpec)> {
            let corrupt = |e: String| StoreError::Corrupt(format!("timer: {e}"));
            let kind: String = r.try_get("kind")?;
            let step: String = r.try_get("step")?;
            let case_id: String = r.try_get("case_id")?;
            Ok((
                r.try_get("id")?,
                Uuid::parse_str(&case_id).map_err(|e| corrupt(e.to_string()))?,
                civicgrid_domain::TimerSpec {
                    kind: kind.parse().map_err(|e: DomainError| corrupt(e.to_string()))?,
                    step: step.parse().map_err(|e: DomainError| corrupt(e.to_string()))?,
                    due: from_micros(r.try_get("due")?),
                    at: from_micros(r.try_get("fire_at")?),
                },
            ))
        }

        impl $ty {
            /// Fires one claimed timer; `Ok(None)` if it was no longer this server's to fire.
            async fn fire_one(&self, server: &str, id: &str, case_id: Uuid, spec: &civicgrid_domain::TimerSpec, now: DateTime<Utc>) -> Result<Option<u64>> {
                let mut tx = self.begin_write().await?;
                // The case first, as every change takes it: an action on the case and this
                // timer cannot lock each other out.
                let case = load_case(&mut *tx, case_id, true).await?;
                let marked = sqlx::query("UPDATE timers SET fired_at = $3, fired_by = $2 WHERE id = $1 AND fired_at IS NULL AND claimed_by = $2")
                    .bind(id)
                    .bind(server)
                    .bind(micros(now))
                    .execute(&mut *tx)
                    .await?;
                if marked.rows_affected() != 1 {
                    return Ok(None);
                }
                let Some(mut case) = case else {
                    tx.commit().await?;
                    return Ok(Some(0));
                };
                let policy = self.policy.get();
                let expected = case.version;
                let before = policy.timers(&case);
                let events = policy.fire(&mut case, spec, now);
                if !events.is_empty() {
                    update_projection(&mut tx, &case, Some(expected)).await?;
                    let logged: Vec<(&Case, &CaseEvent)> = events.iter().map(|e| (&case, e)).collect();
                    append_events(&mut tx, &logged, true).await?;
                    let after = policy.timers(&case);
                    if after != before {
                        reset_timers(&mut tx, case.id, &after).await?;
                    }
                }
                tx.commit().await?;
                Ok(Some(events.len() as u64))
            }
        }

        #[async_trait::async_trait]
        impl JobStore for $ty {
            async fn fire_due_timers(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<FireReport> {
                let rows = sqlx::query(concat!(
                    "UPDATE timers SET claimed_by = $1, claimed_until = $2 WHERE id IN (
                        SELECT id FROM timers WHERE fired_at IS NULL AND fire_at <= $3
                           AND (claimed_until IS NULL OR claimed_until < $3)
                         ORDER BY fire_at LIMIT $4", $skip, ")
                     RETURNING id, case_id, kind, step, due, fire_at"
                ))
                .bind(server)
                .bind(micros(now + chrono::Duration::seconds(LEASE_SECS)))
                .bind(micros(now))
                .bind(limit as i64)
                .fetch_all(&self.write)
                .await?;
                let mut claimed = rows.iter().map(|r| timer_from_row(r)).collect::<Result<Vec<_>>>()?;
                claimed.sort_by_key(|(_, _, t)| t.at);
                let mut report = FireReport { claimed: claimed.len() as u64, ..FireReport::default() };
                for (id, case_id, spec) in &claimed {
                    match self.fire_one(server, id, *case_id, spec, now).await? {
                        Some(0) => report.stale += 1,
                        Some(n) => {
                            report.fired += 1;
                            report.events += n;
                        }
                        None => {}
                    }
                }
                Ok(report)
            }

            async fn pending_timers(&self, case_id: Uuid) -> Result<Vec<civicgrid_domain::TimerSpec>> {
                let rows = sqlx::query("SELECT id, case_id, kind, step, due, fire_at FROM timers WHERE case_id = $1 AND fired_at IS NULL ORDER BY fire_at")
                    .bind(case_id.to_string())
                    .fetch_all(&self.write)
                    .await?;
                rows.iter().map(|r| timer_from_row(r).map(|(_, _, t)| t)).collect()
            }

            async fn claim_outbox(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<OutboxMessage>> {
                let _ = server;
                let rows = sqlx::query(concat!(
                    "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                        SELECT id FROM outbox WHERE delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)
                         ORDER BY id LIMIT $3", $skip, ")
                     RETURNING id, case_id, event_seq, topic, payload, created_at"
                ))
                .bind(micros(now + chrono::Duration::seconds(LEASE_SECS)))
                .bind(micros(now))
                .bind(limit as i64)
                .fetch_all(&self.write)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let case_id: String = r.try_get("case_id")?;
                    let payload: String = r.try_get("payload")?;
                    let seq: i64 = r.try_get("event_seq")?;
                    out.push(OutboxMessage {
                        id: r.try_get("id")?,
                        case_id: Uuid::parse_str(&case_id).map_err(|e| StoreError::Corrupt(format!("outbox: {e}")))?,
                        seq: seq as u32,
                        topic: r.try_get("topic")?,
                        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(format!("outbox: {e}")))?,
                        created_at: from_micros(r.try_get("created_at")?),
                    });
                }
                out.sort_by_key(|m| m.id);
                Ok(out)
            }

            async fn deliver_outbox(&self, id: i64, notices: &[Notice], deliveries: &[NewDelivery], now: DateTime<Utc>) -> Result<()> {
                let mut tx = self.begin_write().await?;
                for chunk in notices.chunks(200) {
                    let mut b = QueryBuilder::<$db>::new(
                        "INSERT INTO notifications (id, user_id, message_id, case_id, case_code, kind, title, body, created_at) ",
                    );
                    b.push_values(chunk, |mut r, n| {
                        r.push_bind(Uuid::now_v7().to_string())
                            .push_bind(n.user_id.as_str())
                            .push_bind(n.message_id.as_str())
                            .push_bind(n.case_id.to_string())
                            .push_bind(n.case_code.as_str())
                            .push_bind(n.kind.as_str())
                            .push_bind(n.title.as_str())
                            .push_bind(n.body.as_str())
                            .push_bind(micros(now));
                    });
                    b.push(" ON CONFLICT (user_id, message_id) DO NOTHING");
                    b.build().execute(&mut *tx).await?;
                }
                for chunk in deliveries.chunks(200) {
                    let mut b = QueryBuilder::<$db>::new("INSERT INTO deliveries (id, message_id, channel, recipient, payload, attempts, next_at) ");
                    b.push_values(chunk, |mut r, d| {
                        r.push_bind(Uuid::now_v7().to_string())
                            .push_bind(d.message_id.as_str())
                            .push_bind(d.channel.as_str())
                            .push_bind(d.recipient.as_str())
                            .push_bind(d.payload.as_str())
                            .push_bind(0i64)
                            .push_bind(micros(now));
                    });
                    b.push(" ON CONFLICT (message_id, channel, recipient) DO NOTHING");
                    b.build().execute(&mut *tx).await?;
                }
                sqlx::query("UPDATE outbox SET delivered_at = $2 WHERE id = $1").bind(id).bind(micros(now)).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn claim_deliveries(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<Delivery>> {
                let _ = server;
                let rows = sqlx::query(concat!(
                    "UPDATE deliveries SET claimed_until = $1 WHERE id IN (
                        SELECT id FROM deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_at <= $2
                           AND (claimed_until IS NULL OR claimed_until < $2)
                         ORDER BY next_at LIMIT $3", $skip, ")
                     RETURNING id, message_id, channel, recipient, payload, attempts"
                ))
                .bind(micros(now + chrono::Duration::seconds(LEASE_SECS)))
                .bind(micros(now))
                .bind(limit as i64)
                .fetch_all(&self.write)
                .await?;
                rows.iter()
                    .map(|r| {
                        let attempts: i64 = r.try_get("attempts")?;
                        Ok(Delivery {
                            id: r.try_get("id")?,
                            message_id: r.try_get("message_id")?,
                            channel: r.try_get("channel")?,
                            recipient: r.try_get("recipient")?,
                            payload: r.try_get("payload")?,
                            attempts: attempts as u32,
                        })
                    })
                    .collect()
            }

            async fn delivery_result(&self, id: &str, outcome: &DeliveryOutcome, now: DateTime<Utc>) -> Result<()> {
                let q = match outcome {
                    DeliveryOutcome::Delivered => {
                        sqlx::query("UPDATE deliveries SET attempts = attempts + 1, delivered_at = $2, claimed_until = NULL, last_error = NULL WHERE id = $1")
                            .bind(id)
                            .bind(micros(now))
                    }
                    DeliveryOutcome::Retry { at, error } => sqlx::query(
                        "UPDATE deliveries SET attempts = attempts + 1, next_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(micros(*at))
                    .bind(error.as_str()),
                    DeliveryOutcome::Failed { error } => sqlx::query(
                        "UPDATE deliveries SET attempts = attempts + 1, failed_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(micros(now))
                    .bind(error.as_str()),
                };
                q.execute(&self.write).await?;
                Ok(())
            }

            async fn inbox(&self, user_id: &str, unread_only: bool, limit: u32) -> Result<(Vec<Notification>, u64)> {
                let sql = if unread_only {
                    "SELECT * FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2"
                } else {
                    "SELECT * FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
                };
                let rows = sqlx::query(sql).bind(user_id).bind(limit.clamp(1, 500) as i64).fetch_all(&self.read).await?;
                let corrupt = |e: uuid::Error| StoreError::Corrupt(format!("notification: {e}"));
                let items = rows
                    .iter()
                    .map(|r| {
                        let id: String = r.try_get("id")?;
                        let case_id: String = r.try_get("case_id")?;
                        let read_at: Option<i64> = r.try_get("read_at")?;
                        Ok(Notification {
                            id: Uuid::parse_str(&id).map_err(corrupt)?,
                            message_id: r.try_get("message_id")?,
                            case_id: Uuid::parse_str(&case_id).map_err(corrupt)?,
                            case_code: r.try_get("case_code")?,
                            kind: r.try_get("kind")?,
                            title: r.try_get("title")?,
                            body: r.try_get("body")?,
                            created_at: from_micros(r.try_get("created_at")?),
                            read_at: read_at.map(from_micros),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let unread: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
                    .bind(user_id)
                    .fetch_one(&self.read)
                    .await?;
                Ok((items, unread as u64))
            }

            async fn mark_read(&self, user_id: &str, id: Option<Uuid>, now: DateTime<Utc>) -> Result<u64> {
                let res = match id {
                    Some(id) => sqlx::query("UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = $2 AND read_at IS NULL")
                        .bind(user_id)
                        .bind(id.to_string())
                        .bind(micros(now))
                        .execute(&self.write)
                        .await?,
                    None => sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
                        .bind(user_id)
                        .bind(micros(now))
                        .execute(&self.write)
                        .await?,
                };
                Ok(res.rows_affected())
            }

            async fn add_calendar_file(&self, f: &CalendarFile) -> Result<()> {
                sqlx::query("INSERT INTO calendar_files (years, body, loaded_by, loaded_at) VALUES ($1, $2, $3, $4)")
                    .bind(to_json(&f.years))
                    .bind(f.body.as_str())
                    .bind(f.loaded_by.as_str())
                    .bind(micros(f.loaded_at))
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn calendar_files(&self) -> Result<Vec<CalendarFile>> {
                let rows = sqlx::query("SELECT years, body, loaded_by, loaded_at FROM calendar_files ORDER BY id").fetch_all(&self.read).await?;
                rows.iter()
                    .map(|r| {
                        let years: String = r.try_get("years")?;
                        Ok(CalendarFile {
                            years: serde_json::from_str(&years).map_err(|e| StoreError::Corrupt(format!("calendar file: {e}")))?,
                            body: r.try_get("body")?,
                            loaded_by: r.try_get("loaded_by")?,
                            loaded_at: from_micros(r.try_get("loaded_at")?),
                        })
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use impl_jobs;
