//! Who may see a case and who may take which action on it now: [`Case::visible_to`],
//! [`Case::permits`] and [`Case::allowed_actions`].

use super::{Action, Assignee, Case, CaseState, Rating};
use crate::role::Visibility;
use crate::{Actor, DomainError, Role};

fn illegal(action: Action, state: CaseState) -> DomainError {
    DomainError::IllegalTransition { action: action.as_str().into(), state: state.as_str().into() }
}

pub(super) fn forbidden(action: Action) -> DomainError {
    DomainError::Forbidden(format!("your role or area does not allow `{}` on this case", action.as_str()))
}

impl Case {
    /// True if `actor` may see the case at all.
    pub fn visible_to(&self, actor: &Actor) -> bool {
        match actor.visibility() {
            Visibility::Everything => true,
            Visibility::Area(scope) => scope.contains(self.area()),
            Visibility::Department(scope, dept) => {
                scope.contains(self.area()) && matches!(&self.assignee, Some(Assignee::Department { id }) if *id == dept)
            }
            Visibility::Reporter(id) => self.reporter_user_id.as_deref() == Some(id.as_str()),
            Visibility::Nothing => false,
        }
    }

    /// True if `actor` runs the centre that currently owns the case.
    /// The system (timers and rules) acts for the owning centre.
    fn managed_by(&self, actor: &Actor) -> bool {
        matches!(actor, Actor::System)
            || matches!(actor, Actor::User { role, scope, .. } if role.is_dispatcher() && scope.contains(&self.owner_area))
    }

    /// True if `actor` is on the receiving side of the current dispatch.
    fn assigned_to(&self, actor: &Actor) -> bool {
        let Actor::User { role, scope, department, .. } = actor else { return false };
        match &self.assignee {
            Some(Assignee::Department { id }) => {
                *role == Role::DepartmentHandler && department.as_deref() == Some(id) && scope.contains(self.area())
            }
            Some(Assignee::Area { code }) => {
                (role.is_dispatcher() || *role == Role::GridWorker) && code.contains(scope) && scope.contains(self.area())
            }
            None => false,
        }
    }

    /// True if `actor` oversees the case's area as a leader or any dispatcher above it.
    fn overseen_by(&self, actor: &Actor, leader_only: bool) -> bool {
        (!leader_only && matches!(actor, Actor::System))
            || matches!(actor, Actor::User { role, scope, .. }
            if (*role == Role::Leader || (!leader_only && role.is_dispatcher())) && scope.contains(self.area()))
    }

    /// True if `actor` reported this case (by receipt, or as the signed-in resident).
    fn reported_by(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Reporter => true,
            Actor::User { id, role: Role::Resident, .. } => self.reporter_user_id.as_deref() == Some(id),
            _ => false,
        }
    }

    /// Checks that `actor` may perform `action` now, without looking at the payload.
    pub fn permits(&self, actor: &Actor, action: Action) -> Result<(), DomainError> {
        use CaseState as S;
        let s = self.state;
        let state_ok = match action {
            Action::Accept | Action::Reject => s == S::Reported,
            // A returned case is reviewed first (退单审核): accepted, it can be dispatched again.
            Action::Dispatch => {
                s == S::Accepted || (s == S::Dispatched && matches!(self.assignee, Some(Assignee::Area { .. })))
            }
            Action::Claim => s == S::Dispatched,
            Action::Return => matches!(s, S::Dispatched | S::InProgress),
            Action::ReviewReturn => s == S::Returned && self.returned_from.is_some(),
            Action::RequestSuspension => matches!(s, S::Dispatched | S::InProgress) && self.pending_suspension.is_none(),
            Action::DecideSuspension => matches!(s, S::Dispatched | S::InProgress) && self.pending_suspension.is_some(),
            Action::RequestExtension => matches!(s, S::Dispatched | S::InProgress) && self.pending_extension.is_none(),
            Action::DecideExtension => matches!(s, S::Dispatched | S::InProgress) && self.pending_extension.is_some(),
            Action::Handle => s == S::InProgress,
            Action::Verify => s == S::Handled,
            Action::Rate => s == S::Closed,
            Action::Reopen => s == S::Rated && self.rating == Some(Rating::Unsatisfied),
            Action::Escalate => s.is_open(),
            Action::Supervise => s.is_open(),
            Action::Merge => matches!(s, S::Reported | S::Accepted | S::Returned),
            Action::Suspend => matches!(s, S::Accepted | S::Dispatched | S::InProgress | S::Returned),
            Action::Resume => s == S::Suspended,
            Action::CloseOnSpot => s == S::Reported,
            Action::Instruct => true,
            Action::Locate => s.is_open(),
            // Before the work is done: a handled case is judged by the limit it ran under.
            Action::Reclassify => matches!(s, S::Reported | S::Accepted | S::Dispatched | S::InProgress | S::Returned | S::Suspended),
            Action::Recall => s == S::Dispatched && self.handler_user_id.is_none(),
            // A step is running (not while suspended: its clock stands still).
            Action::SetDeadline => crate::timelimit::Step::of_state(s).is_some() && self.deadline.is_some(),
        };
        if !state_ok {
            return Err(illegal(action, s));
        }
        let role_ok = match action {
            Action::Accept
            | Action::Reject
            | Action::DecideExtension
            | Action::ReviewReturn
            | Action::DecideSuspension
            | Action::Verify
            | Action::Reopen
            | Action::Merge
            | Action::Suspend
            | Action::Resume
            | Action::Reclassify
            | Action::Recall
            | Action::SetDeadline
            | Action::Escalate => self.managed_by(actor),
            Action::Dispatch => {
                if s == S::Dispatched {
                    self.assigned_to(actor) && actor.role().is_some_and(Role::is_dispatcher)
                } else {
                    self.managed_by(actor)
                }
            }
            Action::Claim | Action::Return | Action::RequestExtension | Action::RequestSuspension | Action::Handle => {
                self.assigned_to(actor)
            }
            Action::Rate => self.reported_by(actor) || self.managed_by(actor),
            Action::Supervise => self.overseen_by(actor, false),
            Action::Instruct => self.overseen_by(actor, true),
            // Placing a report is the command centre's work; a leader reads and instructs.
            Action::Locate => {
                matches!(actor, Actor::User { role, scope, .. } if role.is_dispatcher() && scope.contains(self.area()))
            }
            Action::CloseOnSpot => {
                matches!(actor, Actor::User { role: Role::GridWorker, scope, .. } if scope.contains(self.area()))
            }
        };
        if !role_ok {
            return Err(forbidden(action));
        }
        Ok(())
    }

    /// The actions `actor` may take on the case now, for the UI.
    pub fn allowed_actions(&self, actor: &Actor) -> Vec<Action> {
        Action::ALL.iter().copied().filter(|a| self.permits(actor, *a).is_ok()).collect()
    }
}
