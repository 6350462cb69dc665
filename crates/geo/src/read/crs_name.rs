//! The coordinate system a shapefile's `.prj` (ESRI WKT) or a GeoJSON legacy `crs` member names,
//! with the refusals (projected systems, unknown datums) worded for the person importing.
//!
//! Separate from the format readers because it is string matching on CRS names, independent of
//! the geometry.

use super::truncate;
use crate::crs::Crs;
use crate::ImportError;

/// The coordinate system a `.prj` (ESRI WKT) names, or an error naming what is unsupported.
pub fn crs_from_prj(wkt: &str) -> Result<Crs, ImportError> {
    let t = wkt.trim().trim_start_matches('\u{feff}');
    let head = t.split('[').next().unwrap_or("").trim().to_ascii_uppercase();
    let mut quoted = t.split('"').skip(1).step_by(2);
    let name = quoted.next().unwrap_or("").to_string();
    if head == "PROJCS" || head == "PROJCRS" || head == "PROJECTEDCRS" {
        return Err(ImportError::general(format!(
            "the .prj names the projected coordinate system `{name}`; civicgrid reads longitude/latitude only: reproject to CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326) first, e.g. ogr2ogr -t_srs EPSG:4490"
        )));
    }
    if head != "GEOGCS" && head != "GEOGCRS" && head != "GEODCRS" {
        return Err(ImportError::general(format!("the .prj is not a WKT coordinate system (starts with `{}`)", truncate(t, 40))));
    }
    // Only the system's and the datum's names count: a TOWGS84[...] clause in, say, Xian 1980
    // must not make it WGS84.
    let datum = t.find("DATUM[").and_then(|i| t[i..].split('"').nth(1)).unwrap_or("").to_string();
    for n in [&name, &datum] {
        let k = n.to_ascii_uppercase().replace(['_', '-'], " ");
        if k.contains("WGS 1984") || k.contains("WGS 84") || k.contains("WGS84") {
            return Ok(Crs::Wgs84);
        }
        if k.contains("CGCS2000") || k.contains("CHINA GEODETIC COORDINATE SYSTEM 2000") || k.contains("CHINA 2000") {
            return Ok(Crs::Cgcs2000);
        }
    }
    Err(ImportError::general(format!(
        "the .prj names the geographic coordinate system `{name}`, which civicgrid does not convert: use CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326)"
    )))
}

/// The coordinate system a GeoJSON legacy `crs` name (`urn:ogc:def:crs:EPSG::4490`, `EPSG:4326`,
/// `urn:ogc:def:crs:OGC:1.3:CRS84`) stands for.
pub(super) fn crs_from_geojson_name(name: &str) -> Result<Crs, ImportError> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.ends_with("CRS84") {
        return Ok(Crs::Wgs84);
    }
    if upper.contains("EPSG") {
        let digits: String = upper.chars().rev().take_while(|c| c.is_ascii_digit()).collect::<Vec<_>>().into_iter().rev().collect();
        let what = match digits.parse::<u32>() {
            Ok(4326) => return Ok(Crs::Wgs84),
            Ok(4490) => return Ok(Crs::Cgcs2000),
            Ok(4491..=4554) => "a projected CGCS2000 Gauss-Krüger system",
            Ok(3857) | Ok(900913) => "Web Mercator, a projected system",
            Ok(2327..=2442) => "a projected Xian 1980 or Beijing 1954 Gauss-Krüger system",
            _ => "not a supported system",
        };
        return Err(ImportError::general(format!(
            "the GeoJSON `crs` is `{}` ({what}); civicgrid reads longitude/latitude in CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326): reproject first",
            name.trim()
        )));
    }
    name.parse::<Crs>()
        .map_err(|_| ImportError::general(format!("the GeoJSON `crs` names `{}`, which civicgrid does not know", name.trim())))
}
