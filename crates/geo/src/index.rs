//! The point-to-grid index: which grid (or, failing that, which area) a WGS84 point falls in.
//!
//! # Placement rule
//!
//! - A point in the **interior** of a grid belongs to that grid (`on_border: false`). If bad data
//!   puts it in the interior of several, the lowest grid code wins.
//! - A point on **no interior but on the boundary** of one or more grids (a shared edge, a shared
//!   vertex, the rim of a hole) belongs to exactly one of them: the **lowest grid code** among the
//!   grids whose closure contains it, with `on_border: true`.
//! - A point in **no grid** gets the deepest area that contains it (boundary included): the given
//!   [`AreaBoundary`] outlines, plus, for every community (12 digits), town (9) and county (6)
//!   that has grids but no given outline, the convex hull of its grids. At equal depth a given
//!   outline beats a hull, then the lower code wins.
//! - Otherwise the point is [`Placement::Outside`].
//!
//! # How it is fast
//!
//! Each polygon part is stored as flat closed rings for a tight crossing-number test that also
//! flags edges passing within floating-point error of the point; only those rare points are
//! settled by geo's exact [`CoordinatePosition`] (robust predicates). Parts are bulk-loaded into
//! an rstar R-tree of bounding boxes. In front of the tree sits a uniform bucket grid over the
//! grids' extent, each bucket holding the parts whose boxes meet it, sorted by grid code, filled
//! by querying the R-tree once per bucket at build time; a lookup then touches one bucket and a
//! handful of parts. See `examples/locate_bench.rs` for the measured rate.

use civicgrid_domain::area::{AreaCode, AreaLevel, GridCode};
use geo::{BoundingRect, ConvexHull, Coord, CoordinatePosition, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

use crate::grid::{AreaBoundary, GridFeature};

/// Where a point falls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    /// Inside a grid, or on its border when `on_border` (see the module doc for the rule).
    Grid {
        /// The grid the point belongs to.
        grid: GridCode,
        /// True if the point lies on the grid's boundary rather than in its interior.
        on_border: bool,
    },
    /// In no grid, but inside this area (the deepest one known).
    Area {
        /// The smallest enclosing area.
        area: AreaCode,
    },
    /// In no grid and no known area.
    Outside,
}

/// An immutable spatial index over grid polygons and area outlines; cheap to share (`Send + Sync`).
pub struct GridIndex {
    grids: Vec<GridCode>,
    grid_parts: Parts,
    buckets: Buckets,
    areas: Vec<AreaEntry>,
    area_parts: Parts,
}

struct AreaEntry {
    code: AreaCode,
    depth: usize,
    given: bool,
}

/// Where a point lies relative to one polygon part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Inside,
    Boundary,
    Outside,
}

/// Polygon parts as flat rings, with an R-tree over their boxes.
struct Parts {
    /// Owner (grid or area number) of each part.
    owner: Vec<u32>,
    /// Bounding box of each part: min x, min y, max x, max y.
    bbox: Vec<[f64; 4]>,
    /// Each part's range in `coords`: the closed exterior, then each closed hole followed by
    /// the exterior's first point again. The jump to a hole and back is one bridge walked both
    /// ways, whose crossings cancel, so a single even-odd pass over the range tests the part.
    span: Vec<(u32, u32)>,
    coords: Vec<[f64; 2]>,
    /// The same parts as geo polygons, for exact answers near an edge.
    exact: Vec<Polygon<f64>>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
}

impl Parts {
    fn new(polygons: Vec<(u32, Polygon<f64>)>) -> Parts {
        let mut p = Parts {
            owner: Vec::with_capacity(polygons.len()),
            bbox: Vec::with_capacity(polygons.len()),
            span: Vec::with_capacity(polygons.len()),
            coords: Vec::new(),
            exact: Vec::with_capacity(polygons.len()),
            tree: RTree::new(),
        };
        let mut boxes = Vec::with_capacity(polygons.len());
        for (owner, poly) in polygons {
            let Some(r) = poly.bounding_rect() else { continue };
            let id = p.owner.len() as u32;
            p.owner.push(owner);
            p.bbox.push([r.min().x, r.min().y, r.max().x, r.max().y]);
            let start = p.coords.len() as u32;
            p.coords.extend(poly.exterior().0.iter().map(|c| [c.x, c.y]));
            let anchor = p.coords[start as usize];
            for hole in poly.interiors() {
                p.coords.extend(hole.0.iter().map(|c| [c.x, c.y]));
                p.coords.push(anchor);
            }
            p.span.push((start, p.coords.len() as u32));
            p.exact.push(poly);
            boxes.push(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), id));
        }
        p.tree = RTree::bulk_load(boxes);
        p
    }

    fn len(&self) -> usize {
        self.owner.len()
    }

    fn ring_coords(&self, part: usize) -> &[[f64; 2]] {
        let (s, e) = self.span[part];
        &self.coords[s as usize..e as usize]
    }

    /// Where a point lies relative to a part: the fast test, settled exactly when it is unsure.
    #[inline]
    fn classify(&self, part: usize, x: f64, y: f64) -> Pos {
        match crossing(self.ring_coords(part), x, y) {
            Some(true) => Pos::Inside,
            Some(false) => Pos::Outside,
            None => self.exact_position(part, x, y),
        }
    }

    #[cold]
    fn exact_position(&self, part: usize, x: f64, y: f64) -> Pos {
        match self.exact[part].coordinate_position(&Coord { x, y }) {
            geo::coordinate_position::CoordPos::Inside => Pos::Inside,
            geo::coordinate_position::CoordPos::OnBoundary => Pos::Boundary,
            geo::coordinate_position::CoordPos::Outside => Pos::Outside,
        }
    }
}

/// Even-odd crossing test along a chain of points; `None` when some edge passes within
/// floating-point error of the point (or through it), where only an exact predicate can tell.
#[inline]
fn crossing(chain: &[[f64; 2]], x: f64, y: f64) -> Option<bool> {
    // Shewchuk's error bound for orient2d is 3.3e-16 of the summed product magnitudes; a wider
    // margin only sends a few more points to the exact path.
    const ERR: f64 = 1e-15;
    let mut inside = false;
    let mut near = false;
    for e in chain.windows(2) {
        let ([ax, ay], [bx, by]) = (e[0], e[1]);
        if (ay > y) != (by > y) {
            let lhs = (bx - ax) * (y - ay);
            let rhs = (x - ax) * (by - ay);
            let det = lhs - rhs;
            if det.abs() <= ERR * (lhs.abs() + rhs.abs()) {
                near = true;
            } else if (det > 0.0) == (by > ay) {
                inside = !inside;
            }
        } else if ay == y && ((by == y && x >= ax.min(bx) && x <= ax.max(bx)) || ax == x) {
            near = true;
        }
    }
    (!near).then_some(inside)
}

/// A candidate part as a bucket lists it: everything the fast test needs, two to a cache line.
///
/// The box is kept in f32 rounded outward: it only filters, so being a metre too wide is
/// harmless, and halving the record saves a cache miss per lookup.
#[derive(Clone, Copy)]
struct Candidate {
    bbox: [f32; 4],
    start: u32,
    end: u32,
    owner: u32,
    /// The part number, with `LAST` set on the bucket's final candidate.
    part: u32,
}

const LAST: u32 = 1 << 31;

fn f32_down(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) > v {
        f - f.abs().max(f32::MIN_POSITIVE) * f32::EPSILON
    } else {
        f
    }
}

fn f32_up(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) < v {
        f + f.abs().max(f32::MIN_POSITIVE) * f32::EPSILON
    } else {
        f
    }
}

/// A uniform grid of buckets over the parts' extent, each listing the parts whose boxes meet it.
struct Buckets {
    min: [f64; 2],
    inv: [f64; 2],
    n: [usize; 2],
    /// Per bucket: `SOLID | grid` when one grid's interior covers the whole bucket (about half
    /// the lookups end there), `EMPTY`, or the index of its first candidate in `candidates`.
    /// Four bytes a bucket keep the table in cache.
    cells: Vec<u32>,
    candidates: Vec<Candidate>,
}

const SOLID: u32 = 1 << 31;
const EMPTY: u32 = u32::MAX;

/// Buckets per polygon part; see [`Buckets::new`].
const BUCKETS_PER_PART: usize = 16;

impl Buckets {
    fn new(parts: &Parts) -> Buckets {
        let empty = Buckets { min: [0.0; 2], inv: [0.0; 2], n: [0, 0], cells: Vec::new(), candidates: Vec::new() };
        if parts.len() == 0 {
            return empty;
        }
        let mut ext = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for b in &parts.bbox {
            ext = [ext[0].min(b[0]), ext[1].min(b[1]), ext[2].max(b[2]), ext[3].max(b[3])];
        }
        let (w, h) = ((ext[2] - ext[0]).max(1e-9), (ext[3] - ext[1]).max(1e-9));
        // With BUCKETS_PER_PART buckets per part about half the buckets lie wholly inside one
        // grid and answer without a polygon test; the rest meet two to four part boxes.
        let target = (parts.len() * BUCKETS_PER_PART).clamp(1, 8_000_000) as f64;
        let side = (w * h / target).sqrt();
        let nx = ((w / side).ceil() as usize).clamp(1, 8192);
        let ny = ((h / side).ceil() as usize).clamp(1, 8192);
        let (cw, ch) = (w / nx as f64, h / ny as f64);
        let mut cells = Vec::with_capacity(nx * ny);
        let mut candidates = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        for j in 0..ny {
            for i in 0..nx {
                let lo = [ext[0] + i as f64 * cw, ext[1] + j as f64 * ch];
                let hi = [lo[0] + cw, lo[1] + ch];
                found.clear();
                found.extend(parts.tree.locate_in_envelope_intersecting(&AABB::from_corners(lo, hi)).map(|g| g.data));
                if found.is_empty() {
                    cells.push(EMPTY);
                    continue;
                }
                if let Some(grid) = solid_owner(parts, &found, lo, hi) {
                    cells.push(SOLID | grid);
                    continue;
                }
                // Lowest grid first, so the first interior hit is the rule's answer.
                found.sort_unstable_by_key(|&p| (parts.owner[p as usize], p));
                cells.push(candidates.len() as u32);
                candidates.extend(found.iter().map(|&p| {
                    let (s, e) = parts.span[p as usize];
                    let b = parts.bbox[p as usize];
                    let bbox = [f32_down(b[0]), f32_down(b[1]), f32_up(b[2]), f32_up(b[3])];
                    Candidate { bbox, start: s, end: e, owner: parts.owner[p as usize], part: p }
                }));
                candidates.last_mut().expect("not empty").part |= LAST;
            }
        }
        Buckets { min: [ext[0], ext[1]], inv: [1.0 / cw, 1.0 / ch], n: [nx, ny], cells, candidates }
    }

    /// The bucket holding a point, or `None` outside the extent.
    #[inline]
    fn bucket(&self, x: f64, y: f64) -> Option<u32> {
        let fx = (x - self.min[0]) * self.inv[0];
        let fy = (y - self.min[1]) * self.inv[1];
        // The negated comparison also sends NaN away.
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        // A point exactly on the far edge belongs to the last bucket.
        let (i, j) = (fx as usize, fy as usize);
        let i = if i == self.n[0] && fx == self.n[0] as f64 { i - 1 } else { i };
        let j = if j == self.n[1] && fy == self.n[1] as f64 { j - 1 } else { j };
        if i >= self.n[0] || j >= self.n[1] {
            return None;
        }
        Some(self.cells[j * self.n[0] + i])
    }
}

/// True unless the segment a–b certainly misses the closed rectangle (conservative: a `true` only
/// costs the bucket its shortcut).
fn segment_may_meet_rect(a: [f64; 2], b: [f64; 2], lo: [f64; 2], hi: [f64; 2]) -> bool {
    if a[0].max(b[0]) < lo[0] || a[0].min(b[0]) > hi[0] || a[1].max(b[1]) < lo[1] || a[1].min(b[1]) > hi[1] {
        return false;
    }
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let side = |x: f64, y: f64| dx * (y - a[1]) - dy * (x - a[0]);
    let s = [side(lo[0], lo[1]), side(hi[0], lo[1]), side(hi[0], hi[1]), side(lo[0], hi[1])];
    let scale = (dx.abs() + dy.abs()) * ((hi[0] - lo[0]) + (hi[1] - lo[1]) + (a[0] - lo[0]).abs() + (a[1] - lo[1]).abs());
    let margin = 1e-9 * scale;
    !(s.iter().all(|&v| v > margin) || s.iter().all(|&v| v < -margin))
}

/// The one grid whose interior holds the whole rectangle, if exactly one does and no other
/// candidate reaches into it.
fn solid_owner(parts: &Parts, candidates: &[u32], lo: [f64; 2], hi: [f64; 2]) -> Option<u32> {
    let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let mut owner = None;
    for &p in candidates {
        let p = p as usize;
        // The bridge between rings is a spurious segment here, which can only make the answer
        // more conservative.
        if parts.ring_coords(p).windows(2).any(|e| segment_may_meet_rect(e[0], e[1], lo, hi)) {
            return None;
        }
        // No edge meets the rectangle, so it lies wholly inside or wholly outside this part.
        if parts.classify(p, centre[0], centre[1]) == Pos::Inside {
            if owner.is_some() {
                return None;
            }
            owner = Some(parts.owner[p]);
        }
    }
    owner
}

impl GridIndex {
    /// Builds the index from grid outlines (WGS84) and any area outlines known.
    ///
    /// Several entries with the same code are merged into one grid.
    pub fn build(grids: impl IntoIterator<Item = (GridCode, MultiPolygon<f64>)>, boundaries: &[AreaBoundary]) -> GridIndex {
        let mut by_code: BTreeMap<GridCode, Vec<Polygon<f64>>> = BTreeMap::new();
        for (code, mp) in grids {
            by_code.entry(code).or_default().extend(mp.0);
        }
        let codes: Vec<GridCode> = by_code.keys().cloned().collect();
        let mut polygons = Vec::new();
        for (i, polys) in by_code.values().enumerate() {
            polygons.extend(polys.iter().cloned().map(|p| (i as u32, p)));
        }
        let grid_parts = Parts::new(polygons);
        let buckets = Buckets::new(&grid_parts);

        // Areas: the given outlines, then hulls for the areas that have grids but no outline.
        let mut areas = Vec::new();
        let mut area_polys = Vec::new();
        let given: HashSet<&AreaCode> = boundaries.iter().map(|b| &b.area).collect();
        for b in boundaries {
            let id = areas.len() as u32;
            areas.push(AreaEntry { code: b.area.clone(), depth: b.area.as_str().len(), given: true });
            area_polys.extend(b.geometry.0.iter().cloned().map(|p| (id, p)));
        }
        let mut hull_members: BTreeMap<AreaCode, Vec<Polygon<f64>>> = BTreeMap::new();
        for (code, polys) in &by_code {
            let community = code.community();
            for level in [AreaLevel::Village, AreaLevel::Town, AreaLevel::County] {
                let Some(area) = community.at_level(level) else { continue };
                if !given.contains(&area) {
                    hull_members.entry(area).or_default().extend(polys.iter().cloned());
                }
            }
        }
        for (area, polys) in hull_members {
            let hull = MultiPolygon::new(polys).convex_hull();
            let id = areas.len() as u32;
            areas.push(AreaEntry { depth: area.as_str().len(), code: area, given: false });
            area_polys.push((id, hull));
        }
        GridIndex { grids: codes, grid_parts, buckets, areas, area_parts: Parts::new(area_polys) }
    }

    /// Builds the index from grid features.
    pub fn from_features(grids: &[GridFeature], boundaries: &[AreaBoundary]) -> GridIndex {
        GridIndex::build(grids.iter().map(|g| (g.code.clone(), g.geometry.clone())), boundaries)
    }

    /// Number of distinct grids indexed.
    pub fn len(&self) -> usize {
        self.grids.len()
    }

    /// True if no grid is indexed.
    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }

    /// Where a WGS84 point falls; see the module doc for the rule on borders and gaps.
    pub fn locate(&self, lon: f64, lat: f64) -> Placement {
        if !lon.is_finite() || !lat.is_finite() {
            return Placement::Outside;
        }
        if let Some((grid, on_border)) = self.locate_grid(lon, lat) {
            return Placement::Grid { grid: self.grids[grid as usize].clone(), on_border };
        }
        match self.locate_area(lon, lat) {
            Some(a) => Placement::Area { area: self.areas[a].code.clone() },
            None => Placement::Outside,
        }
    }

    /// The grid number (position in code order) and border flag, without building a `Placement`.
    #[inline]
    fn locate_grid(&self, x: f64, y: f64) -> Option<(u32, bool)> {
        let cell = self.buckets.bucket(x, y)?;
        if cell == EMPTY {
            return None;
        }
        if cell & SOLID != 0 {
            return Some((cell & !SOLID, false));
        }
        let (xf, yf) = (x as f32, y as f32);
        let mut border: Option<u32> = None;
        // Candidates come in grid order, so the first interior hit is the lowest such grid.
        for c in &self.buckets.candidates[cell as usize..] {
            // Rounding x to f32 can only move it to the box's f32 edge, which the outward
            // rounding of the box already includes.
            if !(xf < c.bbox[0] || yf < c.bbox[1] || xf > c.bbox[2] || yf > c.bbox[3]) {
                let pos = match crossing(&self.grid_parts.coords[c.start as usize..c.end as usize], x, y) {
                    Some(true) => Pos::Inside,
                    Some(false) => Pos::Outside,
                    None => self.grid_parts.exact_position((c.part & !LAST) as usize, x, y),
                };
                match pos {
                    Pos::Inside => return Some((c.owner, false)),
                    Pos::Boundary if border.is_none_or(|b| c.owner < b) => border = Some(c.owner),
                    _ => {}
                }
            }
            if c.part & LAST != 0 {
                break;
            }
        }
        border.map(|b| (b, true))
    }

    fn locate_area(&self, x: f64, y: f64) -> Option<usize> {
        let parts = &self.area_parts;
        let mut best: Option<usize> = None;
        for g in parts.tree.locate_all_at_point(&[x, y]) {
            let p = g.data as usize;
            if parts.classify(p, x, y) == Pos::Outside {
                continue;
            }
            let a = parts.owner[p] as usize;
            let better = match best {
                None => true,
                Some(b) => {
                    let (ea, eb) = (&self.areas[a], &self.areas[b]);
                    (ea.depth, ea.given, std::cmp::Reverse(&ea.code)) > (eb.depth, eb.given, std::cmp::Reverse(&eb.code))
                }
            };
            if better {
                best = Some(a);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    }

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<GridIndex>();
    }
}
