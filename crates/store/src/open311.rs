//! Records of the Open311 GeoReport v2 interface: the keys of its clients. (Service attributes
//! are domain types, [`civicgrid_domain::attributes::AttributeDef`].)

use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, Channel};

/// An Open311 client's key as stored: the key itself is never kept, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Row id, to name the key in admin commands.
    pub id: i64,
    /// The client's name.
    pub client: String,
    /// The channel its reports come in by.
    pub channel: Channel,
    /// The area its reports fall in when they give none.
    pub area: Option<AreaCode>,
    /// When issued.
    pub created_at: DateTime<Utc>,
    /// When revoked; a revoked key is refused.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// True until the key is revoked.
    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A key to issue.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// SHA-256 of the key, hex ([`crate::crypto::token_hash`]).
    pub key_hash: String,
    /// The client's name.
    pub client: String,
    /// The channel its reports come in by.
    pub channel: Channel,
    /// The default area of its reports.
    pub area: Option<AreaCode>,
}

/// Which keys a revocation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySelector {
    /// One key by row id.
    Id(i64),
    /// One key by its hash.
    Hash(String),
    /// Every key of a client.
    Client(String),
}
