//! Areas and categories as answers name them: code, name and level.

use civicgrid_domain::{AreaCode, AreaLevel};
use serde::Serialize;

use super::RefData;

/// An area by code and name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaRef {
    /// Division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: AreaLevel,
}

impl AreaRef {
    /// The reference for `code`.
    pub fn of(code: &AreaCode, rd: &RefData) -> Self {
        AreaRef { code: code.to_string(), name: rd.area_name(code), level: code.level() }
    }

    /// The path from the province down to `code`.
    pub fn path(code: &AreaCode, rd: &RefData) -> Vec<AreaRef> {
        code.path().iter().map(|c| AreaRef::of(c, rd)).collect()
    }
}

/// A category by code and name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CategoryRef {
    /// Code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
}

impl CategoryRef {
    /// The reference for `code`; names are empty for a code no longer in the catalogue.
    pub fn of(code: &civicgrid_domain::CategoryCode, rd: &RefData) -> Self {
        let cat = rd.category(code);
        CategoryRef {
            code: code.to_string(),
            name: cat.map(|c| c.name.clone()).unwrap_or_default(),
            name_en: cat.map(|c| c.name_en.clone()).unwrap_or_default(),
        }
    }
}
