//! Accounts and sessions: who may sign in, lockouts after failed logins, live sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, Role, User};

use crate::Result;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (already checked).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: AreaCode,
    /// Department for handlers.
    pub department: Option<String>,
}

/// What login needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Failed attempts since the last success.
    pub failed_logins: i64,
    /// Locked until this moment.
    pub locked_until: Option<DateTime<Utc>>,
}

/// Accounts, failed logins and lockouts, sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account.
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User>;
    /// All accounts, by username.
    async fn users(&self) -> Result<Vec<User>>;
    /// Rewrites an account's name, role, scope and department; with a new password hash also
    /// clears its failed logins and lock. `NotFound` for an unknown id.
    async fn update_user(&self, u: &User, password_hash: Option<&str>) -> Result<()>;
    /// An account with what login needs.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    /// Records a failed login and answers the failures in a row; the `max_failures`th locks the
    /// account until `lock_until`. A lock that has expired by `now` starts the count again.
    async fn login_failed(&self, user_id: &str, max_failures: i64, lock_until: DateTime<Utc>, now: DateTime<Utc>) -> Result<i64>;
    /// Records a successful login.
    async fn login_succeeded(&self, user_id: &str) -> Result<()>;
    /// Stores a session by the hash of its token.
    async fn create_session(&self, token_hash: &str, user_id: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()>;
    /// The user of a live session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
}
