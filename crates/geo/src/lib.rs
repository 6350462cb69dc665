//! civicgrid geography: coordinate systems, grid polygons (read, validate, export) and the
//! point-to-grid index.
//!
//! Pure computation: readers take bytes or text, nothing here opens a file or a socket. All
//! geometry is held in WGS84 longitude/latitude (`x` = longitude, `y` = latitude).

pub mod crs;
mod error;
pub mod grid;

pub use crs::{from_wgs84, to_wgs84, Crs};
pub use error::{ImportError, ImportProblem};
pub use grid::{AreaBoundary, GridFeature, GridKind, GridStaff};
pub mod export;
pub mod read;

pub use export::grids_to_geojson;
pub use read::{read_boundaries_geojson, read_boundaries_shapefile, read_grids_geojson, read_grids_shapefile};
pub mod index;
pub mod synthetic;

pub use index::{GridIndex, Placement};
pub use synthetic::{plausible_layout, tiling, Layout};
pub mod validate;

pub use validate::{area_m2, validate_grids, Problem, ProblemKind, ValidationReport};
