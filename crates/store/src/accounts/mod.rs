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
}

/// Whether a sign-in may have its password checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Checked: this is the `n`th guess in a row at the name (counted as failed until it succeeds).
    Admitted(i64),
    /// Not checked: the name is locked until then (or, with `None`, the allowed guesses are
    /// being checked right now).
    Locked(Option<DateTime<Utc>>),
}

/// Accounts, failed logins and lockouts, sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account.
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User>;
    /// All accounts, by username.
    async fn users(&self) -> Result<Vec<User>>;
    /// Rewrites an account's name, role, scope and department; with a new password hash also
    /// lifts the lock on its name. With `end_sessions`, its sessions end in the same
    /// transaction (a new password, role, scope or department). `NotFound` for an unknown id.
    async fn update_user(&self, u: &User, password_hash: Option<&str>, end_sessions: bool) -> Result<()>;
    /// An account with what login needs.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    /// Counts a guess at `username` (any name, existing or not) before its password is checked,
    /// in one statement: at most `max_failures` guesses in a row are ever admitted, however many
    /// arrive at once on however many servers. A lock that has expired by `now`, or guesses none
    /// of which came after `forget_before`, start the count again (so a guess lost to a crash
    /// between its count and its answer cannot hold the name for ever).
    async fn login_attempt(&self, username: &str, max_failures: i64, forget_before: DateTime<Utc>, now: DateTime<Utc>)
        -> Result<LoginGate>;
    /// The admitted guess failed; once `max_failures` have, the name is locked until `lock_until`.
    async fn login_failed(&self, username: &str, max_failures: i64, lock_until: DateTime<Utc>) -> Result<()>;
    /// The admitted guess succeeded: the count starts again.
    async fn login_succeeded(&self, username: &str) -> Result<()>;
    /// Stores a session by the hash of its token.
    async fn create_session(&self, token_hash: &str, user_id: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()>;
    /// The user of a live session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
}
