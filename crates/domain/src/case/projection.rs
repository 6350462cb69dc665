//! The current state of a case ([`Case`]), as the fold of its events: reporting a case,
//! rebuilding it from its log, applying one event, and where it lies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseCode, CaseEvent, CaseState, EventKind, Location, NewCase, Rating};
use crate::location::Placed;
use crate::timelimit::StepDeadline;
use crate::{Actor, AreaCode, AreaLevel, DomainError, GridCode, Role};

/// Who a dispatched case is with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    /// A functional department (职能部门).
    Department {
        /// Department id.
        id: String,
    },
    /// The centre of a lower area level.
    Area {
        /// Area code.
        code: AreaCode,
    },
}

/// A request for more time, waiting for the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PendingExtension {
    /// The new deadline asked for.
    pub until: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

/// Where a returned case was, kept while the centre reviews the return: a refused return puts
/// the case back there, its deadline still running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReturnedFrom {
    /// The state it left (dispatched or in progress).
    pub state: CaseState,
    /// With whom it was.
    pub assignee: Assignee,
    /// Who had claimed it.
    pub handler_user_id: Option<String>,
    /// The handling deadline that keeps running.
    pub deadline: Option<StepDeadline>,
}

/// A request for a suspension, waiting for the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PendingSuspension {
    /// Why.
    pub reason: String,
    /// When asked for.
    pub at: DateTime<Utc>,
}

/// The current state of a case: the fold of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Id (UUID v7, so ids sort by creation).
    pub id: Uuid,
    /// Tracking code.
    pub code: CaseCode,
    /// The report as made.
    pub report: NewCase,
    /// Reporter's user id, if signed in.
    pub reporter_user_id: Option<String>,
    /// Where it is in the loop.
    pub state: CaseState,
    /// The centre currently responsible (accepts, dispatches, verifies).
    pub owner_area: AreaCode,
    /// With whom it is, once dispatched.
    pub assignee: Option<Assignee>,
    /// The user who claimed it.
    pub handler_user_id: Option<String>,
    /// The state a suspended case resumes to.
    pub suspended_from: Option<CaseState>,
    /// An extension waiting for a decision.
    pub pending_extension: Option<PendingExtension>,
    /// The latest granted extension.
    pub extended_until: Option<DateTime<Utc>>,
    /// Extensions granted so far (limited by the rules).
    #[serde(default)]
    pub extensions_granted: u32,
    /// The seconds those extensions added to the deadlines they moved.
    #[serde(default)]
    pub extension_seconds: i64,
    /// A suspension waiting for the centre's decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_suspension: Option<PendingSuspension>,
    /// While a return waits for review: where the case was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_from: Option<ReturnedFrom>,
    /// Under supervision (督办).
    pub supervised: bool,
    /// The case this duplicate was merged into.
    pub merged_into: Option<Uuid>,
    /// The reporter's rating.
    pub rating: Option<Rating>,
    /// Times reopened (failed verification or unsatisfied rating).
    pub reopen_count: u32,
    /// Times returned as a wrong dispatch.
    pub return_count: u32,
    /// Times escalated.
    pub escalation_count: u32,
    /// Where a dispatcher placed the case, overriding the report's area, grid and point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed: Option<Placed>,
    /// The deadline of the step the case is running (kept, with `paused_at`, while suspended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<StepDeadline>,
    /// When reported.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Number of events applied.
    pub version: u32,
}

impl Case {
    /// Reports a new case: the first event of its log.
    pub fn report(
        id: Uuid,
        code: CaseCode,
        new: NewCase,
        handling_level: AreaLevel,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Case, CaseEvent), DomainError> {
        let reporter_user_id = match actor {
            Actor::User { id, role, scope, .. } => {
                if *role != Role::Resident && !scope.contains(&new.area) {
                    return Err(DomainError::invalid("area", format!("{} is outside your area {scope}", new.area)));
                }
                Some(id.clone())
            }
            _ => None,
        };
        let owner_area = new.area.at_level(handling_level).unwrap_or_else(|| new.area.clone());
        let event = CaseEvent {
            case_id: id,
            seq: 1,
            at: now,
            actor: actor.to_ref(),
            kind: EventKind::Reported { code, case: new, owner_area, reporter_user_id },
            deadline: None,
        };
        let case = Case::from_events(std::slice::from_ref(&event)).expect("a reported event starts a case");
        Ok((case, event))
    }

    /// Rebuilds a case from its log. `None` if the log does not start with a report.
    pub fn from_events(events: &[CaseEvent]) -> Option<Case> {
        let first = events.first()?;
        let EventKind::Reported { code, case, owner_area, reporter_user_id } = &first.kind else { return None };
        let mut c = Case {
            id: first.case_id,
            code: code.clone(),
            report: case.clone(),
            reporter_user_id: reporter_user_id.clone(),
            state: CaseState::Reported,
            owner_area: owner_area.clone(),
            assignee: None,
            handler_user_id: None,
            suspended_from: None,
            pending_extension: None,
            extended_until: None,
            extensions_granted: 0,
            extension_seconds: 0,
            pending_suspension: None,
            returned_from: None,
            supervised: false,
            merged_into: None,
            rating: None,
            reopen_count: 0,
            return_count: 0,
            escalation_count: 0,
            placed: None,
            deadline: first.deadline.clone(),
            created_at: first.at,
            updated_at: first.at,
            version: 1,
        };
        for e in &events[1..] {
            c.apply(e);
        }
        Some(c)
    }

    /// Applies one event. Events are facts: applying never fails.
    pub fn apply(&mut self, e: &CaseEvent) {
        use EventKind as E;
        match &e.kind {
            E::Reported { .. } => {}
            E::Accepted { .. } => self.state = CaseState::Accepted,
            E::Rejected { .. } => self.state = CaseState::Rejected,
            E::Dispatched { to, owner_area, .. } => {
                self.state = CaseState::Dispatched;
                self.assignee = Some(to.clone());
                self.owner_area = owner_area.clone();
                self.handler_user_id = None;
            }
            E::Claimed => {
                self.state = CaseState::InProgress;
                self.handler_user_id = e.actor.user_id.clone();
            }
            E::Returned { .. } => {
                self.returned_from = self.assignee.take().map(|assignee| ReturnedFrom {
                    state: self.state,
                    assignee,
                    handler_user_id: self.handler_user_id.clone(),
                    deadline: self.deadline.clone(),
                });
                self.state = CaseState::Returned;
                self.handler_user_id = None;
                self.pending_extension = None;
                self.pending_suspension = None;
            }
            E::ReturnReviewed { accepted, .. } => match self.returned_from.take() {
                Some(from) if !*accepted => {
                    self.state = from.state;
                    self.assignee = Some(from.assignee);
                    self.handler_user_id = from.handler_user_id;
                }
                _ => {
                    self.state = CaseState::Accepted;
                    self.return_count += 1;
                }
            },
            E::ExtensionRequested { until, reason } => {
                self.pending_extension = Some(PendingExtension { until: *until, reason: reason.clone() })
            }
            E::ExtensionDecided { granted, until, .. } => {
                self.pending_extension = None;
                if *granted {
                    self.extended_until = Some(*until);
                    self.extensions_granted += 1;
                    if let Some(d) = &self.deadline {
                        self.extension_seconds += (*until - d.due).num_seconds().max(0);
                    }
                }
            }
            E::Handled { .. } => self.state = CaseState::Handled,
            E::Verified { passed, .. } => {
                if *passed {
                    self.state = CaseState::Closed;
                } else {
                    self.state = CaseState::InProgress;
                    self.reopen_count += 1;
                }
            }
            E::Rated { rating, .. } => {
                self.state = CaseState::Rated;
                self.rating = Some(*rating);
            }
            E::Escalated { to, .. } => {
                if self.state != CaseState::Reported {
                    self.state = CaseState::Accepted;
                }
                self.owner_area = to.clone();
                self.assignee = None;
                self.handler_user_id = None;
                self.pending_extension = None;
                self.pending_suspension = None;
                self.returned_from = None;
                self.suspended_from = None;
                self.escalation_count += 1;
            }
            E::Supervised { .. } => self.supervised = true,
            E::Merged { into, .. } => {
                self.returned_from = None;
                self.state = CaseState::Merged;
                self.merged_into = Some(*into);
            }
            E::Suspended { .. } | E::SuspensionDecided { granted: true, .. } => {
                self.pending_suspension = None;
                self.suspended_from = Some(self.state);
                self.state = CaseState::Suspended;
            }
            E::SuspensionRequested { reason } => self.pending_suspension = Some(PendingSuspension { reason: reason.clone(), at: e.at }),
            E::SuspensionDecided { granted: false, .. } => self.pending_suspension = None,
            E::Resumed { .. } => {
                self.state = self.suspended_from.take().unwrap_or(CaseState::Accepted);
            }
            E::ClosedOnSpot { .. } => {
                self.state = CaseState::Closed;
                self.handler_user_id = e.actor.user_id.clone();
            }
            E::Instructed { .. } => {}
            E::Located { placed, .. } => self.placed = Some(placed.clone()),
            E::Reclassified { category, priority, .. } => {
                self.report.category = category.clone();
                self.report.priority = *priority;
            }
            // The deadline in force, like a granted extension (a reclassification keeps it).
            E::DeadlineSet { until, .. } => self.extended_until = Some(*until),
            E::Recalled { .. } => {
                self.state = CaseState::Accepted;
                self.assignee = None;
                self.pending_extension = None;
                self.pending_suspension = None;
            }
            E::DeadlineWarned { .. } | E::Overdue { .. } => {}
            E::Reopened { .. } => {
                self.state = CaseState::Accepted;
                self.assignee = None;
                self.handler_user_id = None;
                self.rating = None;
                self.reopen_count += 1;
            }
        }
        match &e.deadline {
            Some(d) => self.deadline = Some(d.clone()),
            None if !self.state.is_open() => self.deadline = None,
            None => {}
        }
        self.version = e.seq;
        self.updated_at = e.at;
    }

    /// The deepest area the case lies in: where a dispatcher placed it, else where it was reported.
    pub fn area(&self) -> &AreaCode {
        self.placed.as_ref().map_or(&self.report.area, |p| &p.area)
    }

    /// The grid the case lies in, if known.
    pub fn grid(&self) -> Option<&GridCode> {
        match &self.placed {
            Some(p) => p.grid.as_ref(),
            None => self.report.located.as_ref().and_then(|l| l.grid.as_ref()),
        }
    }

    /// The point, in WGS84, if known.
    pub fn location(&self) -> Option<Location> {
        match &self.placed {
            Some(p) if p.location.is_some() => p.location,
            _ => self.report.location,
        }
    }

    /// True while the report's place waits for a dispatcher's confirmation.
    pub fn needs_location_confirmation(&self) -> bool {
        self.placed.is_none() && self.report.located.as_ref().is_some_and(|l| l.needs_confirmation)
    }
}
