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
//! | type ([`GridKind`]) | `type`, `kind`, `WGLX`, `网格类型`, `类型`; English or Chinese values; missing means `community` |
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

use civicgrid_domain::area::{AreaCode, GridCode};
use geo::{LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value};
use shapefile::dbase;
use std::io::Cursor;

use crate::crs::{to_wgs84, Crs};
use crate::grid::{AreaBoundary, GridFeature, GridKind, GridStaff};
use crate::{ImportError, ImportProblem};

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
pub fn read_boundaries_shapefile(
    shp: &[u8],
    dbf: &[u8],
    prj: Option<&str>,
    crs: Option<Crs>,
) -> Result<Vec<AreaBoundary>, ImportError> {
    let raw = parse_shapefile(shp, dbf, prj, crs)?;
    build_boundaries(raw)
}

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
    let datum = t
        .find("DATUM[")
        .and_then(|i| t[i..].split('"').nth(1))
        .unwrap_or("")
        .to_string();
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
fn crs_from_geojson_name(name: &str) -> Result<Crs, ImportError> {
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

// ---------------------------------------------------------------------------------------------
// The common raw form: properties and checked coordinates, before domain types.

#[derive(Debug, Clone)]
enum Prop {
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Prop>),
    Obj(Map<String, Value>),
}

impl Prop {
    fn from_json(v: &Value) -> Prop {
        match v {
            Value::Null => Prop::Null,
            Value::String(s) => Prop::Str(s.clone()),
            Value::Number(n) => n.as_f64().map(Prop::Num).unwrap_or(Prop::Null),
            Value::Bool(b) => Prop::Bool(*b),
            Value::Array(a) => Prop::List(a.iter().map(Prop::from_json).collect()),
            Value::Object(o) => Prop::Obj(o.clone()),
        }
    }

    fn from_dbf(v: dbase::FieldValue) -> Prop {
        use dbase::FieldValue as F;
        match v {
            F::Character(Some(s)) | F::Memo(s) => Prop::Str(s),
            F::Numeric(Some(n)) | F::Currency(n) | F::Double(n) => Prop::Num(n),
            F::Float(Some(n)) => Prop::Num(f64::from(n)),
            F::Integer(n) => Prop::Num(f64::from(n)),
            F::Logical(Some(b)) => Prop::Bool(b),
            _ => Prop::Null,
        }
    }

    /// The value as trimmed text, or `None` if empty or not scalar.
    fn text(&self) -> Option<String> {
        let s = match self {
            Prop::Str(s) => s.trim().to_string(),
            // A 15-digit code stored as a DBF number is exact in f64 (below 2^53).
            Prop::Num(n) if n.fract() == 0.0 && n.abs() < 1e16 => format!("{n:.0}"),
            Prop::Num(n) => n.to_string(),
            Prop::Bool(b) => b.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    }

    fn is_empty(&self) -> bool {
        match self {
            Prop::Null => true,
            Prop::Str(s) => s.trim().is_empty(),
            Prop::List(l) => l.is_empty(),
            _ => false,
        }
    }
}

/// One feature as read, with properties keyed by lowercased name and coordinates already
/// checked and converted to WGS84.
struct RawFeature {
    index: usize,
    props: Vec<(String, Prop)>,
    geometry: Option<MultiPolygon<f64>>,
}

impl RawFeature {
    fn get(&self, names: &[&str]) -> Option<&Prop> {
        names
            .iter()
            .find_map(|n| self.props.iter().find(|(k, v)| k == n && !v.is_empty()).map(|(_, v)| v))
    }
}

/// Raw features plus the problems met while reading them; the builders add their own.
struct RawInput {
    features: Vec<RawFeature>,
    problems: Vec<ImportProblem>,
}

const GRID_CODE: &[&str] = &["code", "grid_code", "wgbm", "网格编码", "网格代码"];
const AREA_CODE: &[&str] = &["code", "area", "area_code", "xzqdm", "qhdm", "行政区划代码", "区划代码"];
const GRID_NAME: &[&str] = &["name", "wgmc", "网格名称", "mc", "名称"];
const AREA_NAME: &[&str] = &["name", "xzqmc", "qhmc", "区划名称", "mc", "名称"];
const KIND: &[&str] = &["type", "kind", "wglx", "网格类型", "类型"];
const HOUSEHOLDS: &[&str] = &["households", "hs", "户数"];
const POPULATION: &[&str] = &["population", "rk", "rks", "人口", "人口数"];
const CHIEF: &[&str] = &["chief", "wgz", "网格长"];
const FULL_TIME: &[&str] = &["full_time", "zzwgy", "专职网格员"];
const PART_TIME: &[&str] = &["part_time", "jzwgy", "兼职网格员"];
const POLICE: &[&str] = &["police", "zgmj", "驻格民警", "民警"];

fn build_grids(input: RawInput) -> Result<Vec<GridFeature>, ImportError> {
    let RawInput { features, mut problems } = input;
    let mut out = Vec::with_capacity(features.len());
    for f in features {
        let code_text = f.get(GRID_CODE).and_then(Prop::text);
        let c = code_text.as_deref();
        let before = problems.len();
        let code = match &code_text {
            None => {
                problems.push(ImportProblem::at(f.index, None, "missing grid code (property `code` or WGBM/网格编码)"));
                None
            }
            Some(t) => match GridCode::parse(t) {
                Ok(g) => Some(g),
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, c, format!("invalid grid code: {e}")));
                    None
                }
            },
        };
        let kind = match f.get(KIND).and_then(Prop::text) {
            None => GridKind::Community,
            Some(t) => match t.parse::<GridKind>() {
                Ok(k) => k,
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, c, e.problems[0].message.clone()));
                    GridKind::Community
                }
            },
        };
        let households = count(&f, HOUSEHOLDS, "households", c, &mut problems);
        let population = count(&f, POPULATION, "population", c, &mut problems);
        let mut staff = GridStaff::default();
        if let Some(Prop::Obj(o)) = f.get(&["staff"]) {
            match serde_json::from_value::<GridStaff>(Value::Object(o.clone())) {
                Ok(s) => staff = s,
                Err(e) => problems.push(ImportProblem::at(f.index, c, format!("invalid `staff` object: {e}"))),
            }
        }
        for (names, list, label) in [
            (CHIEF, &mut staff.chief, "chief"),
            (FULL_TIME, &mut staff.full_time, "full_time"),
            (PART_TIME, &mut staff.part_time, "part_time"),
            (POLICE, &mut staff.police, "police"),
        ] {
            if let Some(p) = f.get(names) {
                match usernames(p) {
                    Some(u) => *list = u,
                    None => problems.push(ImportProblem::at(f.index, c, format!("`{label}` must be a username, a list separated by commas or 、, or an array of usernames"))),
                }
            }
        }
        let name = f.get(GRID_NAME).and_then(Prop::text).unwrap_or_default();
        if problems.len() == before {
            if let (Some(code), Some(geometry)) = (code, f.geometry) {
                out.push(GridFeature { code, name, kind, households, population, staff, geometry });
            }
        }
    }
    finish(out, problems)
}

fn build_boundaries(input: RawInput) -> Result<Vec<AreaBoundary>, ImportError> {
    let RawInput { features, mut problems } = input;
    let mut out = Vec::with_capacity(features.len());
    for f in features {
        let code_text = f.get(AREA_CODE).and_then(Prop::text);
        let area = match &code_text {
            None => {
                problems.push(ImportProblem::at(f.index, None, "missing area code (property `code`)"));
                None
            }
            Some(t) => match AreaCode::parse(t) {
                Ok(a) => Some(a),
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, Some(t), format!("invalid area code: {e}")));
                    None
                }
            },
        };
        let name = f.get(AREA_NAME).and_then(Prop::text);
        if let (Some(area), Some(geometry)) = (area, f.geometry) {
            out.push(AreaBoundary { area, name, geometry });
        }
    }
    finish(out, problems)
}

fn finish<T>(out: Vec<T>, mut problems: Vec<ImportProblem>) -> Result<Vec<T>, ImportError> {
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.sort_by_key(|p| p.feature.unwrap_or(0));
        Err(ImportError { problems })
    }
}

fn count(f: &RawFeature, names: &[&str], label: &str, code: Option<&str>, problems: &mut Vec<ImportProblem>) -> u32 {
    let Some(p) = f.get(names) else { return 0 };
    let n = match p {
        Prop::Num(n) => Some(*n),
        Prop::Str(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => n as u32,
        _ => {
            let shown = p.text().unwrap_or_else(|| "a non-number".into());
            problems.push(ImportProblem::at(f.index, code, format!("`{label}` must be a whole number ≥ 0, not `{shown}`")));
            0
        }
    }
}

fn usernames(p: &Prop) -> Option<Vec<String>> {
    match p {
        Prop::Str(s) => Some(
            s.split([',', '，', '、', ';', '；'])
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Prop::List(items) => items
            .iter()
            .map(|i| match i {
                Prop::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

// ---------------------------------------------------------------------------------------------
// Rings: the checks every format shares, on raw coordinates.

/// Checks one ring's raw positions and converts it; pushes problems and returns `None` if bad.
fn check_ring(
    ring: &[[f64; 2]],
    label: &str,
    index: usize,
    code: Option<&str>,
    crs: Crs,
    problems: &mut Vec<ImportProblem>,
) -> Option<LineString<f64>> {
    let mut ok = true;
    if ring.len() < 4 {
        problems.push(ImportProblem::at(index, code, format!("{label} has {} positions; a ring needs at least 4 (3 corners and the closing point)", ring.len())));
        ok = false;
    }
    let out_of_range: Vec<&[f64; 2]> =
        ring.iter().filter(|[x, y]| !(-180.0..=180.0).contains(x) || !(-90.0..=90.0).contains(y)).collect();
    if let Some([x, y]) = out_of_range.first() {
        let hint = if x.abs() > 1000.0 || y.abs() > 1000.0 {
            "; these look like projected metres (e.g. Gauss-Krüger): reproject to longitude/latitude"
        } else {
            ""
        };
        problems.push(ImportProblem::at(
            index,
            code,
            format!(
                "{label} has {} position(s) outside longitude [-180, 180] / latitude [-90, 90], the first ({x}, {y}){hint}",
                out_of_range.len()
            ),
        ));
        ok = false;
    }
    if let (Some(first), Some(last)) = (ring.first(), ring.last()) {
        if ring.len() >= 2 && first != last {
            problems.push(ImportProblem::at(
                index,
                code,
                format!("{label} does not close: first point ({}, {}) ≠ last point ({}, {})", first[0], first[1], last[0], last[1]),
            ));
            ok = false;
        }
    }
    ok.then(|| {
        LineString::from(
            ring.iter()
                .map(|&[x, y]| {
                    let (lon, lat) = to_wgs84(crs, x, y);
                    geo::coord! { x: lon, y: lat }
                })
                .collect::<Vec<_>>(),
        )
    })
}

fn ring_label(polygon: usize, polygons: usize, ring: usize) -> String {
    let r = if ring == 0 { "exterior ring".to_string() } else { format!("hole {ring}") };
    if polygons > 1 {
        format!("polygon {} {r}", polygon + 1)
    } else {
        r
    }
}

/// Checks and converts polygons given as rings of raw positions (first ring exterior).
fn check_polygons(
    polygons: &[Vec<Vec<[f64; 2]>>],
    index: usize,
    code: Option<&str>,
    crs: Crs,
    problems: &mut Vec<ImportProblem>,
) -> Option<MultiPolygon<f64>> {
    if polygons.is_empty() {
        problems.push(ImportProblem::at(index, code, "geometry has no polygon"));
        return None;
    }
    let mut out = Vec::with_capacity(polygons.len());
    let mut ok = true;
    for (pi, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            problems.push(ImportProblem::at(index, code, format!("{} is empty", ring_label(pi, polygons.len(), 0))));
            ok = false;
            continue;
        }
        let mut checked = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.iter().enumerate() {
            match check_ring(ring, &ring_label(pi, polygons.len(), ri), index, code, crs, problems) {
                Some(l) => checked.push(l),
                None => ok = false,
            }
        }
        if ok {
            let mut it = checked.into_iter();
            let exterior = it.next().expect("one ring at least");
            out.push(Polygon::new(exterior, it.collect()));
        }
    }
    ok.then(|| MultiPolygon::new(out))
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

fn parse_geojson(text: &str, crs: Option<Crs>) -> Result<RawInput, ImportError> {
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        ImportError::general(format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()))
    })?;
    let Some(obj) = root.as_object() else {
        return Err(ImportError::general("not a GeoJSON FeatureCollection: the top level is not an object"));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => {
            return Err(ImportError::general(format!(
                "not a GeoJSON FeatureCollection: top-level type is `{other}`"
            )))
        }
        None => return Err(ImportError::general("not a GeoJSON FeatureCollection: no top-level `type`")),
    }
    let Some(features) = obj.get("features").and_then(Value::as_array) else {
        return Err(ImportError::general("the FeatureCollection has no `features` array"));
    };
    let crs = match crs {
        Some(c) => c,
        None => match obj.get("crs") {
            None | Some(Value::Null) => Crs::Wgs84,
            Some(member) => match member.pointer("/properties/name").and_then(Value::as_str) {
                Some(name) => crs_from_geojson_name(name)?,
                None => {
                    return Err(ImportError::general(
                        "the GeoJSON `crs` member is not of the form {\"type\": \"name\", \"properties\": {\"name\": …}}",
                    ))
                }
            },
        },
    };
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let index = i + 1;
        let Some(fobj) = feature.as_object() else {
            problems.push(ImportProblem::at(index, None, "is not a JSON object"));
            continue;
        };
        if fobj.get("type").and_then(Value::as_str) != Some("Feature") {
            problems.push(ImportProblem::at(index, None, "is not a GeoJSON Feature (`type` must be \"Feature\")"));
            continue;
        }
        let props: Vec<(String, Prop)> = match fobj.get("properties") {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.trim().to_lowercase(), Prop::from_json(v))).collect(),
            _ => Vec::new(),
        };
        // The code, for messages only; the builders judge it.
        let code = [GRID_CODE, AREA_CODE]
            .iter()
            .flat_map(|names| names.iter())
            .find_map(|n| props.iter().find(|(k, v)| k == n && !v.is_empty()).and_then(|(_, v)| v.text()));
        let c = code.as_deref();
        let geometry = match fobj.get("geometry") {
            None | Some(Value::Null) => {
                problems.push(ImportProblem::at(index, c, "has no geometry"));
                None
            }
            Some(g) => json_polygons(g, index, c, &mut problems).and_then(|p| check_polygons(&p, index, c, crs, &mut problems)),
        };
        out.push(RawFeature { index, props, geometry });
    }
    Ok(RawInput { features: out, problems })
}

/// The raw rings of a Polygon or MultiPolygon geometry object.
fn json_polygons(g: &Value, index: usize, code: Option<&str>, problems: &mut Vec<ImportProblem>) -> Option<Vec<Vec<Vec<[f64; 2]>>>> {
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = g.get("coordinates");
    let polygons: Vec<&Value> = match (kind, coords) {
        ("Polygon", Some(c)) => vec![c],
        ("MultiPolygon", Some(Value::Array(ps))) => ps.iter().collect(),
        ("Polygon" | "MultiPolygon", _) => {
            problems.push(ImportProblem::at(index, code, format!("{kind} has no coordinates array")));
            return None;
        }
        ("", _) => {
            problems.push(ImportProblem::at(index, code, "geometry has no `type`"));
            return None;
        }
        (other, _) => {
            problems.push(ImportProblem::at(index, code, format!("geometry is a {other}; only Polygon and MultiPolygon are accepted")));
            return None;
        }
    };
    let mut out = Vec::with_capacity(polygons.len());
    let n = polygons.len();
    let mut ok = true;
    for (pi, p) in polygons.into_iter().enumerate() {
        let Some(rings) = p.as_array() else {
            problems.push(ImportProblem::at(index, code, format!("{} is not an array of rings", ring_label(pi, n, 0))));
            ok = false;
            continue;
        };
        let mut prs = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.iter().enumerate() {
            let label = ring_label(pi, n, ri);
            let Some(positions) = ring.as_array() else {
                problems.push(ImportProblem::at(index, code, format!("{label} is not an array of positions")));
                ok = false;
                continue;
            };
            let mut r = Vec::with_capacity(positions.len());
            let mut bad = None;
            for (k, pos) in positions.iter().enumerate() {
                match pos.as_array().map(|a| a.as_slice()) {
                    Some([x, y, ..]) if x.is_number() && y.is_number() => {
                        r.push([x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN)]);
                    }
                    _ => {
                        bad.get_or_insert((k + 1, pos.to_string()));
                    }
                }
            }
            if let Some((k, shown)) = bad {
                problems.push(ImportProblem::at(
                    index,
                    code,
                    format!("{label}: position {k} is `{}`, not [longitude, latitude] numbers", truncate(&shown, 60)),
                ));
                ok = false;
                continue;
            }
            prs.push(r);
        }
        out.push(prs);
    }
    ok.then_some(out)
}

// ---------------------------------------------------------------------------------------------
// Shapefile

fn parse_shapefile(shp: &[u8], dbf: &[u8], prj: Option<&str>, crs: Option<Crs>) -> Result<RawInput, ImportError> {
    let crs = match (crs, prj) {
        (Some(c), _) => c,
        (None, Some(p)) => crs_from_prj(p)?,
        (None, None) => Crs::Wgs84,
    };
    let shapes = shapefile::ShapeReader::new(Cursor::new(shp))
        .and_then(|r| r.read())
        .map_err(|e| ImportError::general(format!("cannot read the .shp: {e}")))?;
    let records = read_dbf(dbf)?;
    if shapes.len() != records.len() {
        return Err(ImportError::general(format!(
            "the .shp has {} shapes but the .dbf has {} records; they must come from the same shapefile",
            shapes.len(),
            records.len()
        )));
    }
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(shapes.len());
    for (i, (shape, record)) in shapes.into_iter().zip(records).enumerate() {
        let index = i + 1;
        let props: Vec<(String, Prop)> =
            record.into_iter().map(|(k, v)| (k.trim().to_lowercase(), Prop::from_dbf(v))).collect();
        let code = [GRID_CODE, AREA_CODE]
            .iter()
            .flat_map(|names| names.iter())
            .find_map(|n| props.iter().find(|(k, v)| k == n && !v.is_empty()).and_then(|(_, v)| v.text()));
        let c = code.as_deref();
        let rings: Option<Vec<(bool, Vec<[f64; 2]>)>> = match shape {
            shapefile::Shape::Polygon(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::PolygonZ(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::PolygonM(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::NullShape => {
                problems.push(ImportProblem::at(index, c, "has no geometry (null shape)"));
                None
            }
            other => {
                problems.push(ImportProblem::at(
                    index,
                    c,
                    format!("geometry is a {}; only polygons are accepted", other.shapetype()),
                ));
                None
            }
        };
        let geometry = rings.and_then(|r| check_polygons(&group_rings(r), index, c, crs, &mut problems));
        out.push(RawFeature { index, props, geometry });
    }
    Ok(RawInput { features: out, problems })
}

fn shp_rings<P>(rings: &[shapefile::PolygonRing<P>], xy: impl Fn(&P) -> [f64; 2]) -> Vec<(bool, Vec<[f64; 2]>)> {
    rings
        .iter()
        .map(|r| (matches!(r, shapefile::PolygonRing::Outer(_)), r.points().iter().map(&xy).collect()))
        .collect()
}

/// Groups shapefile rings into polygons: each outer ring starts one, and each hole joins the
/// outer ring that contains its first point (the format does not promise that holes follow
/// their shell).
fn group_rings(rings: Vec<(bool, Vec<[f64; 2]>)>) -> Vec<Vec<Vec<[f64; 2]>>> {
    let mut polygons: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut holes = Vec::new();
    for (outer, ring) in rings {
        if outer || ring.len() < 3 {
            polygons.push(vec![ring]);
        } else {
            holes.push(ring);
        }
    }
    for hole in holes {
        let p = hole[0];
        let target = polygons.iter().position(|rings| point_in_ring(p, &rings[0]));
        match target {
            Some(t) => polygons[t].push(hole),
            // A hole in no shell is kept as its own polygon, so validation can report it rather
            // than it vanishing here.
            None => polygons.push(vec![hole]),
        }
    }
    polygons
}

fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
    }
    inside
}

fn read_dbf(dbf: &[u8]) -> Result<Vec<dbase::Record>, ImportError> {
    let strict = dbase::ReaderBuilder::new()
        .with_encoding(dbase::Unicode)
        .build(Cursor::new(dbf))
        .and_then(|mut r| r.read());
    match strict {
        Ok(records) => Ok(records),
        Err(first) => {
            let gbk = dbase::encoding::DynEncoding::from_name("GBK").expect("encoding_rs knows GBK");
            dbase::ReaderBuilder::new()
                .with_encoding(gbk)
                .build(Cursor::new(dbf))
                .and_then(|mut r| r.read())
                .map_err(|_| ImportError::general(format!("cannot read the .dbf: {first}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BoundingRect};
    use serde_json::json;

    fn fc(features: Vec<Value>) -> String {
        json!({"type": "FeatureCollection", "features": features}).to_string()
    }

    fn feature(props: Value, geometry: Value) -> Value {
        json!({"type": "Feature", "properties": props, "geometry": geometry})
    }

    fn square(x: f64, y: f64, d: f64) -> Value {
        json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
    }

    #[test]
    fn reads_properties_in_every_spelling() {
        let text = fc(vec![
            feature(
                json!({"code": "371002001001001", "name": "第1网格", "type": "社区网格", "households": 320, "population": "901",
                       "chief": "wang", "full_time": "li、zhao", "part_time": ["sun", "qian"], "police": "zhou,wu"}),
                square(122.1, 37.5, 0.01),
            ),
            feature(
                json!({"WGBM": 371002001001002u64, "WGMC": "第2网格", "WGLX": "园区", "HS": 12, "RK": 40, "ZZWGY": "li"}),
                json!({"type": "MultiPolygon", "coordinates": [
                    [[[122.2, 37.5], [122.3, 37.5], [122.3, 37.6], [122.2, 37.6], [122.2, 37.5]],
                     [[122.22, 37.52], [122.22, 37.54], [122.24, 37.54], [122.24, 37.52], [122.22, 37.52]]],
                    [[[122.4, 37.5], [122.5, 37.5], [122.5, 37.6], [122.4, 37.5]]]
                ]}),
            ),
            feature(json!({"网格编码": "371002001002001", "网格名称": "第3网格", "户数": "7", "人口": 9}), square(122.0, 37.0, 0.01)),
        ]);
        let grids = read_grids_geojson(&text, None).unwrap();
        assert_eq!(grids.len(), 3);
        let g = &grids[0];
        assert_eq!(g.code.as_str(), "371002001001001");
        assert_eq!((g.name.as_str(), g.kind, g.households, g.population), ("第1网格", GridKind::Community, 320, 901));
        assert_eq!(g.staff.chief, ["wang"]);
        assert_eq!(g.staff.full_time, ["li", "zhao"]);
        assert_eq!(g.staff.part_time, ["sun", "qian"]);
        assert_eq!(g.staff.police, ["zhou", "wu"]);
        let g = &grids[1];
        assert_eq!((g.code.as_str(), g.name.as_str(), g.kind), ("371002001001002", "第2网格", GridKind::IndustrialPark));
        assert_eq!((g.households, g.population, g.staff.full_time.clone()), (12, 40, vec!["li".to_string()]));
        assert_eq!(g.geometry.0.len(), 2);
        assert_eq!(g.geometry.0[0].interiors().len(), 1);
        assert!((g.geometry.0[0].unsigned_area() - (0.01 - 0.0004)).abs() < 1e-12);
        let g = &grids[2];
        assert_eq!((g.code.as_str(), g.name.as_str(), g.households, g.population), ("371002001002001", "第3网格", 7, 9));
        assert_eq!(g.kind, GridKind::Community, "a missing type means community");
    }

    #[test]
    fn reports_every_problem_with_feature_and_code() {
        let text = fc(vec![
            feature(json!({"code": "371002001001009"}), square(122.0, 37.0, 0.01)),
            feature(
                json!({"code": "371002001001001"}),
                json!({"type": "Polygon", "coordinates": [[[122.1, 37.5], [122.2, 37.5], [122.2, 37.6], [122.1, 37.6]]]}),
            ),
            feature(json!({"name": "no code"}), square(122.0, 37.0, 0.01)),
            feature(json!({"code": "3710020010010"}), square(122.0, 37.0, 0.01)),
            feature(json!({"code": "371002001001005", "type": "街道网格"}), square(122.0, 37.0, 0.01)),
            feature(json!({"code": "371002001001006"}), json!({"type": "LineString", "coordinates": [[122.0, 37.0], [122.1, 37.1]]})),
            feature(json!({"code": "371002001001007"}), json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], [122.1, 37.0], [122.0, 37.0]]]})),
            feature(json!({"code": "371002001001008"}), json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], ["122.1", 37.0], [122.1, 37.1], [122.0, 37.0]]]})),
            feature(json!({"code": "371002001001010"}), square(40512345.1, 4123456.7, 100.0)),
            feature(json!({"code": "371002001001011", "households": -3}), square(122.0, 37.0, 0.01)),
            feature(json!({"code": "371002001001012"}), Value::Null),
        ]);
        let err = read_grids_geojson(&text, None).unwrap_err();
        let text = err.to_string();
        let has = |feature: usize, needle: &str| {
            err.problems.iter().any(|p| p.feature == Some(feature) && p.to_string().contains(needle))
        };
        assert!(
            has(2, "feature 2 (371002001001001): exterior ring does not close: first point (122.1, 37.5) ≠ last point (122.1, 37.6)"),
            "{text}"
        );
        assert!(has(3, "missing grid code"), "{text}");
        assert!(has(4, "feature 4 (3710020010010): invalid grid code"), "{text}");
        assert!(has(5, "unknown grid type `街道网格`"), "{text}");
        assert!(has(6, "geometry is a LineString"), "{text}");
        assert!(has(7, "exterior ring has 3 positions"), "{text}");
        assert!(has(8, "position 2 is `[\"122.1\",37.0]`"), "{text}");
        assert!(has(9, "outside longitude") && has(9, "projected"), "{text}");
        assert!(has(10, "`households` must be a whole number"), "{text}");
        assert!(has(11, "has no geometry"), "{text}");
        assert!(!err.problems.iter().any(|p| p.feature == Some(1)), "feature 1 is fine: {text}");
        assert_eq!(err.problems.len(), 10, "{text}");
    }

    #[test]
    fn refuses_bad_json_and_other_documents() {
        let err = read_grids_geojson("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}", None).unwrap_err();
        assert!(err.to_string().starts_with("invalid JSON at line 2, column 16"), "{err}");
        let err = read_grids_geojson(&feature(json!({}), square(0.0, 0.0, 1.0)).to_string(), None).unwrap_err();
        assert!(err.to_string().contains("not a GeoJSON FeatureCollection: top-level type is `Feature`"), "{err}");
        let err = read_grids_geojson("[1, 2]", None).unwrap_err();
        assert!(err.to_string().contains("not a GeoJSON FeatureCollection"), "{err}");
    }

    #[test]
    fn converts_gcj02_and_bd09_vertex_by_vertex() {
        let text = fc(vec![feature(json!({"code": "371002001001001"}), square(122.1, 37.5, 0.01))]);
        for crs in [Crs::Gcj02, Crs::Bd09] {
            let g = &read_grids_geojson(&text, Some(crs)).unwrap()[0];
            let first = g.geometry.0[0].exterior().0[2];
            let want = to_wgs84(crs, 122.11, 37.51);
            assert_eq!((first.x, first.y), want, "{crs}");
            assert!((first.x - 122.11).abs() > 1e-4, "{crs} must move the vertex");
        }
        let g = &read_grids_geojson(&text, Some(Crs::Cgcs2000)).unwrap()[0];
        assert_eq!(g.geometry.bounding_rect().unwrap().min(), geo::coord! {x: 122.1, y: 37.5});
    }

    #[test]
    fn geojson_legacy_crs_member() {
        let mk = |name: &str| {
            json!({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
                   "features": [feature(json!({"code": "371002001001001"}), square(122.1, 37.5, 0.01))]})
            .to_string()
        };
        assert!(read_grids_geojson(&mk("urn:ogc:def:crs:EPSG::4490"), None).is_ok());
        assert!(read_grids_geojson(&mk("urn:ogc:def:crs:OGC:1.3:CRS84"), None).is_ok());
        let err = read_grids_geojson(&mk("urn:ogc:def:crs:EPSG::4549"), None).unwrap_err();
        assert!(err.to_string().contains("EPSG::4549") && err.to_string().contains("Gauss-Krüger"), "{err}");
        // An explicit argument overrides the file.
        let g = &read_grids_geojson(&mk("EPSG:4326"), Some(Crs::Gcj02)).unwrap()[0];
        assert_ne!(g.geometry.0[0].exterior().0[0].x, 122.1);
    }

    const PRJ_GK: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const PRJ_WGS: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    const PRJ_CGCS: &str = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;
    const PRJ_XIAN: &str = r#"GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257],TOWGS84[24,-123,-94,0,0,0,0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

    #[test]
    fn prj_names_the_crs() {
        assert_eq!(crs_from_prj(PRJ_WGS).unwrap(), Crs::Wgs84);
        assert_eq!(crs_from_prj(PRJ_CGCS).unwrap(), Crs::Cgcs2000);
        assert_eq!(crs_from_prj(r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]"#).unwrap(), Crs::Cgcs2000);
        let err = crs_from_prj(PRJ_GK).unwrap_err().to_string();
        assert!(err.contains("projected coordinate system `CGCS2000_3_Degree_GK_CM_120E`"), "{err}");
        let err = crs_from_prj(PRJ_XIAN).unwrap_err().to_string();
        assert!(err.contains("GCS_Xian_1980"), "{err}");
    }

    /// Writes a shapefile into memory with the shapefile crate's writer.
    fn write_shapefile(encoding: Option<&str>, rows: &[(&str, &str, &str, f64, shapefile::Polygon)]) -> (Vec<u8>, Vec<u8>) {
        let mut shp = Cursor::new(Vec::new());
        let mut dbf = Cursor::new(Vec::new());
        {
            let mut builder = dbase::TableWriterBuilder::new();
            if let Some(e) = encoding {
                builder = builder.set_encoding(dbase::encoding::DynEncoding::from_name(e).unwrap());
            }
            let table = builder
                .add_character_field("WGBM".try_into().unwrap(), 15)
                .add_character_field("WGMC".try_into().unwrap(), 40)
                .add_character_field("WGLX".try_into().unwrap(), 20)
                .add_numeric_field("HS".try_into().unwrap(), 10, 0)
                .add_character_field("police".try_into().unwrap(), 40)
                .build_with_dest(&mut dbf);
            let mut w = shapefile::Writer::new(shapefile::ShapeWriter::new(&mut shp), table);
            for (code, name, kind, hs, poly) in rows {
                let mut r = dbase::Record::default();
                r.insert("WGBM".into(), dbase::FieldValue::Character(Some(code.to_string())));
                r.insert("WGMC".into(), dbase::FieldValue::Character(Some(name.to_string())));
                r.insert("WGLX".into(), dbase::FieldValue::Character(Some(kind.to_string())));
                r.insert("HS".into(), dbase::FieldValue::Numeric(Some(*hs)));
                r.insert("police".into(), dbase::FieldValue::Character(Some("zhou、wu".into())));
                w.write_shape_and_record(poly, &r).unwrap();
            }
        }
        (shp.into_inner(), dbf.into_inner())
    }

    fn shp_square(x: f64, y: f64, d: f64, hole: bool) -> shapefile::Polygon {
        use shapefile::{Point, PolygonRing};
        let mut rings = vec![PolygonRing::Outer(vec![
            Point::new(x, y),
            Point::new(x, y + d),
            Point::new(x + d, y + d),
            Point::new(x + d, y),
            Point::new(x, y),
        ])];
        if hole {
            let (a, b) = (x + d / 4.0, x + d / 2.0);
            let (c, e) = (y + d / 4.0, y + d / 2.0);
            rings.push(PolygonRing::Inner(vec![Point::new(a, c), Point::new(b, c), Point::new(b, e), Point::new(a, e), Point::new(a, c)]));
        }
        shapefile::Polygon::with_rings(rings)
    }

    #[test]
    fn shapefile_round_trip_utf8_and_gbk() {
        for enc in [None, Some("GBK")] {
            let (shp, dbf) = write_shapefile(
                enc,
                &[
                    ("371002001001001", "第1网格", "社区网格", 320.0, shp_square(122.1, 37.5, 0.01, true)),
                    ("371002001001002", "第2网格", "商圈", 15.0, shp_square(122.11, 37.5, 0.01, false)),
                ],
            );
            if enc.is_some() {
                assert!(std::str::from_utf8(&dbf).is_err(), "the GBK file must not be valid UTF-8");
            }
            let grids = read_grids_shapefile(&shp, &dbf, Some(PRJ_CGCS), None).unwrap();
            assert_eq!(grids.len(), 2, "{enc:?}");
            let g = &grids[0];
            assert_eq!((g.code.as_str(), g.name.as_str(), g.kind, g.households), ("371002001001001", "第1网格", GridKind::Community, 320));
            assert_eq!(g.staff.police, ["zhou", "wu"]);
            assert_eq!(g.geometry.0.len(), 1);
            assert_eq!(g.geometry.0[0].interiors().len(), 1);
            let area = g.geometry.unsigned_area();
            assert!((area - (0.0001 - 0.0025 * 0.0025)).abs() < 1e-12, "{area}");
            assert_eq!(grids[1].kind, GridKind::BusinessDistrict);
            assert_eq!(grids[1].name, "第2网格");
        }
    }

    #[test]
    fn shapefile_with_projected_prj_is_refused() {
        let (shp, dbf) = write_shapefile(None, &[("371002001001001", "x", "社区", 1.0, shp_square(500_000.0, 4_000_000.0, 100.0, false))]);
        let err = read_grids_shapefile(&shp, &dbf, Some(PRJ_GK), None).unwrap_err().to_string();
        assert!(err.contains("projected coordinate system `CGCS2000_3_Degree_GK_CM_120E`"), "{err}");
        // Without the .prj the coordinates themselves give it away.
        let err = read_grids_shapefile(&shp, &dbf, None, None).unwrap_err().to_string();
        assert!(err.contains("feature 1 (371002001001001)") && err.contains("projected metres"), "{err}");
    }

    #[test]
    fn boundaries_read_codes_and_names() {
        let text = fc(vec![
            feature(json!({"code": "371002", "name": "环翠区"}), square(122.0, 37.4, 0.3)),
            feature(json!({"code": "371002001000", "name": "环翠街道"}), square(122.0, 37.4, 0.1)),
            feature(json!({"code": "37100200100x"}), square(122.0, 37.4, 0.1)),
        ]);
        let err = read_boundaries_geojson(&text, None).unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert!(err.to_string().starts_with("feature 3 (37100200100x): invalid area code"), "{err}");
        let ok = read_boundaries_geojson(&fc(vec![
            feature(json!({"code": "371002", "name": "环翠区"}), square(122.0, 37.4, 0.3)),
            feature(json!({"XZQDM": "371002001000", "XZQMC": "环翠街道"}), square(122.0, 37.4, 0.1)),
        ]), None)
        .unwrap();
        assert_eq!(ok[0].area.as_str(), "371002");
        assert_eq!(ok[1].area.as_str(), "371002001", "zero padding is shortened");
        assert_eq!(ok[1].name.as_deref(), Some("环翠街道"));
    }
}
