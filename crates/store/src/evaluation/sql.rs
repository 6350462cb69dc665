//! What an evaluation reads: the cases that lived in a period and their logs.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::{Backend, Db};
use crate::case::rows::event_from_json;
use crate::kit::{micros, prefix_end};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, CaseEvent};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

#[async_trait::async_trait]
impl crate::evaluation::EvaluationStore for Backend {
    async fn active_case_ids(&self, area: &AreaCode, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Uuid>> {
        // From the projection, not the log: a case changed after the start (its last
        // event) or due within the period lived in it; nothing else did.
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM cases
             WHERE area >= $3 AND area < $4 AND created_at < $2
               AND (updated_at >= $1 OR (due_at >= $1 AND due_at < $2))
             ORDER BY id",
        )
        .bind(micros(from))
        .bind(micros(to))
        .bind(area.as_str())
        .bind(prefix_end(area.as_str()))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(|(id,)| Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("case id {id}: {e}")))).collect()
    }

    async fn case_logs(&self, ids: &[Uuid]) -> Result<Vec<Vec<CaseEvent>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::<Db>::new("SELECT case_id, payload FROM case_events WHERE case_id IN (");
        let mut list = b.separated(", ");
        for id in ids {
            list.push_bind(id.to_string());
        }
        b.push(") ORDER BY case_id, seq");
        let rows = b.build().fetch_all(&self.read).await?;
        let mut out: Vec<Vec<CaseEvent>> = Vec::with_capacity(ids.len());
        let mut current: Option<String> = None;
        for r in rows {
            let id: String = r.try_get("case_id")?;
            if current.as_deref() != Some(id.as_str()) {
                out.push(Vec::new());
                current = Some(id);
            }
            out.last_mut().expect("pushed above").push(event_from_json(&r.try_get::<String, _>("payload")?)?);
        }
        Ok(out)
    }
}
