//! Fresh databases for tests: one temporary SQLite file, or one new database on the
//! PostgreSQL server named by `CIVICGRID_TEST_PG` (see `scripts/pg-cluster.sh`).

use std::sync::Arc;

use crate::{connect, SqliteDurability, Store};

/// The backends every storage test runs on.
pub const BACKENDS: [&str; 2] = ["sqlite", "postgres"];

/// A migrated, empty store on `backend`, and the guard that keeps its files alive.
pub async fn fresh(backend: &str) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_url(backend).await;
    let store = connect(&url, SqliteDurability::Normal).await.expect("connect");
    store.migrate().await.expect("migrate");
    (store, dir)
}

/// The URL of a new, empty database on `backend`.
pub async fn fresh_url(backend: &str) -> (String, Option<tempfile::TempDir>) {
    match backend {
        "sqlite" => {
            let dir = tempfile::tempdir().expect("tempdir");
            (format!("sqlite://{}", dir.path().join("test.db").display()), Some(dir))
        }
        "postgres" => {
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
        other => panic!("unknown backend {other}"),
    }
}
