//! Open311 client keys and the service attributes of categories.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::{Backend, Db};
use crate::kit::{from_micros, is_unique_violation, micros, to_json};
use crate::open311::{ApiKey, KeySelector, NewApiKey};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, CategoryCode, DomainError};
use sqlx::{QueryBuilder, Row};

pub(crate) fn api_key_from_row(r: &<Db as sqlx::Database>::Row) -> Result<ApiKey> {
    let channel: String = r.try_get("channel")?;
    let area: Option<String> = r.try_get("area")?;
    let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
    Ok(ApiKey {
        id: r.try_get("id")?,
        client: r.try_get("client")?,
        channel: channel.parse().map_err(corrupt)?,
        area: area.map(|a| AreaCode::parse(&a)).transpose().map_err(corrupt)?,
        created_at: from_micros(r.try_get("created_at")?),
        revoked_at: r.try_get::<Option<i64>, _>("revoked_at")?.map(from_micros),
    })
}

#[async_trait::async_trait]
impl crate::open311::Open311Store for Backend {
    async fn create_api_key(&self, k: &NewApiKey, now: DateTime<Utc>) -> Result<ApiKey> {
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO api_keys (key_hash, client, channel, area, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id",
        )
        .bind(&k.key_hash)
        .bind(&k.client)
        .bind(k.channel.as_str())
        .bind(k.area.as_ref().map(|a| a.as_str().to_string()))
        .bind(micros(now))
        .fetch_one(&self.write)
        .await;
        let id = match res {
            Err(e) if is_unique_violation(&e) => return Err(StoreError::Duplicate { field: "api_key".into(), value: "(hidden)".into() }),
            other => other?,
        };
        Ok(ApiKey {
            id,
            client: k.client.clone(),
            channel: k.channel,
            area: k.area.clone(),
            created_at: from_micros(micros(now)),
            revoked_at: None,
        })
    }

    async fn api_key(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        // From the writer, so a revocation just made is seen at once.
        let row = sqlx::query("SELECT id, client, channel, area, created_at, revoked_at FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.write)
            .await?;
        row.as_ref().map(api_key_from_row).transpose()
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows =
            sqlx::query("SELECT id, client, channel, area, created_at, revoked_at FROM api_keys ORDER BY id").fetch_all(&self.read).await?;
        rows.iter().map(api_key_from_row).collect()
    }

    async fn revoke_api_keys(&self, sel: &KeySelector, now: DateTime<Utc>) -> Result<u64> {
        let mut b = QueryBuilder::<Db>::new("UPDATE api_keys SET revoked_at = ");
        b.push_bind(micros(now)).push(" WHERE revoked_at IS NULL AND ");
        match sel {
            KeySelector::Id(id) => b.push("id = ").push_bind(*id),
            KeySelector::Hash(h) => b.push("key_hash = ").push_bind(h.as_str()),
            KeySelector::Client(c) => b.push("client = ").push_bind(c.as_str()),
        };
        Ok(b.build().execute(&self.write).await?.rows_affected())
    }

    async fn put_category_attribute(&self, a: &civicgrid_domain::attributes::AttributeDef) -> Result<()> {
        sqlx::query(
            "INSERT INTO category_attributes (category, code, datatype, required, variable, description,
                datatype_description, sort_order, values_json) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
             ON CONFLICT (category, code) DO UPDATE SET datatype=excluded.datatype, required=excluded.required,
                variable=excluded.variable, description=excluded.description,
                datatype_description=excluded.datatype_description, sort_order=excluded.sort_order,
                values_json=excluded.values_json",
        )
        .bind(a.category.as_str())
        .bind(&a.code)
        .bind(a.datatype.as_str())
        .bind(a.required)
        .bind(a.variable)
        .bind(&a.description)
        .bind(a.datatype_description.as_deref())
        .bind(a.order)
        .bind(to_json(&a.values))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn delete_category_attribute(&self, category: &CategoryCode, code: &str) -> Result<bool> {
        // Reference data, like departments: edited in place. Reports keep the answers they were given.
        let res = sqlx::query("DELETE FROM category_attributes WHERE category = $1 AND code = $2")
            .bind(category.as_str())
            .bind(code)
            .execute(&self.write)
            .await?;
        Ok(res.rows_affected() > 0)
    }

    async fn category_attributes(&self, category: Option<&CategoryCode>) -> Result<Vec<civicgrid_domain::attributes::AttributeDef>> {
        let sql = "SELECT category, code, datatype, required, variable, description, datatype_description, sort_order, values_json
                   FROM category_attributes WHERE ($1 = '' OR category = $1) ORDER BY category, sort_order, code";
        let rows = sqlx::query(sql).bind(category.map(|c| c.as_str()).unwrap_or("")).fetch_all(&self.read).await?;
        let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
        rows.iter()
            .map(|r| {
                let category: String = r.try_get("category")?;
                let datatype: String = r.try_get("datatype")?;
                let values: String = r.try_get("values_json")?;
                Ok(civicgrid_domain::attributes::AttributeDef {
                    category: CategoryCode::parse(&category).map_err(corrupt)?,
                    code: r.try_get("code")?,
                    datatype: datatype.parse().map_err(corrupt)?,
                    required: r.try_get("required")?,
                    variable: r.try_get("variable")?,
                    description: r.try_get("description")?,
                    datatype_description: r.try_get("datatype_description")?,
                    order: r.try_get("sort_order")?,
                    values: serde_json::from_str(&values).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
