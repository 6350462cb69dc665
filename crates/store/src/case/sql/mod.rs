//! Cases: the log, its projection and every change, each in one transaction.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

pub(super) mod attachment;
mod filters;
pub(super) mod intake;
mod list;

use super::kit::log::{append, Entry, Log};
use super::kit::timers::{insert_timers, reset_timers};
use super::{Backend, Db, Tx};
use crate::case::intake::submit_intake;
use crate::case::rows::*;
use crate::case::*;
use crate::kit::Subject;
use crate::kit::{is_unique_violation, micros, to_json};
use crate::{Result, StoreError};
use attachment::link_refs;
use chrono::{DateTime, Utc};
use civicgrid_domain::{Actor, Case, CaseCode, CaseEvent, CaseState, Command, DomainError};
use filters::push_filters;
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;
use uuid::Uuid;

/// Inserts projection rows, many per statement.
pub(crate) async fn insert_projections(tx: &mut Tx<'_>, cases: &[&Case]) -> Result<()> {
    for chunk in cases.chunks(500) {
        let mut b = QueryBuilder::<Db>::new(
            "INSERT INTO cases (id, code, state, category, channel, priority, area, owner_area, department_id,
                handler_user_id, reporter_user_id, supervised, created_at, updated_at, version, data, grid, warn_at, due_at,
                search_text, phone_index, awaiting) ",
        );
        b.push_values(chunk, |mut r, c| {
            r.push_bind(c.id.to_string())
                .push_bind(c.code.as_str())
                .push_bind(c.state.as_str())
                .push_bind(c.report.category.as_str())
                .push_bind(c.report.channel.as_str())
                .push_bind(c.report.priority.as_str())
                .push_bind(c.area().as_str())
                .push_bind(c.owner_area.as_str())
                .push_bind(department_of(c))
                .push_bind(c.handler_user_id.as_deref())
                .push_bind(c.reporter_user_id.as_deref())
                .push_bind(c.supervised)
                .push_bind(micros(c.created_at))
                .push_bind(micros(c.updated_at))
                .push_bind(c.version as i64)
                .push_bind(to_json(*c))
                .push_bind(c.grid().map(|g| g.as_str()))
                .push_bind(running(c).map(|d| micros(d.warn)))
                .push_bind(running(c).map(|d| micros(d.due)))
                .push_bind(search_text(c))
                .push_bind(phone_index(c))
                .push_bind(awaiting(c));
        });
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Updates the projection row if it is still at `expected` version.
pub(crate) async fn update_projection(tx: &mut Tx<'_>, c: &Case, expected: Option<u32>) -> Result<()> {
    let res = sqlx::query(
        "UPDATE cases SET state=$2, owner_area=$3, department_id=$4, handler_user_id=$5, supervised=$6,
            updated_at=$7, version=$8, data=$9, area=$11, grid=$12, warn_at=$13, due_at=$14, category=$15, priority=$16, awaiting=$17
         WHERE id=$1 AND ($10 < 0 OR version=$10)",
    )
    .bind(c.id.to_string())
    .bind(c.state.as_str())
    .bind(c.owner_area.as_str())
    .bind(department_of(c))
    .bind(c.handler_user_id.as_deref())
    .bind(c.supervised)
    .bind(micros(c.updated_at))
    .bind(c.version as i64)
    .bind(to_json(c))
    .bind(expected.map(|v| v as i64).unwrap_or(-1))
    .bind(c.area().as_str())
    .bind(c.grid().map(|g| g.as_str()))
    .bind(running(c).map(|d| micros(d.warn)))
    .bind(running(c).map(|d| micros(d.due)))
    .bind(c.report.category.as_str())
    .bind(c.report.priority.as_str())
    .bind(awaiting(c))
    .execute(&mut **tx)
    .await?;
    if res.rows_affected() != 1 {
        return Err(StoreError::Conflict(format!("case {}", c.id)));
    }
    Ok(())
}

/// The case's log among the shared tables.
pub(crate) const CASE_LOG: Log = Log { table: "case_events", id_column: "case_id", subject_kind: Subject::CASE };

/// Appends events, each with the case as it stands after it (for the outbox); with `outbox`,
/// each also gets its outbox message.
pub(crate) async fn append_events(tx: &mut Tx<'_>, events: &[(&Case, &CaseEvent)], outbox: bool, key: &[u8; 32]) -> Result<()> {
    let entries: Vec<Entry> = events
        .iter()
        .map(|(c, e)| Entry {
            id: e.case_id,
            seq: e.seq,
            at: e.at,
            kind: e.kind.name(),
            payload: to_json(*e),
            outbox: outbox.then(|| outbox_payload(c, e)),
        })
        .collect();
    append(tx, &CASE_LOG, &entries, key).await
}

pub(crate) async fn load_case<'e, E>(ex: E, id: Uuid, lock: bool) -> Result<Option<Case>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = if lock { concat!("SELECT data FROM cases WHERE id = $1", for_update!()) } else { "SELECT data FROM cases WHERE id = $1" };
    let row = sqlx::query(sql).bind(id.to_string()).fetch_optional(ex).await?;
    row.map(|r| case_from_json(&r.try_get::<String, _>("data")?)).transpose()
}

#[async_trait::async_trait]
impl crate::case::CaseStore for Backend {
    async fn create_case(&self, req: CreateCase) -> Result<Created> {
        let keyed = req.idempotency_key.is_some();
        match submit_intake(&self.intake, req.clone()).await {
            // Two requests with one key raced (several servers): the loser answers the winner's case.
            Err(StoreError::Db(e)) if keyed && is_unique_violation(&e) => submit_intake(&self.intake, req).await,
            other => other,
        }
    }

    async fn act(&self, id: Uuid, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<Case> {
        let mut tx = self.begin_write().await?;
        let mut case = load_case(&mut *tx, id, true).await?.ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
        let expected = case.version;
        let policy = self.policy.get();
        let timers_before = policy.timers(&case);
        let events = policy.execute(&mut case, actor, cmd, now)?;
        match &events[0].kind {
            civicgrid_domain::EventKind::Handled { attachments, .. } | civicgrid_domain::EventKind::ClosedOnSpot { attachments, .. } => {
                link_refs(&mut tx, case.id, attachments).await?
            }
            _ => {}
        }
        update_projection(&mut tx, &case, Some(expected)).await?;
        let logged: Vec<(&Case, &CaseEvent)> = events.iter().map(|e| (&case, e)).collect();
        append_events(&mut tx, &logged, true, &self.chain.get()).await?;
        let timers_after = policy.timers(&case);
        if timers_after != timers_before {
            reset_timers(&mut tx, &Subject::case(case.id), &timers_after).await?;
        }
        tx.commit().await?;
        Ok(case)
    }

    async fn case(&self, id: Uuid) -> Result<Option<Case>> {
        load_case(&self.read, id, false).await
    }

    async fn case_by_code(&self, code: &CaseCode) -> Result<Option<Case>> {
        let row = sqlx::query("SELECT data FROM cases WHERE code = $1").bind(code.as_str()).fetch_optional(&self.read).await?;
        row.map(|r| case_from_json(&r.try_get::<String, _>("data")?)).transpose()
    }

    async fn case_events(&self, id: Uuid) -> Result<Vec<CaseEvent>> {
        let rows = sqlx::query("SELECT payload FROM case_events WHERE case_id = $1 ORDER BY seq")
            .bind(id.to_string())
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|r| event_from_json(&r.try_get::<String, _>("payload")?)).collect()
    }

    async fn list_cases(&self, q: &CaseQuery) -> Result<CasePage> {
        list::list(self, q).await
    }

    async fn explain_list(&self, q: &CaseQuery) -> Result<Vec<String>> {
        list::explain(self, q).await
    }

    async fn index_phones(&self, index: &(dyn for<'p> Fn(&'p str) -> Option<String> + Send + Sync)) -> Result<u64> {
        let mut done = 0;
        loop {
            let rows = sqlx::query("SELECT id, data FROM cases WHERE phone_index IS NULL LIMIT 500").fetch_all(&self.write).await?;
            if rows.is_empty() {
                return Ok(done);
            }
            let mut tx = self.write.begin().await?;
            for r in &rows {
                let case = case_from_json(&r.try_get::<String, _>("data")?)?;
                // A phone that no longer decrypts is marked '' so that it is not tried forever.
                let value = case.report.reporter_phone_enc.as_deref().and_then(|p| index(p)).unwrap_or_default();
                sqlx::query("UPDATE cases SET phone_index = $2 WHERE id = $1")
                    .bind(r.try_get::<String, _>("id")?)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            done += rows.len() as u64;
        }
    }

    async fn count_by_state(&self, q: &CaseQuery) -> Result<Vec<(CaseState, u64)>> {
        let mut b = QueryBuilder::<Db>::new("SELECT state, COUNT(*) AS n FROM cases WHERE 1=1");
        push_filters(&mut b, q, false);
        b.push(" GROUP BY state");
        let rows = b.build().fetch_all(&self.read).await?;
        let mut out = Vec::new();
        for r in rows {
            let s: String = r.try_get("state")?;
            let n: i64 = r.try_get("n")?;
            out.push((s.parse().map_err(|e: DomainError| StoreError::Corrupt(e.to_string()))?, n as u64));
        }
        Ok(out)
    }

    async fn count_by_grid(&self, q: &CaseQuery) -> Result<Vec<(String, u64)>> {
        let mut b = QueryBuilder::<Db>::new("SELECT grid, COUNT(*) AS n FROM cases WHERE grid IS NOT NULL");
        push_filters(&mut b, q, true);
        b.push(" GROUP BY grid ORDER BY grid");
        let rows = b.build().fetch_all(&self.read).await?;
        rows.iter().map(|r| Ok((r.try_get("grid")?, r.try_get::<i64, _>("n")? as u64))).collect()
    }

    async fn count_awaiting(&self, q: &CaseQuery) -> Result<Vec<(Awaiting, u64)>> {
        let mut b = QueryBuilder::<Db>::new("SELECT awaiting, COUNT(*) AS n FROM cases WHERE awaiting IS NOT NULL");
        push_filters(&mut b, q, true);
        b.push(" GROUP BY awaiting");
        let rows = b.build().fetch_all(&self.read).await?;
        let mut out = Vec::new();
        for r in rows {
            let name: String = r.try_get("awaiting")?;
            if let Some(a) = Awaiting::ALL.into_iter().find(|a| a.as_str() == name) {
                out.push((a, r.try_get::<i64, _>("n")? as u64));
            }
        }
        Ok(out)
    }

    async fn count_by_card(&self, q: &CaseQuery, now: DateTime<Utc>) -> Result<(u64, u64)> {
        let mut b = QueryBuilder::<Db>::new("SELECT COALESCE(SUM(CASE WHEN due_at <= ");
        b.push_bind(micros(now)).push(" THEN 1 ELSE 0 END), 0) AS red, COALESCE(SUM(CASE WHEN due_at > ");
        b.push_bind(micros(now)).push(" AND warn_at <= ").push_bind(micros(now));
        b.push(" THEN 1 ELSE 0 END), 0) AS yellow FROM cases WHERE due_at IS NOT NULL");
        push_filters(&mut b, q, true);
        let row = b.build().fetch_one(&self.read).await?;
        let (red, yellow): (i64, i64) = (row.try_get("red")?, row.try_get("yellow")?);
        Ok((red as u64, yellow as u64))
    }

    fn policy(&self) -> std::sync::Arc<civicgrid_domain::CasePolicy> {
        self.policy.get()
    }

    fn set_policy(&self, p: std::sync::Arc<civicgrid_domain::CasePolicy>) {
        self.policy.set(p)
    }

    async fn rebuild_projections(&self) -> Result<RebuildReport> {
        let mut report = RebuildReport::default();
        // A log whose chain or checkpoint does not hold was changed behind the server's back:
        // never adopted (unlinked events from before the chains are not damage).
        let audit = crate::kit::AuditStore::verify_logs(self).await?;
        let damaged: std::collections::HashSet<Uuid> =
            audit.damaged().filter(|b| b.subject.kind == Subject::CASE).map(|b| b.subject.id).collect();
        let mut tx = self.begin_write().await?;
        let ids: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT case_id FROM case_events ORDER BY case_id").fetch_all(&mut *tx).await?;
        for (id,) in ids {
            let uuid = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if damaged.contains(&uuid) {
                report.refused.push(uuid);
                continue;
            }
            let rows = sqlx::query("SELECT payload FROM case_events WHERE case_id = $1 ORDER BY seq").bind(&id).fetch_all(&mut *tx).await?;
            let events = rows.iter().map(|r| event_from_json(&r.try_get::<String, _>("payload")?)).collect::<Result<Vec<_>>>()?;
            report.events += events.len() as u64;
            let rebuilt = Case::from_events(&events).ok_or_else(|| StoreError::Corrupt(format!("case {id} has no report event")))?;
            match load_case(&mut *tx, rebuilt.id, false).await? {
                Some(stored) if stored == rebuilt => {}
                Some(_) => {
                    report.differed += 1;
                    update_projection(&mut tx, &rebuilt, None).await?;
                }
                None => {
                    report.differed += 1;
                    insert_projections(&mut tx, &[&rebuilt]).await?;
                }
            }
            report.cases += 1;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn log_pii_access(&self, user_id: &str, case_id: Uuid, field: &str, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("INSERT INTO pii_access_log (user_id, subject_kind, subject_id, field, at) VALUES ($1,$2,$3,$4,$5)")
            .bind(user_id)
            .bind(Subject::CASE)
            .bind(case_id.to_string())
            .bind(field)
            .bind(micros(now))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let rows: Vec<&Case> = cases.iter().map(|(c, _)| c).collect();
        insert_projections(&mut tx, &rows).await?;
        let events: Vec<(&Case, &CaseEvent)> = cases.iter().flat_map(|(c, es)| es.iter().map(move |e| (c, e))).collect();
        append_events(&mut tx, &events, false, &self.chain.get()).await?;
        // Imported history is history: only timers still ahead are set.
        let now = Utc::now();
        let policy = self.policy.get();
        let timers: Vec<(Subject, civicgrid_domain::TimerSpec)> = cases
            .iter()
            .flat_map(|(c, _)| policy.timers(c).into_iter().filter(|t| t.at > now).map(move |t| (Subject::case(c.id), t)))
            .collect();
        insert_timers(&mut tx, &timers).await?;
        let mut last: HashMap<&str, i64> = HashMap::new();
        for (case, _) in cases {
            let (day, seq) = case.code.as_str().split_at(8);
            let e = last.entry(day).or_default();
            *e = (*e).max(seq.parse::<i64>().unwrap_or(0));
        }
        for (day, seq) in last {
            sqlx::query(
                "INSERT INTO case_code_seq (day, last) VALUES ($1, $2)
                 ON CONFLICT (day) DO UPDATE SET last = CASE WHEN case_code_seq.last > excluded.last
                    THEN case_code_seq.last ELSE excluded.last END",
            )
            .bind(day)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
