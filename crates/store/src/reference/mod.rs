//! Reference data every module reads: the area tree of the statistical division codes, the
//! catalogue of case categories, and departments.

pub mod seed;

use async_trait::async_trait;
use civicgrid_domain::{AreaCode, AreaLevel, Category, Department};
use serde::{Deserialize, Serialize};

use crate::Result;

pub use seed::{seed_reference, AREAS_CSV};

/// One node of the area tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Division code.
    pub code: AreaCode,
    /// Name as published.
    pub name: String,
    /// Level.
    pub level: AreaLevel,
    /// Parent code, none for a province.
    pub parent: Option<AreaCode>,
}

/// Reference data: the area tree, categories and departments.
#[async_trait]
pub trait ReferenceStore: Send + Sync {
    /// Inserts the shipped areas that are missing (skipped when the table already holds at least as
    /// many rows as shipped); never overwrites an edit. Answers how many were added.
    async fn seed_areas(&self, rows: &[Area]) -> Result<u64>;
    /// One area.
    async fn area(&self, code: &AreaCode) -> Result<Option<Area>>;
    /// Every area, by code.
    async fn areas(&self) -> Result<Vec<Area>>;
    /// The children of an area.
    async fn area_children(&self, code: &AreaCode) -> Result<Vec<Area>>;
    /// Inserts or replaces a category.
    async fn put_category(&self, c: &Category) -> Result<()>;
    /// All categories, by code.
    async fn categories(&self) -> Result<Vec<Category>>;
    /// Inserts or replaces a department.
    async fn put_department(&self, d: &Department) -> Result<()>;
    /// All departments, by id.
    async fn departments(&self) -> Result<Vec<Department>>;
}
