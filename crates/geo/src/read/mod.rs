//! Reading grids and area boundaries from GeoJSON and ESRI Shapefile.
//!
//! Readers take text or bytes (the CLI reads the files) and return either every feature or an
//! [`ImportError`] listing every problem found, each with its 1-based feature number and code.
//!
//! # Accepted property (GeoJSON) and field (DBF) names
//!
//! Names are matched case-insensitively; the first non-empty one found wins.
//!
//! | meaning | names |
//! |---|---|
//! | grid code (15 digits) | `code`, `grid_code`, `WGBM`, `网格编码`, `网格代码` |
//! | area code (boundaries) | `code`, `area`, `area_code`, `XZQDM`, `QHDM`, `行政区划代码`, `区划代码` |
//! | name | `name`, `WGMC`, `网格名称` (grids); `name`, `XZQMC`, `QHMC`, `区划名称` (boundaries); `MC`, `名称` |
//! | type ([`GridKind`](crate::grid::GridKind)) | `type`, `kind`, `WGLX`, `网格类型`, `类型`; English or Chinese values; missing means `community` |
//! | households | `households`, `HS`, `户数` |
//! | population | `population`, `RK`, `RKS`, `人口`, `人口数` |
//! | grid chief 网格长 | `chief`, `WGZ`, `网格长` |
//! | full-time workers 专职网格员 | `full_time`, `ZZWGY`, `专职网格员` |
//! | part-time workers 兼职网格员 | `part_time`, `JZWGY`, `兼职网格员` |
//! | police 驻格民警 | `police`, `ZGMJ`, `驻格民警`, `民警` |
//!
//! A staff field holds one username, several separated by `,`, `，`, `、` or `;`, or (GeoJSON
//! only) a JSON array of usernames. GeoJSON may instead carry a `staff` object with the four
//! lists, which is what [`crate::export::grids_to_geojson`] writes.
//!
//! # Geometry and coordinate systems
//!
//! Only Polygon and MultiPolygon (shapefile: Polygon, PolygonZ, PolygonM) are accepted. Rings are
//! checked on the raw coordinates: at least 4 positions, first equal to last, numeric longitude
//! in [-180, 180] and latitude in [-90, 90]. The coordinate system is the `crs` argument if
//! given, else the GeoJSON legacy `crs` member or the shapefile's `.prj`, else WGS84. Projected
//! systems (Gauss-Krüger, Web Mercator) are refused by name. GCJ-02 and BD-09 input is converted
//! to WGS84 vertex by vertex.
//!
//! DBF text is decoded as UTF-8, or as GBK when it is not valid UTF-8 (what Chinese desktop GIS
//! writes by default).

use crate::crs::Crs;
use crate::grid::{AreaBoundary, GridFeature};
use crate::ImportError;

// This file: the public readers. `crs_name`: the coordinate system a `.prj` or a GeoJSON `crs`
// member names; `raw`: the common raw form both formats are read into, and the accepted names;
// `build`: grids and boundaries built from the raw form; `rings`: the ring and polygon checks
// every format shares; `geojson` and `shp`: the two formats.
mod build;
mod crs_name;
mod geojson;
mod raw;
mod rings;
mod shp;

#[cfg(test)]
mod tests;

use build::{build_boundaries, build_grids};
pub use crs_name::crs_from_prj;
use geojson::parse_geojson;
use shp::parse_shapefile;

/// Reads grids from a GeoJSON FeatureCollection.
pub fn read_grids_geojson(text: &str, crs: Option<Crs>) -> Result<Vec<GridFeature>, ImportError> {
    let raw = parse_geojson(text, crs)?;
    build_grids(raw)
}

/// Reads grids from a shapefile's `.shp` and `.dbf` bytes and optional `.prj` text.
pub fn read_grids_shapefile(shp: &[u8], dbf: &[u8], prj: Option<&str>, crs: Option<Crs>) -> Result<Vec<GridFeature>, ImportError> {
    let raw = parse_shapefile(shp, dbf, prj, crs)?;
    build_grids(raw)
}

/// Reads area boundaries (county, town, community outlines) from a GeoJSON FeatureCollection.
pub fn read_boundaries_geojson(text: &str, crs: Option<Crs>) -> Result<Vec<AreaBoundary>, ImportError> {
    let raw = parse_geojson(text, crs)?;
    build_boundaries(raw)
}

/// Reads area boundaries from a shapefile's `.shp` and `.dbf` bytes and optional `.prj` text.
pub fn read_boundaries_shapefile(shp: &[u8], dbf: &[u8], prj: Option<&str>, crs: Option<Crs>) -> Result<Vec<AreaBoundary>, ImportError> {
    let raw = parse_shapefile(shp, dbf, prj, crs)?;
    build_boundaries(raw)
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
