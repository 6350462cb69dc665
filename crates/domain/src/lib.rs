//! The civicgrid domain: area codes, roles and actors, categories, departments and the case
//! state machine. Nothing here performs I/O; the store and the server call into it.

pub mod area;
pub mod attributes;
pub mod calendar;
pub mod case;
pub mod category;
pub mod location;
pub mod error;
pub mod evaluation;
pub mod kit;
pub mod org;
pub mod password;
pub mod patrol;
pub mod phrase;
pub mod policy;
pub mod phone;
pub mod role;
pub mod text;
pub mod timelimit;

pub use area::{AreaCode, AreaLevel, GridCode};
pub use case::{
    Action, Assignee, Case, CaseCode, CaseEvent, CaseState, Channel, Command, EventKind, Location,
    DispatchTarget, NewCase, NewCaseInput, Priority, Rating,
};
pub use category::{Category, CategoryCode};
pub use error::DomainError;
pub use location::{AddressCandidate, LocatedBy, LocationFix, Placed};
pub use org::{Department, User};
pub use password::PasswordPolicy;
pub use patrol::{PatrolEntry, PatrolKind};
pub use phrase::{Phrase, PhraseKind};
pub use policy::{CasePolicy, Rules, TimerKind, TimerSpec};
pub use timelimit::{Card, Step, StepDeadline};
pub use phone::PhoneNumber;
pub use role::{Actor, ActorRef, Role, Visibility};
