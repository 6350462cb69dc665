//! The transitions a user can ask for ([`Action`]), their payloads ([`Command`]), and deciding a
//! command into the event it produces ([`Case::decide`], [`Case::execute`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use super::access::forbidden;
use super::report::validate_attachments;
use super::{Assignee, Case, CaseCode, CaseEvent, CaseState, EventKind, Location, Priority, Rating};
use crate::location::Placed;
use crate::text::{bounded, limits};
use crate::{Actor, AreaCode, AreaLevel, CategoryCode, DomainError, GridCode};

string_enum!(
    /// The transitions a user can ask for, one per `POST /cases/{id}/actions/{action}`.
    Action, "action" {
        /// Accept a reported case.
        Accept = "accept",
        /// Refuse a reported case, with a reason.
        Reject = "reject",
        /// Send to a department or a lower level.
        Dispatch = "dispatch",
        /// Take a dispatched case into work.
        Claim = "claim",
        /// Send a wrong dispatch back.
        Return = "return",
        /// Review a return (退单审核): accept it as a wrong dispatch, or send the case back.
        ReviewReturn = "review_return",
        /// Ask for more time.
        RequestExtension = "request_extension",
        /// Grant or refuse a pending extension.
        DecideExtension = "decide_extension",
        /// Report the work done, with feedback.
        Handle = "handle",
        /// Check the work: pass closes, fail reopens to the same handler.
        Verify = "verify",
        /// Rate a closed case.
        Rate = "rate",
        /// Raise to the level above (吹哨报到).
        Escalate = "escalate",
        /// Put under supervision (督办).
        Supervise = "supervise",
        /// Merge into another case as a duplicate.
        Merge = "merge",
        /// Suspend work (the centre, which approves suspensions).
        Suspend = "suspend",
        /// Ask the centre to suspend work (申请挂起).
        RequestSuspension = "request_suspension",
        /// Grant (suspending the case) or refuse a pending suspension.
        DecideSuspension = "decide_suspension",
        /// Resume suspended work.
        Resume = "resume",
        /// Close on the spot with evidence (即报即办).
        CloseOnSpot = "close_on_spot",
        /// Leader's instruction (批示).
        Instruct = "instruct",
        /// Reopen after an unsatisfied rating (重办).
        Reopen = "reopen",
        /// Place or confirm where the case is (area, grid, point), by a dispatcher.
        Locate = "locate",
        /// Correct the category and priority (改类): the running time limit is counted again.
        Reclassify = "reclassify",
        /// Take back a dispatch not yet claimed (撤回派遣), to dispatch it again.
        Recall = "recall",
        /// Set the running step's deadline, with a reason (调整时限).
        SetDeadline = "set_deadline",
    }
);

/// Where a dispatch sends the case, as the store resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DispatchTarget {
    /// A department, with the area it is attached to.
    Department {
        /// Department id.
        id: String,
        /// The area the department serves.
        area: AreaCode,
    },
    /// A lower level of the area tree.
    Area(AreaCode),
}

/// A command on an existing case: the payload of one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// See [`Action::Accept`].
    Accept { note: Option<String> },
    /// See [`Action::Reject`].
    Reject { reason: String },
    /// See [`Action::Dispatch`].
    Dispatch { to: DispatchTarget, instructions: Option<String> },
    /// See [`Action::Claim`].
    Claim,
    /// See [`Action::Return`].
    Return { reason: String },
    /// See [`Action::ReviewReturn`].
    ReviewReturn { accepted: bool, comment: Option<String> },
    /// See [`Action::RequestExtension`].
    RequestExtension { until: DateTime<Utc>, reason: String },
    /// See [`Action::DecideExtension`].
    DecideExtension { granted: bool, reason: Option<String> },
    /// See [`Action::Handle`].
    Handle { feedback: String, attachments: Vec<String> },
    /// See [`Action::Verify`].
    Verify { passed: bool, comment: Option<String> },
    /// See [`Action::Rate`].
    Rate { rating: Rating, comment: Option<String> },
    /// See [`Action::Escalate`].
    Escalate { reason: String },
    /// See [`Action::Supervise`].
    Supervise { instruction: String },
    /// See [`Action::Merge`].
    Merge { into: Uuid, into_code: CaseCode },
    /// See [`Action::Suspend`].
    Suspend { reason: String },
    /// See [`Action::RequestSuspension`].
    RequestSuspension { reason: String },
    /// See [`Action::DecideSuspension`].
    DecideSuspension { granted: bool, reason: Option<String> },
    /// See [`Action::Resume`].
    Resume { note: Option<String> },
    /// See [`Action::CloseOnSpot`].
    CloseOnSpot { evidence: String, attachments: Vec<String> },
    /// See [`Action::Instruct`].
    Instruct { note: String },
    /// See [`Action::Reopen`].
    Reopen { reason: String },
    /// See [`Action::Locate`]. The store has checked that the grid belongs to the area.
    Locate { area: AreaCode, grid: Option<GridCode>, location: Option<Location>, note: Option<String> },
    /// See [`Action::Reclassify`]. The server has checked that the category exists.
    Reclassify { category: CategoryCode, priority: Priority, reason: String },
    /// See [`Action::Recall`].
    Recall { reason: String },
    /// See [`Action::SetDeadline`].
    SetDeadline { until: DateTime<Utc>, reason: String },
}

impl Command {
    /// The action this command performs.
    pub fn action(&self) -> Action {
        match self {
            Command::Accept { .. } => Action::Accept,
            Command::Reject { .. } => Action::Reject,
            Command::Dispatch { .. } => Action::Dispatch,
            Command::Claim => Action::Claim,
            Command::Return { .. } => Action::Return,
            Command::ReviewReturn { .. } => Action::ReviewReturn,
            Command::RequestExtension { .. } => Action::RequestExtension,
            Command::DecideExtension { .. } => Action::DecideExtension,
            Command::Handle { .. } => Action::Handle,
            Command::Verify { .. } => Action::Verify,
            Command::Rate { .. } => Action::Rate,
            Command::Escalate { .. } => Action::Escalate,
            Command::Supervise { .. } => Action::Supervise,
            Command::Merge { .. } => Action::Merge,
            Command::Suspend { .. } => Action::Suspend,
            Command::RequestSuspension { .. } => Action::RequestSuspension,
            Command::DecideSuspension { .. } => Action::DecideSuspension,
            Command::Resume { .. } => Action::Resume,
            Command::CloseOnSpot { .. } => Action::CloseOnSpot,
            Command::Instruct { .. } => Action::Instruct,
            Command::Reopen { .. } => Action::Reopen,
            Command::Locate { .. } => Action::Locate,
            Command::Reclassify { .. } => Action::Reclassify,
            Command::Recall { .. } => Action::Recall,
            Command::SetDeadline { .. } => Action::SetDeadline,
        }
    }
}

fn note(field: &str, v: &str) -> Result<String, DomainError> {
    bounded(field, v, limits::NOTE, true)
}

fn opt_note(field: &str, v: Option<String>) -> Result<Option<String>, DomainError> {
    match v {
        Some(s) if !s.trim().is_empty() => Ok(Some(note(field, &s)?)),
        _ => Ok(None),
    }
}

impl Case {
    /// Decides a command: checks it and answers the event it produces. The case is unchanged;
    /// apply the event to move it.
    pub fn decide(&self, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<CaseEvent, DomainError> {
        let action = cmd.action();
        self.permits(actor, action)?;
        let kind = match cmd {
            Command::Accept { note } => EventKind::Accepted { note: opt_note("note", note)? },
            Command::Reject { reason } => EventKind::Rejected { reason: note("reason", &reason)? },
            Command::Dispatch { to, instructions } => {
                let owner_area = if self.state == CaseState::Dispatched {
                    match &self.assignee {
                        Some(Assignee::Area { code }) => code.clone(),
                        _ => self.owner_area.clone(),
                    }
                } else {
                    self.owner_area.clone()
                };
                let Actor::User { scope, .. } = actor else { return Err(forbidden(action)) };
                let to = match to {
                    DispatchTarget::Department { id, area } => {
                        if !area.contains(self.area()) {
                            return Err(DomainError::invalid(
                                "department",
                                format!("department `{id}` does not serve area {}", self.area()),
                            ));
                        }
                        if !scope.contains(&area) {
                            return Err(DomainError::invalid(
                                "department",
                                format!("department `{id}` sits above your level; escalate instead"),
                            ));
                        }
                        Assignee::Department { id }
                    }
                    DispatchTarget::Area(code) => {
                        if code == owner_area || !owner_area.contains(&code) || !code.contains(self.area()) {
                            return Err(DomainError::invalid(
                                "area",
                                format!("{code} is not a level below {owner_area} on the way to {}", self.area()),
                            ));
                        }
                        Assignee::Area { code }
                    }
                };
                EventKind::Dispatched { to, owner_area, instructions: opt_note("instructions", instructions)? }
            }
            Command::Claim => EventKind::Claimed,
            Command::Return { reason } => EventKind::Returned { reason: note("reason", &reason)? },
            Command::ReviewReturn { accepted, comment } => {
                let comment = opt_note("comment", comment)?;
                if !accepted && comment.is_none() {
                    return Err(DomainError::invalid("comment", "say why the return is refused"));
                }
                EventKind::ReturnReviewed { accepted, comment }
            }
            Command::RequestExtension { until, reason } => {
                if until <= now {
                    return Err(DomainError::invalid("until", "the new deadline must be in the future"));
                }
                EventKind::ExtensionRequested { until, reason: note("reason", &reason)? }
            }
            Command::DecideExtension { granted, reason } => {
                let until = self.pending_extension.as_ref().map(|p| p.until).expect("checked by permits");
                EventKind::ExtensionDecided { granted, until, reason: opt_note("reason", reason)? }
            }
            Command::Handle { feedback, attachments } => EventKind::Handled {
                feedback: bounded("feedback", &feedback, limits::DESCRIPTION, true)?,
                attachments: validate_attachments(attachments)?,
            },
            Command::Verify { passed, comment } => {
                let comment = opt_note("comment", comment)?;
                if !passed && comment.is_none() {
                    return Err(DomainError::invalid("comment", "say why the verification failed"));
                }
                EventKind::Verified { passed, comment }
            }
            Command::Rate { rating, comment } => EventKind::Rated { rating, comment: opt_note("comment", comment)? },
            Command::Escalate { reason } => {
                let to = match self.owner_area.level() {
                    AreaLevel::Village | AreaLevel::Town | AreaLevel::County => self.owner_area.parent().expect("has a parent"),
                    _ => {
                        return Err(DomainError::invalid(
                            "action",
                            format!("{} is the top level; there is no level above", self.owner_area),
                        ))
                    }
                };
                EventKind::Escalated { from: self.owner_area.clone(), to, reason: note("reason", &reason)? }
            }
            Command::Supervise { instruction } => EventKind::Supervised { instruction: note("instruction", &instruction)? },
            Command::Merge { into, into_code } => {
                if into == self.id {
                    return Err(DomainError::invalid("into", "a case cannot be merged into itself"));
                }
                EventKind::Merged { into, into_code }
            }
            Command::Suspend { reason } => EventKind::Suspended { reason: note("reason", &reason)? },
            Command::RequestSuspension { reason } => EventKind::SuspensionRequested { reason: note("reason", &reason)? },
            Command::DecideSuspension { granted, reason } => EventKind::SuspensionDecided { granted, reason: opt_note("reason", reason)? },
            Command::Resume { note: n } => EventKind::Resumed { note: opt_note("note", n)? },
            Command::CloseOnSpot { evidence, attachments } => EventKind::ClosedOnSpot {
                evidence: bounded("evidence", &evidence, limits::DESCRIPTION, true)?,
                attachments: validate_attachments(attachments)?,
            },
            Command::Instruct { note: n } => EventKind::Instructed { note: note("note", &n)? },
            Command::Reopen { reason } => EventKind::Reopened { reason: note("reason", &reason)? },
            Command::Locate { area, grid, location, note: n } => {
                let Actor::User { scope, .. } = actor else { return Err(forbidden(action)) };
                if !scope.contains(&area) {
                    return Err(DomainError::invalid("area", format!("{area} is outside your area {scope}")));
                }
                if let Some(g) = &grid {
                    if !area.contains(&g.community()) {
                        return Err(DomainError::invalid("grid", format!("grid {} is not under area {area}", g.as_str())));
                    }
                }
                EventKind::Located { placed: Placed { area, grid, location }, note: opt_note("note", n)? }
            }
            Command::Reclassify { category, priority, reason } => {
                if category == self.report.category && priority == self.report.priority {
                    return Err(DomainError::invalid("category", "the case already has this category and priority"));
                }
                EventKind::Reclassified {
                    from: self.report.category.clone(),
                    from_priority: self.report.priority,
                    category,
                    priority,
                    reason: note("reason", &reason)?,
                }
            }
            Command::Recall { reason } => EventKind::Recalled { reason: note("reason", &reason)? },
            Command::SetDeadline { until, reason } => {
                if until <= now {
                    return Err(DomainError::invalid("until", "the new deadline must be in the future"));
                }
                let step = self.deadline.as_ref().map(|d| d.step).expect("checked by permits");
                EventKind::DeadlineSet { step, until, reason: note("reason", &reason)? }
            }
        };
        Ok(CaseEvent { case_id: self.id, seq: self.version + 1, at: now, actor: actor.to_ref(), kind, deadline: None })
    }

    /// Decides and applies a command, answering the event to store.
    pub fn execute(&mut self, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<CaseEvent, DomainError> {
        let event = self.decide(actor, cmd, now)?;
        self.apply(&event);
        Ok(event)
    }
}
