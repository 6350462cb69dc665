//! Timers fired under the case lock, and calendar files.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::case::{append_events, load_case, update_projection};
use super::kit::timers::reset_timers;
use super::{Backend, Db};
use crate::kit::LEASE_SECS;
use crate::kit::{from_micros, micros, to_json};
use crate::timelimit::*;
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{Case, CaseEvent, DomainError};
use sqlx::Row;
use uuid::Uuid;

pub(crate) fn timer_from_row(r: &<Db as sqlx::Database>::Row) -> Result<(String, Uuid, civicgrid_domain::TimerSpec)> {
    let corrupt = |e: String| StoreError::Corrupt(format!("timer: {e}"));
    let kind: String = r.try_get("kind")?;
    let step: String = r.try_get("step")?;
    let subject_id: String = r.try_get("subject_id")?;
    Ok((
        r.try_get("id")?,
        Uuid::parse_str(&subject_id).map_err(|e| corrupt(e.to_string()))?,
        civicgrid_domain::TimerSpec {
            kind: kind.parse().map_err(|e: DomainError| corrupt(e.to_string()))?,
            step: step.parse().map_err(|e: DomainError| corrupt(e.to_string()))?,
            due: from_micros(r.try_get("due")?),
            at: from_micros(r.try_get("fire_at")?),
        },
    ))
}

#[async_trait::async_trait]
impl crate::timelimit::TimeLimitStore for Backend {
    async fn fire_due_timers(&self, server: &str, now: DateTime<Utc>, limit: u32) -> Result<FireReport> {
        let rows = sqlx::query(concat!(
            "UPDATE timers SET claimed_by = $1, claimed_until = $2 WHERE id IN (
                SELECT id FROM timers WHERE subject_kind = 'case' AND fired_at IS NULL AND fire_at <= $3
                   AND (claimed_until IS NULL OR claimed_until < $3)
                 ORDER BY fire_at LIMIT $4",
            skip_locked!(),
            ")
             RETURNING id, subject_id, kind, step, due, fire_at"
        ))
        .bind(server)
        .bind(micros(now + chrono::Duration::seconds(LEASE_SECS)))
        .bind(micros(now))
        .bind(limit as i64)
        .fetch_all(&self.write)
        .await?;
        let mut claimed = rows.iter().map(|r| timer_from_row(r)).collect::<Result<Vec<_>>>()?;
        claimed.sort_by_key(|(_, _, t)| t.at);
        let mut report = FireReport { claimed: claimed.len() as u64, ..FireReport::default() };
        for (id, case_id, spec) in &claimed {
            match self.fire_one(server, id, *case_id, spec, now).await? {
                Some(0) => report.stale += 1,
                Some(n) => {
                    report.fired += 1;
                    report.events += n;
                }
                None => {}
            }
        }
        Ok(report)
    }

    async fn pending_timers(&self, case_id: Uuid) -> Result<Vec<civicgrid_domain::TimerSpec>> {
        let rows = sqlx::query(
            "SELECT id, subject_id, kind, step, due, fire_at FROM timers WHERE subject_id = $1 AND fired_at IS NULL ORDER BY fire_at",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.write)
        .await?;
        rows.iter().map(|r| timer_from_row(r).map(|(_, _, t)| t)).collect()
    }

    async fn add_calendar_file(&self, f: &CalendarFile) -> Result<()> {
        sqlx::query("INSERT INTO calendar_files (years, body, loaded_by, loaded_at) VALUES ($1, $2, $3, $4)")
            .bind(to_json(&f.years))
            .bind(f.body.as_str())
            .bind(f.loaded_by.as_str())
            .bind(micros(f.loaded_at))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn calendar_files(&self) -> Result<Vec<CalendarFile>> {
        let rows = sqlx::query("SELECT years, body, loaded_by, loaded_at FROM calendar_files ORDER BY id").fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let years: String = r.try_get("years")?;
                Ok(CalendarFile {
                    years: serde_json::from_str(&years).map_err(|e| StoreError::Corrupt(format!("calendar file: {e}")))?,
                    body: r.try_get("body")?,
                    loaded_by: r.try_get("loaded_by")?,
                    loaded_at: from_micros(r.try_get("loaded_at")?),
                })
            })
            .collect()
    }
}

impl Backend {
    /// Fires one claimed timer; `Ok(None)` if it was no longer this server's to fire.
    async fn fire_one(
        &self,
        server: &str,
        id: &str,
        case_id: Uuid,
        spec: &civicgrid_domain::TimerSpec,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let mut tx = self.begin_write().await?;
        // The case first, as every change takes it: an action on the case and this
        // timer cannot lock each other out.
        let case = load_case(&mut *tx, case_id, true).await?;
        let marked = sqlx::query("UPDATE timers SET fired_at = $3, fired_by = $2 WHERE id = $1 AND fired_at IS NULL AND claimed_by = $2")
            .bind(id)
            .bind(server)
            .bind(micros(now))
            .execute(&mut *tx)
            .await?;
        if marked.rows_affected() != 1 {
            return Ok(None);
        }
        let Some(mut case) = case else {
            tx.commit().await?;
            return Ok(Some(0));
        };
        let policy = self.policy.get();
        let expected = case.version;
        let before = policy.timers(&case);
        let events = policy.fire(&mut case, spec, now);
        if !events.is_empty() {
            update_projection(&mut tx, &case, Some(expected)).await?;
            let logged: Vec<(&Case, &CaseEvent)> = events.iter().map(|e| (&case, e)).collect();
            append_events(&mut tx, &logged, true, &self.chain.get()).await?;
            let after = policy.timers(&case);
            if after != before {
                reset_timers(&mut tx, &crate::kit::Subject::case(case.id), &after).await?;
            }
        }
        tx.commit().await?;
        Ok(Some(events.len() as u64))
    }
}
