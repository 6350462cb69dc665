//! The area tree, the category catalogue and the departments.

use axum::extract::{Path, State};
use axum::Json;
use civicgrid_domain::{AreaCode, Category, CategoryCode, Department};
use serde::{Deserialize, Serialize};

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::ApiQuery;
use crate::reference::AreaRef;
use crate::AppState;

/// An area with its path.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AreaView {
    /// The area.
    #[serde(flatten)]
    pub area: AreaRef,
    /// Parent code.
    pub parent: Option<String>,
    /// Path from the province, inclusive.
    pub path: Vec<AreaRef>,
}

fn parse(code: &str) -> ApiResult<AreaCode> {
    AreaCode::parse(code).map_err(|e| ApiError::invalid("code", e.to_string()))
}

/// One area of the tree.
#[utoipa::path(get, path = "/api/v1/areas/{code}", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = AreaView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn area(State(app): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<AreaView>> {
    let code = parse(&code)?;
    let rd = app.refdata().await?;
    let a = rd.areas.get(code.as_str()).ok_or_else(|| ApiError::not_found("area"))?;
    Ok(Json(AreaView {
        area: AreaRef::of(&a.code, &rd),
        parent: a.parent.as_ref().map(|p| p.to_string()),
        path: AreaRef::path(&a.code, &rd),
    }))
}

/// The children of an area.
#[utoipa::path(get, path = "/api/v1/areas/{code}/children", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = [AreaRef]), (status = 404, body = ErrorBody)))]
pub(crate) async fn area_children(State(app): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<Vec<AreaRef>>> {
    let code = parse(&code)?;
    let rd = app.refdata().await?;
    if !rd.areas.contains_key(code.as_str()) {
        return Err(ApiError::not_found("area"));
    }
    let kids = app.store.area_children(&code).await?;
    Ok(Json(kids.iter().map(|a| AreaRef::of(&a.code, &rd)).collect()))
}

/// The category catalogue.
#[utoipa::path(get, path = "/api/v1/categories", tag = "reference", responses((status = 200, body = [Category])))]
pub(crate) async fn categories(State(app): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(app.refdata().await?.categories.clone()))
}

/// Department filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DepartmentFilter {
    /// Only departments that handle this category.
    pub category: Option<String>,
    /// Only departments that serve this area.
    pub area: Option<String>,
}

/// The departments, optionally those that fit a case's category and area (the dispatch picker).
#[utoipa::path(get, path = "/api/v1/departments", tag = "reference", params(DepartmentFilter),
    responses((status = 200, body = [Department]), (status = 422, body = ErrorBody)))]
pub(crate) async fn departments(State(app): State<AppState>, ApiQuery(f): ApiQuery<DepartmentFilter>) -> ApiResult<Json<Vec<Department>>> {
    let category = f.category.as_deref().map(CategoryCode::parse).transpose()?;
    let area = f.area.as_deref().map(|a| AreaCode::parse(a).map_err(|e| ApiError::invalid("area", e.to_string()))).transpose()?;
    let rd = app.refdata().await?;
    Ok(Json(
        rd.departments
            .iter()
            .filter(|d| category.as_ref().is_none_or(|c| d.handles(c)))
            .filter(|d| area.as_ref().is_none_or(|a| d.area.contains(a)))
            .cloned()
            .collect(),
    ))
}
