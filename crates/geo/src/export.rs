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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GridKind, GridStaff};
    use crate::read::read_grids_geojson;
    use crate::synthetic::tiling;
    use geo::Polygon;

    #[test]
    fn export_reads_back_the_same_features() {
        let mut grids = tiling(12, 20, (122.12, 37.5), 300.0, 5);
        grids[0].kind = GridKind::Village;
        grids[1].kind = GridKind::Special;
        grids[0].staff = GridStaff {
            chief: vec!["wang".into()],
            full_time: vec!["li".into(), "zhao".into()],
            part_time: vec![],
            police: vec!["zhou".into()],
        };
        // A multipolygon with a hole must survive too.
        let mut p: Polygon<f64> = grids[2].geometry.0[0].clone();
        let c = geo::BoundingRect::bounding_rect(&p).unwrap().center();
        let hole = geo::LineString::from(vec![(c.x, c.y), (c.x + 1e-4, c.y), (c.x + 1e-4, c.y + 1e-4), (c.x, c.y)]);
        p.interiors_push(hole);
        // Grid 10 is two rows up from grid 2, so the parts do not touch.
        grids[2].geometry = MultiPolygon::new(vec![p, grids[10].geometry.0[0].clone()]);
        grids.remove(10);
        assert!(geo::Validation::is_valid(&grids[2].geometry));

        let json = grids_to_geojson(&grids);
        let props = &json["features"][0]["properties"];
        assert_eq!(props["type"], "village");
        assert_eq!(props["type_label"], "村网格");
        assert_eq!(props["community"], "371002001001");
        assert_eq!(props["staff"]["full_time"][1], "zhao");
        assert_eq!(json["features"][1]["geometry"]["type"], "Polygon");
        assert_eq!(json["features"][2]["geometry"]["type"], "MultiPolygon");
        let text = serde_json::to_string_pretty(&json).unwrap();
        let back = read_grids_geojson(&text, None).unwrap();
        assert_eq!(back.len(), grids.len());
        for (a, b) in grids.iter().zip(&back) {
            assert_eq!((&a.code, &a.name, a.kind, a.households, a.population, &a.staff), (&b.code, &b.name, b.kind, b.households, b.population, &b.staff));
            assert_eq!(a.geometry.0.len(), b.geometry.0.len());
            for (pa, pb) in a.geometry.0.iter().zip(&b.geometry.0) {
                assert_eq!(pa.interiors().len(), pb.interiors().len());
                for (ca, cb) in pa.exterior().0.iter().zip(&pb.exterior().0) {
                    assert!((ca.x - cb.x).abs() <= 5e-8 && (ca.y - cb.y).abs() <= 5e-8, "rounded to 7 decimals");
                }
            }
        }
        // Once rounded, a second trip is exact.
        let again = read_grids_geojson(&grids_to_geojson(&back).to_string(), None).unwrap();
        assert_eq!(again, back);
    }
}
