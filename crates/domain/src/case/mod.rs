//! The case (事件/工单) and its state machine: the only way a case changes.
//!
//! A command from an actor is checked against the case's state and the actor's role and scope,
//! and becomes one event; applying the events in order rebuilds the case. The store persists the
//! event and the resulting case in one transaction.

// The tests (`use super::*`) read these.
#[cfg(test)]
use crate::{Actor, AreaCode, AreaLevel, Category, CategoryCode, GridCode, LocationFix, Role};
#[cfg(test)]
use chrono::{DateTime, Utc};
#[cfg(test)]
use uuid::Uuid;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case name, as in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err(DomainError::invalid($field, format!(
                        "unknown value `{s}`; expected one of: {}",
                        [$($s),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use string_enum;

mod access;
mod command;
mod event;
mod lifecycle;
mod projection;
mod report;
mod state;

pub use command::*;
pub use event::*;
pub use projection::*;
pub use report::*;
pub use state::*;

#[cfg(test)]
pub(crate) mod tests;
