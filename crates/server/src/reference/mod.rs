//! 基础参照: the area tree, the category catalogue and the departments; the admin's edits of the
//! last two; and the short-lived copy of all three that other modules read.

mod admin;
mod read;
mod refdata;
mod views;

use civicgrid_domain::{AreaCode, User};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::accounts::ADMINS_ONLY;
use crate::kit::access::guard;
use crate::kit::error::{ApiError, ApiResult};
use crate::kit::openapi::module;
use crate::AppState;

pub(crate) use refdata::Cache;
pub use refdata::RefData;
pub use views::{AreaRef, CategoryRef};

/// `/api/v1/areas`, `/api/v1/categories`, `/api/v1/departments` (public) and the admin's
/// `/api/v1/admin/departments`, `/api/v1/admin/categories`.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let public = module("reference", "area tree, categories, departments")
        .routes(routes!(read::area))
        .routes(routes!(read::area_children))
        .routes(routes!(read::categories))
        .routes(routes!(read::departments));
    let admin = OpenApiRouter::default().routes(routes!(admin::put_department)).routes(routes!(admin::put_category));
    public.merge(guard(ADMINS_ONLY, admin))
}

/// The area `raw` names, which must exist and lie under the admin's scope.
pub(crate) fn scoped_area(rd: &RefData, admin: &User, field: &str, raw: &str) -> ApiResult<AreaCode> {
    let code = AreaCode::parse(raw).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    if !rd.areas.contains_key(code.as_str()) {
        return Err(ApiError::invalid(field, format!("{field}: no area with code {code}")));
    }
    if !admin.scope.contains(&code) {
        return Err(ApiError::invalid(field, format!("{field}: {code} is outside your scope {}", admin.scope)));
    }
    Ok(code)
}
