//! Upkeep of the database itself: migrations, statistics, the health check; and the timers every
//! record with a deadline keeps.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

pub(super) mod audit;
pub(super) mod log;
mod outbox;
pub(super) mod timers;

use super::Backend;
use crate::Result;

#[async_trait::async_trait]
impl crate::kit::MaintenanceStore for Backend {
    fn backend(&self) -> &'static str {
        super::BACKEND
    }

    async fn migrate(&self) -> Result<()> {
        Self::migrator().run(&self.write).await?;
        Ok(())
    }

    async fn optimize(&self) -> Result<()> {
        // Without statistics SQLite takes the scope's range on `area` for selective and
        // sorts every matching row for "newest first"; with them it walks the id index.
        sqlx::query("ANALYZE").execute(&self.write).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}
