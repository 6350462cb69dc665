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
//! a segment through a vertex) are settled by geo's exact
//! [`CoordinatePosition`](geo::CoordinatePosition) (robust predicates), which is also what
//! decides borders. Outside the grids, areas are found through their own R-tree. On the
//! development machine (2 shared cores, load 7–9), `locate_bench` measures 3.4–5.0 million
//! lookups per second of one core's time over 10,000 grids of 48 vertices; see
//! `examples/locate_bench.rs`.

use civicgrid_domain::area::{AreaCode, AreaLevel, GridCode};
use geo::{ConvexHull, MultiPolygon, Polygon};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

use crate::grid::{AreaBoundary, GridFeature};

// This file: `Placement`, `GridIndex`, building the index and the lookups. `parts`: polygon parts
// as flat rings with their R-tree; `predicates`: the floating-point tests that know when they are
// unsure; `buckets`: the bucket grid in front of the R-tree.
mod buckets;
mod parts;
mod predicates;

#[cfg(test)]
mod tests;

use buckets::{side_in_bucket, Buckets, Head, EMPTY, LAST, PART_MASK, SOLID};
use parts::{Parts, Pos};

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
