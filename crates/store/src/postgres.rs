//! The PostgreSQL backend, for production and for several servers on one database.

use sqlx::postgres::{PgPool, PgPoolOptions};
use std::time::Duration;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
    intake: tokio::sync::mpsc::Sender<crate::shared::IntakeJob>,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`).
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
        let intake = spawn_intake(pool.clone(), 4);
        Ok(PgStore { read: pool.clone(), write: pool, intake })
    }

    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("./migrations/postgres")
    }

    async fn begin_write(&self) -> crate::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.write.begin().await?)
    }
}

crate::shared::impl_store!(PgStore, sqlx::Postgres, "postgres", " FOR UPDATE");
