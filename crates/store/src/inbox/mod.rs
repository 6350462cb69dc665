//! The reader's in-app notices (消息), written by the outbox relay.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::Result;

/// A notice in a reader's inbox.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Its id.
    pub id: Uuid,
    /// The message it comes from.
    pub message_id: String,
    /// The record it is about (`{"kind": "case", "id": …}`).
    pub subject: crate::kit::Subject,
    /// The record's code as readers know it (a case's tracking code).
    pub subject_code: String,
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

/// The reader's in-app notices (消息).
#[async_trait]
pub trait InboxStore: Send + Sync {
    /// A reader's notices, newest first, and how many are unread.
    async fn inbox(&self, user_id: &str, unread_only: bool, limit: u32) -> Result<(Vec<Notification>, u64)>;
    /// Marks one notice (or, with `None`, all) of a reader read; answers how many changed.
    async fn mark_read(&self, user_id: &str, id: Option<Uuid>, now: DateTime<Utc>) -> Result<u64>;
}
