//! Photos and the cases they belong to.
//!
//! Part of `case/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Backend, Db, Tx};
use super::load_case;
use crate::case::attachment;
use crate::case::Attachment;
use crate::kit::{from_micros, micros};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::DomainError;
use sqlx::Row;
use uuid::Uuid;

/// Links the photos among `refs` (attachment ids; URLs are left alone) to `case_id`.
/// One that does not exist or belongs to another case refuses the whole change, named
/// by its place in `refs`, which is its place in the request.
pub(crate) async fn link_refs(tx: &mut Tx<'_>, case_id: Uuid, refs: &[String]) -> Result<()> {
    let case = case_id.to_string();
    for (i, r) in refs.iter().enumerate() {
        let Some(id) = attachment::attachment_id(r) else {
            continue;
        };
        let id = id.to_string();
        let res = sqlx::query("UPDATE attachments SET case_id = $2 WHERE id = $1 AND (case_id IS NULL OR case_id = $2)")
            .bind(&id)
            .bind(&case)
            .execute(&mut **tx)
            .await?;
        if res.rows_affected() != 1 {
            let taken = sqlx::query("SELECT 1 FROM attachments WHERE id = $1").bind(&id).fetch_optional(&mut **tx).await?.is_some();
            let why = if taken { format!("attachment {id} belongs to another case") } else { format!("no attachment {id}") };
            return Err(DomainError::invalid(format!("attachments[{i}]"), why).into());
        }
    }
    Ok(())
}

pub(crate) fn attachment_from_row(r: &<Db as sqlx::Database>::Row) -> Result<Attachment> {
    let corrupt = |what: &str, e: String| StoreError::Corrupt(format!("attachment {what}: {e}"));
    let id: String = r.try_get("id")?;
    let case_id: Option<String> = r.try_get("case_id")?;
    let side = |col: &str| -> Result<u32> {
        let v: i64 = r.try_get(col)?;
        u32::try_from(v).map_err(|e| corrupt(col, e.to_string()))
    };
    Ok(Attachment {
        id: Uuid::parse_str(&id).map_err(|e| corrupt("id", e.to_string()))?,
        uploader_user_id: r.try_get("uploader_user_id")?,
        content_type: r.try_get("content_type")?,
        bytes: r.try_get("bytes")?,
        width: side("width")?,
        height: side("height")?,
        sha256: r.try_get("sha256")?,
        path: r.try_get("path")?,
        thumb_path: r.try_get("thumb_path")?,
        created_at: from_micros(r.try_get("created_at")?),
        case_id: case_id.map(|c| Uuid::parse_str(&c)).transpose().map_err(|e| corrupt("case_id", e.to_string()))?,
    })
}

#[async_trait::async_trait]
impl crate::case::AttachmentStore for Backend {
    async fn create_attachment(&self, a: &Attachment) -> Result<()> {
        sqlx::query(
            "INSERT INTO attachments (id, uploader_user_id, content_type, bytes, width, height, sha256, path, thumb_path, created_at, case_id)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,NULL)",
        )
        .bind(a.id.to_string())
        .bind(a.uploader_user_id.as_deref())
        .bind(&a.content_type)
        .bind(a.bytes)
        .bind(i64::from(a.width))
        .bind(i64::from(a.height))
        .bind(&a.sha256)
        .bind(&a.path)
        .bind(&a.thumb_path)
        .bind(micros(a.created_at))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn orphan_attachments(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT id, uploader_user_id, content_type, bytes, width, height, sha256, path, thumb_path, created_at, case_id
             FROM attachments WHERE case_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(micros(before))
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    async fn delete_orphan_attachment(&self, id: Uuid) -> Result<bool> {
        let res =
            sqlx::query("DELETE FROM attachments WHERE id = $1 AND case_id IS NULL").bind(id.to_string()).execute(&self.write).await?;
        Ok(res.rows_affected() == 1)
    }

    async fn attachment(&self, id: Uuid) -> Result<Option<Attachment>> {
        let row = sqlx::query(
            "SELECT id, uploader_user_id, content_type, bytes, width, height, sha256, path, thumb_path, created_at, case_id
             FROM attachments WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(attachment_from_row).transpose()
    }

    async fn link_attachments(&self, case_id: Uuid, ids: &[Uuid]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if load_case(&mut *tx, case_id, false).await?.is_none() {
            return Err(StoreError::NotFound(format!("case {case_id}")));
        }
        let refs: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        link_refs(&mut tx, case_id, &refs).await?;
        tx.commit().await?;
        Ok(())
    }
}
