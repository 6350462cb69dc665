//! A reader's notices.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::Backend;
use crate::inbox::Notification;
use crate::kit::{from_micros, micros};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

#[async_trait::async_trait]
impl crate::inbox::InboxStore for Backend {
    async fn inbox(&self, user_id: &str, unread_only: bool, limit: u32) -> Result<(Vec<Notification>, u64)> {
        // Columns by name, not `*`: a statement cached before a migration added a column would
        // otherwise read the old row shape.
        const COLUMNS: &str =
            "SELECT id, message_id, subject_kind, subject_id, subject_code, kind, title, body, created_at, read_at FROM notifications";
        let sql = if unread_only {
            format!("{COLUMNS} WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2")
        } else {
            format!("{COLUMNS} WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
        };
        let rows = sqlx::query(&sql).bind(user_id).bind(limit.clamp(1, 500) as i64).fetch_all(&self.read).await?;
        let corrupt = |e: uuid::Error| StoreError::Corrupt(format!("notification: {e}"));
        let items = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let subject_id: String = r.try_get("subject_id")?;
                let read_at: Option<i64> = r.try_get("read_at")?;
                Ok(Notification {
                    id: Uuid::parse_str(&id).map_err(corrupt)?,
                    message_id: r.try_get("message_id")?,
                    subject: crate::kit::Subject { kind: r.try_get("subject_kind")?, id: Uuid::parse_str(&subject_id).map_err(corrupt)? },
                    subject_code: r.try_get("subject_code")?,
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
            Some(id) => {
                sqlx::query("UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = $2 AND read_at IS NULL")
                    .bind(user_id)
                    .bind(id.to_string())
                    .bind(micros(now))
                    .execute(&self.write)
                    .await?
            }
            None => {
                sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
                    .bind(user_id)
                    .bind(micros(now))
                    .execute(&self.write)
                    .await?
            }
        };
        Ok(res.rows_affected())
    }
}
