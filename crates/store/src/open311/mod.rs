//! Records of the Open311 GeoReport v2 interface: the keys of its clients. (Service attributes
//! are domain types, [`civicgrid_domain::attributes::AttributeDef`].)

use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, CategoryCode, Channel};

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

use crate::Result;
use async_trait::async_trait;

/// Open311: client keys and the service attributes of categories.
#[async_trait]
pub trait Open311Store: Send + Sync {
    /// Issues an Open311 client key (stored by hash); a hash already present is `Duplicate`.
    async fn create_api_key(&self, k: &NewApiKey, now: DateTime<Utc>) -> Result<ApiKey>;
    /// The key with this hash, revoked or not.
    async fn api_key(&self, key_hash: &str) -> Result<Option<ApiKey>>;
    /// Every key, oldest first.
    async fn api_keys(&self) -> Result<Vec<ApiKey>>;
    /// Revokes the live keys `sel` names; answers how many were revoked.
    async fn revoke_api_keys(&self, sel: &KeySelector, now: DateTime<Utc>) -> Result<u64>;
    /// Inserts or replaces one service attribute of a category (already validated).
    async fn put_category_attribute(&self, a: &civicgrid_domain::attributes::AttributeDef) -> Result<()>;
    /// Deletes one service attribute; answers whether it existed.
    async fn delete_category_attribute(&self, category: &CategoryCode, code: &str) -> Result<bool>;
    /// The service attributes of one category (or of all), by category, order and code.
    async fn category_attributes(&self, category: Option<&CategoryCode>) -> Result<Vec<civicgrid_domain::attributes::AttributeDef>>;
}
