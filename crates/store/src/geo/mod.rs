//! Records of the geography: grids with their history, area boundaries and the unified address
//! library. Geometries travel as GeoJSON geometry text (WGS84); the geo crate reads and checks
//! them, the store only keeps them.

use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, GridCode};
use serde::{Deserialize, Serialize};

/// A grid's properties and polygon, as imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRecord {
    /// Unified grid code (community code + 3-digit sequence).
    pub code: GridCode,
    /// Name.
    pub name: String,
    /// Type (`community`, `village`, `industrial_park`, `business_district`, `special`).
    pub kind: String,
    /// Households covered.
    pub households: i64,
    /// Residents covered.
    pub population: i64,
    /// Staff by role, as usernames (JSON object).
    pub staff: serde_json::Value,
    /// The polygon as a GeoJSON geometry object, WGS84.
    pub geometry: String,
}

/// A grid in force, with the version it is at.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredGrid {
    /// The grid.
    pub record: GridRecord,
    /// Its version, from 1; a new one begins with every change.
    pub version: i64,
    /// Since when this version is in force.
    pub valid_from: DateTime<Utc>,
}

/// One version of a grid: what was in force from when to when.
#[derive(Debug, Clone, PartialEq)]
pub struct GridVersion {
    /// The grid as it was.
    pub record: GridRecord,
    /// Version number.
    pub version: i64,
    /// In force from.
    pub valid_from: DateTime<Utc>,
    /// In force until (exclusive); `None` for the current version.
    pub valid_to: Option<DateTime<Utc>>,
    /// Who made the change.
    pub changed_by: String,
}

/// The outline of an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoundaryRecord {
    /// The area.
    pub area: AreaCode,
    /// Its name as the file gave it.
    pub name: Option<String>,
    /// The outline as a GeoJSON geometry object, WGS84.
    pub geometry: String,
}

/// One import of geography, written all or nothing.
#[derive(Debug, Clone, Default)]
pub struct GeoImport {
    /// Grids to add or change; a grid whose properties and polygon are unchanged keeps its version.
    pub grids: Vec<GridRecord>,
    /// Area outlines to add or replace.
    pub boundaries: Vec<BoundaryRecord>,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GeoImportSummary {
    /// Grids that did not exist.
    pub added: u64,
    /// Grids that got a new version.
    pub changed: u64,
    /// Grids given again unchanged.
    pub unchanged: u64,
    /// Area outlines written.
    pub boundaries: u64,
}

/// A standard address of the unified address library (统一地址库).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressRecord {
    /// Row id (ignored on insert).
    pub id: i64,
    /// The standard form, unique in the library.
    pub full_text: String,
    /// 区县.
    pub county: Option<AreaCode>,
    /// 街道/乡镇.
    pub town: Option<AreaCode>,
    /// 社区/村.
    pub community: Option<AreaCode>,
    /// 道路.
    pub road: Option<String>,
    /// 门牌号.
    pub number: Option<String>,
    /// 小区.
    pub estate: Option<String>,
    /// 楼栋.
    pub building: Option<String>,
    /// 单元.
    pub unit: Option<String>,
    /// 房间.
    pub room: Option<String>,
    /// Longitude, WGS84.
    pub lon: Option<f64>,
    /// Latitude, WGS84.
    pub lat: Option<f64>,
    /// The grid the point lies in.
    pub grid: Option<GridCode>,
}

use crate::Result;
use async_trait::async_trait;

/// Geography: grids and their versions, area outlines, the address library.
#[async_trait]
pub trait GeoStore: Send + Sync {
    /// Writes grids and area outlines in one transaction: a changed grid closes its current
    /// version and opens the next, so a case keeps the grid it was reported in. Bumps the
    /// geography revision.
    async fn import_geo(&self, import: &GeoImport, by: &str, now: DateTime<Utc>) -> Result<GeoImportSummary>;
    /// The grids in force under `area` (all when `None`), by code.
    async fn grids(&self, area: Option<&AreaCode>) -> Result<Vec<StoredGrid>>;
    /// Every version of one grid, oldest first.
    async fn grid_history(&self, code: &GridCode) -> Result<Vec<GridVersion>>;
    /// The area outlines, by code.
    async fn boundaries(&self) -> Result<Vec<BoundaryRecord>>;
    /// Adds standard addresses in one transaction (all or nothing; a standard form already in
    /// the library is a `Duplicate`). Bumps the geography revision.
    async fn import_addresses(&self, rows: &[AddressRecord], now: DateTime<Utc>) -> Result<u64>;
    /// The whole address library, by id.
    async fn addresses(&self) -> Result<Vec<AddressRecord>>;
    /// A counter bumped by every change to grids, outlines or addresses.
    async fn geo_revision(&self) -> Result<i64>;
}
