//! Departments and user accounts.

use serde::{Deserialize, Serialize};

use crate::text::bounded;
use crate::{Actor, AreaCode, CategoryCode, DomainError, Role};

/// A functional department (职能部门) attached to a level of the area tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Department {
    /// Stable id, e.g. `weihai-urban-management`.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// The area it serves: cases under this node may be dispatched to it.
    pub area: AreaCode,
    /// Main classes or subclasses it handles; the dispatch picker offers it for these.
    pub categories: Vec<CategoryCode>,
}

impl Department {
    /// True if the department handles `category` (directly or through its main class).
    pub fn handles(&self, category: &CategoryCode) -> bool {
        self.categories.iter().any(|c| category.as_str().starts_with(c.as_str()))
    }
}

/// A user account as the rest of the system sees it (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Area node the account is scoped to.
    pub scope: AreaCode,
    /// Department, for department handlers.
    pub department: Option<String>,
}

impl User {
    /// The actor this user is when he acts.
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.id.clone(),
            username: self.username.clone(),
            role: self.role,
            scope: self.scope.clone(),
            department: self.department.clone(),
        }
    }
}

/// Checks a login name: 3 to 32 characters of ASCII letters, digits, `_`, `-` and `.`.
pub fn parse_username(s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if !(3..=32).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)) {
        return Err(DomainError::invalid("username", "3 to 32 letters, digits, `_`, `-` or `.`"));
    }
    Ok(s.to_ascii_lowercase())
}

/// Checks a display name.
pub fn parse_display_name(s: &str) -> Result<String, DomainError> {
    bounded("display_name", s, 50, true)
}

/// Checks the account's shape: handlers need a department, others must not have one.
pub fn check_account(role: Role, department: Option<&str>) -> Result<(), DomainError> {
    match (role, department) {
        (Role::DepartmentHandler, None) => Err(DomainError::invalid("department", "a department handler needs a department")),
        (r, Some(_)) if r != Role::DepartmentHandler => {
            Err(DomainError::invalid("department", "only department handlers belong to a department"))
        }
        _ => Ok(()),
    }
}
