//! The PostgreSQL backend, for production and for several servers on one database.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
    intake: tokio::sync::mpsc::Sender<crate::case::intake::IntakeJob>,
    access: crate::kit::group::Group<crate::kit::AccessEntry>,
    policy: crate::kit::PolicyCell,
    chain: crate::kit::chain::ChainKey,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`).
    pub async fn connect(url: &str) -> crate::Result<Self> {
        // Case lists are filtered by ranges whose width only the values tell (a reader's scope
        // may be one community or the whole city); a generic plan cached for a prepared
        // statement guesses them narrow and sorts a million rows. Plan every execution instead.
        let opts = PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect_with(opts).await?;
        let policy = crate::kit::PolicyCell::shipped();
        let chain = crate::kit::chain::ChainKey::unset();
        let intake = case::intake::spawn_intake(pool.clone(), 4, policy.clone(), chain.clone());
        let access = kit::audit::access_group(pool.clone());
        Ok(PgStore { read: pool.clone(), write: pool, intake, access, policy, chain })
    }

    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("./migrations/postgres")
    }

    async fn begin_write(&self) -> crate::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.write.begin().await?)
    }
}

/// The database the mounted SQL files below are written against.
type Db = sqlx::Postgres;
/// A transaction of this backend.
type Tx<'a> = sqlx::Transaction<'a, Db>;
/// The store the mounted SQL files implement every module's trait for.
type Backend = PgStore;
/// The backend's name, as `MaintenanceStore::backend` answers it.
const BACKEND: &str = "postgres";

// The dialect's differences, as string literals for `concat!`: PostgreSQL locks the rows; servers sharing the database skip each other's leased rows.
/// Ends a SELECT that loads a row for change.
macro_rules! for_update {
    () => {
        " FOR UPDATE"
    };
}
/// Ends the SELECT that picks rows to lease.
macro_rules! skip_locked {
    () => {
        " FOR UPDATE SKIP LOCKED"
    };
}
/// Names the index a SELECT must walk: PostgreSQL has no hints; the lists leave it one index
/// whose equalities and order fit (`case/plan.rs`).
macro_rules! indexed_by {
    ($name:literal) => {
        ""
    };
}
/// Orders the rows taken from an ordered window: PostgreSQL knows the subquery's order and does
/// not sort again.
macro_rules! window_order {
    () => {
        " ORDER BY id DESC"
    };
}
/// Starts the statement that answers the plan of a query instead of its rows.
macro_rules! explain {
    () => {
        "EXPLAIN "
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
