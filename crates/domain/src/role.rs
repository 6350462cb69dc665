//! Roles and the actor performing a command.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::{AreaCode, DomainError};

/// What a user is in the platform. Staff roles are scoped to an area node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 居民: reports, follows and rates his own cases.
    Resident,
    /// 网格员: reports in his grid and closes simple matters on the spot.
    GridWorker,
    /// 村(社区)工作站: handles and dispatches within the community.
    CommunityAdmin,
    /// 镇街指挥中心: accepts, dispatches, supervises and escalates for a town or street.
    TownDispatcher,
    /// 区县/市 指挥中心: the same for a district, county or the whole city.
    DistrictDispatcher,
    /// 职能部门: handles what was dispatched to his department.
    DepartmentHandler,
    /// 调解员: works dispute cases.
    Mediator,
    /// 领导: reads, supervises and writes instructions.
    Leader,
    /// 系统管理员: users, categories and settings.
    Admin,
}

impl Role {
    /// All roles, in the order the UI lists them.
    pub const ALL: [Role; 9] = [
        Role::Resident,
        Role::GridWorker,
        Role::CommunityAdmin,
        Role::TownDispatcher,
        Role::DistrictDispatcher,
        Role::DepartmentHandler,
        Role::Mediator,
        Role::Leader,
        Role::Admin,
    ];

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::GridWorker => "grid_worker",
            Role::CommunityAdmin => "community_admin",
            Role::TownDispatcher => "town_dispatcher",
            Role::DistrictDispatcher => "district_dispatcher",
            Role::DepartmentHandler => "department_handler",
            Role::Mediator => "mediator",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// True for the roles that run a command centre's queue: accept, dispatch, verify.
    pub fn is_dispatcher(self) -> bool {
        matches!(self, Role::CommunityAdmin | Role::TownDispatcher | Role::DistrictDispatcher)
    }

    /// True for roles whose work needs the reporter's phone number in clear.
    pub fn may_read_contact(self) -> bool {
        matches!(
            self,
            Role::CommunityAdmin | Role::TownDispatcher | Role::DistrictDispatcher | Role::DepartmentHandler | Role::Mediator
        )
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::invalid("role", format!("unknown role `{s}`")))
    }
}

/// The one performing a command, as the server authenticated him.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user.
    User {
        /// User id.
        id: String,
        /// Login name, kept on events for the audit trail.
        username: String,
        /// Role.
        role: Role,
        /// Area node the account is scoped to.
        scope: AreaCode,
        /// Department, for department handlers.
        department: Option<String>,
    },
    /// The reporter of a case, proven by the case's receipt secret.
    Reporter,
    /// Someone without an account, e.g. reporting through the resident portal.
    Public,
    /// The platform itself (timers, rules, imports).
    System,
}

impl Actor {
    /// The actor's role, if a user.
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(*role),
            _ => None,
        }
    }

    /// The area a signed-in user works in.
    pub fn scope(&self) -> Option<&AreaCode> {
        match self {
            Actor::User { scope, .. } => Some(scope),
            _ => None,
        }
    }

    /// Which cases the actor may see.
    pub fn visibility(&self) -> Visibility {
        match self {
            Actor::User { id, role: Role::Resident, .. } => Visibility::Reporter(id.clone()),
            Actor::User { role: Role::DepartmentHandler, scope, department, .. } => match department {
                Some(d) => Visibility::Department(scope.clone(), d.clone()),
                None => Visibility::Nothing,
            },
            Actor::User { scope, .. } => Visibility::Area(scope.clone()),
            Actor::System => Visibility::Everything,
            Actor::Reporter | Actor::Public => Visibility::Nothing,
        }
    }

    /// The record of the actor kept on an event.
    pub fn to_ref(&self) -> ActorRef {
        match self {
            Actor::User { id, username, role, .. } => {
                ActorRef { kind: "user".into(), user_id: Some(id.clone()), name: username.clone(), role: Some(*role) }
            }
            Actor::Reporter => ActorRef { kind: "reporter".into(), user_id: None, name: "reporter".into(), role: None },
            Actor::Public => ActorRef { kind: "public".into(), user_id: None, name: "public".into(), role: None },
            Actor::System => ActorRef { kind: "system".into(), user_id: None, name: "system".into(), role: None },
        }
    }
}

/// Who did something, as recorded on a case event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActorRef {
    /// `user`, `reporter`, `public` or `system`.
    pub kind: String,
    /// User id, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Login name or the kind.
    pub name: String,
    /// Role at the time, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// The part of the case load an actor may see: the one rule that both single reads and lists
/// apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// All cases (the platform itself).
    Everything,
    /// Cases located under an area.
    Area(AreaCode),
    /// Cases under an area currently with a department.
    Department(AreaCode, String),
    /// Cases the resident with this user id reported.
    Reporter(String),
    /// No case (case reads by the public go through tracking codes).
    Nothing,
}
