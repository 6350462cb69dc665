//! Accounts (admin role only): their roles, scopes, departments and passwords. An admin
//! manages the accounts under his own scope.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use civicgrid_domain::{org, Role, User};
use civicgrid_store::crypto::hash_password;
use civicgrid_store::NewUser;
use serde::Deserialize;

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiJson, SignedIn};
use crate::reference::scoped_area;
use crate::{AppState, RefData};

/// Whether another admin's scope covers `admin`'s whole scope.
async fn another_admin_over(app: &AppState, admin: &User) -> ApiResult<bool> {
    Ok(app.store.users().await?.iter().any(|o| o.id != admin.id && o.role == Role::Admin && o.scope.contains(&admin.scope)))
}

/// Checks a new password against the policy and hashes it.
fn password_hash(app: &AppState, password: &str, username: &str) -> ApiResult<String> {
    app.config.password.check(password, username)?;
    hash_password(password).map_err(ApiError::from)
}

fn check_department(rd: &RefData, role: Role, department: Option<&str>) -> ApiResult<()> {
    org::check_account(role, department)?;
    if let Some(d) = department {
        if rd.department(d).is_none() {
            return Err(ApiError::invalid("department", format!("department: no department `{d}`")));
        }
    }
    Ok(())
}

/// The accounts under the admin's scope, by username (no password hashes).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin",
    responses((status = 200, body = [User]), (status = 403, body = ErrorBody)))]
pub(crate) async fn users(State(app): State<AppState>, SignedIn(admin): SignedIn) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(app.store.users().await?.into_iter().filter(|u| admin.scope.contains(&u.scope)).collect()))
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login name: 3 to 32 letters, digits, `_`, `-` or `.`.
    pub username: String,
    /// Name shown in the UI; the username when absent.
    pub display_name: Option<String>,
    /// Role.
    pub role: Role,
    /// Area code the account works in (under the admin's scope).
    pub scope: String,
    /// Department id (department handlers only).
    pub department: Option<String>,
    /// At least 8 characters.
    pub password: String,
}

/// Adds an account.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = NewUserRequest,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create_user(
    State(app): State<AppState>,
    SignedIn(admin): SignedIn,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let rd = app.refdata().await?;
    let username = org::parse_username(&req.username)?;
    let display_name = org::parse_display_name(req.display_name.as_deref().unwrap_or(&username))?;
    let scope = scoped_area(&rd, &admin, "scope", &req.scope)?;
    check_department(&rd, req.role, req.department.as_deref())?;
    let password_hash = password_hash(&app, &req.password, &username)?;
    let u = NewUser { username, display_name, password_hash, role: req.role, scope, department: req.department };
    Ok((StatusCode::CREATED, Json(app.store.create_user(u, app.now()).await?)))
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdateRequest {
    /// Name shown in the UI.
    pub display_name: Option<String>,
    /// Role.
    pub role: Option<Role>,
    /// Area code.
    pub scope: Option<String>,
    /// Department id; `null` removes it (with a role that has none).
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub department: Option<Option<String>>,
    /// A new password (also lifts a lockout).
    pub password: Option<String>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

/// Changes an account's name, role, scope, department or password. The change holds from the
/// account's next request: sessions read the account afresh.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = String, Path)), request_body = UserUpdateRequest,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn update_user(
    State(app): State<AppState>,
    SignedIn(admin): SignedIn,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UserUpdateRequest>,
) -> ApiResult<Json<User>> {
    let rd = app.refdata().await?;
    let mut u = app
        .store
        .users()
        .await?
        .into_iter()
        .find(|u| u.id == id && admin.scope.contains(&u.scope))
        .ok_or_else(|| ApiError::not_found("user"))?;
    let before = u.clone();
    if let Some(n) = &req.display_name {
        u.display_name = org::parse_display_name(n)?;
    }
    if let Some(r) = req.role {
        u.role = r;
    }
    if let Some(s) = &req.scope {
        u.scope = scoped_area(&rd, &admin, "scope", s)?;
    }
    if let Some(d) = req.department {
        u.department = d;
    }
    if u.id == admin.id && u.role != Role::Admin {
        return Err(ApiError::invalid("role", "role: you cannot take the admin role from yourself"));
    }
    if u.id == admin.id && u.scope != before.scope && !another_admin_over(&app, &admin).await? {
        return Err(ApiError::invalid(
            "scope",
            format!("scope: you are the last admin over {}; narrowed, nobody could manage it (another admin must change your scope)", admin.scope),
        ));
    }
    check_department(&rd, u.role, u.department.as_deref())?;
    let hash = req.password.as_deref().map(|p| password_hash(&app, p, &u.username)).transpose()?;
    // A new password, role, scope or department ends the account's sessions: what it may do changed.
    let end_sessions = hash.is_some() || (u.role, &u.scope, &u.department) != (before.role, &before.scope, &before.department);
    app.store.update_user(&u, hash.as_deref(), end_sessions).await?;
    Ok(Json(u))
}
