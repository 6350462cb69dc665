//! civicgrid storage, one folder per module (`case`, `geo`, `evaluation`, …) and a shared
//! [`kit`]. Each module declares its storage trait in its `mod.rs` and writes its SQL once, in
//! its `sql.rs`, for both backends: SQLite (the embedded default) and PostgreSQL, chosen at
//! start by the URL scheme. Each backend mounts every module's `sql.rs` (see `sqlite/mod.rs`),
//! and [`Store`] is every module's trait at once. Each backend keeps its own migrations;
//! `tests/migrations.rs` checks that they create the same tables, columns and indexes.

pub mod accounts;
pub mod case;
pub mod evaluation;
pub mod geo;
pub mod inbox;
pub mod kit;
pub mod open311;
pub mod patrol;
pub mod phrases;
mod postgres;
pub mod reference;
mod sqlite;
pub mod testing;
pub mod timelimit;

use std::sync::Arc;

use civicgrid_domain::DomainError;
use thiserror::Error;

pub use accounts::{AccountStore, Credentials, LoginGate, NewUser};
pub use case::{Attachment, AttachmentStore, Awaiting, AwaitingFilter, CasePage, CaseQuery, CaseStore, CreateCase, Created, RebuildReport};
pub use evaluation::EvaluationStore;
pub use geo::{AddressRecord, BoundaryRecord, GeoImport, GeoImportSummary, GeoStore, GridRecord, GridVersion, StoredGrid};
pub use inbox::{InboxStore, Notification};
pub use kit::chain::{AuditReport, Breach, BrokenLink};
pub use kit::outbox::{Delivery, DeliveryOutcome, NewDelivery, Notice, OutboxMessage};
pub use kit::{crypto, AccessEntry, AuditStore, MaintenanceStore, OutboxStore, Subject};
pub use open311::{ApiKey, KeySelector, NewApiKey, Open311Store};
pub use patrol::PatrolStore;
pub use phrases::PhraseStore;
pub use postgres::PgStore;
pub use reference::{seed, seed_reference, Area, ReferenceStore, AREAS_CSV};
pub use sqlite::{SqliteDurability, SqliteStore};
pub use timelimit::{CalendarFile, FireReport, TimeLimitStore};

/// The store's one error type.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The domain refused the command.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No such record.
    #[error("{0} not found")]
    NotFound(String),
    /// A unique value is taken.
    #[error("{field} `{value}` already exists")]
    Duplicate {
        /// The field.
        field: String,
        /// The taken value.
        value: String,
    },
    /// Someone else changed the record first; retry.
    #[error("concurrent change to {0}; retry")]
    Conflict(String),
    /// The database URL is not one we know.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database could not take the write now; nothing was stored.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Encryption or decryption failed.
    #[error("crypto: {0}")]
    Crypto(String),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Composes [`Store`] from the module traits, its blanket impl and the [`prelude`], from one
/// list: a new module adds its trait to the list below (and mounts its `sql.rs` in each backend).
macro_rules! compose_store {
    ($($module:ident),+ $(,)?) => {
        /// The storage of civicgrid: every module's trait.
        pub trait Store: $($module +)+ Send + Sync + 'static {}

        impl<T> Store for T where T: $($module +)+ Send + Sync + 'static {}

        /// Every module's storage traits, for `use civicgrid_store::prelude::*`: a method of
        /// [`Store`] is called through its module's trait, which must be in scope.
        pub mod prelude {
            pub use crate::{Store, $($module),+};
        }
    };
}

compose_store!(
    MaintenanceStore,
    AuditStore,
    ReferenceStore,
    AccountStore,
    CaseStore,
    AttachmentStore,
    EvaluationStore,
    Open311Store,
    GeoStore,
    PatrolStore,
    PhraseStore,
    TimeLimitStore,
    OutboxStore,
    InboxStore,
);

/// Opens the store named by `url`: `sqlite://PATH` (created if missing) or `postgres://…`.
pub async fn connect(url: &str, durability: SqliteDurability) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url, durability).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}
