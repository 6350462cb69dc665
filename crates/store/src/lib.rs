//! civicgrid storage. One [`Store`] trait, one implementation per database (SQLite, the
//! embedded default, and PostgreSQL), chosen at start by the URL scheme. The SQL both backends
//! share is written once in [`shared`]; each backend keeps its own migrations.
//!
//! Every change to a case appends its event to `case_events`, updates the `cases` projection
//! and writes an `outbox` row, in one transaction. Nothing is updated without an event and
//! nothing is deleted.

pub mod attachment;
pub mod crypto;
pub mod geo;
pub mod jobs;
pub mod open311;
mod postgres;
pub mod seed;
mod shared;
mod sqlite;
pub mod testing;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{
    Actor, AreaCode, AreaLevel, Case, CaseCode, CaseEvent, CaseState, Category, CategoryCode, Channel, Command,
    Department, DomainError, GridCode, NewCase, Role, User, Visibility,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use thiserror::Error;
use uuid::Uuid;

pub use attachment::Attachment;
pub use geo::{AddressRecord, BoundaryRecord, GeoImport, GeoImportSummary, GridRecord, GridVersion, StoredGrid};
pub use open311::{ApiKey, KeySelector, NewApiKey};
pub use postgres::PgStore;
pub use sqlite::{SqliteDurability, SqliteStore};

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

/// One node of the area tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Division code.
    pub code: AreaCode,
    /// Name as published.
    pub name: String,
    /// Level.
    pub level: AreaLevel,
    /// Parent code, none for a province.
    pub parent: Option<AreaCode>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (already checked).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: AreaCode,
    /// Department for handlers.
    pub department: Option<String>,
}

/// What login needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Failed attempts since the last success.
    pub failed_logins: i64,
    /// Locked until this moment.
    pub locked_until: Option<DateTime<Utc>>,
}

/// A new case to store.
#[derive(Debug, Clone)]
pub struct CreateCase {
    /// The validated report.
    pub new: NewCase,
    /// The level whose centre first owns it (from the category).
    pub handling_level: AreaLevel,
    /// Who reports it.
    pub actor: Actor,
    /// `Idempotency-Key`, scoped by the caller to the actor.
    pub idempotency_key: Option<String>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The answer to a create: the case, and whether it was a replay of an earlier request.
#[derive(Debug, Clone)]
pub struct Created {
    /// The case.
    pub case: Case,
    /// True if the idempotency key had been seen.
    pub replayed: bool,
}

/// Filters for listing cases. `visibility` comes from the reader, the others from the request.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    /// What the reader may see.
    pub visibility: Visibility,
    /// Any of these states.
    pub states: Vec<CaseState>,
    /// Category or main class.
    pub category: Option<CategoryCode>,
    /// Area (further narrows the scope).
    pub area: Option<AreaCode>,
    /// Grid.
    pub grid: Option<GridCode>,
    /// Channel.
    pub channel: Option<Channel>,
    /// Under supervision.
    pub supervised: Option<bool>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Red or yellow card as of the given moment (red: past the deadline; yellow: past the
    /// warning time, not yet the deadline).
    pub card: Option<(civicgrid_domain::Card, DateTime<Utc>)>,
    /// Continue after this case id (cursor).
    pub after: Option<Uuid>,
    /// Page size.
    pub limit: u32,
}

impl Default for CaseQuery {
    fn default() -> Self {
        CaseQuery {
            visibility: Visibility::Everything,
            states: vec![],
            category: None,
            area: None,
            grid: None,
            channel: None,
            supervised: None,
            created_from: None,
            created_to: None,
            card: None,
            after: None,
            limit: 50,
        }
    }
}

/// One page of cases, newest first.
#[derive(Debug, Clone)]
pub struct CasePage {
    /// The cases.
    pub items: Vec<Case>,
    /// The cursor for the next page, if there is one.
    pub next: Option<Uuid>,
}

/// What a rebuild of the projections found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Cases rebuilt from their logs.
    pub cases: u64,
    /// Events read.
    pub events: u64,
    /// Cases whose projection differed from their log before the rebuild.
    pub differed: u64,
}

/// The storage of civicgrid.
#[async_trait]
pub trait Store: jobs::JobStore + Send + Sync + 'static {
    /// Which backend this is: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Refreshes the query planner's statistics (after bulk loads, and now and then).
    async fn optimize(&self) -> Result<()>;
    /// Answers whether the database is reachable.
    async fn ping(&self) -> Result<()>;

    /// Inserts the shipped areas that are missing (skipped when the table already holds at least as
    /// many rows as shipped); never overwrites an edit. Answers how many were added.
    async fn seed_areas(&self, rows: &[Area]) -> Result<u64>;
    /// One area.
    async fn area(&self, code: &AreaCode) -> Result<Option<Area>>;
    /// Every area, by code.
    async fn areas(&self) -> Result<Vec<Area>>;
    /// The children of an area.
    async fn area_children(&self, code: &AreaCode) -> Result<Vec<Area>>;
    /// Inserts or replaces a category.
    async fn put_category(&self, c: &Category) -> Result<()>;
    /// All categories, by code.
    async fn categories(&self) -> Result<Vec<Category>>;
    /// Inserts or replaces a department.
    async fn put_department(&self, d: &Department) -> Result<()>;
    /// All departments, by id.
    async fn departments(&self) -> Result<Vec<Department>>;

    /// Creates an account.
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User>;
    /// All accounts, by username.
    async fn users(&self) -> Result<Vec<User>>;
    /// Rewrites an account's name, role, scope and department; with a new password hash also
    /// clears its failed logins and lock. `NotFound` for an unknown id.
    async fn update_user(&self, u: &User, password_hash: Option<&str>) -> Result<()>;
    /// An account with what login needs.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    /// Records a failed login and answers the failures in a row; the `max_failures`th locks the
    /// account until `lock_until`. A lock that has expired by `now` starts the count again.
    async fn login_failed(&self, user_id: &str, max_failures: i64, lock_until: DateTime<Utc>, now: DateTime<Utc>) -> Result<i64>;
    /// Records a successful login.
    async fn login_succeeded(&self, user_id: &str) -> Result<()>;
    /// Stores a session by the hash of its token.
    async fn create_session(&self, token_hash: &str, user_id: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()>;
    /// The user of a live session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// Reports a new case (idempotent by key). The attachment ids among the report's
    /// attachments are linked to the new case in the same transaction; one that does not exist
    /// or belongs to another case refuses the report (`attachments[i]`).
    async fn create_case(&self, req: CreateCase) -> Result<Created>;
    /// Runs a command on a case and answers the case after it. The attachment ids the event
    /// references (`handle`, `close_on_spot`) are linked to the case in the same transaction.
    async fn act(&self, id: Uuid, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<Case>;
    /// One case.
    async fn case(&self, id: Uuid) -> Result<Option<Case>>;
    /// One case by tracking code.
    async fn case_by_code(&self, code: &CaseCode) -> Result<Option<Case>>;
    /// A case's log, in order.
    async fn case_events(&self, id: Uuid) -> Result<Vec<CaseEvent>>;
    /// Cases matching a query, newest first.
    async fn list_cases(&self, q: &CaseQuery) -> Result<CasePage>;
    /// Number of cases per state matching the visibility part of a query.
    async fn count_by_state(&self, q: &CaseQuery) -> Result<Vec<(CaseState, u64)>>;
    /// Counts per grid with the same filters (states included); cases without a grid are left out.
    async fn count_by_grid(&self, q: &CaseQuery) -> Result<Vec<(String, u64)>>;
    /// Red and yellow cards at `now` among the cases the filters select (states included).
    async fn count_by_card(&self, q: &CaseQuery, now: DateTime<Utc>) -> Result<(u64, u64)>;
    /// The calendar, time limits and rules the store applies to every change.
    fn policy(&self) -> std::sync::Arc<civicgrid_domain::CasePolicy>;
    /// Replaces the policy (a further year's calendar loaded, configured rules).
    fn set_policy(&self, p: std::sync::Arc<civicgrid_domain::CasePolicy>);
    /// The cases under `area` that lived in `[from, to)` (reported before its end, and changed
    /// or due after its start), in id order: whose logs an evaluation of that period reads.
    async fn active_case_ids(&self, area: &AreaCode, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Uuid>>;
    /// The whole logs of these cases (a page of them at a time), each in order, in id order;
    /// unknown ids are left out.
    async fn case_logs(&self, ids: &[Uuid]) -> Result<Vec<Vec<CaseEvent>>>;
    /// Rebuilds the `cases` projection from the log.
    async fn rebuild_projections(&self) -> Result<RebuildReport>;
    /// Records that `user_id` read `field` of case `case_id` in clear.
    async fn log_pii_access(&self, user_id: &str, case_id: Uuid, field: &str, now: DateTime<Utc>) -> Result<()>;
    /// Records an uploaded photo whose files are already written (its `case_id` is ignored).
    async fn create_attachment(&self, a: &Attachment) -> Result<()>;
    /// One photo's record.
    async fn attachment(&self, id: Uuid) -> Result<Option<Attachment>>;
    /// Links photos to a case in one transaction: all or none. A photo that does not exist or
    /// belongs to another case is refused as `attachments[i]` (its place in `ids`).
    async fn link_attachments(&self, case_id: Uuid, ids: &[Uuid]) -> Result<()>;
    /// Bulk-inserts generated cases with their logs (demo and benchmark data), bypassing
    /// intake; each case still gets its events and projection row.
    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<()>;

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

    /// Writes grids and area outlines in one transaction: a changed grid closes its current
    /// version and opens the next, so a case keeps the grid it was reported in. Bumps the
    /// geography revision.
    async fn import_geo(&self, import: &GeoImport, by: &str, now: DateTime<Utc>) -> Result<GeoImportSummary>;
    /// The grids in force under `area` (all when `None`), by code.
    async fn grids(&self, area: Option<&AreaCode>) -> Result<Vec<StoredGrid>>;
    /// Every version of one grid, oldest first.
    async fn grid_history(&self, code: &GridCode) -> Result<Vec<GridVersion>>;
    /// The area outlines, by code.
    async fn boundaries(&self) -> Result<Vec<BoundaryRecord>>;
    /// Adds standard addresses in one transaction (all or nothing; a standard form already in
    /// the library is a `Duplicate`). Bumps the geography revision.
    async fn import_addresses(&self, rows: &[AddressRecord], now: DateTime<Utc>) -> Result<u64>;
    /// The whole address library, by id.
    async fn addresses(&self) -> Result<Vec<AddressRecord>>;
    /// A counter bumped by every change to grids, outlines or addresses.
    async fn geo_revision(&self) -> Result<i64>;

    /// Appends an entry to the patrol and visit log.
    async fn add_patrol(&self, e: &civicgrid_domain::PatrolEntry) -> Result<()>;
    /// The log entries under `area` (of one user when given) in `[from, to)`, oldest first.
    async fn patrols(&self, area: &AreaCode, user_id: Option<&str>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<civicgrid_domain::PatrolEntry>>;
}

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
