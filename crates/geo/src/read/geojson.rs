//! GeoJSON: the FeatureCollection, its legacy `crs` member, and each feature's properties and
//! Polygon or MultiPolygon coordinates read into the raw form.
//!
//! One file per format, so that each format's quirks stay out of the shared checks.

use serde_json::Value;

use super::crs_name::crs_from_geojson_name;
use super::raw::{Prop, RawFeature, RawInput, AREA_CODE, GRID_CODE};
use super::rings::{check_polygons, ring_label};
use super::truncate;
use crate::crs::Crs;
use crate::{ImportError, ImportProblem};

pub(super) fn parse_geojson(text: &str, crs: Option<Crs>) -> Result<RawInput, ImportError> {
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| ImportError::general(format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column())))?;
    let Some(obj) = root.as_object() else {
        return Err(ImportError::general("not a GeoJSON FeatureCollection: the top level is not an object"));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => return Err(ImportError::general(format!("not a GeoJSON FeatureCollection: top-level type is `{other}`"))),
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
