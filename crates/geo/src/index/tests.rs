//! Unit tests of the placement rule (interiors, shared edges and vertices, holes, hulls and given
//! outlines) and a brute-force comparison on a synthetic tiling.
//!
//! Kept in their own file so that the index code stays short.

use super::*;
use geo::BoundingRect;
use geo::{polygon, Contains, Intersects};

fn code(s: &str) -> GridCode {
    GridCode::parse(s).unwrap()
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)]])
}

fn grid(p: &Placement) -> (&str, bool) {
    match p {
        Placement::Grid { grid, on_border } => (grid.as_str(), *on_border),
        other => panic!("expected a grid, got {other:?}"),
    }
}

/// Four unit squares around (121, 37) in two communities; grid 002 has a hole.
///
/// ```text
///  37.02 +-----------+-----------+
///        |   ..2001  |   ..1004  |
///  37.01 +-----------+-----------+
///        |   ..1002  |   ..1001  |
///  37.00 +-----------+-----------+
///      121.00      121.01      121.02
/// ```
fn four() -> GridIndex {
    let mut g2 = rect(121.00, 37.00, 121.01, 37.01);
    g2.0[0].interiors_push(vec![(121.004, 37.004), (121.006, 37.004), (121.006, 37.006), (121.004, 37.006), (121.004, 37.004)]);
    GridIndex::build(
        vec![
            (code("371002001001001"), rect(121.01, 37.00, 121.02, 37.01)),
            (code("371002001001002"), g2),
            (code("371002001001004"), rect(121.01, 37.01, 121.02, 37.02)),
            (code("371002001002001"), rect(121.00, 37.01, 121.01, 37.02)),
        ],
        &[],
    )
}

#[test]
fn interior_points() {
    let idx = four();
    assert_eq!(idx.len(), 4);
    assert_eq!(grid(&idx.locate(121.015, 37.005)), ("371002001001001", false));
    assert_eq!(grid(&idx.locate(121.002, 37.002)), ("371002001001002", false));
    assert_eq!(grid(&idx.locate(121.0199, 37.0199)), ("371002001001004", false));
    assert_eq!(grid(&idx.locate(121.005, 37.015)), ("371002001002001", false));
}

#[test]
fn shared_edge_goes_to_the_lowest_code_only() {
    let idx = four();
    // Vertical edge x = 121.01 between 001 (right) and 002 (left): 001 is lower.
    assert_eq!(grid(&idx.locate(121.01, 37.005)), ("371002001001001", true));
    // Horizontal edge y = 37.01 between 001 (below) and 004 (above).
    assert_eq!(grid(&idx.locate(121.015, 37.01)), ("371002001001001", true));
    // Between 004 and 2001: 004 is lower.
    assert_eq!(grid(&idx.locate(121.01, 37.015)), ("371002001001004", true));
    // Between 002 and 2001.
    assert_eq!(grid(&idx.locate(121.005, 37.01)), ("371002001001002", true));
    // The outer rim of a grid with no neighbour is still its border.
    assert_eq!(grid(&idx.locate(121.02, 37.005)), ("371002001001001", true));
}

#[test]
fn shared_vertex_goes_to_the_lowest_code() {
    let idx = four();
    assert_eq!(grid(&idx.locate(121.01, 37.01)), ("371002001001001", true));
    assert_eq!(grid(&idx.locate(121.00, 37.02)), ("371002001002001", true));
}

#[test]
fn hole_is_not_the_grid() {
    let idx = four();
    // In the hole: no grid; the community hull of 371002001001 covers it.
    assert_eq!(idx.locate(121.005, 37.005), Placement::Area { area: AreaCode::parse("371002001001").unwrap() });
    // On the hole's rim: the grid's border.
    assert_eq!(grid(&idx.locate(121.004, 37.005)), ("371002001001002", true));
}

#[test]
fn several_holes() {
    // Hole starts at (1,1), (5,1) and (3,5) span a triangle; (3, 2.5) lies inside that
    // triangle but in no hole, so it must stay inside the grid.
    let mut g = rect(0.0, 0.0, 8.0, 8.0);
    for (x, y) in [(1.0, 1.0), (5.0, 1.0), (3.0, 5.0)] {
        g.0[0].interiors_push(vec![(x, y), (x + 1.0, y), (x + 1.0, y + 1.0), (x, y + 1.0), (x, y)]);
    }
    let idx = GridIndex::build(vec![(code("371002001001001"), g)], &[]);
    assert_eq!(grid(&idx.locate(3.0, 2.5)), ("371002001001001", false));
    assert_eq!(grid(&idx.locate(7.5, 7.5)), ("371002001001001", false));
    for (x, y) in [(1.5, 1.5), (5.5, 1.5), (3.5, 5.5)] {
        assert!(matches!(idx.locate(x, y), Placement::Area { .. }), "({x}, {y}) is in a hole");
    }
    assert_eq!(grid(&idx.locate(6.0, 1.5)), ("371002001001001", true), "on a hole's rim");
}

#[test]
fn between_communities_the_town_hull_answers() {
    let idx = GridIndex::build(
        vec![
            (code("371002001001001"), rect(121.00, 37.00, 121.01, 37.01)),
            (code("371002001002001"), rect(121.03, 37.00, 121.04, 37.01)),
            (code("371002002001001"), rect(121.10, 37.00, 121.11, 37.01)),
        ],
        &[],
    );
    let area = |s: &str| Placement::Area { area: AreaCode::parse(s).unwrap() };
    assert_eq!(idx.locate(121.02, 37.005), area("371002001"));
    assert_eq!(idx.locate(121.07, 37.005), area("371002"));
    assert_eq!(grid(&idx.locate(121.035, 37.005)), ("371002001002001", false));
}

#[test]
fn outside_grids_the_hull_or_given_boundary_answers() {
    // Two grids of one community with a gap between them, and a second town further east.
    let grids = vec![
        (code("371002001001001"), rect(121.00, 37.00, 121.01, 37.01)),
        (code("371002001001002"), rect(121.02, 37.00, 121.03, 37.03)),
        (code("371002002001001"), rect(121.10, 37.00, 121.11, 37.01)),
    ];
    let idx = GridIndex::build(grids.clone(), &[]);
    let community = |s: &str| Placement::Area { area: AreaCode::parse(s).unwrap() };
    // Between the two grids, inside their community's hull.
    assert_eq!(idx.locate(121.015, 37.005), community("371002001001"));
    // Above grid 001 but under the hull's slanted top edge only up to the line (121.00,37.01)-(121.02,37.03).
    assert_eq!(idx.locate(121.012, 37.015), community("371002001001"));
    assert_eq!(idx.locate(121.04, 37.02), community("371002"), "outside the community and town hull, inside the county hull");
    assert_eq!(idx.locate(121.005, 37.02), Placement::Outside, "above every hull's slanted edge");
    // Between the towns: only the county hull contains it.
    assert_eq!(idx.locate(121.06, 37.005), community("371002"));
    // Far away.
    assert_eq!(idx.locate(116.4, 39.9), Placement::Outside);
    assert_eq!(idx.locate(f64::NAN, 37.0), Placement::Outside);

    // A given town outline beats the county hull, and a given community outline is used as is.
    let boundaries = vec![
        AreaBoundary { area: AreaCode::parse("371002001").unwrap(), name: None, geometry: rect(120.99, 36.99, 121.05, 37.05) },
        AreaBoundary { area: AreaCode::parse("371002002001").unwrap(), name: None, geometry: rect(121.09, 36.99, 121.12, 37.02) },
    ];
    let idx = GridIndex::build(grids, &boundaries);
    assert_eq!(idx.locate(121.005, 37.02), community("371002001"));
    assert_eq!(idx.locate(121.04, 37.04), community("371002001"));
    assert_eq!(idx.locate(121.115, 37.015), community("371002002001"));
    assert_eq!(idx.locate(121.06, 37.005), community("371002"));
    assert_eq!(idx.locate(121.2, 37.005), Placement::Outside);
}

#[test]
fn agrees_with_brute_force_on_a_synthetic_tiling() {
    let tiles = crate::synthetic::tiling(400, 48, (121.0, 37.0), 300.0, 7);
    let idx = GridIndex::from_features(&tiles, &[]);
    assert_eq!(idx.len(), 400);
    let r = MultiPolygon::new(tiles.iter().flat_map(|t| t.geometry.0.clone()).collect()).bounding_rect().unwrap();
    let mut rng = crate::synthetic::Rng::new(99);
    let (mut inside, mut outside) = (0, 0);
    for _ in 0..10_000 {
        let x = r.min().x + rng.f64() * r.width();
        let y = r.min().y + rng.f64() * r.height();
        let p = geo::Point::new(x, y);
        let brute: Vec<&GridFeature> = tiles.iter().filter(|t| t.geometry.contains(&p)).collect();
        match idx.locate(x, y) {
            Placement::Grid { grid, on_border: false } => {
                assert_eq!(brute.len(), 1, "({x}, {y}) in {grid} by the index, {} by brute force", brute.len());
                assert_eq!(brute[0].code, grid);
                inside += 1;
            }
            Placement::Grid { grid, on_border: true } => {
                // Random points land exactly on an edge almost never; if one does, it must
                // touch the grid named.
                let g = tiles.iter().find(|t| t.code == grid).unwrap();
                assert!(g.geometry.intersects(&p) && brute.is_empty());
            }
            other => {
                assert!(brute.is_empty(), "({x}, {y}): index says {other:?}, brute force {}", brute[0].code);
                outside += 1;
            }
        }
    }
    assert!(inside > 5_000 && outside > 0, "the sample must exercise both cases: {inside} in, {outside} out");

    // Every vertex lies on the border of one to four grids and goes to the lowest of them.
    for t in tiles.iter().step_by(7) {
        for c in t.geometry.0[0].exterior().0.iter().step_by(5) {
            let p = geo::Point::new(c.x, c.y);
            let lowest = tiles.iter().filter(|o| o.geometry.intersects(&p)).map(|o| &o.code).min().unwrap();
            assert_eq!(idx.locate(c.x, c.y), Placement::Grid { grid: lowest.clone(), on_border: true }, "vertex ({}, {})", c.x, c.y);
        }
    }
}

#[test]
fn an_index_without_grids_answers_outside() {
    let empty = GridIndex::build(std::iter::empty(), &[]);
    assert!(empty.is_empty());
    for (x, y) in [(0.0, 0.0), (122.1, 37.5), (f64::NAN, 1.0)] {
        assert_eq!(empty.locate(x, y), Placement::Outside, "({x}, {y})");
    }
}

#[test]
fn is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<GridIndex>();
}
