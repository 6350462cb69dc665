//! Accounts, logins and sessions.
//!
//! Mounted by each backend (`sqlite/mod.rs`, `postgres/mod.rs`): `super` is the backend, which
//! names its `Db`, its store type `Backend` and its dialect macros.

use super::{Backend, Db};
use crate::accounts::{Credentials, LoginGate, NewUser};
use crate::kit::{from_micros, is_unique_violation, micros};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, DomainError, User};
use sqlx::Row;
use uuid::Uuid;

pub(crate) fn user_from_row(r: &<Db as sqlx::Database>::Row) -> Result<User> {
    let role: String = r.try_get("role")?;
    let scope: String = r.try_get("scope")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: role.parse().map_err(|e: DomainError| StoreError::Corrupt(e.to_string()))?,
        scope: AreaCode::parse(&scope).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        department: r.try_get("department_id")?,
    })
}

#[async_trait::async_trait]
impl crate::accounts::AccountStore for Backend {
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User> {
        let id = Uuid::now_v7().to_string();
        let res = sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash, role, scope, department_id, created_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&id)
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.role.as_str())
        .bind(u.scope.as_str())
        .bind(u.department.as_deref())
        .bind(micros(now))
        .execute(&self.write)
        .await;
        match res {
            Err(e) if is_unique_violation(&e) => return Err(StoreError::Duplicate { field: "username".into(), value: u.username }),
            other => other?,
        };
        Ok(User { id, username: u.username, display_name: u.display_name, role: u.role, scope: u.scope, department: u.department })
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT id, username, display_name, role, scope, department_id FROM users ORDER BY username")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn update_user(&self, u: &User, password_hash: Option<&str>, end_sessions: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let res = sqlx::query(
            "UPDATE users SET display_name = $2, role = $3, scope = $4, department_id = $5,
                password_hash = COALESCE($6, password_hash)
             WHERE id = $1",
        )
        .bind(&u.id)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(u.scope.as_str())
        .bind(u.department.as_deref())
        .bind(password_hash)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() == 0 {
            return Err(StoreError::NotFound("user".into()));
        }
        if password_hash.is_some() {
            sqlx::query("DELETE FROM login_throttle WHERE username = $1").bind(&u.username).execute(&mut *tx).await?;
        }
        if end_sessions {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&u.id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        // Read from the writer so a lockout just recorded is seen at once.
        let row =
            sqlx::query("SELECT id, username, display_name, role, scope, department_id, password_hash FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.write)
                .await?;
        row.map(|r| Ok(Credentials { user: user_from_row(&r)?, password_hash: r.try_get("password_hash")? })).transpose()
    }

    async fn login_attempt(
        &self,
        username: &str,
        max_failures: i64,
        forget_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<LoginGate> {
        // One statement: the row is locked while it is counted, so concurrent guesses queue and
        // the `failures < max` test sees every guess admitted before it.
        let admitted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO login_throttle AS t (username, failures, locked_until, updated_at) VALUES ($1, 1, NULL, $2)
             ON CONFLICT (username) DO UPDATE SET
                failures = CASE
                    WHEN (t.locked_until IS NOT NULL AND t.locked_until <= $2) OR (t.locked_until IS NULL AND t.updated_at <= $4) THEN 1
                    ELSE t.failures + 1 END,
                locked_until = NULL,
                updated_at = $2
             WHERE (t.locked_until IS NOT NULL AND t.locked_until <= $2)
                OR (t.locked_until IS NULL AND (t.failures < $3 OR t.updated_at <= $4))
             RETURNING failures",
        )
        .bind(username)
        .bind(micros(now))
        .bind(max_failures)
        .bind(micros(forget_before))
        .fetch_optional(&self.write)
        .await?;
        if let Some(n) = admitted {
            return Ok(LoginGate::Admitted(n));
        }
        let until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.write)
            .await?
            .flatten();
        Ok(LoginGate::Locked(until.map(from_micros)))
    }

    async fn login_failed(&self, username: &str, max_failures: i64, lock_until: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE login_throttle SET locked_until = $3 WHERE username = $1 AND failures >= $2 AND locked_until IS NULL")
            .bind(username)
            .bind(max_failures)
            .bind(micros(lock_until))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn login_succeeded(&self, username: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_throttle WHERE username = $1").bind(username).execute(&self.write).await?;
        Ok(())
    }

    async fn create_session(&self, token_hash: &str, user_id: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(micros(now))
            .bind(micros(expires))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.scope, u.department_id
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(micros(now))
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        // A session is not a case: ending one removes it, as a logout should.
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.write).await?;
        Ok(())
    }
}
