//! The SQL both backends share, written once. `$n` placeholders work on SQLite and
//! PostgreSQL alike; where the dialects differ the macro takes the difference as a parameter.

use chrono::{DateTime, TimeZone, Utc};
use civicgrid_domain::{Assignee, Case, CaseEvent};

use crate::{Result, StoreError};

/// Microseconds since the epoch: how times are stored.
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The inverse of [`micros`].
pub(crate) fn from_micros(v: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(v).single().unwrap_or_default()
}

/// The smallest UUID v7 of the millisecond of `t`, as stored (hyphenated lowercase text sorts
/// like the bytes).
pub(crate) fn first_v7_of(t: DateTime<Utc>) -> String {
    let ms = t.timestamp_millis().max(0) as u128;
    uuid::Uuid::from_u128((ms << 80) | (0x7 << 76) | (0x2 << 62)).to_string()
}

/// The exclusive upper bound of a prefix range over digit strings: every code under `prefix`
/// sorts in `[prefix, prefix~)`, which an index can scan.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}~")
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain types serialise")
}

pub(crate) fn case_from_json(s: &str) -> Result<Case> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("case row: {e}")))
}

pub(crate) fn event_from_json(s: &str) -> Result<CaseEvent> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("event row: {e}")))
}

pub(crate) fn department_of(c: &Case) -> Option<&str> {
    match &c.assignee {
        Some(Assignee::Department { id }) => Some(id),
        _ => None,
    }
}

/// The deadline whose clock is running (none while suspended): what the projection's
/// `warn_at`/`due_at` columns hold for the red and yellow cards.
pub(crate) fn running(c: &Case) -> Option<&civicgrid_domain::StepDeadline> {
    c.deadline.as_ref().filter(|d| d.paused_at.is_none())
}

pub(crate) fn outbox_payload(c: &Case, e: &CaseEvent) -> String {
    serde_json::json!({
        "case_id": c.id, "code": c.code, "seq": e.seq, "event": e.kind.name(), "state": c.state,
        "owner_area": c.owner_area, "department": department_of(c),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn v7_bounds_bracket_ids_of_their_millisecond() {
        let t = chrono::Utc::now();
        let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, t.timestamp() as u64, t.timestamp_subsec_nanos()));
        let lo = super::first_v7_of(t);
        let hi = super::first_v7_of(t + chrono::Duration::milliseconds(1));
        assert!(lo <= id.to_string() && id.to_string() < hi, "{lo} {id} {hi}");
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The case policy a store applies (calendar, time limits, rules), swappable while running:
/// an admin may load a further year's calendar.
#[derive(Clone)]
pub(crate) struct PolicyCell(std::sync::Arc<std::sync::RwLock<std::sync::Arc<civicgrid_domain::CasePolicy>>>);

impl PolicyCell {
    pub(crate) fn shipped() -> PolicyCell {
        PolicyCell(std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(civicgrid_domain::CasePolicy::shipped()))))
    }

    pub(crate) fn get(&self) -> std::sync::Arc<civicgrid_domain::CasePolicy> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set(&self, p: std::sync::Arc<civicgrid_domain::CasePolicy>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = p;
    }
}

/// Most creates committed together by one group commit.
pub(crate) const GROUP_MAX: usize = 64;

/// A create waiting for the intake task.
pub(crate) struct IntakeJob {
    pub(crate) req: crate::CreateCase,
    pub(crate) reply: tokio::sync::oneshot::Sender<Result<crate::Created>>,
}

/// Hands a create to the intake task and waits for its commit.
pub(crate) async fn submit_intake(queue: &tokio::sync::mpsc::Sender<IntakeJob>, req: crate::CreateCase) -> Result<crate::Created> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    queue.send(IntakeJob { req, reply }).await.map_err(|_| StoreError::Unavailable("intake stopped".into()))?;
    answer.await.map_err(|_| StoreError::Unavailable("intake stopped".into()))?
}

/// Implements [`crate::Store`] for a backend struct with `read` and `write` pools.
/// `$lock` is appended to the SELECT that loads a case for change (`FOR UPDATE` where the
/// database has row locks; SQLite serialises writers instead).
macro_rules! impl_store {
    ($ty:ty, $db:ty, $name:literal, $lock:literal) => {
        use $crate::shared::*;
        use $crate::*;
        use sqlx::{QueryBuilder, Row};
        use std::collections::HashMap;

        type Tx<'a> = sqlx::Transaction<'a, $db>;

        fn user_from_row(r: &<$db as sqlx::Database>::Row) -> Result<User> {
            let role: String = r.try_get("role")?;
            let scope: String = r.try_get("scope")?;
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: role.parse().map_err(|e: DomainError| StoreError::Corrupt(e.to_string()))?,
                scope: AreaCode::parse(&scope).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                department: r.try_get("department_id")?,
            })
        }

        fn area_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Area> {
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

        /// Inserts projection rows, many per statement.
        async fn insert_projections(tx: &mut Tx<'_>, cases: &[&Case]) -> Result<()> {
            for chunk in cases.chunks(500) {
                let mut b = QueryBuilder::<$db>::new(
                    "INSERT INTO cases (id, code, state, category, channel, priority, area, owner_area, department_id,
                        handler_user_id, reporter_user_id, supervised, created_at, updated_at, version, data, grid, warn_at, due_at) ",
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
                        .push_bind(running(c).map(|d| micros(d.due)));
                });
                b.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// Updates the projection row if it is still at `expected` version.
        async fn update_projection(tx: &mut Tx<'_>, c: &Case, expected: Option<u32>) -> Result<()> {
            let res = sqlx::query(
                "UPDATE cases SET state=$2, owner_area=$3, department_id=$4, handler_user_id=$5, supervised=$6,
                    updated_at=$7, version=$8, data=$9, area=$11, grid=$12, warn_at=$13, due_at=$14
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
            .execute(&mut **tx)
            .await?;
            if res.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!("case {}", c.id)));
            }
            Ok(())
        }

        /// Inserts timers, many per statement; one that already exists (fired or not) is kept.
        async fn insert_timers(tx: &mut Tx<'_>, timers: &[(Uuid, civicgrid_domain::TimerSpec)]) -> Result<()> {
            for chunk in timers.chunks(500) {
                let mut b = QueryBuilder::<$db>::new("INSERT INTO timers (id, case_id, kind, step, due, fire_at) ");
                b.push_values(chunk, |mut r, (case_id, t)| {
                    r.push_bind(Uuid::now_v7().to_string())
                        .push_bind(case_id.to_string())
                        .push_bind(t.kind.as_str())
                        .push_bind(t.step.as_str())
                        .push_bind(micros(t.due))
                        .push_bind(micros(t.at));
                });
                b.push(" ON CONFLICT (case_id, kind, step, due) DO NOTHING");
                b.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// Replaces a case's pending timers with `timers` (its deadline moved, or its step ended).
        async fn reset_timers(tx: &mut Tx<'_>, case_id: Uuid, timers: &[civicgrid_domain::TimerSpec]) -> Result<()> {
            sqlx::query("DELETE FROM timers WHERE case_id = $1 AND fired_at IS NULL").bind(case_id.to_string()).execute(&mut **tx).await?;
            let rows: Vec<(Uuid, civicgrid_domain::TimerSpec)> = timers.iter().map(|t| (case_id, t.clone())).collect();
            insert_timers(tx, &rows).await
        }

        /// Appends events, each with the case as it stands after it (for the outbox), many per
        /// statement; with `outbox`, each also gets its outbox row.
        async fn append_events(tx: &mut Tx<'_>, events: &[(&Case, &CaseEvent)], outbox: bool) -> Result<()> {
            for chunk in events.chunks(1000) {
                let mut b = QueryBuilder::<$db>::new("INSERT INTO case_events (case_id, seq, at, kind, payload) ");
                b.push_values(chunk, |mut r, (_, e)| {
                    r.push_bind(e.case_id.to_string())
                        .push_bind(e.seq as i64)
                        .push_bind(micros(e.at))
                        .push_bind(e.kind.name())
                        .push_bind(to_json(*e));
                });
                b.build().execute(&mut **tx).await?;
                if outbox {
                    let mut b = QueryBuilder::<$db>::new("INSERT INTO outbox (case_id, event_seq, topic, payload, created_at) ");
                    b.push_values(chunk, |mut r, (c, e)| {
                        r.push_bind(e.case_id.to_string())
                            .push_bind(e.seq as i64)
                            .push_bind(format!("case.{}", e.kind.name()))
                            .push_bind(outbox_payload(c, e))
                            .push_bind(micros(e.at));
                    });
                    b.build().execute(&mut **tx).await?;
                }
            }
            Ok(())
        }

        async fn load_case<'e, E>(ex: E, id: Uuid, lock: bool) -> Result<Option<Case>>
        where
            E: sqlx::Executor<'e, Database = $db>,
        {
            let sql = if lock { concat!("SELECT data FROM cases WHERE id = $1", $lock) } else { "SELECT data FROM cases WHERE id = $1" };
            let row = sqlx::query(sql).bind(id.to_string()).fetch_optional(ex).await?;
            row.map(|r| case_from_json(&r.try_get::<String, _>("data")?)).transpose()
        }

        /// Links the photos among `refs` (attachment ids; URLs are left alone) to `case_id`.
        /// One that does not exist or belongs to another case refuses the whole change, named
        /// by its place in `refs`, which is its place in the request.
        async fn link_refs(tx: &mut Tx<'_>, case_id: Uuid, refs: &[String]) -> Result<()> {
            let case = case_id.to_string();
            for (i, r) in refs.iter().enumerate() {
                let Some(id) = attachment::attachment_id(r) else { continue };
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

        fn attachment_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Attachment> {
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

        /// Appends the filters of `q` (all but the cursor and states when `with_states` is false).
        fn push_filters<'a>(b: &mut QueryBuilder<'a, $db>, q: &'a CaseQuery, with_states: bool) {
            match &q.visibility {
                Visibility::Everything => {}
                Visibility::Area(s) => {
                    b.push(" AND area >= ").push_bind(s.as_str()).push(" AND area < ").push_bind(prefix_end(s.as_str()));
                }
                Visibility::Department(s, d) => {
                    b.push(" AND area >= ").push_bind(s.as_str()).push(" AND area < ").push_bind(prefix_end(s.as_str()));
                    b.push(" AND department_id = ").push_bind(d.as_str());
                }
                Visibility::Reporter(r) => {
                    b.push(" AND reporter_user_id = ").push_bind(r.as_str());
                }
                Visibility::Nothing => {
                    b.push(" AND 1 = 0");
                }
            }
            if let Some(a) = &q.area {
                b.push(" AND area >= ").push_bind(a.as_str()).push(" AND area < ").push_bind(prefix_end(a.as_str()));
            }
            if let Some(g) = &q.grid {
                b.push(" AND grid = ").push_bind(g.as_str());
            }
            if with_states && !q.states.is_empty() {
                b.push(" AND state IN (");
                let mut sep = b.separated(", ");
                for s in &q.states {
                    sep.push_bind(s.as_str());
                }
                b.push(")");
            }
            if let Some(c) = &q.category {
                b.push(" AND category >= ").push_bind(c.as_str()).push(" AND category < ").push_bind(prefix_end(c.as_str()));
            }
            if let Some(ch) = q.channel {
                b.push(" AND channel = ").push_bind(ch.as_str());
            }
            if let Some(s) = q.supervised {
                b.push(" AND supervised = ").push_bind(s);
            }
            match q.card {
                Some((civicgrid_domain::Card::Red, now)) => {
                    b.push(" AND due_at <= ").push_bind(micros(now));
                }
                Some((civicgrid_domain::Card::Yellow, now)) => {
                    b.push(" AND warn_at <= ").push_bind(micros(now)).push(" AND due_at > ").push_bind(micros(now));
                }
                None => {}
            }
            // Case ids are UUID v7, ordered by report time: the same bound on `id` lets the
            // newest-first scan walk the id index instead of sorting every case of the range.
            if let Some(t) = q.created_from {
                b.push(" AND created_at >= ").push_bind(micros(t));
                b.push(" AND id >= ").push_bind(first_v7_of(t - chrono::Duration::milliseconds(1)));
            }
            if let Some(t) = q.created_to {
                b.push(" AND created_at < ").push_bind(micros(t));
                b.push(" AND id < ").push_bind(first_v7_of(t + chrono::Duration::milliseconds(1)));
            }
        }

        /// Reports a group of cases in one transaction with a handful of statements: replays
        /// are resolved first (keys stored earlier, or repeated within the group), then each day's
        /// code numbers are taken in one step, then all rows are written in bulk. The first
        /// failure abandons the whole group.
        async fn create_group(pool: &sqlx::Pool<$db>, policy: &civicgrid_domain::CasePolicy, reqs: &[&CreateCase]) -> Result<Vec<Created>> {
            enum Slot {
                Stored(Uuid),
                InGroup(usize),
                New,
            }
            let mut db = pool.begin().await?;
            let keys: Vec<&str> = reqs.iter().filter_map(|r| r.idempotency_key.as_deref()).collect();
            let mut stored: HashMap<String, Uuid> = HashMap::new();
            if !keys.is_empty() {
                let mut b = QueryBuilder::<$db>::new("SELECT key, case_id FROM idempotency_keys WHERE key IN (");
                let mut sep = b.separated(", ");
                for k in &keys {
                    sep.push_bind(*k);
                }
                b.push(")");
                for row in b.build().fetch_all(&mut *db).await? {
                    let id: String = row.try_get("case_id")?;
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
                made.push(Some(policy.report(Uuid::now_v7(), code, req.new.clone(), req.handling_level, &req.actor, req.now)?));
            }
            let new: Vec<(&Case, &CaseEvent)> = made.iter().flatten().map(|(c, e)| (c, e)).collect();
            let cases: Vec<&Case> = new.iter().map(|(c, _)| *c).collect();
            insert_projections(&mut db, &cases).await?;
            append_events(&mut db, &new, true).await?;
            let timers: Vec<(Uuid, civicgrid_domain::TimerSpec)> =
                cases.iter().flat_map(|c| policy.timers(c).into_iter().map(move |t| (c.id, t))).collect();
            insert_timers(&mut db, &timers).await?;
            for c in cases.iter().filter(|c| !c.report.attachments.is_empty()) {
                link_refs(&mut db, c.id, &c.report.attachments).await?;
            }
            let keyed: Vec<(&str, Uuid, i64)> = reqs
                .iter()
                .zip(&made)
                .filter_map(|(r, m)| Some((r.idempotency_key.as_deref()?, m.as_ref()?.0.id, micros(r.now))))
                .collect();
            if !keyed.is_empty() {
                let mut b = QueryBuilder::<$db>::new("INSERT INTO idempotency_keys (key, case_id, created_at) ");
                b.push_values(&keyed, |mut r, (k, id, at)| {
                    r.push_bind(*k).push_bind(id.to_string()).push_bind(*at);
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
        pub(crate) fn spawn_intake(pool: sqlx::Pool<$db>, workers: usize, policy: PolicyCell) -> tokio::sync::mpsc::Sender<IntakeJob> {
            let (tx, rx) = tokio::sync::mpsc::channel::<IntakeJob>(4 * GROUP_MAX);
            let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
            for _ in 0..workers.max(1) {
            let (rx, pool, policy) = (rx.clone(), pool.clone(), policy.clone());
            tokio::spawn(async move {
                loop {
                    let mut group = {
                        let mut rx = rx.lock().await;
                        let Some(first) = rx.recv().await else { break };
                        let mut group = vec![first];
                        while group.len() < GROUP_MAX {
                            match rx.try_recv() {
                                Ok(job) => group.push(job),
                                Err(_) => break,
                            }
                        }
                        group
                    };
                    let reqs: Vec<&CreateCase> = group.iter().map(|j| &j.req).collect();
                    let policy = policy.get();
                    match create_group(&pool, &policy, &reqs).await {
                        Ok(results) => {
                            for (job, r) in group.into_iter().zip(results) {
                                let _ = job.reply.send(Ok(r));
                            }
                        }
                        Err(_) if group.len() > 1 => {
                            for job in group {
                                let r = create_group(&pool, &policy, &[&job.req]).await.map(|mut v| v.remove(0));
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

        #[async_trait::async_trait]
        impl Store for $ty {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn migrate(&self) -> Result<()> {
                Self::migrator().run(&self.write).await?;
                Ok(())
            }

            async fn optimize(&self) -> Result<()> {
                // Without statistics SQLite takes the scope's range on `area` for selective and
                // sorts every matching row for "newest first"; with them it walks the id index.
                sqlx::query("ANALYZE").execute(&self.write).await?;
                Ok(())
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.read).await?;
                Ok(())
            }

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
                    let mut b = QueryBuilder::<$db>::new("INSERT INTO areas (code, name, level, parent) ");
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
                let rows = sqlx::query("SELECT id, name, name_en, area, categories FROM departments ORDER BY id")
                    .fetch_all(&self.read)
                    .await?;
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

            async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User> {
                let id = Uuid::now_v7().to_string();
                let res = sqlx::query(
                    "INSERT INTO users (id, username, display_name, password_hash, role, scope, department_id, created_at)
                     VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                )
                .bind(&id)
                .bind(&u.username)
                .bind(&u.display_name)
                .bind(&u.password_hash)
                .bind(u.role.as_str())
                .bind(u.scope.as_str())
                .bind(u.department.as_deref())
                .bind(micros(now))
                .execute(&self.write)
                .await;
                match res {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::Duplicate { field: "username".into(), value: u.username })
                    }
                    other => other?,
                };
                Ok(User { id, username: u.username, display_name: u.display_name, role: u.role, scope: u.scope, department: u.department })
            }

            async fn users(&self) -> Result<Vec<User>> {
                let rows = sqlx::query("SELECT id, username, display_name, role, scope, department_id FROM users ORDER BY username")
                    .fetch_all(&self.read)
                    .await?;
                rows.iter().map(user_from_row).collect()
            }

            async fn update_user(&self, u: &User, password_hash: Option<&str>) -> Result<()> {
                let res = sqlx::query(
                    "UPDATE users SET display_name = $2, role = $3, scope = $4, department_id = $5,
                        password_hash = COALESCE($6, password_hash),
                        failed_logins = CASE WHEN $6 IS NULL THEN failed_logins ELSE 0 END,
                        locked_until = CASE WHEN $6 IS NULL THEN locked_until ELSE NULL END
                     WHERE id = $1",
                )
                .bind(&u.id)
                .bind(&u.display_name)
                .bind(u.role.as_str())
                .bind(u.scope.as_str())
                .bind(u.department.as_deref())
                .bind(password_hash)
                .execute(&self.write)
                .await?;
                if res.rows_affected() == 0 {
                    return Err(StoreError::NotFound("user".into()));
                }
                Ok(())
            }

            async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
                // Read from the writer so a lockout just recorded is seen at once.
                let row = sqlx::query(
                    "SELECT id, username, display_name, role, scope, department_id, password_hash, failed_logins, locked_until
                     FROM users WHERE username = $1",
                )
                .bind(username)
                .fetch_optional(&self.write)
                .await?;
                row.map(|r| {
                    Ok(Credentials {
                        user: user_from_row(&r)?,
                        password_hash: r.try_get("password_hash")?,
                        failed_logins: r.try_get("failed_logins")?,
                        locked_until: r.try_get::<Option<i64>, _>("locked_until")?.map(from_micros),
                    })
                })
                .transpose()
            }

            async fn login_failed(&self, user_id: &str, max_failures: i64, lock_until: DateTime<Utc>, now: DateTime<Utc>) -> Result<i64> {
                let n: i64 = sqlx::query_scalar(
                    "UPDATE users SET
                        failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN 1 ELSE failed_logins + 1 END,
                        locked_until = CASE
                            WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN NULL
                            WHEN failed_logins + 1 >= $2 THEN $3
                            ELSE locked_until END
                     WHERE id = $1 RETURNING failed_logins",
                )
                .bind(user_id)
                .bind(max_failures)
                .bind(micros(lock_until))
                .bind(micros(now))
                .fetch_one(&self.write)
                .await?;
                Ok(n)
            }

            async fn login_succeeded(&self, user_id: &str) -> Result<()> {
                sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                    .bind(user_id)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn create_session(&self, token_hash: &str, user_id: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(micros(now))
                    .bind(micros(expires))
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
                let row = sqlx::query(
                    "SELECT u.id, u.username, u.display_name, u.role, u.scope, u.department_id
                     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
                )
                .bind(token_hash)
                .bind(micros(now))
                .fetch_optional(&self.read)
                .await?;
                row.as_ref().map(user_from_row).transpose()
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                // A session is not a case: ending one removes it, as a logout should.
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.write).await?;
                Ok(())
            }

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
                    civicgrid_domain::EventKind::Handled { attachments, .. }
                    | civicgrid_domain::EventKind::ClosedOnSpot { attachments, .. } => link_refs(&mut tx, case.id, attachments).await?,
                    _ => {}
                }
                update_projection(&mut tx, &case, Some(expected)).await?;
                let logged: Vec<(&Case, &CaseEvent)> = events.iter().map(|e| (&case, e)).collect();
                append_events(&mut tx, &logged, true).await?;
                let timers_after = policy.timers(&case);
                if timers_after != timers_before {
                    reset_timers(&mut tx, case.id, &timers_after).await?;
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
                let limit = q.limit.clamp(1, 500) as i64;
                let mut b = QueryBuilder::<$db>::new("SELECT data FROM cases WHERE 1=1");
                push_filters(&mut b, q, true);
                let after = q.after.map(|a| a.to_string());
                if let Some(a) = &after {
                    b.push(" AND id < ").push_bind(a.as_str());
                }
                b.push(" ORDER BY id DESC LIMIT ").push_bind(limit + 1);
                let rows = b.build().fetch_all(&self.read).await?;
                let mut items = rows.iter().map(|r| case_from_json(&r.try_get::<String, _>("data")?)).collect::<Result<Vec<_>>>()?;
                let next = if items.len() as i64 > limit {
                    items.truncate(limit as usize);
                    items.last().map(|c| c.id)
                } else {
                    None
                };
                Ok(CasePage { items, next })
            }

            async fn count_by_state(&self, q: &CaseQuery) -> Result<Vec<(CaseState, u64)>> {
                let mut b = QueryBuilder::<$db>::new("SELECT state, COUNT(*) AS n FROM cases WHERE 1=1");
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

            async fn count_by_card(&self, q: &CaseQuery, now: DateTime<Utc>) -> Result<(u64, u64)> {
                let mut b = QueryBuilder::<$db>::new("SELECT COALESCE(SUM(CASE WHEN due_at <= ");
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
                let mut b = QueryBuilder::<$db>::new("SELECT case_id, payload FROM case_events WHERE case_id IN (");
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

            async fn count_by_grid(&self, q: &CaseQuery) -> Result<Vec<(String, u64)>> {
                let mut b = QueryBuilder::<$db>::new("SELECT grid, COUNT(*) AS n FROM cases WHERE grid IS NOT NULL");
                push_filters(&mut b, q, true);
                b.push(" GROUP BY grid ORDER BY grid");
                let rows = b.build().fetch_all(&self.read).await?;
                rows.iter().map(|r| Ok((r.try_get("grid")?, r.try_get::<i64, _>("n")? as u64))).collect()
            }

            async fn rebuild_projections(&self) -> Result<RebuildReport> {
                let mut report = RebuildReport::default();
                let mut tx = self.begin_write().await?;
                let ids: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT case_id FROM case_events ORDER BY case_id").fetch_all(&mut *tx).await?;
                for (id,) in ids {
                    let rows = sqlx::query("SELECT payload FROM case_events WHERE case_id = $1 ORDER BY seq")
                        .bind(&id)
                        .fetch_all(&mut *tx)
                        .await?;
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
                sqlx::query("INSERT INTO pii_access_log (user_id, case_id, field, at) VALUES ($1,$2,$3,$4)")
                    .bind(user_id)
                    .bind(case_id.to_string())
                    .bind(field)
                    .bind(micros(now))
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

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

            async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let rows: Vec<&Case> = cases.iter().map(|(c, _)| c).collect();
                insert_projections(&mut tx, &rows).await?;
                let events: Vec<(&Case, &CaseEvent)> = cases.iter().flat_map(|(c, es)| es.iter().map(move |e| (c, e))).collect();
                append_events(&mut tx, &events, false).await?;
                // Imported history is history: only timers still ahead are set.
                let now = Utc::now();
                let policy = self.policy.get();
                let timers: Vec<(Uuid, civicgrid_domain::TimerSpec)> = cases
                    .iter()
                    .flat_map(|(c, _)| policy.timers(c).into_iter().filter(|t| t.at > now).map(move |t| (c.id, t)))
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
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::Duplicate { field: "api_key".into(), value: "(hidden)".into() })
                    }
                    other => other?,
                };
                Ok(ApiKey { id, client: k.client.clone(), channel: k.channel, area: k.area.clone(), created_at: from_micros(micros(now)), revoked_at: None })
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
                let rows = sqlx::query("SELECT id, client, channel, area, created_at, revoked_at FROM api_keys ORDER BY id")
                    .fetch_all(&self.read)
                    .await?;
                rows.iter().map(api_key_from_row).collect()
            }

            async fn revoke_api_keys(&self, sel: &KeySelector, now: DateTime<Utc>) -> Result<u64> {
                let mut b = QueryBuilder::<$db>::new("UPDATE api_keys SET revoked_at = ");
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
                         FROM grids WHERE code = $1{}", $lock
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
                    let mut b = QueryBuilder::<$db>::new(
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
                    added += b.build().execute(&mut *tx).await.map_err(|e| match e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => {
                            let dup = chunk.iter().map(|a| a.full_text.clone()).next().unwrap_or_default();
                            StoreError::Duplicate { field: "address".into(), value: format!("{dup}…: a standard address in this batch is already in the library") }
                        }
                        other => other.into(),
                    })?.rows_affected();
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
                let area = |r: &<$db as sqlx::Database>::Row, col: &str| -> Result<Option<AreaCode>> {
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

            async fn add_patrol(&self, e: &civicgrid_domain::PatrolEntry) -> Result<()> {
                sqlx::query(
                    "INSERT INTO patrol_logs (id, user_id, username, kind, area, grid, lon, lat, note, at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&e.id)
                .bind(&e.user_id)
                .bind(&e.username)
                .bind(e.kind.as_str())
                .bind(e.area.as_str())
                .bind(e.grid.as_ref().map(|g| g.as_str().to_string()))
                .bind(e.location.map(|l| l.lon))
                .bind(e.location.map(|l| l.lat))
                .bind(&e.note)
                .bind(micros(e.at))
                .execute(&self.write)
                .await?;
                Ok(())
            }

            async fn patrols(&self, area: &AreaCode, user_id: Option<&str>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<civicgrid_domain::PatrolEntry>> {
                let rows = sqlx::query(
                    "SELECT id, user_id, username, kind, area, grid, lon, lat, note, at FROM patrol_logs
                     WHERE area >= $1 AND area < $2 AND ($3 = '' OR user_id = $3) AND at >= $4 AND at < $5
                     ORDER BY at, id",
                )
                .bind(area.as_str())
                .bind(prefix_end(area.as_str()))
                .bind(user_id.unwrap_or(""))
                .bind(micros(from))
                .bind(micros(to))
                .fetch_all(&self.read)
                .await?;
                let corrupt = |e: DomainError| StoreError::Corrupt(e.to_string());
                rows.iter()
                    .map(|r| {
                        let kind: String = r.try_get("kind")?;
                        let area: String = r.try_get("area")?;
                        let (lon, lat): (Option<f64>, Option<f64>) = (r.try_get("lon")?, r.try_get("lat")?);
                        Ok(civicgrid_domain::PatrolEntry {
                            id: r.try_get("id")?,
                            user_id: r.try_get("user_id")?,
                            username: r.try_get("username")?,
                            kind: kind.parse().map_err(corrupt)?,
                            area: AreaCode::parse(&area).map_err(corrupt)?,
                            grid: r.try_get::<Option<String>, _>("grid")?.map(|g| GridCode::parse(&g)).transpose().map_err(corrupt)?,
                            location: match (lon, lat) {
                                (Some(lon), Some(lat)) => Some(civicgrid_domain::Location { lon, lat }),
                                _ => None,
                            },
                            note: r.try_get("note")?,
                            at: from_micros(r.try_get("at")?),
                        })
                    })
                    .collect()
            }
        }

        fn grid_from_row(r: &<$db as sqlx::Database>::Row) -> Result<StoredGrid> {
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

        fn api_key_from_row(r: &<$db as sqlx::Database>::Row) -> Result<ApiKey> {
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
    };
}

pub(crate) use impl_store;
