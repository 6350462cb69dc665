//! Checking a set of grids against itself and against community outlines.
//!
//! What is checked, per grid and then across grids:
//!
//! - **Geometry** (geo's `Validation`): rings that cross themselves ([`ProblemKind::SelfIntersection`]),
//!   holes not inside their shell ([`ProblemKind::HoleOutsideShell`]), and anything else geo
//!   objects to ([`ProblemKind::InvalidGeometry`]). A grid with invalid geometry has no
//!   well-defined area, so it is left out of the overlap and outside checks; it still counts as
//!   cover in the gap check, so one broken grid does not also show up as a gap.
//! - **Duplicate codes** ([`ProblemKind::DuplicateCode`]), on every feature after the first.
//! - **Outside its community** ([`ProblemKind::OutsideCommunity`]): only when an outline for the
//!   grid's own community is among `boundaries`.
//! - **Overlaps** ([`ProblemKind::Overlap`]): candidate pairs come from an R-tree on bounding
//!   boxes; the intersection's geodesic area must exceed [`TOLERANCE_M2`], so neighbours sharing
//!   an edge up to floating-point noise do not count.
//! - **Gaps** ([`ProblemKind::Gap`]): for each community outline given that has at least one
//!   grid, the outline minus the union of its grids; each remaining piece over [`TOLERANCE_M2`]
//!   is a gap.
//!
//! Areas are in square metres on the WGS84 ellipsoid ([`area_m2`]).

use civicgrid_domain::area::{AreaCode, AreaLevel, GridCode};
use geo::algorithm::validation::{InvalidMultiPolygon, InvalidPolygon};
use geo::{BooleanOps, BoundingRect, InteriorPoint, MultiPolygon, Polygon, Validation};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::grid::{AreaBoundary, GridFeature};

/// Overlaps, gaps and outside pieces smaller than this many square metres are float noise.
pub const TOLERANCE_M2: f64 = 1.0;

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProblemKind {
    /// A ring crosses itself (a bow tie).
    SelfIntersection,
    /// A hole lies (partly) outside its polygon's shell.
    HoleOutsideShell,
    /// Another geometry defect: too few distinct points, rings touching along a line, parts of a
    /// multipolygon overlapping, a non-finite coordinate.
    InvalidGeometry,
    /// The grid reaches outside its community's outline.
    OutsideCommunity {
        /// The grid's community.
        community: AreaCode,
        /// Area of the grid outside the outline, m².
        outside_area_m2: f64,
    },
    /// Two grids overlap.
    Overlap {
        /// The other grid's code.
        other: String,
        /// Area of the overlap, m².
        area_m2: f64,
    },
    /// Part of a community's outline is covered by none of its grids.
    Gap {
        /// The community with the gap.
        community: AreaCode,
        /// Area of this uncovered piece, m².
        area_m2: f64,
        /// A point inside the piece (lon, lat), to show it on a map.
        at: (f64, f64),
    },
    /// The code was already used by an earlier feature.
    DuplicateCode,
}

/// One finding, located by feature where it belongs to one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// 1-based position of the grid in the input, if the problem is about one grid.
    pub feature: Option<usize>,
    /// The grid's code (or, for a gap, the community's).
    pub code: Option<String>,
    /// An English sentence naming the feature, code and figure.
    pub message: String,
}

/// Everything [`validate_grids`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// The findings: per grid in input order, then overlaps, then gaps.
    pub problems: Vec<Problem>,
}

impl ValidationReport {
    /// True if nothing was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems of one kind, by its serde name (`"overlap"`, `"gap"`, …).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems.iter().filter(move |p| kind_name(&p.kind) == kind)
    }
}

fn kind_name(k: &ProblemKind) -> &'static str {
    match k {
        ProblemKind::SelfIntersection => "self_intersection",
        ProblemKind::HoleOutsideShell => "hole_outside_shell",
        ProblemKind::InvalidGeometry => "invalid_geometry",
        ProblemKind::OutsideCommunity { .. } => "outside_community",
        ProblemKind::Overlap { .. } => "overlap",
        ProblemKind::Gap { .. } => "gap",
        ProblemKind::DuplicateCode => "duplicate_code",
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.is_empty() {
            return f.write_str("no problems found");
        }
        writeln!(f, "{} problem(s):", self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  - {}", p.message)?;
        }
        Ok(())
    }
}

/// Checks grids for broken geometry, duplicate codes, overlaps, and against the outlines of
/// their communities for parts outside and gaps; see the module doc.
pub fn validate_grids(grids: &[GridFeature], boundaries: &[AreaBoundary]) -> ValidationReport {
    let mut problems = Vec::new();
    let label = |i: usize| format!("feature {} ({})", i + 1, grids[i].code);

    // Duplicate codes.
    let mut first: HashMap<&GridCode, usize> = HashMap::new();
    for (i, g) in grids.iter().enumerate() {
        if let Some(&j) = first.get(&g.code) {
            problems.push(Problem {
                kind: ProblemKind::DuplicateCode,
                feature: Some(i + 1),
                code: Some(g.code.to_string()),
                message: format!("{}: grid code {} is already used by feature {}", label(i), g.code, j + 1),
            });
        } else {
            first.insert(&g.code, i);
        }
    }

    // Geometry.
    let mut valid = vec![true; grids.len()];
    for (i, g) in grids.iter().enumerate() {
        if g.geometry.0.is_empty() {
            valid[i] = false;
            problems.push(problem(ProblemKind::InvalidGeometry, i, g, format!("{}: has no polygon", label(i))));
            continue;
        }
        for e in g.geometry.validation_errors() {
            valid[i] = false;
            let (kind, what) = match &e {
                InvalidMultiPolygon::InvalidPolygon(_, InvalidPolygon::SelfIntersection(_)) => (ProblemKind::SelfIntersection, e.to_string()),
                InvalidMultiPolygon::InvalidPolygon(_, InvalidPolygon::InteriorRingNotContainedInExteriorRing(_)) => {
                    (ProblemKind::HoleOutsideShell, e.to_string())
                }
                _ => (ProblemKind::InvalidGeometry, e.to_string()),
            };
            let what = if g.geometry.0.len() == 1 { what.replacen("polygon at index 0 is invalid: ", "", 1) } else { what };
            problems.push(problem(kind, i, g, format!("{}: {what}", label(i))));
        }
    }

    // Outside the community's outline.
    let mut outlines: BTreeMap<&AreaCode, MultiPolygon<f64>> = BTreeMap::new();
    for b in boundaries {
        outlines.entry(&b.area).or_insert_with(|| MultiPolygon::new(vec![])).0.extend(b.geometry.0.iter().cloned());
    }
    for (i, g) in grids.iter().enumerate() {
        if !valid[i] {
            continue;
        }
        let community = g.code.community();
        let Some(outline) = outlines.get(&community) else { continue };
        let outside = g.geometry.difference(outline);
        let area = area_m2(&outside.0);
        if area > TOLERANCE_M2 {
            problems.push(problem(
                ProblemKind::OutsideCommunity { community: community.clone(), outside_area_m2: area },
                i,
                g,
                format!("{}: {:.1} m² of the grid lie outside its community {community}", label(i), area),
            ));
        }
    }

    // Overlaps between valid grids whose boxes meet.
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = grids
        .iter()
        .enumerate()
        .filter(|(i, _)| valid[*i])
        .filter_map(|(i, g)| {
            let r = g.geometry.bounding_rect()?;
            Some(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
        })
        .collect();
    let tree = RTree::bulk_load(boxes.clone());
    for b in &boxes {
        let i = b.data;
        let env: AABB<[f64; 2]> = rstar::RTreeObject::envelope(b.geom());
        let mut others: Vec<usize> = tree.locate_in_envelope_intersecting(&env).map(|o| o.data).filter(|&j| j > i).collect();
        others.sort_unstable();
        for j in others {
            let shared = grids[i].geometry.intersection(&grids[j].geometry);
            if shared.0.is_empty() {
                continue;
            }
            let area = area_m2(&shared.0);
            if area > TOLERANCE_M2 {
                problems.push(problem(
                    ProblemKind::Overlap { other: grids[j].code.to_string(), area_m2: area },
                    i,
                    &grids[i],
                    format!(
                        "{}: grids {} and {} overlap by {:.1} m² (the other is feature {})",
                        label(i),
                        grids[i].code,
                        grids[j].code,
                        area,
                        j + 1
                    ),
                ));
            }
        }
    }

    // Gaps inside community outlines that have grids.
    let mut members: BTreeMap<AreaCode, Vec<&Polygon<f64>>> = BTreeMap::new();
    // Every grid counts as cover, broken or duplicated ones too: their problem is reported
    // already, and a gap where they lie would only repeat it.
    for g in grids {
        members.entry(g.code.community()).or_default().extend(g.geometry.0.iter());
    }
    for (community, outline) in &outlines {
        if community.level() != AreaLevel::Village {
            continue;
        }
        let Some(polys) = members.get(*community) else { continue };
        let cover = geo::unary_union(polys.iter().copied());
        let uncovered = outline.difference(&cover);
        for piece in uncovered.0 {
            let area = area_m2(std::slice::from_ref(&piece));
            if area <= TOLERANCE_M2 {
                continue;
            }
            let at = piece.interior_point().map(|p| (round7(p.x()), round7(p.y()))).unwrap_or((f64::NAN, f64::NAN));
            problems.push(Problem {
                kind: ProblemKind::Gap { community: (*community).clone(), area_m2: area, at },
                feature: None,
                code: Some(community.to_string()),
                message: format!(
                    "community {community}: {:.1} m² are covered by none of its grids, around ({}, {})",
                    area, at.0, at.1
                ),
            });
        }
    }
    ValidationReport { problems }
}

fn problem(kind: ProblemKind, i: usize, g: &GridFeature, message: String) -> Problem {
    Problem { kind, feature: Some(i + 1), code: Some(g.code.to_string()), message }
}

/// Area in m² on the WGS84 ellipsoid, whatever the rings' winding, with edges straight in
/// longitude/latitude (as desktop GIS draws them).
///
/// Green's theorem with the ellipsoid's area element M·N·cos φ dφ dλ, the radii product M·N held
/// at the polygon's middle latitude (it varies by 2e-6 across a kilometre), integrated exactly
/// along each edge and relative to that latitude, so no large terms cancel and points in line
/// add nothing. Two reasons not to use geo's geodesic area here: on the long, centimetre-thin
/// slivers that shared edges leave after a boolean operation its sums cancel badly (a 0.002 m²
/// sliver measured 9.7 m², a false gap), and its unsigned area takes a clockwise shell (as
/// shapefiles have) for the rest of the Earth. On grid-sized polygons the two agree to 1e-5;
/// on larger ones the rest of the difference is geodesic versus straight-in-degrees edges.
pub fn area_m2(polygons: &[Polygon<f64>]) -> f64 {
    polygons.iter().map(polygon_area_m2).sum()
}

fn polygon_area_m2(p: &Polygon<f64>) -> f64 {
    // WGS84 semi-major axis and first eccentricity squared.
    const A: f64 = 6_378_137.0;
    const E2: f64 = 0.006_694_379_990_141_317;
    let (lo, hi) = p.exterior().0.iter().fold((f64::MAX, f64::MIN), |(l, h), c| (l.min(c.y), h.max(c.y)));
    if lo > hi {
        return 0.0;
    }
    let phi0 = ((lo + hi) / 2.0).to_radians();
    let w2 = 1.0 - E2 * phi0.sin().powi(2);
    let mn = A * A * (1.0 - E2) / (w2 * w2);
    // ∫ (sin φ − sin φ0) dλ along an edge linear in (λ, φ) is Δλ·(sin φm·sinc(h) − sin φ0) with
    // φm the edge's middle and h half its Δφ; split so that nothing of size 1 cancels.
    let edge = |a: &geo::Coord<f64>, b: &geo::Coord<f64>| -> f64 {
        let (p1, p2) = (a.y.to_radians(), b.y.to_radians());
        let pm = (p1 + p2) / 2.0;
        let h = (p2 - p1) / 2.0;
        let sinc_minus_1 = if h.abs() < 1e-2 {
            let h2 = h * h;
            -h2 / 6.0 + h2 * h2 / 120.0 - h2 * h2 * h2 / 5040.0
        } else {
            h.sin() / h - 1.0
        };
        let integrand = 2.0 * ((pm + phi0) / 2.0).cos() * ((pm - phi0) / 2.0).sin() + pm.sin() * sinc_minus_1;
        (b.x - a.x).to_radians() * integrand
    };
    let ring_area = |ring: &geo::LineString<f64>| -> f64 {
        let sum: f64 = ring.0.windows(2).map(|e| edge(&e[0], &e[1])).sum();
        (sum * mn).abs()
    };
    (ring_area(p.exterior()) - p.interiors().iter().map(ring_area).sum::<f64>()).max(0.0)
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read_boundaries_geojson, read_grids_geojson};
    use serde_json::{json, Value};

    const COMMUNITY: &str = "371002001001";

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
        json!([[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]])
    }

    fn grids(features: &[(&str, Value)]) -> Vec<GridFeature> {
        let fs: Vec<Value> = features
            .iter()
            .map(|(code, coords)| {
                json!({"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": coords}})
            })
            .collect();
        read_grids_geojson(&json!({"type": "FeatureCollection", "features": fs}).to_string(), None).unwrap()
    }

    /// The community outline: 0.02° × 0.01° (about 1.78 km × 1.11 km) at 37°N.
    fn outline() -> Vec<AreaBoundary> {
        let text = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": COMMUNITY, "name": "示例社区"},
             "geometry": {"type": "Polygon", "coordinates": rect(121.00, 37.00, 121.02, 37.01)}},
            {"type": "Feature", "properties": {"code": "371002001"},
             "geometry": {"type": "Polygon", "coordinates": rect(120.9, 36.9, 121.1, 37.1)}}
        ]});
        read_boundaries_geojson(&text.to_string(), None).unwrap()
    }

    /// Area of a lon/lat rectangle, the figure each test expects (checked against geo's
    /// geodesic area too).
    fn area(x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
        use geo::GeodesicArea;
        let p = Polygon::new(geo::LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]), vec![]);
        let ours = area_m2(std::slice::from_ref(&p));
        assert!((ours / p.geodesic_area_unsigned() - 1.0).abs() < 1e-5);
        ours
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-5 * b.max(1.0)
    }

    #[test]
    fn area_agrees_with_geodesic_and_ignores_winding() {
        use geo::GeodesicArea;
        // Grid-sized polygons agree to 1e-5; at 0.1° (11 km) geodesic edges bow away from
        // straight-in-degrees ones by metres, which shows as 1e-4.
        for (x, y, d, tol) in [(121.0, 37.0, 0.01, 1e-5), (110.0, 18.3, 0.002, 1e-5), (116.4, 39.9, 0.05, 1e-4), (87.6, 43.8, 0.1, 2e-4)] {
            let mut p = Polygon::new(
                geo::LineString::from(vec![(x, y), (x + d, y + d / 5.0), (x + d, y + d), (x + d / 3.0, y + d * 0.8), (x, y)]),
                vec![geo::LineString::from(vec![(x + d / 2.0, y + d / 2.0), (x + d * 0.6, y + d / 2.0), (x + d * 0.6, y + d * 0.6), (x + d / 2.0, y + d / 2.0)])],
            );
            let geodesic = p.geodesic_area_signed().abs();
            let ours = area_m2(std::slice::from_ref(&p));
            assert!((ours / geodesic - 1.0).abs() < tol, "{ours} vs {geodesic} at {x},{y} size {d}°");
            p.exterior_mut(|r| r.0.reverse());
            assert!((area_m2(std::slice::from_ref(&p)) / ours - 1.0).abs() < 1e-12, "winding must not matter");
        }
        // A 1 km long, ~0.1 mm wide sliver: nearly nothing.
        let sliver = Polygon::new(
            geo::LineString::from(vec![(121.0, 37.0), (121.01, 37.005), (121.005, 37.0025 + 1e-9), (121.0, 37.0)]),
            vec![],
        );
        let a = area_m2(&[sliver]);
        assert!(a < 0.05, "{a}");
    }

    #[test]
    fn clockwise_grids_are_measured_right() {
        // Shapefile shells run clockwise; overlap figures must not become the rest of the Earth.
        let cw = |x0: f64, y0: f64, x1: f64, y1: f64| json!([[[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]]);
        let g = grids(&[("371002001001001", cw(121.00, 37.00, 121.0105, 37.01)), ("371002001001002", cw(121.01, 37.00, 121.02, 37.01))]);
        let report = validate_grids(&g, &outline());
        assert_eq!(report.problems.len(), 1, "{report}");
        match &report.problems[0].kind {
            ProblemKind::Overlap { area_m2, .. } => assert!(close(*area_m2, area(121.01, 37.00, 121.0105, 37.01)), "{area_m2}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_clean_partition_passes() {
        // 121.01 computed two ways, so the shared edge carries float noise.
        let mid = 121.00 + 0.01;
        let g = grids(&[("371002001001001", rect(121.00, 37.00, mid, 37.01)), ("371002001001002", rect(121.01, 37.00, 121.02, 37.01))]);
        let report = validate_grids(&g, &outline());
        assert!(report.is_ok(), "{report}");
        assert_eq!(report.to_string(), "no problems found");
    }

    #[test]
    fn bow_tie_is_a_self_intersection() {
        let g = grids(&[
            ("371002001001001", json!([[[121.00, 37.00], [121.01, 37.01], [121.01, 37.00], [121.00, 37.01], [121.00, 37.00]]])),
            ("371002001001002", rect(121.01, 37.00, 121.02, 37.01)),
        ]);
        let report = validate_grids(&g, &[]);
        let p: Vec<_> = report.of_kind("self_intersection").collect();
        assert_eq!(p.len(), 1, "{report}");
        assert_eq!((p[0].feature, p[0].code.as_deref()), (Some(1), Some("371002001001001")));
        assert!(p[0].message.starts_with("feature 1 (371002001001001): exterior ring has a self-intersection"), "{}", p[0].message);
        assert_eq!(report.problems.len(), 1, "the broken grid is kept out of the overlap check: {report}");
    }

    #[test]
    fn hole_outside_its_shell() {
        let mut coords = rect(121.00, 37.00, 121.01, 37.01);
        coords.as_array_mut().unwrap().push(json!([[121.012, 37.002], [121.014, 37.002], [121.014, 37.004], [121.012, 37.004], [121.012, 37.002]]));
        let g = grids(&[("371002001001001", coords)]);
        let report = validate_grids(&g, &[]);
        let p: Vec<_> = report.of_kind("hole_outside_shell").collect();
        assert_eq!(p.len(), 1, "{report}");
        assert!(p[0].message.contains("feature 1 (371002001001001): interior ring at index 0 is not contained"), "{}", p[0].message);
    }

    #[test]
    fn grid_outside_its_community() {
        let g = grids(&[("371002001001001", rect(121.00, 37.00, 121.01, 37.01)), ("371002001001002", rect(121.01, 37.00, 121.021, 37.01))]);
        let report = validate_grids(&g, &outline());
        let p: Vec<_> = report.of_kind("outside_community").collect();
        assert_eq!(p.len(), 1, "{report}");
        let want = area(121.02, 37.00, 121.021, 37.01);
        match &p[0].kind {
            ProblemKind::OutsideCommunity { community, outside_area_m2 } => {
                assert_eq!(community.as_str(), COMMUNITY);
                assert!(close(*outside_area_m2, want), "{outside_area_m2} vs {want}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p[0].feature, Some(2));
        assert!(p[0].message.contains(&format!("feature 2 (371002001001002): {want:.1} m² of the grid lie outside its community {COMMUNITY}")), "{}", p[0].message);
        assert_eq!(report.problems.len(), 1, "{report}");
        // Without the community's outline there is nothing to check against; a town outline
        // does not stand in for it.
        let town_only: Vec<_> = outline().into_iter().filter(|b| b.area.as_str() != COMMUNITY).collect();
        assert!(validate_grids(&g, &town_only).is_ok());
    }

    #[test]
    fn overlapping_grids() {
        let g = grids(&[("371002001001001", rect(121.00, 37.00, 121.0105, 37.01)), ("371002001001002", rect(121.01, 37.00, 121.02, 37.01))]);
        let report = validate_grids(&g, &outline());
        let p: Vec<_> = report.of_kind("overlap").collect();
        assert_eq!(p.len(), 1, "one problem per pair: {report}");
        let want = area(121.01, 37.00, 121.0105, 37.01);
        match &p[0].kind {
            ProblemKind::Overlap { other, area_m2 } => {
                assert_eq!(other, "371002001001002");
                assert!(close(*area_m2, want), "{area_m2} vs {want}");
                assert!((49_000.0..50_000.0).contains(area_m2), "about 44 m × 1110 m: {area_m2}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            p[0].message,
            format!("feature 1 (371002001001001): grids 371002001001001 and 371002001001002 overlap by {want:.1} m² (the other is feature 2)")
        );
        assert_eq!(report.problems.len(), 1, "{report}");
    }

    #[test]
    fn gap_inside_the_community() {
        let g = grids(&[("371002001001001", rect(121.00, 37.00, 121.0095, 37.01)), ("371002001001002", rect(121.01, 37.00, 121.02, 37.01))]);
        let report = validate_grids(&g, &outline());
        let p: Vec<_> = report.of_kind("gap").collect();
        assert_eq!(p.len(), 1, "{report}");
        let want = area(121.0095, 37.00, 121.01, 37.01);
        match &p[0].kind {
            ProblemKind::Gap { community, area_m2, at } => {
                assert_eq!(community.as_str(), COMMUNITY);
                assert!(close(*area_m2, want), "{area_m2} vs {want}");
                assert!(at.0 > 121.0095 && at.0 < 121.01 && at.1 > 37.0 && at.1 < 37.01, "{at:?} must lie in the gap");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p[0].feature, None);
        assert!(p[0].message.starts_with(&format!("community {COMMUNITY}: {want:.1} m² are covered by none of its grids")), "{}", p[0].message);
        assert_eq!(report.problems.len(), 1, "{report}");
    }

    #[test]
    fn duplicate_codes() {
        let g = grids(&[
            ("371002001001001", rect(121.00, 37.00, 121.01, 37.01)),
            ("371002001001002", rect(121.01, 37.00, 121.015, 37.01)),
            ("371002001001002", rect(121.015, 37.00, 121.02, 37.01)),
        ]);
        let report = validate_grids(&g, &outline());
        let p: Vec<_> = report.of_kind("duplicate_code").collect();
        assert_eq!(p.len(), 1, "{report}");
        assert_eq!(p[0].feature, Some(3));
        assert_eq!(p[0].message, "feature 3 (371002001001002): grid code 371002001001002 is already used by feature 2");
        assert_eq!(report.problems.len(), 1, "{report}");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["problems"][0]["kind"]["type"], "duplicate_code");
    }

    #[test]
    fn every_problem_is_listed_together() {
        let g = grids(&[
            ("371002001001001", rect(121.00, 37.00, 121.0105, 37.01)),
            ("371002001001002", rect(121.01, 37.00, 121.021, 37.009)),
            ("371002001001002", rect(121.05, 37.05, 121.06, 37.06)),
        ]);
        let report = validate_grids(&g, &outline());
        for kind in ["overlap", "outside_community", "gap", "duplicate_code"] {
            assert!(report.of_kind(kind).count() >= 1, "{kind} missing from {report}");
        }
        let text = report.to_string();
        assert!(text.starts_with(&format!("{} problem(s):", report.problems.len())), "{text}");
    }
}
