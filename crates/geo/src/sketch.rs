//! Road sketches: where a road runs, guessed from the points of the standard addresses on it.
//!
//! A map without a basemap (no tiles configured or reachable) still wants streets to find one's
//! way. The address library knows, for many roads, the points of their house numbers; the line
//! through the middle of those points is a fair sketch of the road. It is drawn as a sketch
//! (dashed, named as such), never as surveyed geometry.

use std::collections::BTreeMap;

/// Points closer than this along the road are averaged into one vertex, metres.
const BIN_M: f64 = 80.0;
/// A gap longer than this between vertices splits the road into pieces, metres: the same name
/// far apart is two stretches (or two roads), not one line across the town.
const GAP_M: f64 = 900.0;
/// Metres per degree of latitude (and of longitude at the equator).
const M_PER_DEG: f64 = 111_320.0;

/// One stretch of a road, sketched.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadSketch {
    /// The road's name.
    pub name: String,
    /// Longitude/latitude vertices, in order along the road.
    pub line: Vec<(f64, f64)>,
    /// The address points it was drawn from.
    pub points: usize,
}

/// Sketches every road named in `points` (road name, longitude, latitude), one or more
/// stretches each, sorted by name.
pub fn road_sketches<'a>(points: impl IntoIterator<Item = (&'a str, f64, f64)>) -> Vec<RoadSketch> {
    let mut by_road: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for (name, lon, lat) in points {
        if !name.trim().is_empty() && lon.is_finite() && lat.is_finite() {
            by_road.entry(name).or_default().push((lon, lat));
        }
    }
    by_road.into_iter().flat_map(|(name, pts)| sketch_one(name, &pts)).collect()
}

/// The stretches of one road: its points projected on their main direction, averaged in bins
/// along it, split where the bins are far apart.
fn sketch_one(name: &str, pts: &[(f64, f64)]) -> Vec<RoadSketch> {
    let n = pts.len() as f64;
    let (mlon, mlat) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let kx = M_PER_DEG * mlat.to_radians().cos();
    let local: Vec<(f64, f64)> = pts.iter().map(|&(lon, lat)| ((lon - mlon) * kx, (lat - mlat) * M_PER_DEG)).collect();
    // The main direction: the principal axis of the points' spread.
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in &local {
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (ax, ay) = (angle.cos(), angle.sin());
    let mut along: Vec<(f64, f64, f64)> = local.iter().map(|&(x, y)| (x * ax + y * ay, x, y)).collect();
    along.sort_by(|a, b| a.0.total_cmp(&b.0));

    // Average the points in each bin along the axis.
    let mut vertices: Vec<(f64, f64, usize)> = Vec::new();
    let mut start = f64::NEG_INFINITY;
    for (t, x, y) in along {
        match vertices.last_mut() {
            Some(v) if t - start < BIN_M => {
                let k = v.2 as f64;
                *v = ((v.0 * k + x) / (k + 1.0), (v.1 * k + y) / (k + 1.0), v.2 + 1);
            }
            _ => {
                start = t;
                vertices.push((x, y, 1));
            }
        }
    }

    // A lone point just past the last full bin is the road's end on one side: fold it in
    // rather than bend the line towards that side.
    if vertices.len() >= 2 && vertices[vertices.len() - 1].2 == 1 {
        let (x, y, _) = vertices[vertices.len() - 1];
        let prev = vertices[vertices.len() - 2];
        if (x - prev.0).hypot(y - prev.1) < 2.0 * BIN_M {
            let k = prev.2 as f64;
            vertices.pop();
            *vertices.last_mut().expect("two vertices") = ((prev.0 * k + x) / (k + 1.0), (prev.1 * k + y) / (k + 1.0), prev.2 + 1);
        }
    }

    let to_lonlat = |(x, y): (f64, f64)| (round6(mlon + x / kx), round6(mlat + y / M_PER_DEG));
    let mut out = Vec::new();
    let mut piece: Vec<(f64, f64, usize)> = Vec::new();
    let mut flush = |piece: &mut Vec<(f64, f64, usize)>| {
        if piece.len() >= 2 {
            let points = piece.iter().map(|v| v.2).sum();
            out.push(RoadSketch { name: name.to_string(), line: piece.iter().map(|v| to_lonlat((v.0, v.1))).collect(), points });
        }
        piece.clear();
    };
    for v in vertices {
        if let Some(last) = piece.last() {
            if (v.0 - last.0).hypot(v.1 - last.1) > GAP_M {
                flush(&mut piece);
            }
        }
        piece.push(v);
    }
    flush(&mut piece);
    out
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A degree of longitude at 37.5° N, metres.
    fn kx() -> f64 {
        M_PER_DEG * 37.5f64.to_radians().cos()
    }

    #[test]
    fn points_on_both_sides_of_a_road_give_its_middle_line() {
        // Houses every 30 m along an east–west road at 37.5° N, alternately 15 m north and south.
        let pts: Vec<(&str, f64, f64)> = (0..40)
            .map(|i| {
                let side = if i % 2 == 0 { 15.0 } else { -15.0 };
                ("新威路", 122.0 + (i as f64 * 30.0) / kx(), 37.5 + side / M_PER_DEG)
            })
            .collect();
        let roads = road_sketches(pts);
        assert_eq!(roads.len(), 1);
        let r = &roads[0];
        assert_eq!((r.name.as_str(), r.points), ("新威路", 40));
        assert!(r.line.len() >= 10, "{} vertices", r.line.len());
        for &(_, lat) in &r.line {
            assert!(((lat - 37.5) * M_PER_DEG).abs() < 8.0, "a vertex {lat} off the middle");
        }
        let lons: Vec<f64> = r.line.iter().map(|p| p.0).collect();
        assert!(lons.windows(2).all(|w| w[0] < w[1]) || lons.windows(2).all(|w| w[0] > w[1]), "in order along the road");
    }

    #[test]
    fn the_same_name_far_apart_is_two_stretches_and_lone_points_are_no_road() {
        let mut pts = Vec::new();
        for i in 0..5 {
            pts.push(("海滨路", 122.0 + i as f64 * 100.0 / kx(), 37.5));
            pts.push(("海滨路", 122.1 + i as f64 * 100.0 / kx(), 37.5));
        }
        pts.push(("孤点街", 122.0, 37.6));
        pts.push(("", 122.0, 37.6));
        pts.push(("坏坐标路", f64::NAN, 37.6));
        let roads = road_sketches(pts);
        assert_eq!(roads.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["海滨路", "海滨路"]);
        assert_eq!(roads.iter().map(|r| r.points).sum::<usize>(), 10);
    }
}
