//! The admin's edits of the reference tables: departments (under his scope) and the category
//! catalogue (the city's).

use axum::extract::{Path, State};
use axum::Json;
use civicgrid_domain::{org, CategoryCode, Department};
use serde::Deserialize;

use super::scoped_area;
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiJson, SignedIn};
use crate::AppState;

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
    let rd = app.refdata().await?;
    let id = org::parse_username(&id).map_err(|_| ApiError::invalid("id", "id: 3 to 32 letters, digits, `_`, `-` or `.`"))?;
    let name = org::parse_display_name(&req.name).map_err(|e| ApiError::invalid("name", format!("name: {e}")))?;
    let area = scoped_area(&rd, &admin, "area", &req.area)?;
    // The department as it stands must be his too, or a town admin could pull the city's down.
    if let Some(current) = rd.department(&id) {
        if !admin.scope.contains(&current.area) {
            return Err(ApiError::forbidden(format!("department `{id}` serves {}, outside your scope {}", current.area, admin.scope)));
        }
    }
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
    let c =
        civicgrid_domain::Category { code, name, name_en: req.name_en, parent, priority: req.priority, handling_level: req.handling_level };
    app.store.put_category(&c).await?;
    app.invalidate_refdata();
    Ok(Json(c))
}
