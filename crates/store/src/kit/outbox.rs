//! The outbox's messages and what the relay makes of them: notices for readers' inboxes and
//! deliveries to outside channels.
//!
//! Every queue here is claimed the same way: a short lease (`claimed_until`) taken with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so servers sharing one database share the work
//! without waiting on each other; SQLite has one writer and needs no row locks.

use chrono::{DateTime, Utc};

/// A message of the outbox, leased to a relay.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    /// Its id: with the topic, the message id receivers deduplicate on.
    pub id: i64,
    /// The record whose event it is.
    pub subject: super::Subject,
    /// The event's place in the record's log.
    pub seq: u32,
    /// `<kind>.<event>`, e.g. `case.dispatched`.
    pub topic: String,
    /// The event summary written with it.
    pub payload: serde_json::Value,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// The id a receiver deduplicates on: the same message always has the same one.
    pub fn message_id(&self) -> String {
        format!("{}:{}", self.subject.id, self.seq)
    }
}

/// A notice for one reader's in-app inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The reader.
    pub user_id: String,
    /// The message it comes from ([`OutboxMessage::message_id`]).
    pub message_id: String,
    /// The record it is about.
    pub subject: super::Subject,
    /// The record's code as readers know it (a case's tracking code).
    pub subject_code: String,
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
