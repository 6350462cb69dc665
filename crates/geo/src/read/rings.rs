//! Rings: the checks every format shares, on raw coordinates (position count, closure,
//! longitude/latitude range), and the conversion to WGS84 of the rings that pass.
//!
//! Separate so that GeoJSON and shapefiles report bad rings in the same words.

use geo::{LineString, MultiPolygon, Polygon};

use crate::crs::{to_wgs84, Crs};
use crate::ImportProblem;

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
        problems.push(ImportProblem::at(
            index,
            code,
            format!("{label} has {} positions; a ring needs at least 4 (3 corners and the closing point)", ring.len()),
        ));
        ok = false;
    }
    let out_of_range: Vec<&[f64; 2]> = ring.iter().filter(|[x, y]| !(-180.0..=180.0).contains(x) || !(-90.0..=90.0).contains(y)).collect();
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

pub(super) fn ring_label(polygon: usize, polygons: usize, ring: usize) -> String {
    let r = if ring == 0 { "exterior ring".to_string() } else { format!("hole {ring}") };
    if polygons > 1 {
        format!("polygon {} {r}", polygon + 1)
    } else {
        r
    }
}

/// Checks and converts polygons given as rings of raw positions (first ring exterior).
pub(super) fn check_polygons(
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
