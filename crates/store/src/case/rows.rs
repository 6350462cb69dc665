//! How a case is kept in rows: JSON of the domain types, the projection's derived columns, and
//! the summary each event leaves in the outbox.

use civicgrid_domain::{Assignee, Case, CaseEvent};

use crate::{Result, StoreError};

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

/// What a keyword search of the list reads: title, description and address, lower case (the
/// projection's `search_text`; migration 0011 computes the same for older rows).
pub(crate) fn search_text(c: &Case) -> String {
    let r = &c.report;
    format!("{} {} {}", r.title, r.description, r.address.as_deref().unwrap_or("")).to_lowercase()
}

/// The projection's `phone_index`: the blind index of the reporter's phone, `""` for a case
/// reported without one, `NULL` for one reported before phones were indexed (the server indexes
/// those at start, see `CaseStore::index_phones`).
pub(crate) fn phone_index(c: &Case) -> Option<&str> {
    match (&c.report.reporter_phone_index, &c.report.reporter_phone_enc) {
        (Some(i), _) => Some(i),
        (None, None) => Some(""),
        (None, Some(_)) => None,
    }
}

/// What the case waits for from its centre (the projection's `awaiting`): a return to review,
/// then an extension, then a suspension to decide.
pub(crate) fn awaiting(c: &Case) -> Option<&'static str> {
    if c.state == civicgrid_domain::CaseState::Returned && c.returned_from.is_some() {
        Some(crate::case::Awaiting::Review.as_str())
    } else if c.pending_extension.is_some() {
        Some(crate::case::Awaiting::Extension.as_str())
    } else if c.pending_suspension.is_some() {
        Some(crate::case::Awaiting::Suspension.as_str())
    } else {
        None
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
