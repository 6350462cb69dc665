//! The access log of reads (issue 22 finding 21): which account read which record's content and
//! when — a case opened, its log, its photos, the reporter's phone, a page of a list — kept for
//! `access_log_days` (at least six months, as MLPS level 3 asks). The public's reads (tracking by
//! code) show no content and are not logged.

use chrono::Utc;
use civicgrid_domain::User;
use civicgrid_store::{AccessEntry, Subject};

use super::error::ApiError;
use crate::AppState;

/// Logs that `user` (if signed in) read `what` of `subject`.
pub(crate) async fn read(app: &AppState, user: Option<&User>, subject: &Subject, what: &str) -> Result<(), ApiError> {
    let Some(u) = user else { return Ok(()) };
    let entry = AccessEntry {
        user_id: u.id.clone(),
        subject_kind: subject.kind.clone(),
        subject_id: subject.id.to_string(),
        field: what.into(),
        at: Utc::now(),
    };
    Ok(app.store.log_access(&[entry]).await?)
}

/// Logs that `user` read a page of the `kind` list asked with `query` (up to 500 characters of it).
pub(crate) async fn listed(app: &AppState, user: &User, kind: &str, query: &str) -> Result<(), ApiError> {
    let field: String = query.chars().take(500).collect();
    let entry =
        AccessEntry { user_id: user.id.clone(), subject_kind: format!("{kind}_list"), subject_id: String::new(), field, at: Utc::now() };
    Ok(app.store.log_access(&[entry]).await?)
}
