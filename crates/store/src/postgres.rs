//! The PostgreSQL backend, for production and for several servers on one database.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
    intake: tokio::sync::mpsc::Sender<crate::shared::IntakeJob>,
    policy: crate::shared::PolicyCell,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`).
    pub async fn connect(url: &str) -> crate::Result<Self> {
        // Case lists are filtered by ranges whose width only the values tell (a reader's scope
        // may be one community or the whole city); a generic plan cached for a prepared
        // statement guesses them narrow and sorts a million rows. Plan every execution instead.
        let opts = PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect_with(opts).await?;
        let policy = crate::shared::PolicyCell::shipped();
        let intake = spawn_intake(pool.clone(), 4, policy.clone());
        Ok(PgStore { read: pool.clone(), write: pool, intake, policy })
    }

    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("./migrations/postgres")
    }

    async fn begin_write(&self) -> crate::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.write.begin().await?)
    }
}

crate::shared::impl_store!(PgStore, sqlx::Postgres, "postgres", " FOR UPDATE");
crate::jobs::impl_jobs!(PgStore, sqlx::Postgres, " FOR UPDATE SKIP LOCKED");
