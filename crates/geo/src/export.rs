//! Writing grids as GeoJSON for the map and for download.

use geo::{LineString, MultiPolygon};
use serde_json::{json, Value};

use crate::grid::GridFeature;

/// A GeoJSON FeatureCollection of the grids, coordinates rounded to 7 decimals (~1 cm).
///
/// Properties: `code`, `name`, `type`, `type_label` (Chinese), `households`, `population`,
/// `community` and `staff` (`chief`, `full_time`, `part_time`, `police`). Reading the result
/// back with [`crate::read::read_grids_geojson`] gives the same features.
pub fn grids_to_geojson(grids: &[GridFeature]) -> Value {
    let features: Vec<Value> = grids
        .iter()
        .map(|g| {
            json!({
                "type": "Feature",
                "properties": {
                    "code": g.code.as_str(),
                    "name": g.name,
                    "type": g.kind.as_str(),
                    "type_label": g.kind.label_zh(),
                    "households": g.households,
                    "population": g.population,
                    "community": g.code.community().as_str(),
                    "staff": g.staff,
                },
                "geometry": multipolygon_json(&g.geometry),
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// A GeoJSON geometry object for a multipolygon: a Polygon when it has one part.
pub fn multipolygon_json(mp: &MultiPolygon<f64>) -> Value {
    let polygons: Vec<Value> = mp
        .0
        .iter()
        .map(|p| Value::Array(std::iter::once(p.exterior()).chain(p.interiors()).map(ring_json).collect()))
        .collect();
    if polygons.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polygons.into_iter().next() })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polygons })
    }
}

fn ring_json(ring: &LineString<f64>) -> Value {
    Value::Array(ring.0.iter().map(|c| json!([round7(c.x), round7(c.y)])).collect())
}

/// Rounds to 7 decimals: 1.1 cm at the equator, below any survey's precision, and it keeps
/// files a third smaller than full f64 text.
fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}
