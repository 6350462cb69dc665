//! The grid worker's patrol and visit log.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::Backend;
use crate::kit::{from_micros, micros, prefix_end};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, DomainError, GridCode};
use sqlx::Row;

#[async_trait::async_trait]
impl crate::patrol::PatrolStore for Backend {
    async fn add_patrol(&self, e: &civicgrid_domain::PatrolEntry) -> Result<()> {
        sqlx::query(
            "INSERT INTO patrol_logs (id, user_id, username, kind, area, grid, lon, lat, note, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&e.id)
        .bind(&e.user_id)
        .bind(&e.username)
        .bind(e.kind.as_str())
        .bind(e.area.as_str())
        .bind(e.grid.as_ref().map(|g| g.as_str().to_string()))
        .bind(e.location.map(|l| l.lon))
        .bind(e.location.map(|l| l.lat))
        .bind(&e.note)
        .bind(micros(e.at))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn patrols(
        &self,
        area: &AreaCode,
        user_id: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<civicgrid_domain::PatrolEntry>> {
        let rows = sqlx::query(
            "SELECT id, user_id, username, kind, area, grid, lon, lat, note, at FROM patrol_logs
             WHERE area >= $1 AND area < $2 AND ($3 = '' OR user_id = $3) AND at >= $4 AND at < $5
             ORDER BY at, id",
        )
        .bind(area.as_str())
        .bind(prefix_end(area.as_str()))
        .bind(user_id.unwrap_or(""))
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(&self.read)
        .await?;
        let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let area: String = r.try_get("area")?;
                let (lon, lat): (Option<f64>, Option<f64>) = (r.try_get("lon")?, r.try_get("lat")?);
                Ok(civicgrid_domain::PatrolEntry {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    username: r.try_get("username")?,
                    kind: kind.parse().map_err(corrupt)?,
                    area: AreaCode::parse(&area).map_err(corrupt)?,
                    grid: r.try_get::<Option<String>, _>("grid")?.map(|g| GridCode::parse(&g)).transpose().map_err(corrupt)?,
                    location: match (lon, lat) {
                        (Some(lon), Some(lat)) => Some(civicgrid_domain::Location { lon, lat }),
                        _ => None,
                    },
                    note: r.try_get("note")?,
                    at: from_micros(r.try_get("at")?),
                })
            })
            .collect()
    }
}
