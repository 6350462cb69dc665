//! The case as a [`Lifecycle`]: the shared pattern over its own decide and apply.

use chrono::{DateTime, Utc};

use super::{Action, Case, CaseEvent, CaseState, Command};
use crate::kit::Lifecycle;
use crate::{Actor, DomainError};

impl Lifecycle for Case {
    type State = CaseState;
    type Action = Action;
    type Command = Command;
    type Event = CaseEvent;

    fn state(&self) -> CaseState {
        self.state
    }

    fn action_of(cmd: &Command) -> Action {
        cmd.action()
    }

    fn allowed_actions(&self, actor: &Actor) -> Vec<Action> {
        Case::allowed_actions(self, actor)
    }

    fn decide(&self, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<CaseEvent, DomainError> {
        Case::decide(self, actor, cmd, now)
    }

    fn apply(&mut self, event: &CaseEvent) {
        Case::apply(self, event)
    }

    fn replay(events: &[CaseEvent]) -> Option<Case> {
        Case::from_events(events)
    }
}
