//! The SQLite backend: the embedded default. WAL journal; one writer connection (SQLite has
//! one writer at a time anyway, and a single connection avoids busy-retry storms), several
//! readers.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// How hard SQLite works to keep a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteDurability {
    /// `synchronous=FULL`: every commit is fsynced before it is acknowledged; survives power loss.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process, may lose the last commits on power loss.
    Normal,
}

impl SqliteDurability {
    /// The pragma value, for logs and benchmark reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SqliteDurability::Full => "synchronous=FULL",
            SqliteDurability::Normal => "synchronous=NORMAL",
        }
    }
}

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    intake: tokio::sync::mpsc::Sender<crate::case::intake::IntakeJob>,
    access: crate::kit::group::Group<crate::kit::AccessEntry>,
    policy: crate::kit::PolicyCell,
    chain: crate::kit::chain::ChainKey,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://PATH`).
    pub async fn connect(url: &str, durability: SqliteDurability) -> crate::Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                SqliteDurability::Full => SqliteSynchronous::Full,
                SqliteDurability::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            // Readers take pages straight from the mapped file: every commit empties their page
            // caches, and copying each page back through read() cost a sixth of a busy server.
            .pragma("mmap_size", "1073741824");
        // The writer's cache stays valid (it makes every change); a reader's is emptied by each
        // commit, so a large one would only hold memory. Bound: 64 + 4 × 16 MiB.
        let write_opts = opts.clone().pragma("cache_size", "-65536");
        let write = SqlitePoolOptions::new().max_connections(1).min_connections(1).connect_with(write_opts).await?;
        let read_opts = opts.read_only(true).pragma("cache_size", "-16384");
        let read = SqlitePoolOptions::new().max_connections(4).connect_with(read_opts).await?;
        let policy = crate::kit::PolicyCell::shipped();
        let chain = crate::kit::chain::ChainKey::unset();
        let intake = case::intake::spawn_intake(write.clone(), 1, policy.clone(), chain.clone());
        let access = kit::audit::access_group(write.clone());
        Ok(SqliteStore { read, write, intake, access, policy, chain })
    }

    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("./migrations/sqlite")
    }

    async fn begin_write(&self) -> crate::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.write.begin().await?)
    }
}

/// The database the mounted SQL files below are written against.
type Db = sqlx::Sqlite;
/// A transaction of this backend.
type Tx<'a> = sqlx::Transaction<'a, Db>;
/// The store the mounted SQL files implement every module's trait for.
type Backend = SqliteStore;
/// The backend's name, as `MaintenanceStore::backend` answers it.
const BACKEND: &str = "sqlite";

// The dialect's differences, as string literals for `concat!`: SQLite serialises writers and has no row locks.
/// Ends a SELECT that loads a row for change.
macro_rules! for_update {
    () => {
        ""
    };
}
/// Ends the SELECT that picks rows to lease.
macro_rules! skip_locked {
    () => {
        ""
    };
}
/// Names the index a SELECT must walk: SQLite would otherwise weigh its statistics.
macro_rules! indexed_by {
    ($name:literal) => {
        concat!(" INDEXED BY ", $name)
    };
}
/// Orders the rows taken from an ordered window: SQLite's co-routine yields them in order and
/// would sort the whole window again if asked.
macro_rules! window_order {
    () => {
        ""
    };
}
/// Starts the statement that answers the plan of a query instead of its rows.
macro_rules! explain {
    () => {
        "EXPLAIN QUERY PLAN "
    };
}

// Every module's SQL, written once for both backends and mounted here: in these files `super`
// is this backend. A new module adds one line.
#[path = "../accounts/sql.rs"]
mod accounts;
#[path = "../case/sql/mod.rs"]
mod case;
#[path = "../evaluation/sql.rs"]
mod evaluation;
#[path = "../geo/sql.rs"]
mod geo;
#[path = "../inbox/sql.rs"]
mod inbox;
#[path = "../kit/sql/mod.rs"]
mod kit;
#[path = "../open311/sql.rs"]
mod open311;
#[path = "../patrol/sql.rs"]
mod patrol;
#[path = "../phrases/sql.rs"]
mod phrases;
#[path = "../reference/sql.rs"]
mod reference;
#[path = "../timelimit/sql.rs"]
mod timelimit;
