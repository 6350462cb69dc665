//! civicgrid geography: coordinate systems, grid polygons (read, validate, export) and the
//! point-to-grid index.
//!
//! Pure computation: readers take bytes or text, nothing here opens a file or a socket. All
//! geometry is held in WGS84 longitude/latitude (`x` = longitude, `y` = latitude).
//!
//! - [`crs`]: WGS84, CGCS2000, GCJ-02 and BD-09, and conversion to and from WGS84.
//! - [`grid`]: grid features and area outlines.
//! - [`read`]: GeoJSON and Shapefile readers that report every problem at once.
//! - [`validate`]: geometry, duplicate, overlap, outside and gap checks.
//! - [`export`]: GeoJSON for the map.
//! - [`index`]: which grid (or area) a point falls in.
//! - [`sketch`]: roads sketched from the points of their addresses, for a map without tiles.
//! - [`synthetic`]: generated districts for benchmarks, tests and the demo.
#![warn(missing_docs)]

pub mod crs;
mod error;
pub mod export;
pub mod grid;
pub mod index;
pub mod read;
pub mod sketch;
pub mod synthetic;
pub mod validate;

pub use crs::{from_wgs84, to_wgs84, Crs};
pub use error::{ImportError, ImportProblem};
pub use export::grids_to_geojson;
pub use grid::{AreaBoundary, GridFeature, GridKind, GridStaff};
pub use index::{GridIndex, Placement};
pub use read::{crs_from_prj, read_boundaries_geojson, read_boundaries_shapefile, read_grids_geojson, read_grids_shapefile};
pub use synthetic::{plausible_layout, tiling, Layout};
pub use validate::{area_m2, validate_grids, Problem, ProblemKind, ValidationReport, TOLERANCE_M2};
