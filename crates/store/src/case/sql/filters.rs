//! The filters of a case list, appended to a query.
//!
//! Part of `case/sql`, which each backend mounts: `super::super` is the backend.

use super::super::Db;
use crate::case::CaseQuery;
use crate::kit::first_v7_of;
use crate::kit::{micros, prefix_end};
use civicgrid_domain::Visibility;
use sqlx::QueryBuilder;

/// `%text%` with LIKE's own characters taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Appends the filters of `q` (all but the cursor and states when `with_states` is false).
pub(crate) fn push_filters<'a>(b: &mut QueryBuilder<'a, Db>, q: &'a CaseQuery, with_states: bool) {
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
    if let Some(p) = &q.phone_index {
        b.push(" AND phone_index = ").push_bind(p.as_str());
    }
    if let Some(t) = &q.text {
        b.push(" AND search_text LIKE ").push_bind(like_pattern(t)).push(" ESCAPE '\\'");
    }
    match q.awaiting {
        Some(crate::case::AwaitingFilter::Any) => {
            b.push(" AND awaiting IS NOT NULL");
        }
        Some(crate::case::AwaitingFilter::Only(a)) => {
            b.push(" AND awaiting = ").push_bind(a.as_str());
        }
        None => {}
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
