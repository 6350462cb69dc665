//! Sealing, checkpointing and verifying the event logs ([`crate::kit::chain`]). Every module's
//! log is listed in [`LOGS`]; a log table has `event_id` (increasing), the record's id column,
//! `seq`, `at`, `kind`, `payload` and `link`.
//!
//! Part of `kit/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Backend, Db};
use super::log::Log;
use crate::kit::chain::{link, sign_checkpoint, AuditReport, Breach, BrokenLink, Linked, GENESIS};
use crate::kit::group::Group;
use crate::kit::{micros, AccessEntry, Subject};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// Every module's event log. A module with a log of its own adds it here.
const LOGS: [&Log; 1] = [&super::super::case::CASE_LOG];

/// The group commit of the access log: every read is logged before it is answered, and the
/// reads waiting at one moment share one commit.
pub(in super::super) fn access_group(pool: sqlx::Pool<Db>) -> Group<AccessEntry> {
    Group::spawn(std::sync::Arc::new(move |rows: Vec<AccessEntry>| {
        let pool = pool.clone();
        Box::pin(async move { insert_access(&pool, &rows).await })
    }))
}

/// Appends rows to `pii_access_log`, in one transaction.
async fn insert_access(pool: &sqlx::Pool<Db>, entries: &[AccessEntry]) -> Result<()> {
    let mut tx = pool.begin().await?;
    for chunk in entries.chunks(500) {
        let mut b = sqlx::QueryBuilder::<Db>::new("INSERT INTO pii_access_log (user_id, subject_kind, subject_id, field, at) ");
        b.push_values(chunk, |mut r, e| {
            r.push_bind(e.user_id.as_str())
                .push_bind(e.subject_kind.as_str())
                .push_bind(e.subject_id.as_str())
                .push_bind(e.field.as_str())
                .push_bind(micros(e.at));
        });
        b.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Events read per page while walking a log.
const PAGE: i64 = 5000;

/// One stored event.
struct Row_ {
    id: Uuid,
    seq: u32,
    at: i64,
    kind: String,
    payload: String,
    link: Option<String>,
}

/// The next page of `log` after `(after_id, after_seq)`, in record and seq order.
async fn page(pool: &sqlx::Pool<Db>, log: &Log, after: &(String, i64)) -> Result<Vec<Row_>> {
    let sql = format!(
        "SELECT {id}, seq, at, kind, payload, link FROM {t} WHERE ({id} > $1) OR ({id} = $1 AND seq > $2) ORDER BY {id}, seq LIMIT $3",
        id = log.id_column,
        t = log.table
    );
    let rows = sqlx::query(&sql).bind(&after.0).bind(after.1).bind(PAGE).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get(0)?;
            Ok(Row_ {
                id: Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("{}: {e}", log.table)))?,
                seq: r.try_get::<i64, _>(1)? as u32,
                at: r.try_get(2)?,
                kind: r.try_get(3)?,
                payload: r.try_get(4)?,
                link: r.try_get(5)?,
            })
        })
        .collect()
}

/// Where a walk through one record's log stands.
struct Walk {
    id: Uuid,
    next_seq: u32,
    prev: String,
    broken: bool,
}

impl Walk {
    fn start(id: Uuid) -> Walk {
        Walk { id, next_seq: 1, prev: GENESIS.to_string(), broken: false }
    }
}

/// The latest checkpointed head (seq, link) of every record of `log`.
async fn checkpointed_heads(pool: &sqlx::Pool<Db>, log: &Log) -> Result<HashMap<Uuid, (u32, String)>> {
    let rows = sqlx::query(
        "SELECT h.subject_id, h.seq, h.link FROM log_checkpoint_heads h JOIN log_checkpoints c ON c.id = h.checkpoint_id
         WHERE c.subject_kind = $1 ORDER BY h.checkpoint_id",
    )
    .bind(log.subject_kind)
    .fetch_all(pool)
    .await?;
    let mut heads = HashMap::new();
    for r in rows {
        let id: String = r.try_get(0)?;
        let id = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("checkpoint head: {e}")))?;
        heads.insert(id, (r.try_get::<i64, _>(1)? as u32, r.try_get(2)?));
    }
    Ok(heads)
}

/// Checks `log`'s chains against its events and its checkpoints' heads.
async fn verify_log(pool: &sqlx::Pool<Db>, log: &Log, key: &[u8; 32], report: &mut AuditReport) -> Result<()> {
    let mut heads = checkpointed_heads(pool, log).await?;
    let subject = |id: Uuid| Subject { kind: log.subject_kind.to_string(), id };
    let mut broken = |report: &mut AuditReport, w: &mut Walk, seq: u32, cause: Breach, problem: String| {
        if !w.broken {
            report.broken.push(BrokenLink { subject: subject(w.id), seq, cause, problem });
            w.broken = true;
        }
    };
    let mut walk: Option<Walk> = None;
    let mut after = (String::new(), 0i64);
    loop {
        let rows = page(pool, log, &after).await?;
        let Some(last) = rows.last() else { break };
        after = (last.id.to_string(), last.seq as i64);
        for r in &rows {
            if walk.as_ref().map(|w| w.id) != Some(r.id) {
                if let Some(mut w) = walk.take() {
                    let head = heads.remove(&w.id);
                    finish(report, &mut w, head, &mut broken);
                }
                report.records += 1;
                walk = Some(Walk::start(r.id));
            }
            let w = walk.as_mut().expect("started above");
            report.events += 1;
            if w.broken {
                continue;
            }
            if r.seq != w.next_seq {
                broken(report, w, w.next_seq, Breach::Missing, format!("event {} is missing", w.next_seq));
                continue;
            }
            let linked = Linked { id: r.id, seq: r.seq, at: r.at, kind: &r.kind, payload: &r.payload };
            let expected = link(key, &w.prev, &linked);
            match &r.link {
                None => broken(
                    report,
                    w,
                    r.seq,
                    Breach::Unlinked,
                    format!("event {} ({}) has no link: written before the chains; run `civicgrid audit seal`", r.seq, r.kind),
                ),
                Some(l) if *l != expected => broken(
                    report,
                    w,
                    r.seq,
                    Breach::Edited,
                    format!("event {} ({}) does not match its link: edited, reordered or re-signed without the key", r.seq, r.kind),
                ),
                Some(_) => {}
            }
            if let Some((seq, head)) = heads.get(&r.id) {
                if *seq == r.seq && r.link.as_deref() != Some(head.as_str()) {
                    broken(report, w, r.seq, Breach::Edited, format!("event {} differs from the checkpoint that recorded it", r.seq));
                }
            }
            w.prev = expected;
            w.next_seq += 1;
        }
        if (rows.len() as i64) < PAGE {
            break;
        }
    }
    if let Some(mut w) = walk.take() {
        let head = heads.remove(&w.id);
        finish(report, &mut w, head, &mut broken);
    }
    // Records a checkpoint saw whose every event is gone.
    let mut gone: Vec<(Uuid, u32)> = heads.into_iter().map(|(id, (seq, _))| (id, seq)).collect();
    gone.sort();
    for (id, seq) in gone {
        report.broken.push(BrokenLink {
            subject: subject(id),
            seq: 1,
            cause: Breach::Missing,
            problem: format!("all {seq} events checkpointed are missing"),
        });
    }
    Ok(())
}

/// Ends a record's walk: a log shorter than its checkpointed head was cut.
fn finish(
    report: &mut AuditReport,
    w: &mut Walk,
    head: Option<(u32, String)>,
    broken: &mut impl FnMut(&mut AuditReport, &mut Walk, u32, Breach, String),
) {
    if let Some((seq, _)) = head {
        let last = w.next_seq - 1;
        if last < seq {
            broken(
                report,
                w,
                last + 1,
                Breach::Missing,
                format!("events {}..={seq} are missing: the log ends before its checkpointed head", last + 1),
            );
        }
    }
}

/// Checks the signatures of `kind`'s checkpoints, in order.
async fn verify_checkpoints(pool: &sqlx::Pool<Db>, kind: &str, key: &[u8; 32], report: &mut AuditReport) -> Result<()> {
    let rows = sqlx::query("SELECT id, upto, signature FROM log_checkpoints WHERE subject_kind = $1 ORDER BY id")
        .bind(kind)
        .fetch_all(pool)
        .await?;
    let mut prev = String::new();
    for r in rows {
        let (id, upto, signature): (i64, i64, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let heads = heads_of(pool, id).await?;
        report.checkpoints += 1;
        if sign_checkpoint(key, &prev, upto, &heads) != signature {
            report.broken.push(BrokenLink {
                subject: Subject { kind: kind.to_string(), id: Uuid::nil() },
                seq: 0,
                cause: Breach::Checkpoint,
                problem: format!("checkpoint {id}: its signature does not hold: the checkpoint or the one before it was altered"),
            });
        }
        prev = signature;
    }
    Ok(())
}

/// A checkpoint's heads, by record.
async fn heads_of(pool: &sqlx::Pool<Db>, checkpoint: i64) -> Result<Vec<(Uuid, u32, String)>> {
    let rows = sqlx::query("SELECT subject_id, seq, link FROM log_checkpoint_heads WHERE checkpoint_id = $1 ORDER BY subject_id")
        .bind(checkpoint)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get(0)?;
            Ok((Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?, r.try_get::<i64, _>(1)? as u32, r.try_get(2)?))
        })
        .collect()
}

/// Links the events of `log` that have none, record by record, after the link before them.
async fn seal_log(pool: &sqlx::Pool<Db>, log: &Log, key: &[u8; 32]) -> Result<u64> {
    let sql = format!("SELECT DISTINCT {id} FROM {t} WHERE link IS NULL", id = log.id_column, t = log.table);
    let ids: Vec<String> = sqlx::query_scalar(&sql).fetch_all(pool).await?;
    let mut sealed = 0;
    for id in ids {
        let mut tx = pool.begin().await?;
        let sql = format!("SELECT seq, at, kind, payload, link FROM {t} WHERE {id} = $1 ORDER BY seq", id = log.id_column, t = log.table);
        let rows = sqlx::query(&sql).bind(&id).fetch_all(&mut *tx).await?;
        let uuid = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut prev = GENESIS.to_string();
        for r in rows {
            let (seq, at, kind, payload, stored): (i64, i64, String, String, Option<String>) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
            let next = match stored {
                Some(l) => l,
                None => {
                    let l = link(key, &prev, &Linked { id: uuid, seq: seq as u32, at, kind: &kind, payload: &payload });
                    let sql = format!("UPDATE {t} SET link = $3 WHERE {id} = $1 AND seq = $2", id = log.id_column, t = log.table);
                    sqlx::query(&sql).bind(&id).bind(seq).bind(&l).execute(&mut *tx).await?;
                    sealed += 1;
                    l
                }
            };
            prev = next;
        }
        tx.commit().await?;
    }
    Ok(sealed)
}

/// Writes a checkpoint of `log`'s records changed since its last one; answers the heads written.
async fn checkpoint_log(pool: &sqlx::Pool<Db>, log: &Log, key: &[u8; 32], now: DateTime<Utc>) -> Result<u64> {
    let mut tx = pool.begin().await?;
    let last = sqlx::query("SELECT upto, signature FROM log_checkpoints WHERE subject_kind = $1 ORDER BY id DESC LIMIT 1")
        .bind(log.subject_kind)
        .fetch_optional(&mut *tx)
        .await?;
    let (from, prev): (i64, String) = match last {
        Some(r) => (r.try_get(0)?, r.try_get(1)?),
        None => (0, String::new()),
    };
    let upto: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(event_id) FROM {}", log.table)).fetch_one(&mut *tx).await?;
    let upto = upto.unwrap_or(0);
    if upto <= from {
        return Ok(0);
    }
    let sql = format!(
        "SELECT t.{id}, t.seq, t.link FROM {t} t
         JOIN (SELECT {id} AS i, MAX(seq) AS s FROM {t} WHERE event_id > $1 AND event_id <= $2 GROUP BY {id}) m ON t.{id} = m.i AND t.seq = m.s
         WHERE t.link IS NOT NULL ORDER BY t.{id}",
        id = log.id_column,
        t = log.table
    );
    let rows = sqlx::query(&sql).bind(from).bind(upto).fetch_all(&mut *tx).await?;
    let mut heads = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get(0)?;
        heads.push((Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?, r.try_get::<i64, _>(1)? as u32, r.try_get(2)?));
    }
    let signature = sign_checkpoint(key, &prev, upto, &heads);
    let id: i64 =
        sqlx::query_scalar("INSERT INTO log_checkpoints (subject_kind, upto, at, signature) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(log.subject_kind)
            .bind(upto)
            .bind(micros(now))
            .bind(&signature)
            .fetch_one(&mut *tx)
            .await?;
    for chunk in heads.chunks(1000) {
        let mut b = sqlx::QueryBuilder::<Db>::new("INSERT INTO log_checkpoint_heads (checkpoint_id, subject_id, seq, link) ");
        b.push_values(chunk, |mut r, (subject, seq, link)| {
            r.push_bind(id).push_bind(subject.to_string()).push_bind(*seq as i64).push_bind(link.as_str());
        });
        b.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(heads.len() as u64)
}

#[async_trait::async_trait]
impl crate::kit::AuditStore for Backend {
    async fn log_access(&self, entries: &[crate::kit::AccessEntry]) -> Result<()> {
        self.access.submit(entries.to_vec()).await
    }

    async fn access_log(&self, user_id: Option<&str>, subject_id: Option<&str>, limit: u32) -> Result<Vec<crate::kit::AccessEntry>> {
        let rows = sqlx::query(
            "SELECT user_id, subject_kind, subject_id, field, at FROM pii_access_log
             WHERE ($1 IS NULL OR user_id = $1) AND ($2 IS NULL OR subject_id = $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(user_id)
        .bind(subject_id)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crate::kit::AccessEntry {
                    user_id: r.try_get(0)?,
                    subject_kind: r.try_get(1)?,
                    subject_id: r.try_get(2)?,
                    field: r.try_get(3)?,
                    at: crate::kit::from_micros(r.try_get(4)?),
                })
            })
            .collect()
    }

    async fn purge_access_log(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM pii_access_log WHERE at < $1").bind(micros(before)).execute(&self.write).await?.rows_affected())
    }

    fn set_log_key(&self, key: [u8; 32]) {
        self.chain.set(key);
    }

    async fn seal_logs(&self) -> Result<u64> {
        let mut n = 0;
        for log in LOGS {
            n += seal_log(&self.write, log, &self.chain.get()).await?;
        }
        Ok(n)
    }

    async fn checkpoint_logs(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut n = 0;
        for log in LOGS {
            n += checkpoint_log(&self.write, log, &self.chain.get(), now).await?;
        }
        Ok(n)
    }

    async fn verify_logs(&self) -> Result<AuditReport> {
        let mut report = AuditReport::default();
        let key = self.chain.get();
        for log in LOGS {
            verify_checkpoints(&self.read, log.subject_kind, &key, &mut report).await?;
            verify_log(&self.read, log, &key, &mut report).await?;
        }
        Ok(report)
    }
}
