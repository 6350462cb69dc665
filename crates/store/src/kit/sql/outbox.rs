//! The outbox relay: messages leased to a server, turned into notices and deliveries.
//!
//! Part of `kit/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Backend, Db};
use crate::kit::outbox::*;
use crate::kit::LEASE_SECS;
use crate::kit::{from_micros, micros};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

#[async_trait::async_trait]
impl crate::kit::OutboxStore for Backend {
    async fn claim_outbox(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<OutboxMessage>> {
        let _ = server;
        let rows = sqlx::query(concat!(
            "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                SELECT id FROM outbox WHERE delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)
                 ORDER BY id LIMIT $3",
            skip_locked!(),
            ")
             RETURNING id, subject_kind, subject_id, event_seq, topic, payload, created_at"
        ))
        .bind(micros(now + chrono::Duration::seconds(LEASE_SECS)))
        .bind(micros(now))
        .bind(limit as i64)
        .fetch_all(&self.write)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let subject_id: String = r.try_get("subject_id")?;
            let payload: String = r.try_get("payload")?;
            let seq: i64 = r.try_get("event_seq")?;
            out.push(OutboxMessage {
                id: r.try_get("id")?,
                subject: crate::kit::Subject {
                    kind: r.try_get("subject_kind")?,
                    id: Uuid::parse_str(&subject_id).map_err(|e| StoreError::Corrupt(format!("outbox: {e}")))?,
                },
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
            let mut b = QueryBuilder::<Db>::new(
                "INSERT INTO notifications (id, user_id, message_id, subject_kind, subject_id, subject_code, kind, title, body, created_at) ",
            );
            b.push_values(chunk, |mut r, n| {
                r.push_bind(Uuid::now_v7().to_string())
                    .push_bind(n.user_id.as_str())
                    .push_bind(n.message_id.as_str())
                    .push_bind(n.subject.kind.as_str())
                    .push_bind(n.subject.id.to_string())
                    .push_bind(n.subject_code.as_str())
                    .push_bind(n.kind.as_str())
                    .push_bind(n.title.as_str())
                    .push_bind(n.body.as_str())
                    .push_bind(micros(now));
            });
            b.push(" ON CONFLICT (user_id, message_id) DO NOTHING");
            b.build().execute(&mut *tx).await?;
        }
        for chunk in deliveries.chunks(200) {
            let mut b = QueryBuilder::<Db>::new("INSERT INTO deliveries (id, message_id, channel, recipient, payload, attempts, next_at) ");
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
                 ORDER BY next_at LIMIT $3",
            skip_locked!(),
            ")
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
            DeliveryOutcome::Delivered => sqlx::query(
                "UPDATE deliveries SET attempts = attempts + 1, delivered_at = $2, claimed_until = NULL, last_error = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(micros(now)),
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
}
