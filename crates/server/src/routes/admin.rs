//! Administration (admin role only): accounts with their roles and scopes, and departments.
//! An admin manages what lies under his own scope.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use civicgrid_domain::{org, AreaCode, CategoryCode, Department, Role, User};
use civicgrid_store::crypto::hash_password;
use civicgrid_store::NewUser;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, SignedIn};
use crate::{AppState, RefData};

fn admin_only(user: &User) -> ApiResult<()> {
    if user.role != Role::Admin {
        return Err(ApiError::forbidden("only an admin manages accounts and departments"));
    }
    Ok(())
}

/// The area `raw` names, which must exist and lie under the admin's scope.
fn scoped_area(rd: &RefData, admin: &User, field: &str, raw: &str) -> ApiResult<AreaCode> {
    let code = AreaCode::parse(raw).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    if !rd.areas.contains_key(code.as_str()) {
        return Err(ApiError::invalid(field, format!("{field}: no area with code {code}")));
    }
    if !admin.scope.contains(&code) {
        return Err(ApiError::invalid(field, format!("{field}: {code} is outside your scope {}", admin.scope)));
    }
    Ok(code)
}

fn password_hash(password: &str) -> ApiResult<String> {
    if password.chars().count() < 8 {
        return Err(ApiError::invalid("password", "password: at least 8 characters"));
    }
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
    admin_only(&admin)?;
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
    admin_only(&admin)?;
    let rd = app.refdata().await?;
    let username = org::parse_username(&req.username)?;
    let display_name = org::parse_display_name(req.display_name.as_deref().unwrap_or(&username))?;
    let scope = scoped_area(&rd, &admin, "scope", &req.scope)?;
    check_department(&rd, req.role, req.department.as_deref())?;
    let password_hash = password_hash(&req.password)?;
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
    admin_only(&admin)?;
    let rd = app.refdata().await?;
    let mut u = app
        .store
        .users()
        .await?
        .into_iter()
        .find(|u| u.id == id && admin.scope.contains(&u.scope))
        .ok_or_else(|| ApiError::not_found("user"))?;
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
    check_department(&rd, u.role, u.department.as_deref())?;
    let hash = req.password.as_deref().map(password_hash).transpose()?;
    app.store.update_user(&u, hash.as_deref()).await?;
    Ok(Json(u))
}

/// A department as an admin writes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentRequest {
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Area code it serves (under the admin's scope).
    pub area: String,
    /// Category codes it handles (main classes cover their subclasses).
    pub categories: Vec<String>,
}

/// Adds or changes a department (the dispatch picker sees it within seconds on every server).
#[utoipa::path(put, path = "/api/v1/admin/departments/{id}", tag = "admin", params(("id" = String, Path)), request_body = DepartmentRequest,
    responses((status = 200, body = Department), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn put_department(
    State(app): State<AppState>,
    SignedIn(admin): SignedIn,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DepartmentRequest>,
) -> ApiResult<Json<Department>> {
    admin_only(&admin)?;
    let rd = app.refdata().await?;
    let id = org::parse_username(&id).map_err(|_| ApiError::invalid("id", "id: 3 to 32 letters, digits, `_`, `-` or `.`"))?;
    let name = org::parse_display_name(&req.name).map_err(|e| ApiError::invalid("name", format!("name: {e}")))?;
    let area = scoped_area(&rd, &admin, "area", &req.area)?;
    let mut categories = Vec::new();
    for (i, c) in req.categories.iter().enumerate() {
        let field = format!("categories[{i}]");
        let code = CategoryCode::parse(c).map_err(|e| ApiError::invalid(&field, e.to_string()))?;
        if rd.category(&code).is_none() {
            return Err(ApiError::invalid(&field, format!("{field}: no category with code {code}")));
        }
        categories.push(code);
    }
    let d = Department { id, name, name_en: req.name_en, area, categories };
    app.store.put_department(&d).await?;
    app.invalidate_refdata();
    Ok(Json(d))
}

/// A category as an admin writes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Priority a new case of this category starts with.
    pub priority: civicgrid_domain::Priority,
    /// The level whose centre handles such cases: `city`, `county`, `town` or `village`.
    pub handling_level: civicgrid_domain::AreaLevel,
}

/// Adds or changes a category of the catalogue (a subclass needs its main class). Cases keep the
/// category code they were filed under; a changed priority or level applies to new reports.
#[utoipa::path(put, path = "/api/v1/admin/categories/{code}", tag = "admin", params(("code" = String, Path)), request_body = CategoryRequest,
    responses((status = 200, body = civicgrid_domain::Category), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn put_category(
    State(app): State<AppState>,
    SignedIn(admin): SignedIn,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<CategoryRequest>,
) -> ApiResult<Json<civicgrid_domain::Category>> {
    admin_only(&admin)?;
    if admin.scope.level() > civicgrid_domain::AreaLevel::City {
        return Err(ApiError::forbidden("the catalogue is the city's: only a city-level admin changes it"));
    }
    let code = CategoryCode::parse(&code).map_err(|e| ApiError::invalid("code", e.to_string()))?;
    let rd = app.refdata().await?;
    let parent = code.parent();
    if let Some(p) = &parent {
        if rd.category(p).is_none() {
            return Err(ApiError::invalid("code", format!("code: main class {p} does not exist; add it first")));
        }
    }
    if req.handling_level == civicgrid_domain::AreaLevel::Province {
        return Err(ApiError::invalid("handling_level", "handling_level: city, county, town or village"));
    }
    let name = org::parse_display_name(&req.name).map_err(|e| ApiError::invalid("name", format!("name: {e}")))?;
    let c = civicgrid_domain::Category { code, name, name_en: req.name_en, parent, priority: req.priority, handling_level: req.handling_level };
    app.store.put_category(&c).await?;
    app.invalidate_refdata();
    Ok(Json(c))
}
