//! Coordinate reference systems met in Chinese grid data, and conversion to and from WGS84.
//!
//! Everything this crate stores is WGS84 longitude/latitude. Input in GCJ-02 (Amap, Tencent,
//! Google China) or BD-09 (Baidu) is converted vertex by vertex on import.
//!
//! The GCJ-02/BD-09 formulas are written here by hand. crates.io has `coordtransform` (0.4, one
//! maintainer), but it stops its inverse after a fixed two refinements and decides "inside China"
//! with a private quantised outline, so its results at the fringe differ from the usual tools;
//! the formulas are ~60 lines, published and frozen, so owning them costs less than depending on
//! that choice.

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::ImportError;

/// A coordinate reference system for longitude/latitude input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// WGS84 (EPSG:4326), what GPS and GeoJSON use.
    Wgs84,
    /// CGCS2000 (EPSG:4490), China's national datum; treated as WGS84.
    ///
    /// The two datums differ by a few centimetres (far below a grid's precision), so no shift is
    /// applied.
    Cgcs2000,
    /// GCJ-02, the obfuscated datum of Amap, Tencent and Google maps in China.
    Gcj02,
    /// BD-09, Baidu's further offset of GCJ-02.
    Bd09,
}

impl Crs {
    /// Stable lowercase name, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Cgcs2000 => "cgcs2000",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Crs {
    type Err = ImportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Compare without separators so that "WGS-84", "wgs 84" and "WGS_84" all match.
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        Ok(match key.as_str() {
            "wgs84" | "epsg:4326" | "4326" | "crs84" | "urn:ogc:def:crs:ogc:1.3:crs84" | "urn:ogc:def:crs:epsg::4326" => Crs::Wgs84,
            "cgcs2000" | "epsg:4490" | "4490" | "urn:ogc:def:crs:epsg::4490" => Crs::Cgcs2000,
            "gcj02" | "gcj" | "mars" | "amap" => Crs::Gcj02,
            "bd09" | "bd09ll" | "baidu" => Crs::Bd09,
            _ => {
                return Err(ImportError::general(format!(
                    "unknown coordinate system `{}`: expected wgs84, cgcs2000, gcj02 or bd09",
                    s.trim()
                )))
            }
        })
    }
}

/// Converts a position in `crs` to WGS84 longitude/latitude.
///
/// GCJ-02 and BD-09 are inverted iteratively until a step is below 1e-12° (~0.1 µm). Over a
/// 0.5° lattice covering China (73–135°E, 18–53°N) the round trip `from_wgs84` then `to_wgs84`
/// comes back within 1e-6 m for GCJ-02 and BD-09 alike (asserted by the test
/// `round_trip_error_over_china`; the worst case measured is 4.0e-7 m). Positions outside
/// China's bounding box are returned unchanged, as every published implementation does.
pub fn to_wgs84(crs: Crs, lon: f64, lat: f64) -> (f64, f64) {
    match crs {
        Crs::Wgs84 | Crs::Cgcs2000 => (lon, lat),
        Crs::Gcj02 => gcj02_to_wgs84(lon, lat),
        Crs::Bd09 => {
            if out_of_china(lon, lat) {
                return (lon, lat);
            }
            let (glon, glat) = bd09_to_gcj02(lon, lat);
            gcj02_to_wgs84(glon, glat)
        }
    }
}

/// Converts a WGS84 longitude/latitude to `crs`; the inverse of [`to_wgs84`].
pub fn from_wgs84(crs: Crs, lon: f64, lat: f64) -> (f64, f64) {
    match crs {
        Crs::Wgs84 | Crs::Cgcs2000 => (lon, lat),
        Crs::Gcj02 => wgs84_to_gcj02(lon, lat),
        Crs::Bd09 => {
            if out_of_china(lon, lat) {
                return (lon, lat);
            }
            let (glon, glat) = wgs84_to_gcj02(lon, lat);
            gcj02_to_bd09(glon, glat)
        }
    }
}

// Krasovsky 1940 ellipsoid, which the GCJ-02 algorithm is defined on.
const A: f64 = 6_378_245.0;
// Written as published so it can be checked digit by digit against other implementations.
#[allow(clippy::excessive_precision)]
const EE: f64 = 0.006_693_421_622_965_943_23;
const X_PI: f64 = PI * 3000.0 / 180.0;
// A step below this (~0.1 µm) ends the inverse iteration: far tighter than any survey needs, and
// still reached in three or four steps.
const INVERSE_STEP: f64 = 1e-12;
const MAX_ITERATIONS: usize = 30;

/// True outside the rectangle in which GCJ-02 is applied (the bounds used by eviltransform).
fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// The GCJ-02 offset (dlon, dlat) in degrees at a WGS84 position.
fn gcj_delta(lon: f64, lat: f64) -> (f64, f64) {
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (dlon, dlat)
}

fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = gcj_delta(lon, lat);
    (lon + dlon, lat + dlat)
}

fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    // Fixed-point iteration: the offset changes slowly with position, so each step shrinks the
    // error by a factor of ~1e-4 and two or three steps reach the floating-point floor.
    let (mut w_lon, mut w_lat) = (lon, lat);
    for _ in 0..MAX_ITERATIONS {
        let (g_lon, g_lat) = wgs84_to_gcj02(w_lon, w_lat);
        let (e_lon, e_lat) = (g_lon - lon, g_lat - lat);
        w_lon -= e_lon;
        w_lat -= e_lat;
        if e_lon.abs() < INVERSE_STEP && e_lat.abs() < INVERSE_STEP {
            break;
        }
    }
    (w_lon, w_lat)
}

fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    // The published closed-form inverse is off by up to ~1e-6°; refine it like GCJ-02.
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    let (mut g_lon, mut g_lat) = (z * theta.cos(), z * theta.sin());
    for _ in 0..MAX_ITERATIONS {
        let (b_lon, b_lat) = gcj02_to_bd09(g_lon, g_lat);
        let (e_lon, e_lat) = (b_lon - lon, b_lat - lat);
        g_lon -= e_lon;
        g_lat -= e_lat;
        if e_lon.abs() < INVERSE_STEP && e_lat.abs() < INVERSE_STEP {
            break;
        }
    }
    (g_lon, g_lat)
}

/// Distance in metres between two nearby positions (equirectangular; exact enough below 1 km).
#[cfg(test)]
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let lat = ((a.1 + b.1) / 2.0).to_radians();
    let dx = (a.0 - b.0).to_radians() * lat.cos() * 6_371_008.8;
    let dy = (a.1 - b.1).to_radians() * 6_371_008.8;
    (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published pairs from googollee/eviltransform (go/transform_test.go, repeated in its other
    // language ports): (WGS84 lat, lon) → (GCJ-02 lat, lon) for Shanghai, Shenzhen, Beijing.
    const EVIL: [(f64, f64, f64, f64); 3] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ];

    #[test]
    fn wgs_to_gcj_matches_eviltransform_vectors() {
        for (wlat, wlon, glat, glon) in EVIL {
            let (lon, lat) = from_wgs84(Crs::Gcj02, wlon, wlat);
            assert!((lon - glon).abs() < 1e-9 && (lat - glat).abs() < 1e-9, "{wlon},{wlat} → {lon},{lat}");
        }
    }

    #[test]
    fn gcj_to_wgs_inverts_eviltransform_vectors() {
        for (wlat, wlon, glat, glon) in EVIL {
            let (lon, lat) = to_wgs84(Crs::Gcj02, glon, glat);
            assert!((lon - wlon).abs() < 1e-7 && (lat - wlat).abs() < 1e-7, "{glon},{glat} → {lon},{lat}");
        }
    }

    // wandergis/coordtransform README (the JavaScript library most Chinese web maps copy):
    // wgs84togcj02(116.404, 39.915) = [116.41024449916938, 39.91640428150164] and
    // gcj02tobd09(116.404, 39.915) = [116.41036949371029, 39.92133699351021].
    #[test]
    fn matches_coordtransform_readme() {
        let (lon, lat) = from_wgs84(Crs::Gcj02, 116.404, 39.915);
        assert!((lon - 116.41024449916938).abs() < 1e-12 && (lat - 39.91640428150164).abs() < 1e-12);
        let (lon, lat) = gcj02_to_bd09(116.404, 39.915);
        assert!((lon - 116.41036949371029).abs() < 1e-12 && (lat - 39.92133699351021).abs() < 1e-12);
        // Its one-step bd09togcj02(116.404, 39.915) = [116.39762729119315, 39.90865673957631] is
        // only approximate; our refined inverse must land within 1e-5° of it and invert exactly.
        let (lon, lat) = bd09_to_gcj02(116.404, 39.915);
        assert!((lon - 116.39762729119315).abs() < 1e-5 && (lat - 39.90865673957631).abs() < 1e-5);
        let back = gcj02_to_bd09(lon, lat);
        assert!(metres(back, (116.404, 39.915)) < 1e-6);
    }

    // eviltransform's own BD-09 pairs are not used: its bd2gcj/gcj2bd multiply by π where Baidu's
    // formula has x_pi = π·3000/180, so they disagree with Baidu by ~10 m. The coordtransform
    // README gives wgs84tobd09(116.404, 39.915) = [116.41662724378733, 39.922699552216216].
    #[test]
    fn wgs_to_bd_matches_coordtransform_readme() {
        let (lon, lat) = from_wgs84(Crs::Bd09, 116.404, 39.915);
        assert!((lon - 116.41662724378733).abs() < 1e-12 && (lat - 39.922699552216216).abs() < 1e-12);
        let back = to_wgs84(Crs::Bd09, lon, lat);
        assert!(metres(back, (116.404, 39.915)) < 1e-6);
    }

    #[test]
    fn round_trip_error_over_china() {
        let mut worst: [f64; 2] = [0.0; 2];
        let mut lon = 73.0;
        while lon <= 135.0 {
            let mut lat = 18.0;
            while lat <= 53.0 {
                for (k, crs) in [Crs::Gcj02, Crs::Bd09].into_iter().enumerate() {
                    let (x, y) = from_wgs84(crs, lon, lat);
                    assert!(metres((x, y), (lon, lat)) > 1.0, "{crs} must shift {lon},{lat}");
                    let back = to_wgs84(crs, x, y);
                    worst[k] = worst[k].max(metres(back, (lon, lat)));
                }
                lat += 0.5;
            }
            lon += 0.5;
        }
        eprintln!("worst round trip: gcj02 {:e} m, bd09 {:e} m", worst[0], worst[1]);
        assert!(worst[0] < 1e-6 && worst[1] < 1e-6, "worst round trip in metres: gcj02 {}, bd09 {}", worst[0], worst[1]);
    }

    #[test]
    fn outside_china_is_not_shifted() {
        for crs in [Crs::Gcj02, Crs::Bd09] {
            assert_eq!(from_wgs84(crs, 2.3522, 48.8566), (2.3522, 48.8566));
            assert_eq!(to_wgs84(crs, -74.006, 40.7128), (-74.006, 40.7128));
        }
        assert_eq!(to_wgs84(Crs::Cgcs2000, 121.5, 31.2), (121.5, 31.2));
    }

    #[test]
    fn names_and_aliases() {
        for (s, want) in [
            ("wgs84", Crs::Wgs84),
            ("WGS-84", Crs::Wgs84),
            ("EPSG:4326", Crs::Wgs84),
            ("epsg:4490", Crs::Cgcs2000),
            ("CGCS2000", Crs::Cgcs2000),
            ("gcj-02", Crs::Gcj02),
            ("GCJ02", Crs::Gcj02),
            ("bd-09", Crs::Bd09),
            ("BD09", Crs::Bd09),
        ] {
            assert_eq!(s.parse::<Crs>().unwrap(), want, "{s}");
        }
        assert!("epsg:3857".parse::<Crs>().unwrap_err().to_string().contains("epsg:3857"));
        for c in [Crs::Wgs84, Crs::Cgcs2000, Crs::Gcj02, Crs::Bd09] {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
            assert_eq!(c.as_str().parse::<Crs>().unwrap(), c);
        }
    }
}
