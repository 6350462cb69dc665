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
//! Polygon parts are bulk-loaded into an rstar R-tree of bounding boxes. In front of it sits a
//! uniform grid of buckets over the grids' extent (about 16 per part), filled at build time by
//! querying the R-tree once per bucket:
//!
//! - a bucket wholly inside one grid's interior stores just that grid (about half of them);
//! - any other bucket stores, per part that reaches into it, a reference point whose side is
//!   known and only the part's edges that meet the bucket, all in one contiguous block. A point
//!   is inside iff the reference is, flipped by each listed edge the segment between them
//!   crosses: a few edges instead of the polygon's dozens, on one or two cache lines.
//!
//! Orientation tests whose sign is within floating-point error (a point on or next to an edge,
//! a segment through a vertex) are settled by geo's exact [`CoordinatePosition`] (robust
//! predicates), which is also what decides borders. Outside the grids, areas are found through
//! their own R-tree. On the development machine (2 shared cores, load 7–9), `locate_bench`
//! measures 3.4–5.0 million lookups per second of one core's time over 10,000 grids of 48
//! vertices; see `examples/locate_bench.rs`.

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

/// The crossing test over separate edges, as the fallback heads store them.
fn crossing_edges(edges: &[[f64; 4]], x: [f64; 2]) -> Option<bool> {
    let mut inside = false;
    for e in edges {
        match crossing(&[[e[0], e[1]], [e[2], e[3]]], x[0], x[1]) {
            None => return None,
            Some(true) => inside = !inside,
            Some(false) => {}
        }
    }
    Some(inside)
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

/// Orientation of c relative to the line a→b, and whether its sign is certain.
///
/// Shewchuk's error bound for orient2d is 3.3e-16 of the summed product magnitudes; the wider
/// margin here only sends a few more points to the exact path.
#[inline]
fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> (f64, bool) {
    let l = (b[0] - a[0]) * (c[1] - a[1]);
    let r = (b[1] - a[1]) * (c[0] - a[0]);
    let det = l - r;
    (det, det.abs() > 1e-15 * (l.abs() + r.abs()))
}

/// What a bucket knows about one polygon part that reaches into it: a reference point whose
/// side is known, and the part's edges that meet the bucket. A point of the bucket is inside the
/// part iff the reference is, flipped once per listed edge that the segment from the reference
/// to the point crosses; every edge that could cross that segment meets the bucket, so the
/// list is complete, and it holds a few edges instead of the polygon's dozens.
///
/// Stored as one 32-byte slot followed by its edges' slots, so that a bucket's whole block is
/// one contiguous read: `[ref x, ref y, bits(edge count << 32 | owner), bits(flags)]`.
#[derive(Clone, Copy)]
struct Head {
    reference: [f64; 2],
    edges: u32,
    owner: u32,
    /// The part number, with `LAST` on the bucket's final head and `REF_INSIDE` if the reference
    /// point is inside the part.
    flags: u32,
}

impl Head {
    fn pack(self) -> [f64; 4] {
        [
            self.reference[0],
            self.reference[1],
            f64::from_bits(u64::from(self.edges) << 32 | u64::from(self.owner)),
            f64::from_bits(u64::from(self.flags)),
        ]
    }

    #[inline]
    fn unpack(slot: &[f64; 4]) -> Head {
        let counts = slot[2].to_bits();
        Head { reference: [slot[0], slot[1]], edges: (counts >> 32) as u32, owner: counts as u32, flags: slot[3].to_bits() as u32 }
    }
}

const LAST: u32 = 1 << 31;
const REF_INSIDE: u32 = 1 << 30;
const PART_MASK: u32 = REF_INSIDE - 1;

/// Inside or outside one part, from a bucket's local edges; `None` when only the exact
/// predicate can tell (on or within rounding of an edge, or a segment through a vertex).
#[inline]
fn side_in_bucket(h: &Head, edges: &[[f64; 4]], p: [f64; 2]) -> Option<bool> {
    let c = h.reference;
    if c[0].is_nan() {
        return crossing_edges(edges, p);
    }
    let mut odd = false;
    for e in edges {
        let (a, b) = ([e[0], e[1]], [e[2], e[3]]);
        let (o, sure) = orient(a, b, p);
        if !sure {
            return None;
        }
        if o > 0.0 {
            // Same side as the reference: the segment cannot cross this edge.
            continue;
        }
        let (o3, s3) = orient(c, p, a);
        let (o4, s4) = orient(c, p, b);
        if !s3 || !s4 {
            return None;
        }
        if (o3 > 0.0) != (o4 > 0.0) {
            odd = !odd;
        }
    }
    Some((h.flags & REF_INSIDE != 0) != odd)
}

/// A uniform grid of buckets over the parts' extent.
struct Buckets {
    min: [f64; 2],
    inv: [f64; 2],
    n: [usize; 2],
    /// Per bucket: `SOLID | grid` when one grid's interior covers the whole bucket (about half
    /// the lookups end there), `EMPTY`, or the slot of its first head. Four bytes a bucket keep
    /// the table in cache.
    cells: Vec<u32>,
    /// Heads, each followed by its edges as (ax, ay, bx, by), turned so that the head's
    /// reference point lies to their left.
    slots: Vec<[f64; 4]>,
}

const SOLID: u32 = 1 << 31;
const EMPTY: u32 = u32::MAX;

/// Buckets per polygon part; see [`Buckets::new`].
const BUCKETS_PER_PART: usize = 16;

impl Buckets {
    fn new(parts: &Parts) -> Buckets {
        let empty = Buckets { min: [0.0; 2], inv: [0.0; 2], n: [0, 0], cells: Vec::new(), slots: Vec::new() };
        if parts.len() == 0 {
            return empty;
        }
        let mut ext = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for b in &parts.bbox {
            ext = [ext[0].min(b[0]), ext[1].min(b[1]), ext[2].max(b[2]), ext[3].max(b[3])];
        }
        let (w, h) = ((ext[2] - ext[0]).max(1e-9), (ext[3] - ext[1]).max(1e-9));
        // With BUCKETS_PER_PART buckets per part about half the buckets lie wholly inside one
        // grid and answer at once; the others list a few edges of two or three parts.
        let target = (parts.len() * BUCKETS_PER_PART).clamp(1, 8_000_000) as f64;
        let side = (w * h / target).sqrt();
        let nx = ((w / side).ceil() as usize).clamp(1, 8192);
        let ny = ((h / side).ceil() as usize).clamp(1, 8192);
        let (cw, ch) = (w / nx as f64, h / ny as f64);
        // A point's bucket is found with rounding, so each bucket is treated as slightly larger
        // than its share; the margin dwarfs that rounding (1e-14° at 180°).
        let margin = 1e-11 + 1e-6 * cw.max(ch);
        let mut out = Buckets { min: [ext[0], ext[1]], inv: [1.0 / cw, 1.0 / ch], n: [nx, ny], cells: Vec::with_capacity(nx * ny), slots: Vec::new() };
        let mut found: Vec<u32> = Vec::new();
        for j in 0..ny {
            for i in 0..nx {
                let lo = [ext[0] + i as f64 * cw - margin, ext[1] + j as f64 * ch - margin];
                let hi = [ext[0] + (i + 1) as f64 * cw + margin, ext[1] + (j + 1) as f64 * ch + margin];
                found.clear();
                found.extend(parts.tree.locate_in_envelope_intersecting(&AABB::from_corners(lo, hi)).map(|g| g.data));
                // Lowest grid first, so the first interior hit is the rule's answer.
                found.sort_unstable_by_key(|&p| (parts.owner[p as usize], p));
                let cell = out.fill(parts, &found, lo, hi);
                out.cells.push(cell);
            }
        }
        out
    }

    /// Works out one bucket: appends its heads and edges and returns its cell value.
    fn fill(&mut self, parts: &Parts, found: &[u32], lo: [f64; 2], hi: [f64; 2]) -> u32 {
        let start = self.slots.len();
        let mut last_head = None;
        let mut edges: Vec<[[f64; 2]; 2]> = Vec::new();
        let mut covering: Vec<u32> = Vec::new();
        let mut reaching = 0;
        for &p in found {
            let p = p as usize;
            edges.clear();
            // A bridge between rings comes twice, there and back, so its crossings cancel.
            for e in parts.ring_coords(p).windows(2) {
                if e[0] != e[1] && segment_may_meet_rect(e[0], e[1], lo, hi) {
                    edges.push([e[0], e[1]]);
                }
            }
            let Some((reference, inside)) = reference_point(parts, p, &edges, lo, hi) else {
                // No point of the bucket has a certain side: give up the shortcut for it.
                self.slots.truncate(start);
                return self.fill_whole(parts, found);
            };
            if edges.is_empty() {
                if !inside {
                    continue;
                }
                covering.push(parts.owner[p]);
            } else {
                reaching += 1;
            }
            let flags = p as u32 | if inside { REF_INSIDE } else { 0 };
            last_head = Some(self.slots.len());
            self.slots.push(Head { reference, edges: edges.len() as u32, owner: parts.owner[p], flags }.pack());
            for &[a, b] in &edges {
                // Turn each edge so the reference lies to its left: the lookup then needs only
                // the point's side.
                let (o, _) = orient(a, b, reference);
                let (a, b) = if o > 0.0 { (a, b) } else { (b, a) };
                self.slots.push([a[0], a[1], b[0], b[1]]);
            }
        }
        if reaching == 0 && covering.len() == 1 {
            self.slots.truncate(start);
            return SOLID | covering[0];
        }
        match last_head {
            None => EMPTY,
            Some(h) => {
                let mut head = Head::unpack(&self.slots[h]);
                head.flags |= LAST;
                self.slots[h] = head.pack();
                start as u32
            }
        }
    }

    /// A bucket where the shortcut failed: every part with its whole outline.
    #[cold]
    fn fill_whole(&mut self, parts: &Parts, found: &[u32]) -> u32 {
        if found.is_empty() {
            return EMPTY;
        }
        let start = self.slots.len();
        let mut last = start;
        for &p in found {
            let ring = parts.ring_coords(p as usize);
            last = self.slots.len();
            // A NaN reference marks a head to be settled by the plain crossing test.
            let head = Head { reference: [f64::NAN, f64::NAN], edges: (ring.len() - 1) as u32, owner: parts.owner[p as usize], flags: p };
            self.slots.push(head.pack());
            self.slots.extend(ring.windows(2).map(|e| [e[0][0], e[0][1], e[1][0], e[1][1]]));
        }
        let mut head = Head::unpack(&self.slots[last]);
        head.flags |= LAST;
        self.slots[last] = head.pack();
        start as u32
    }

    /// The cell value of the bucket holding a point, or `None` outside the extent.
    #[inline]
    fn bucket(&self, x: f64, y: f64) -> Option<u32> {
        // An index without grids has no buckets at all.
        if self.n[0] == 0 || self.n[1] == 0 {
            return None;
        }
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

/// A point of the rectangle whose side of the part is certain, and no listed edge's line
/// passes within rounding of it; `None` if none of a few tries qualifies.
fn reference_point(parts: &Parts, part: usize, edges: &[[[f64; 2]; 2]], lo: [f64; 2], hi: [f64; 2]) -> Option<([f64; 2], bool)> {
    for (fx, fy) in [(0.5, 0.5), (0.31, 0.43), (0.67, 0.29), (0.41, 0.71), (0.77, 0.63), (0.13, 0.17)] {
        let r = [lo[0] + (hi[0] - lo[0]) * fx, lo[1] + (hi[1] - lo[1]) * fy];
        if edges.iter().any(|&[a, b]| !orient(a, b, r).1) {
            continue;
        }
        match parts.classify(part, r[0], r[1]) {
            Pos::Inside => return Some((r, true)),
            Pos::Outside => return Some((r, false)),
            Pos::Boundary => continue,
        }
    }
    None
}

/// True unless the segment a–b certainly misses the closed rectangle (conservative: a `true` only
/// costs a little time).
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
        let mut border: Option<u32> = None;
        let slots = &self.buckets.slots;
        let mut at = cell as usize;
        // Heads come in grid order, so the first interior hit is the lowest such grid.
        loop {
            let h = Head::unpack(&slots[at]);
            let edges = &slots[at + 1..at + 1 + h.edges as usize];
            let pos = match side_in_bucket(&h, edges, [x, y]) {
                Some(true) => Pos::Inside,
                Some(false) => Pos::Outside,
                None => self.grid_parts.exact_position((h.flags & PART_MASK) as usize, x, y),
            };
            match pos {
                Pos::Inside => return Some((h.owner, false)),
                Pos::Boundary if border.is_none_or(|b| h.owner < b) => border = Some(h.owner),
                _ => {}
            }
            if h.flags & LAST != 0 {
                break;
            }
            at += 1 + h.edges as usize;
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
}
