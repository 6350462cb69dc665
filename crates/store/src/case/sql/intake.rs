//! Intake by group commit.
//!
//! Part of `case/sql`, which each backend mounts: `super::super` is the backend.

use super::super::kit::timers::insert_timers;
use super::super::Db;
use super::attachment::link_refs;
use super::{append_events, insert_projections, load_case};
use crate::case::intake::{IntakeJob, GROUP_MAX};
use crate::case::*;
use crate::kit::micros;
use crate::kit::PolicyCell;
use crate::{Result, StoreError};
use civicgrid_domain::{Case, CaseCode, CaseEvent};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;
use uuid::Uuid;

/// Reports a group of cases in one transaction with a handful of statements: replays
/// are resolved first (keys stored earlier, or repeated within the group), then each day's
/// code numbers are taken in one step, then all rows are written in bulk. The first
/// failure abandons the whole group.
pub(crate) async fn create_group(
    pool: &sqlx::Pool<Db>,
    policy: &civicgrid_domain::CasePolicy,
    key: &[u8; 32],
    reqs: &[&CreateCase],
) -> Result<Vec<Created>> {
    enum Slot {
        Stored(Uuid),
        InGroup(usize),
        New,
    }
    let mut db = pool.begin().await?;
    let keys: Vec<&str> = reqs.iter().filter_map(|r| r.idempotency_key.as_deref()).collect();
    let mut stored: HashMap<String, Uuid> = HashMap::new();
    if !keys.is_empty() {
        let mut b = QueryBuilder::<Db>::new("SELECT key, subject_id FROM idempotency_keys WHERE key IN (");
        let mut sep = b.separated(", ");
        for k in &keys {
            sep.push_bind(*k);
        }
        b.push(")");
        for row in b.build().fetch_all(&mut *db).await? {
            let id: String = row.try_get("subject_id")?;
            stored.insert(row.try_get("key")?, Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?);
        }
    }
    let mut first_with_key: HashMap<&str, usize> = HashMap::new();
    let mut per_day: std::collections::BTreeMap<String, i64> = Default::default();
    let mut slots: Vec<Slot> = Vec::with_capacity(reqs.len());
    for (i, r) in reqs.iter().enumerate() {
        slots.push(match r.idempotency_key.as_deref() {
            Some(k) if stored.contains_key(k) => Slot::Stored(stored[k]),
            Some(k) if first_with_key.contains_key(k) => Slot::InGroup(first_with_key[k]),
            key => {
                if let Some(k) = key {
                    first_with_key.insert(k, i);
                }
                *per_day.entry(CaseCode::day(r.now)).or_default() += 1;
                Slot::New
            }
        });
    }
    // The next free number of each day, taken for the whole group at once.
    let mut next: HashMap<String, i64> = HashMap::new();
    for (day, n) in &per_day {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO case_code_seq (day, last) VALUES ($1, $2)
             ON CONFLICT (day) DO UPDATE SET last = case_code_seq.last + $2 RETURNING last",
        )
        .bind(day)
        .bind(n)
        .fetch_one(&mut *db)
        .await?;
        next.insert(day.clone(), last - n + 1);
    }
    let mut made: Vec<Option<(Case, CaseEvent)>> = Vec::with_capacity(reqs.len());
    for (req, slot) in reqs.iter().zip(&slots) {
        if !matches!(slot, Slot::New) {
            made.push(None);
            continue;
        }
        let seq = next.get_mut(&CaseCode::day(req.now)).expect("allocated above");
        let code = CaseCode::new(req.now, *seq as u64);
        *seq += 1;
        made.push(Some(policy.report(crate::kit::v7_at(req.now), code, req.new.clone(), req.handling_level, &req.actor, req.now)?));
    }
    let new: Vec<(&Case, &CaseEvent)> = made.iter().flatten().map(|(c, e)| (c, e)).collect();
    let cases: Vec<&Case> = new.iter().map(|(c, _)| *c).collect();
    insert_projections(&mut db, &cases).await?;
    append_events(&mut db, &new, true, key).await?;
    let timers: Vec<(crate::kit::Subject, civicgrid_domain::TimerSpec)> =
        cases.iter().flat_map(|c| policy.timers(c).into_iter().map(move |t| (crate::kit::Subject::case(c.id), t))).collect();
    insert_timers(&mut db, &timers).await?;
    for c in cases.iter().filter(|c| !c.report.attachments.is_empty()) {
        link_refs(&mut db, c.id, &c.report.attachments).await?;
    }
    let keyed: Vec<(&str, Uuid, i64)> =
        reqs.iter().zip(&made).filter_map(|(r, m)| Some((r.idempotency_key.as_deref()?, m.as_ref()?.0.id, micros(r.now)))).collect();
    if !keyed.is_empty() {
        let mut b = QueryBuilder::<Db>::new("INSERT INTO idempotency_keys (key, subject_kind, subject_id, created_at) ");
        b.push_values(&keyed, |mut r, (k, id, at)| {
            r.push_bind(*k).push_bind(crate::kit::Subject::CASE).push_bind(id.to_string()).push_bind(*at);
        });
        b.build().execute(&mut *db).await?;
    }
    let mut out = Vec::with_capacity(reqs.len());
    for (i, slot) in slots.iter().enumerate() {
        out.push(match slot {
            Slot::New => Created { case: made[i].as_ref().expect("made").0.clone(), replayed: false },
            Slot::InGroup(first) => Created { case: made[*first].as_ref().expect("made").0.clone(), replayed: true },
            Slot::Stored(id) => Created {
                case: load_case(&mut *db, *id, false).await?.ok_or_else(|| StoreError::NotFound(id.to_string()))?,
                replayed: true,
            },
        });
    }
    db.commit().await?;
    Ok(out)
}

/// Group commit: the intake task takes every create waiting in its queue (up to
/// [`GROUP_MAX`]), runs them in one transaction, commits once and only then answers each
/// request, so one fsync serves the whole group. If any create of the group fails,
/// nothing of the group is kept and each create is retried alone, so one bad request
/// never costs another its case.
/// `workers` groups may be in flight at once (one for SQLite's single writer, several
/// for PostgreSQL, where round trips and not the lock are the limit).
pub(crate) fn spawn_intake(
    pool: sqlx::Pool<Db>,
    workers: usize,
    policy: PolicyCell,
    chain: crate::kit::chain::ChainKey,
) -> tokio::sync::mpsc::Sender<IntakeJob> {
    let (tx, rx) = tokio::sync::mpsc::channel::<IntakeJob>(4 * GROUP_MAX);
    let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
    for _ in 0..workers.max(1) {
        let (rx, pool, policy, chain) = (rx.clone(), pool.clone(), policy.clone(), chain.clone());
        tokio::spawn(async move {
            loop {
                let Some(mut group) = crate::kit::group::next_group(&mut *rx.lock().await, GROUP_MAX).await else { break };
                let reqs: Vec<&CreateCase> = group.iter().map(|j| &j.req).collect();
                let policy = policy.get();
                match create_group(&pool, &policy, &chain.get(), &reqs).await {
                    Ok(results) => {
                        for (job, r) in group.into_iter().zip(results) {
                            let _ = job.reply.send(Ok(r));
                        }
                    }
                    Err(_) if group.len() > 1 => {
                        for job in group {
                            let r = create_group(&pool, &policy, &chain.get(), &[&job.req]).await.map(|mut v| v.remove(0));
                            let _ = job.reply.send(r);
                        }
                    }
                    Err(e) => {
                        let _ = group.pop().expect("one job").reply.send(Err(e));
                    }
                }
            }
        });
    }
    tx
}
