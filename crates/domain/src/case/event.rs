//! What happened to a case: the event types ([`EventKind`]) and one entry of its log
//! ([`CaseEvent`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Assignee, CaseCode, NewCase, Priority, Rating};
use crate::location::Placed;
use crate::timelimit::{Step, StepDeadline};
use crate::{ActorRef, AreaCode, CategoryCode};

/// What happened to a case. Serialised with a `type` tag into the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The case was reported.
    Reported {
        /// The tracking code given to the case.
        code: CaseCode,
        /// The report.
        #[serde(flatten)]
        case: NewCase,
        /// The centre first responsible.
        owner_area: AreaCode,
        /// Reporter's user id, if signed in.
        reporter_user_id: Option<String>,
    },
    /// Accepted by a centre.
    Accepted { note: Option<String> },
    /// Rejected as not a matter for the platform.
    Rejected { reason: String },
    /// Dispatched.
    Dispatched {
        /// To whom.
        to: Assignee,
        /// The centre that dispatched it (changes when a lower level re-dispatches).
        owner_area: AreaCode,
        /// Instructions for the handler.
        instructions: Option<String>,
    },
    /// Claimed by a handler.
    Claimed,
    /// Returned as a wrong dispatch.
    Returned { reason: String },
    /// The centre reviewed a return: accepted (a wrong dispatch) or refused (the case goes back
    /// to whom it was with, its deadline still running).
    ReturnReviewed { accepted: bool, comment: Option<String> },
    /// More time asked for.
    ExtensionRequested { until: DateTime<Utc>, reason: String },
    /// Extension granted or refused.
    ExtensionDecided { granted: bool, until: DateTime<Utc>, reason: Option<String> },
    /// Work reported done.
    Handled { feedback: String, attachments: Vec<String> },
    /// Verification result.
    Verified { passed: bool, comment: Option<String> },
    /// The reporter's rating.
    Rated { rating: Rating, comment: Option<String> },
    /// Raised to the level above.
    Escalated { from: AreaCode, to: AreaCode, reason: String },
    /// Put under supervision.
    Supervised { instruction: String },
    /// Merged into another case.
    Merged { into: Uuid, into_code: CaseCode },
    /// Suspended.
    Suspended { reason: String },
    /// The handler asked for a suspension.
    SuspensionRequested { reason: String },
    /// A requested suspension granted (the case is suspended) or refused.
    SuspensionDecided { granted: bool, reason: Option<String> },
    /// Resumed.
    Resumed { note: Option<String> },
    /// Closed on the spot by a grid worker.
    ClosedOnSpot { evidence: String, attachments: Vec<String> },
    /// A leader's instruction.
    Instructed { note: String },
    /// Reopened after an unsatisfied rating.
    Reopened { reason: String },
    /// A step's warning time passed (a timer fired).
    DeadlineWarned { step: Step, due: DateTime<Utc> },
    /// A step's deadline passed (a timer fired).
    Overdue { step: Step, due: DateTime<Utc> },
    /// The category or priority was corrected; the running step's time limit is counted again.
    Reclassified {
        /// The category before.
        from: CategoryCode,
        /// The priority before.
        from_priority: Priority,
        /// The category now.
        category: CategoryCode,
        /// The priority now.
        priority: Priority,
        /// Why.
        reason: String,
    },
    /// A dispatch not yet claimed was taken back, to be dispatched again.
    Recalled { reason: String },
    /// The centre set the running step's deadline.
    DeadlineSet { step: Step, until: DateTime<Utc>, reason: String },
    /// A dispatcher placed or confirmed where the case is.
    Located {
        /// Where it is now.
        #[serde(flatten)]
        placed: Placed,
        /// Why, or what was checked.
        note: Option<String>,
    },
}

impl EventKind {
    /// The stable snake_case name of the event type.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Reported { .. } => "reported",
            EventKind::Accepted { .. } => "accepted",
            EventKind::Rejected { .. } => "rejected",
            EventKind::Dispatched { .. } => "dispatched",
            EventKind::Claimed => "claimed",
            EventKind::Returned { .. } => "returned",
            EventKind::ReturnReviewed { .. } => "return_reviewed",
            EventKind::ExtensionRequested { .. } => "extension_requested",
            EventKind::ExtensionDecided { .. } => "extension_decided",
            EventKind::Handled { .. } => "handled",
            EventKind::Verified { .. } => "verified",
            EventKind::Rated { .. } => "rated",
            EventKind::Escalated { .. } => "escalated",
            EventKind::Supervised { .. } => "supervised",
            EventKind::Merged { .. } => "merged",
            EventKind::Suspended { .. } => "suspended",
            EventKind::SuspensionRequested { .. } => "suspension_requested",
            EventKind::SuspensionDecided { .. } => "suspension_decided",
            EventKind::Resumed { .. } => "resumed",
            EventKind::ClosedOnSpot { .. } => "closed_on_spot",
            EventKind::Instructed { .. } => "instructed",
            EventKind::Reopened { .. } => "reopened",
            EventKind::Located { .. } => "located",
            EventKind::Reclassified { .. } => "reclassified",
            EventKind::Recalled { .. } => "recalled",
            EventKind::DeadlineSet { .. } => "deadline_set",
            EventKind::DeadlineWarned { .. } => "deadline_warned",
            EventKind::Overdue { .. } => "overdue",
        }
    }

    /// True if the public tracking page may show this event's type and time.
    pub fn is_public(&self) -> bool {
        !matches!(
            self,
            EventKind::Instructed { .. }
                | EventKind::Supervised { .. }
                | EventKind::ExtensionRequested { .. }
                | EventKind::ExtensionDecided { .. }
                | EventKind::ReturnReviewed { .. }
                | EventKind::SuspensionRequested { .. }
                | EventKind::SuspensionDecided { .. }
                | EventKind::Located { .. }
                | EventKind::Reclassified { .. }
                | EventKind::Recalled { .. }
                | EventKind::DeadlineSet { .. }
                | EventKind::DeadlineWarned { .. }
                | EventKind::Overdue { .. }
        )
    }
}

/// One entry of a case's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseEvent {
    /// The case.
    pub case_id: Uuid,
    /// Position in the case's log, from 1.
    pub seq: u32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: ActorRef,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
    /// The deadline of the step the case runs from this event on, when the event started a
    /// step or moved its deadline (see [`crate::policy`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<StepDeadline>,
}
