//! The area tree, categories and departments.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::{Backend, Db};
use crate::kit::to_json;
use crate::reference::Area;
use crate::{Result, StoreError};
use civicgrid_domain::{AreaCode, Category, CategoryCode, Department, DomainError};
use sqlx::{QueryBuilder, Row};

pub(crate) fn area_from_row(r: &<Db as sqlx::Database>::Row) -> Result<Area> {
    let code: String = r.try_get("code")?;
    let level: String = r.try_get("level")?;
    let parent: Option<String> = r.try_get("parent")?;
    let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
    Ok(Area {
        code: AreaCode::parse(&code).map_err(corrupt)?,
        name: r.try_get("name")?,
        level: level.parse().map_err(corrupt)?,
        parent: parent.filter(|p| !p.is_empty()).map(|p| AreaCode::parse(&p)).transpose().map_err(corrupt)?,
    })
}

#[async_trait::async_trait]
impl crate::reference::ReferenceStore for Backend {
    async fn seed_areas(&self, rows: &[Area]) -> Result<u64> {
        // Every command opens the store and seeds: with the national table (some 50,000
        // rows) a count that already covers the shipped rows saves seconds per start.
        let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM areas").fetch_one(&self.write).await?;
        if have as usize >= rows.len() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for chunk in rows.chunks(500) {
            let mut b = QueryBuilder::<Db>::new("INSERT INTO areas (code, name, level, parent) ");
            b.push_values(chunk, |mut r, a| {
                r.push_bind(a.code.as_str())
                    .push_bind(a.name.as_str())
                    .push_bind(a.level.as_str())
                    .push_bind(a.parent.as_ref().map(|p| p.as_str().to_string()));
            });
            b.push(" ON CONFLICT (code) DO NOTHING");
            added += b.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn area(&self, code: &AreaCode) -> Result<Option<Area>> {
        let row = sqlx::query("SELECT code, name, level, parent FROM areas WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(area_from_row).transpose()
    }

    async fn areas(&self) -> Result<Vec<Area>> {
        let rows = sqlx::query("SELECT code, name, level, parent FROM areas ORDER BY code").fetch_all(&self.read).await?;
        rows.iter().map(area_from_row).collect()
    }

    async fn area_children(&self, code: &AreaCode) -> Result<Vec<Area>> {
        let rows = sqlx::query("SELECT code, name, level, parent FROM areas WHERE parent = $1 ORDER BY code")
            .bind(code.as_str())
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(area_from_row).collect()
    }

    async fn put_category(&self, c: &Category) -> Result<()> {
        sqlx::query(
            "INSERT INTO categories (code, name, name_en, parent, priority, handling_level) VALUES ($1,$2,$3,$4,$5,$6)
             ON CONFLICT (code) DO UPDATE SET name=excluded.name, name_en=excluded.name_en, parent=excluded.parent,
                priority=excluded.priority, handling_level=excluded.handling_level",
        )
        .bind(c.code.as_str())
        .bind(&c.name)
        .bind(&c.name_en)
        .bind(c.parent.as_ref().map(|p| p.as_str().to_string()))
        .bind(c.priority.as_str())
        .bind(c.handling_level.as_str())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn categories(&self) -> Result<Vec<Category>> {
        let rows = sqlx::query("SELECT code, name, name_en, parent, priority, handling_level FROM categories ORDER BY code")
            .fetch_all(&self.read)
            .await?;
        let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("code")?;
                let parent: Option<String> = r.try_get("parent")?;
                let priority: String = r.try_get("priority")?;
                let level: String = r.try_get("handling_level")?;
                Ok(Category {
                    code: CategoryCode::parse(&code).map_err(corrupt)?,
                    name: r.try_get("name")?,
                    name_en: r.try_get("name_en")?,
                    parent: parent.map(|p| CategoryCode::parse(&p)).transpose().map_err(corrupt)?,
                    priority: priority.parse().map_err(corrupt)?,
                    handling_level: level.parse().map_err(corrupt)?,
                })
            })
            .collect()
    }

    async fn put_department(&self, d: &Department) -> Result<()> {
        sqlx::query(
            "INSERT INTO departments (id, name, name_en, area, categories) VALUES ($1,$2,$3,$4,$5)
             ON CONFLICT (id) DO UPDATE SET name=excluded.name, name_en=excluded.name_en, area=excluded.area,
                categories=excluded.categories",
        )
        .bind(&d.id)
        .bind(&d.name)
        .bind(&d.name_en)
        .bind(d.area.as_str())
        .bind(to_json(&d.categories))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        let rows = sqlx::query("SELECT id, name, name_en, area, categories FROM departments ORDER BY id").fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let area: String = r.try_get("area")?;
                let cats: String = r.try_get("categories")?;
                Ok(Department {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    name_en: r.try_get("name_en")?,
                    area: AreaCode::parse(&area).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    categories: serde_json::from_str(&cats).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
