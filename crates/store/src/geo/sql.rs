//! Grids with their versions, area outlines and the address library.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::{Backend, Db};
use crate::geo::*;
use crate::kit::{from_micros, micros, prefix_end};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, DomainError, GridCode};
use sqlx::{QueryBuilder, Row};

pub(crate) fn grid_from_row(r: &<Db as sqlx::Database>::Row) -> Result<StoredGrid> {
    let code: String = r.try_get("code")?;
    let staff: String = r.try_get("staff")?;
    Ok(StoredGrid {
        record: GridRecord {
            code: GridCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            households: r.try_get("households")?,
            population: r.try_get("population")?,
            staff: serde_json::from_str(&staff).map_err(|e| StoreError::Corrupt(format!("grid staff: {e}")))?,
            geometry: r.try_get("geometry")?,
        },
        version: r.try_get("version")?,
        valid_from: from_micros(r.try_get("valid_from")?),
    })
}

#[async_trait::async_trait]
impl crate::geo::GeoStore for Backend {
    async fn import_geo(&self, import: &GeoImport, by: &str, now: DateTime<Utc>) -> Result<GeoImportSummary> {
        let mut tx = self.begin_write().await?;
        let mut sum = GeoImportSummary::default();
        let at = micros(now);
        for b in &import.boundaries {
            sqlx::query(
                "INSERT INTO area_boundaries (area, name, geometry, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (area) DO UPDATE SET name=excluded.name, geometry=excluded.geometry, updated_at=excluded.updated_at",
            )
            .bind(b.area.as_str())
            .bind(b.name.as_deref())
            .bind(&b.geometry)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sum.boundaries += 1;
        }
        for g in &import.grids {
            let current = sqlx::query(&format!(
                "SELECT code, name, kind, households, population, staff, geometry, version, valid_from, retired_at
                 FROM grids WHERE code = $1{}",
                for_update!()
            ))
            .bind(g.code.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let version = match &current {
                None => {
                    sum.added += 1;
                    1
                }
                Some(row) => {
                    let stored = grid_from_row(row)?;
                    let retired: Option<i64> = row.try_get("retired_at")?;
                    if stored.record == *g && retired.is_none() {
                        sum.unchanged += 1;
                        continue;
                    }
                    sum.changed += 1;
                    sqlx::query("UPDATE grid_versions SET valid_to = $3 WHERE code = $1 AND version = $2")
                        .bind(g.code.as_str())
                        .bind(stored.version)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    stored.version + 1
                }
            };
            let staff = g.staff.to_string();
            sqlx::query(
                "INSERT INTO grid_versions (code, version, name, kind, households, population, staff, geometry, valid_from, valid_to, changed_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10)",
            )
            .bind(g.code.as_str())
            .bind(version)
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.households)
            .bind(g.population)
            .bind(&staff)
            .bind(&g.geometry)
            .bind(at)
            .bind(by)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO grids (code, community, name, kind, households, population, staff, geometry, version, valid_from, retired_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)
                 ON CONFLICT (code) DO UPDATE SET name=excluded.name, kind=excluded.kind, households=excluded.households,
                    population=excluded.population, staff=excluded.staff, geometry=excluded.geometry,
                    version=excluded.version, valid_from=excluded.valid_from, retired_at=NULL",
            )
            .bind(g.code.as_str())
            .bind(g.code.community().as_str())
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.households)
            .bind(g.population)
            .bind(&staff)
            .bind(&g.geometry)
            .bind(version)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE geo_revision SET rev = rev + 1 WHERE id = 1").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(sum)
    }

    async fn grids(&self, area: Option<&AreaCode>) -> Result<Vec<StoredGrid>> {
        let prefix = area.map(|a| a.as_str().to_string()).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT code, name, kind, households, population, staff, geometry, version, valid_from FROM grids
             WHERE retired_at IS NULL AND ($1 = '' OR (code >= $1 AND code < $2)) ORDER BY code",
        )
        .bind(&prefix)
        .bind(prefix_end(&prefix))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(grid_from_row).collect()
    }

    async fn grid_history(&self, code: &GridCode) -> Result<Vec<GridVersion>> {
        let rows = sqlx::query(
            "SELECT code, name, kind, households, population, staff, geometry, version, valid_from, valid_to, changed_by
             FROM grid_versions WHERE code = $1 ORDER BY version",
        )
        .bind(code.as_str())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let g = grid_from_row(r)?;
                Ok(GridVersion {
                    record: g.record,
                    version: g.version,
                    valid_from: g.valid_from,
                    valid_to: r.try_get::<Option<i64>, _>("valid_to")?.map(from_micros),
                    changed_by: r.try_get("changed_by")?,
                })
            })
            .collect()
    }

    async fn boundaries(&self) -> Result<Vec<BoundaryRecord>> {
        let rows = sqlx::query("SELECT area, name, geometry FROM area_boundaries ORDER BY area").fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let area: String = r.try_get("area")?;
                Ok(BoundaryRecord {
                    area: AreaCode::parse(&area).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    name: r.try_get("name")?,
                    geometry: r.try_get("geometry")?,
                })
            })
            .collect()
    }

    async fn import_addresses(&self, rows: &[AddressRecord], now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for chunk in rows.chunks(500) {
            let mut b = QueryBuilder::<Db>::new(
                "INSERT INTO addresses (full_text, county, town, community, road, number, estate, building, unit, room, lon, lat, grid, created_at) ",
            );
            let code = |c: &Option<AreaCode>| c.as_ref().map(|c| c.as_str().to_string());
            b.push_values(chunk, |mut r, a| {
                r.push_bind(a.full_text.clone())
                    .push_bind(code(&a.county))
                    .push_bind(code(&a.town))
                    .push_bind(code(&a.community))
                    .push_bind(a.road.clone())
                    .push_bind(a.number.clone())
                    .push_bind(a.estate.clone())
                    .push_bind(a.building.clone())
                    .push_bind(a.unit.clone())
                    .push_bind(a.room.clone())
                    .push_bind(a.lon)
                    .push_bind(a.lat)
                    .push_bind(a.grid.as_ref().map(|g| g.as_str().to_string()))
                    .push_bind(micros(now));
            });
            added += b
                .build()
                .execute(&mut *tx)
                .await
                .map_err(|e| match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => {
                        let dup = chunk.iter().map(|a| a.full_text.clone()).next().unwrap_or_default();
                        StoreError::Duplicate {
                            field: "address".into(),
                            value: format!("{dup}…: a standard address in this batch is already in the library"),
                        }
                    }
                    other => other.into(),
                })?
                .rows_affected();
        }
        sqlx::query("UPDATE geo_revision SET rev = rev + 1 WHERE id = 1").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn addresses(&self) -> Result<Vec<AddressRecord>> {
        let rows = sqlx::query(
            "SELECT id, full_text, county, town, community, road, number, estate, building, unit, room, lon, lat, grid
             FROM addresses ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
        let area = |r: &<Db as sqlx::Database>::Row, col: &str| -> Result<Option<AreaCode>> {
            r.try_get::<Option<String>, _>(col)?.map(|c| AreaCode::parse(&c)).transpose().map_err(corrupt)
        };
        rows.iter()
            .map(|r| {
                Ok(AddressRecord {
                    id: r.try_get("id")?,
                    full_text: r.try_get("full_text")?,
                    county: area(r, "county")?,
                    town: area(r, "town")?,
                    community: area(r, "community")?,
                    road: r.try_get("road")?,
                    number: r.try_get("number")?,
                    estate: r.try_get("estate")?,
                    building: r.try_get("building")?,
                    unit: r.try_get("unit")?,
                    room: r.try_get("room")?,
                    lon: r.try_get("lon")?,
                    lat: r.try_get("lat")?,
                    grid: r.try_get::<Option<String>, _>("grid")?.map(|g| GridCode::parse(&g)).transpose().map_err(corrupt)?,
                })
            })
            .collect()
    }

    async fn geo_revision(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT rev FROM geo_revision WHERE id = 1").fetch_one(&self.read).await?)
    }
}
