//! Fresh databases for tests and benchmarks: one temporary SQLite file, or one new database on
//! the PostgreSQL server named by `CIVICGRID_TEST_PG` (see `scripts/pg-cluster.sh`).
//!
//! A storage test is written once and run on each backend as its own named test with
//! [`backend_test!`](crate::backend_test): `name::sqlite` and `name::postgres`. Without
//! `CIVICGRID_TEST_PG`, the PostgreSQL half is skipped with a message saying so, unless
//! `CIVICGRID_REQUIRE_PG=1` (which `scripts/test.sh` sets) makes that a failure.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::{connect, SqliteDurability, Store};

/// A database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// PostgreSQL, on the server `CIVICGRID_TEST_PG` names.
    Postgres,
}

/// Both backends, in the order tests run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" => Ok(Backend::Postgres),
            other => Err(format!("unknown backend `{other}`: sqlite or postgres")),
        }
    }
}

/// Whether PostgreSQL tests run here: `CIVICGRID_TEST_PG` is set. When it is not, says so on
/// stderr and answers false, or fails when `CIVICGRID_REQUIRE_PG=1`.
pub fn postgres_available() -> bool {
    if std::env::var_os("CIVICGRID_TEST_PG").is_some() {
        return true;
    }
    let msg = "CIVICGRID_TEST_PG is not set: the PostgreSQL half of this test is skipped. \
               Run scripts/test.sh, or export CIVICGRID_TEST_PG=$(scripts/pg-cluster.sh start)";
    if std::env::var("CIVICGRID_REQUIRE_PG").is_ok_and(|v| v == "1") {
        panic!("{msg} (CIVICGRID_REQUIRE_PG=1 makes this a failure)");
    }
    eprintln!("SKIPPED: {msg}");
    false
}

/// The backends this run tests: SQLite, and PostgreSQL when [`postgres_available`].
pub fn backends() -> Vec<Backend> {
    BACKENDS.into_iter().filter(|b| *b == Backend::Sqlite || postgres_available()).collect()
}

/// A migrated, empty store on `backend`, and the guard that keeps its files alive.
pub async fn fresh(backend: Backend) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_url(backend).await;
    let store = connect(&url, SqliteDurability::Normal).await.expect("connect");
    store.migrate().await.expect("migrate");
    (store, dir)
}

/// The URL of a new, empty database on `backend`.
pub async fn fresh_url(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            (format!("sqlite://{}", dir.path().join("test.db").display()), Some(dir))
        }
        Backend::Postgres => {
            let admin = std::env::var("CIVICGRID_TEST_PG").expect(
                "CIVICGRID_TEST_PG is not set: the PostgreSQL half of the suite needs a server. \
                 Run the suite with scripts/test.sh, or export CIVICGRID_TEST_PG=$(scripts/pg-cluster.sh start)",
            );
            let name = format!("cg_{}", uuid::Uuid::now_v7().simple());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect to CIVICGRID_TEST_PG");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
            let url = match admin.split_once('?') {
                Some((base, q)) => format!("{}/{name}?{q}", base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base)),
                None => format!("{}/{name}", admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin)),
            };
            (url, None)
        }
    }
}

/// Writes a test once and runs it on each backend as its own test, `NAME::sqlite` and
/// `NAME::postgres` (skipped without `CIVICGRID_TEST_PG`, see [`postgres_available`]):
///
/// ```ignore
/// civicgrid_store::backend_test! {
///     async fn reports_a_case(b: Backend) {
///         let (store, _dir) = fresh(b).await;
///     }
/// }
/// ```
#[macro_export]
macro_rules! backend_test {
    ($(#[$meta:meta])* async fn $name:ident($b:ident : Backend) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($b: $crate::testing::Backend) $body

            #[tokio::test]
            async fn sqlite() {
                run($crate::testing::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                if $crate::testing::postgres_available() {
                    run($crate::testing::Backend::Postgres).await
                }
            }
        }
    };
}
