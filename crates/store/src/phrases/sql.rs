//! 常用语.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend.

use super::Backend;
use crate::kit::{from_micros, micros};
use crate::{Result, StoreError};
use civicgrid_domain::{AreaCode, DomainError, Phrase, PhraseKind};
use sqlx::Row;

const COLUMNS: &str = "id, kind, text, owner, area, created_at";

fn phrase_of(r: &<super::Db as sqlx::Database>::Row) -> Result<Phrase> {
    let kind: String = r.try_get("kind")?;
    Ok(Phrase {
        id: r.try_get("id")?,
        kind: kind.parse().map_err(|e: DomainError| StoreError::Corrupt(e.to_string()))?,
        text: r.try_get("text")?,
        owner: r.try_get("owner")?,
        area: r.try_get("area")?,
        created_at: from_micros(r.try_get("created_at")?),
    })
}

#[async_trait::async_trait]
impl crate::phrases::PhraseStore for Backend {
    async fn add_phrase(&self, p: &Phrase) -> Result<()> {
        sqlx::query("INSERT INTO phrases (id, kind, text, owner, area, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&p.id)
            .bind(p.kind.as_str())
            .bind(&p.text)
            .bind(&p.owner)
            .bind(&p.area)
            .bind(micros(p.created_at))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn phrases(&self, user_id: &str, scope: &AreaCode, kind: Option<PhraseKind>) -> Result<Vec<Phrase>> {
        // A shared phrase reaches a person when its area is a prefix of his scope (area codes
        // nest by prefix; '' is a prefix of every scope).
        let sql = format!(
            "SELECT {COLUMNS} FROM phrases
             WHERE (owner = $1 OR (owner IS NULL AND substr($2, 1, length(area)) = area)) AND ($3 = '' OR kind = $3)
             ORDER BY CASE WHEN owner IS NULL THEN 0 ELSE 1 END, created_at, id"
        );
        let rows =
            sqlx::query(&sql).bind(user_id).bind(scope.as_str()).bind(kind.map(|k| k.as_str()).unwrap_or("")).fetch_all(&self.read).await?;
        rows.iter().map(phrase_of).collect()
    }

    async fn phrase(&self, id: &str) -> Result<Option<Phrase>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM phrases WHERE id = $1")).bind(id).fetch_optional(&self.read).await?;
        row.as_ref().map(phrase_of).transpose()
    }

    async fn own_phrases(&self, user_id: &str) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phrases WHERE owner = $1").bind(user_id).fetch_one(&self.read).await?;
        Ok(n as u64)
    }

    async fn remove_phrase(&self, id: &str) -> Result<bool> {
        Ok(sqlx::query("DELETE FROM phrases WHERE id = $1").bind(id).execute(&self.write).await?.rows_affected() > 0)
    }
}
