//! A case list, walked as `case/plan.rs` decides: each stream one ordered index range, stopped
//! after a page, or after a window of rows when a residual filter is rare.
//!
//! Part of `case/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Backend, Db};
use super::filters::push_filters;
use crate::case::plan::{plan, Driver, ListPlan, ROUNDS, WINDOW};
use crate::case::rows::case_from_json;
use crate::case::{CasePage, CaseQuery};
use crate::kit::{first_v7_of, micros};
use crate::Result;
use civicgrid_domain::{Case, CaseState};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

/// The columns a residual filter reads, carried out of the window (the case itself is read only
/// for the rows that pass).
const WINDOW_COLUMNS: &str =
    "id, state, category, channel, supervised, area, grid, department_id, reporter_user_id, created_at, warn_at, due_at, phone_index, search_text, awaiting";

/// One page of `q`: up to `q.limit` cases, newest first, and the cursor to go on from. A rare
/// residual filter can answer a short page (even an empty one) with a cursor: the walk stopped
/// after [`ROUNDS`] windows rather than read the whole history.
pub(super) async fn list(db: &Backend, q: &CaseQuery) -> Result<CasePage> {
    let Some(plan) = plan(q) else { return Ok(CasePage { items: vec![], next: None }) };
    let limit = q.limit.clamp(1, 500) as usize;
    let rounds = if plan.residual { ROUNDS } else { 1 };
    let mut items = Vec::with_capacity(limit);
    let mut after = q.after;
    for _ in 0..rounds {
        let (page, next) = walk(db, &plan, q, after, limit - items.len()).await?;
        items.extend(page);
        if items.len() == limit || next.is_none() {
            return Ok(CasePage { items, next });
        }
        after = next;
    }
    Ok(CasePage { items, next: after })
}

/// Up to `want` cases below `after`, merged from the plan's streams, and the cursor below which
/// nothing has been examined yet.
async fn walk(db: &Backend, plan: &ListPlan, q: &CaseQuery, after: Option<Uuid>, want: usize) -> Result<(Vec<Case>, Option<Uuid>)> {
    let take = want as i64 + 1;
    let mut found: Vec<Case> = Vec::new();
    // How far down each stream is known: the lowest id it answered if it filled its page, the
    // end of its window if the window ran out first; `None` once it has nothing more.
    let mut known_to: Option<Uuid> = None;
    for state in &plan.streams {
        let rows = stream(db, plan, *state, q, after, take).await?;
        let reached = if rows.len() as i64 == take {
            rows.last().map(|c| c.id)
        } else if plan.residual {
            window_end(db, plan, *state, q, after).await?
        } else {
            None
        };
        known_to = known_to.max(reached);
        found.extend(rows);
    }
    if let Some(bound) = known_to {
        found.retain(|c| c.id >= bound);
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.id));
    if found.len() > want {
        found.truncate(want);
        let next = found.last().map(|c| c.id);
        return Ok((found, next));
    }
    Ok((found, known_to))
}

/// The database's plan of each stream's statement for the first page of `q`.
pub(super) async fn explain(db: &Backend, q: &CaseQuery) -> Result<Vec<String>> {
    let Some(plan) = plan(q) else { return Ok(vec![]) };
    let mut out = Vec::new();
    for state in &plan.streams {
        let mut b = QueryBuilder::<Db>::new(explain!());
        push_stream(&mut b, &plan, *state, q, q.after, q.limit as i64 + 1);
        let rows = b.build().fetch_all(&db.read).await?;
        let lines: Vec<String> =
            rows.iter().filter_map(|r| r.try_get::<String, _>("detail").or_else(|_| r.try_get("QUERY PLAN")).ok()).collect();
        out.push(lines.join("\n"));
    }
    Ok(out)
}

/// The newest `take` cases of one stream below `after` that pass every filter.
async fn stream(
    db: &Backend,
    plan: &ListPlan,
    state: Option<CaseState>,
    q: &CaseQuery,
    after: Option<Uuid>,
    take: i64,
) -> Result<Vec<Case>> {
    let mut b = QueryBuilder::<Db>::new("");
    push_stream(&mut b, plan, state, q, after, take);
    let rows = b.build().fetch_all(&db.read).await?;
    rows.iter().map(|r| case_from_json(&r.try_get::<String, _>("data")?)).collect()
}

/// `SELECT id, data` of one stream: the walk itself, or, with a residual filter, the rows of
/// its window that pass every filter.
fn push_stream<'a>(
    b: &mut QueryBuilder<'a, Db>,
    plan: &ListPlan,
    state: Option<CaseState>,
    q: &'a CaseQuery,
    after: Option<Uuid>,
    take: i64,
) {
    if plan.residual {
        b.push("SELECT id, (SELECT data FROM cases c WHERE c.id = w.id) AS data FROM (");
        push_walk(b, plan, state, q, after, WINDOW_COLUMNS, window(q));
        b.push(") w WHERE 1=1");
        push_filters(b, q, true);
        b.push(window_order!()).push(" LIMIT ").push_bind(take);
    } else {
        push_walk(b, plan, state, q, after, "id, data", take);
    }
}

/// The rows one stream examines before a short page.
fn window(q: &CaseQuery) -> i64 {
    q.window.map_or(WINDOW, |w| w.max(1) as i64)
}

/// The last id of one stream's window, if the window is full (there may be more below it).
async fn window_end(db: &Backend, plan: &ListPlan, state: Option<CaseState>, q: &CaseQuery, after: Option<Uuid>) -> Result<Option<Uuid>> {
    let mut b = QueryBuilder::<Db>::new("");
    push_walk(&mut b, plan, state, q, after, "id", 1);
    b.push(" OFFSET ").push_bind(window(q) - 1);
    let row = b.build().fetch_optional(&db.read).await?;
    match row {
        Some(r) => Ok(Uuid::parse_str(&r.try_get::<String, _>("id")?).ok()),
        None => Ok(None),
    }
}

/// `SELECT columns` of one stream: the driver's index range below `after`, newest first, at most
/// `limit` rows. Only the driver's own columns are compared here, so that its index is the one
/// walked; the created range bounds `id`, the index's last column.
fn push_walk(
    b: &mut QueryBuilder<'_, Db>,
    plan: &ListPlan,
    state: Option<CaseState>,
    q: &CaseQuery,
    after: Option<Uuid>,
    columns: &str,
    limit: i64,
) {
    b.push("SELECT ").push(columns).push(" FROM cases").push(index_of(&plan.driver, state.is_some())).push(" WHERE ");
    match &plan.driver {
        Driver::Newest | Driver::State => b.push("1=1"),
        Driver::County(a) => b.push("substr(area, 1, 6) = ").push_bind(a.clone()),
        Driver::Town(a) => b.push("substr(area, 1, 9) = ").push_bind(a.clone()),
        Driver::Village(a) => b.push("area = ").push_bind(a.clone()),
        Driver::Department(d) => b.push("department_id = ").push_bind(d.clone()),
        Driver::Supervised => b.push("supervised = ").push_bind(true),
        Driver::Grid(g) => b.push("grid = ").push_bind(g.clone()),
        Driver::Reporter(r) => b.push("reporter_user_id = ").push_bind(r.clone()),
        Driver::Phone(p) => b.push("phone_index = ").push_bind(p.clone()),
        Driver::Awaiting(Some(a)) => b.push("awaiting = ").push_bind(*a),
        Driver::Awaiting(None) => b.push("awaiting IS NOT NULL"),
        Driver::Due => b.push("due_at IS NOT NULL"),
    };
    if let Some(s) = state {
        b.push(" AND state = ").push_bind(s.as_str());
    }
    if let Some(a) = after {
        b.push(" AND id < ").push_bind(a.to_string());
    }
    // `+ 0` keeps the created_at index out of the choice: the id bounds do the walking.
    if let Some(t) = q.created_from {
        b.push(" AND id >= ").push_bind(first_v7_of(t - chrono::Duration::milliseconds(1)));
        b.push(" AND created_at + 0 >= ").push_bind(micros(t));
    }
    if let Some(t) = q.created_to {
        b.push(" AND id < ").push_bind(first_v7_of(t + chrono::Duration::milliseconds(1)));
        b.push(" AND created_at + 0 < ").push_bind(micros(t));
    }
    b.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
}

/// The SQLite index hint of a driver (PostgreSQL is left only that index to choose).
fn index_of(driver: &Driver, by_state: bool) -> &'static str {
    match (driver, by_state) {
        (Driver::Newest, _) => indexed_by!("sqlite_autoindex_cases_1"),
        (Driver::State, _) => indexed_by!("cases_state"),
        (Driver::County(_), true) => indexed_by!("cases_county_state"),
        (Driver::County(_), false) => indexed_by!("cases_county"),
        (Driver::Town(_), true) => indexed_by!("cases_town_state"),
        (Driver::Town(_), false) => indexed_by!("cases_town"),
        (Driver::Village(_), true) => indexed_by!("cases_area_state"),
        (Driver::Village(_), false) => indexed_by!("cases_area"),
        (Driver::Department(_), true) => indexed_by!("cases_department_state"),
        (Driver::Department(_), false) => indexed_by!("cases_department"),
        (Driver::Supervised, _) => indexed_by!("cases_supervised"),
        (Driver::Grid(_), _) => indexed_by!("cases_grid"),
        (Driver::Reporter(_), _) => indexed_by!("cases_reporter"),
        (Driver::Phone(_), _) => indexed_by!("cases_phone"),
        (Driver::Awaiting(Some(_)), _) => indexed_by!("cases_awaiting"),
        (Driver::Awaiting(None), _) => indexed_by!("cases_awaiting_any"),
        (Driver::Due, _) => indexed_by!("cases_running"),
    }
}
