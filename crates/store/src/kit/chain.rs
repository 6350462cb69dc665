//! The tamper-evident event logs (issue 22 finding 4). Every event carries a *link*: an
//! HMAC-SHA256, under a key derived from the data key (which lives outside the database), of
//! the previous link of its record and of the event exactly as stored. Editing an event's text,
//! its actor or its rating, or re-signing a record's events without the key, breaks the link
//! at that event and every one after it. Deleting the last events of a record leaves a valid
//! but shorter chain; the periodic *checkpoint* catches that: a signed list of every record's
//! head (its last seq and link) since the previous checkpoint, itself chained by signature.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// The link before a record's first event.
pub const GENESIS: &str = "";

/// The key a store chains and checkpoints with; set from the data key when the server starts.
#[derive(Clone)]
pub struct ChainKey(Arc<RwLock<[u8; 32]>>);

impl ChainKey {
    /// The all-zero key a store starts with, until [`ChainKey::set`] (tests, tools without a key).
    pub(crate) fn unset() -> ChainKey {
        ChainKey(Arc::new(RwLock::new([0; 32])))
    }

    /// Replaces the key.
    pub(crate) fn set(&self, key: [u8; 32]) {
        *self.0.write().expect("not poisoned") = key;
    }

    /// The key.
    pub(crate) fn get(&self) -> [u8; 32] {
        *self.0.read().expect("not poisoned")
    }
}

/// One event as the chain covers it: the fields of its log row.
pub struct Linked<'a> {
    /// The record.
    pub id: Uuid,
    /// Its place in the record's log.
    pub seq: u32,
    /// When, in microseconds as stored.
    pub at: i64,
    /// The event's name.
    pub kind: &'a str,
    /// The event's JSON as stored.
    pub payload: &'a str,
}

/// The link of `e` after `prev`, hex-encoded.
pub fn link(key: &[u8; 32], prev: &str, e: &Linked<'_>) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    for part in [prev.as_bytes(), e.id.as_bytes(), &e.seq.to_be_bytes(), &e.at.to_be_bytes(), e.kind.as_bytes(), e.payload.as_bytes()] {
        // Each part with its length, so no two different events read as the same bytes.
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    hex(&mac.finalize().into_bytes())
}

/// The signature of a checkpoint: the previous checkpoint's signature, the last event it
/// covers and every head it lists, in order.
pub fn sign_checkpoint(key: &[u8; 32], prev: &str, upto: i64, heads: &[(Uuid, u32, String)]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(&(prev.len() as u64).to_be_bytes());
    mac.update(prev.as_bytes());
    mac.update(&upto.to_be_bytes());
    for (id, seq, link) in heads {
        mac.update(id.as_bytes());
        mac.update(&seq.to_be_bytes());
        mac.update(link.as_bytes());
    }
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is wrong with one record's log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BrokenLink {
    /// The record.
    pub subject: super::Subject,
    /// The first event whose link does not hold (or, for a shortened log, the first missing).
    pub seq: u32,
    /// What kind of damage.
    pub cause: Breach,
    /// What was found, in words.
    pub problem: String,
}

/// What kind of damage a log shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Breach {
    /// An event was changed, reordered or re-signed without the key.
    Edited,
    /// Events are missing: a gap in the seqs, or the log ends before its checkpointed head.
    Missing,
    /// A checkpoint's signature does not hold.
    Checkpoint,
    /// Events from before the chains, not linked yet (`civicgrid audit seal`): not damage.
    Unlinked,
}

/// What a verification found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AuditReport {
    /// Records read.
    pub records: u64,
    /// Events read.
    pub events: u64,
    /// Checkpoints whose signatures were checked.
    pub checkpoints: u64,
    /// Every damaged record, with its first broken link.
    pub broken: Vec<BrokenLink>,
}

impl AuditReport {
    /// The records changed outside civicgrid: every broken link but events merely not linked yet.
    pub fn damaged(&self) -> impl Iterator<Item = &BrokenLink> {
        self.broken.iter().filter(|b| b.cause != Breach::Unlinked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_covers_every_field_and_the_key() {
        let id = Uuid::nil();
        let e = Linked { id, seq: 1, at: 5, kind: "accepted", payload: "{}" };
        let base = link(&[1; 32], GENESIS, &e);
        assert_ne!(base, link(&[2; 32], GENESIS, &e), "the key");
        assert_ne!(base, link(&[1; 32], "x", &e), "the previous link");
        for other in [
            Linked { seq: 2, ..Linked { id, seq: 1, at: 5, kind: "accepted", payload: "{}" } },
            Linked { id, seq: 1, at: 6, kind: "accepted", payload: "{}" },
            Linked { id, seq: 1, at: 5, kind: "rejected", payload: "{}" },
            Linked { id, seq: 1, at: 5, kind: "accepted", payload: "{ }" },
        ] {
            assert_ne!(base, link(&[1; 32], GENESIS, &other));
        }
        assert_eq!(base.len(), 64);
    }
}
