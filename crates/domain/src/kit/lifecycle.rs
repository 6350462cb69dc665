//! The pattern every record with a life cycle follows — the case today; disputes, volunteer
//! orders and work tasks next. A command is *decided* against the record as it stands (checked,
//! nothing changed) into an event; the event is *applied* to move the record; the log of events
//! rebuilds the record exactly. The store appends the event with the projection, its outbox
//! message and the record's timers in one transaction (`kit::sql::log` in the store crate).
//!
//! Each module tests its life cycle with a property test against a transition table written
//! separately from the code, stepping random commands by random actors through
//! [`checked_step`], which checks what every life cycle promises.

use chrono::{DateTime, Utc};
use std::fmt::Debug;

use crate::{Actor, DomainError};

/// A record with a life cycle.
pub trait Lifecycle: Sized {
    /// Where in its life the record is.
    type State: Copy + Eq + Debug;
    /// The name of a command: what menus offer and role tables grant.
    type Action: Copy + Eq + Debug;
    /// What someone asks for, with its arguments.
    type Command;
    /// What happened; the log keeps it.
    type Event;

    /// The record's state.
    fn state(&self) -> Self::State;
    /// The action a command is.
    fn action_of(cmd: &Self::Command) -> Self::Action;
    /// The actions `actor` may take now (what the UI offers).
    fn allowed_actions(&self, actor: &Actor) -> Vec<Self::Action>;
    /// Checks `cmd` and answers its event; the record is unchanged.
    fn decide(&self, actor: &Actor, cmd: Self::Command, now: DateTime<Utc>) -> Result<Self::Event, DomainError>;
    /// Moves the record by an event decided before (or read from the log).
    fn apply(&mut self, event: &Self::Event);
    /// The record its log makes, or `None` for an empty or malformed log.
    fn replay(events: &[Self::Event]) -> Option<Self>;

    /// Decides and applies `cmd`, answering the event to store.
    fn run(&mut self, actor: &Actor, cmd: Self::Command, now: DateTime<Utc>) -> Result<Self::Event, DomainError> {
        let event = self.decide(actor, cmd, now)?;
        self.apply(&event);
        Ok(event)
    }
}

/// Runs `cmd` on `record` as a property test's step and checks the promises of every life
/// cycle: an accepted command was among the actor's allowed actions and its transition is in
/// the independently written table `legal(from, action, to)`; a refused one changed nothing.
/// Answers the event when accepted, or what was broken.
pub fn checked_step<L>(
    record: &mut L,
    actor: &Actor,
    cmd: L::Command,
    now: DateTime<Utc>,
    legal: impl Fn(L::State, L::Action, L::State) -> bool,
) -> Result<Option<L::Event>, String>
where
    L: Lifecycle + Clone + PartialEq + Debug,
{
    let before = record.clone();
    let action = L::action_of(&cmd);
    match record.run(actor, cmd, now) {
        Ok(event) => {
            if !legal(before.state(), action, record.state()) {
                return Err(format!("{:?} --{action:?}--> {:?} by {actor:?} is not in the table", before.state(), record.state()));
            }
            if !before.allowed_actions(actor).contains(&action) {
                return Err(format!("{action:?} was accepted from {actor:?} but not offered to him"));
            }
            Ok(Some(event))
        }
        Err(_) if *record != before => Err(format!("a refused {action:?} changed the record")),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lamp: `Toggle` flips it; a broken lamp's apply forgets to, and refuses by changing.
    #[derive(Debug, Clone, PartialEq)]
    struct Lamp {
        on: bool,
        broken: bool,
    }

    impl Lifecycle for Lamp {
        type State = bool;
        type Action = &'static str;
        type Command = &'static str;
        type Event = bool;

        fn state(&self) -> bool {
            self.on
        }
        fn action_of(cmd: &&'static str) -> &'static str {
            cmd
        }
        fn allowed_actions(&self, _: &Actor) -> Vec<&'static str> {
            vec!["toggle"]
        }
        fn decide(&self, _: &Actor, cmd: &'static str, _: DateTime<Utc>) -> Result<bool, DomainError> {
            match cmd {
                "toggle" => Ok(!self.on),
                _ => Err(DomainError::Forbidden("no".into())),
            }
        }
        fn apply(&mut self, event: &bool) {
            self.on = if self.broken { self.on } else { *event };
        }
        fn replay(events: &[bool]) -> Option<Lamp> {
            events.last().map(|on| Lamp { on: *on, broken: false })
        }
    }

    fn table(from: bool, action: &'static str, to: bool) -> bool {
        action == "toggle" && from != to
    }

    #[test]
    fn a_transition_outside_the_table_is_caught() {
        let now = Utc::now();
        let mut good = Lamp { on: false, broken: false };
        assert_eq!(checked_step(&mut good, &Actor::Public, "toggle", now, table), Ok(Some(true)));
        assert_eq!(checked_step(&mut good, &Actor::Public, "smash", now, table), Ok(None));
        let mut bad = Lamp { on: false, broken: true };
        assert!(checked_step(&mut bad, &Actor::Public, "toggle", now, table).unwrap_err().contains("not in the table"));
    }
}
