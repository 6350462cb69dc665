//! Polygon parts stored as flat rings (holes bridged to the exterior) with an R-tree over their
//! boxes, and the point-in-part test: the fast crossing test, settled by geo's exact predicate
//! when it is unsure.
//!
//! Separate from the buckets because both the grids and the areas are stored this way.

use geo::{BoundingRect, Coord, CoordinatePosition, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

use super::predicates::crossing;

/// Where a point lies relative to one polygon part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pos {
    Inside,
    Boundary,
    Outside,
}

/// Polygon parts as flat rings, with an R-tree over their boxes.
pub(super) struct Parts {
    /// Owner (grid or area number) of each part.
    pub(super) owner: Vec<u32>,
    /// Bounding box of each part: min x, min y, max x, max y.
    pub(super) bbox: Vec<[f64; 4]>,
    /// Each part's range in `coords`: the closed exterior, then each closed hole followed by
    /// the exterior's first point again. The jump to a hole and back is one bridge walked both
    /// ways, whose crossings cancel, so a single even-odd pass over the range tests the part.
    span: Vec<(u32, u32)>,
    coords: Vec<[f64; 2]>,
    /// The same parts as geo polygons, for exact answers near an edge.
    exact: Vec<Polygon<f64>>,
    pub(super) tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
}

impl Parts {
    pub(super) fn new(polygons: Vec<(u32, Polygon<f64>)>) -> Parts {
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

    pub(super) fn len(&self) -> usize {
        self.owner.len()
    }

    pub(super) fn ring_coords(&self, part: usize) -> &[[f64; 2]] {
        let (s, e) = self.span[part];
        &self.coords[s as usize..e as usize]
    }

    /// Where a point lies relative to a part: the fast test, settled exactly when it is unsure.
    #[inline]
    pub(super) fn classify(&self, part: usize, x: f64, y: f64) -> Pos {
        match crossing(self.ring_coords(part), x, y) {
            Some(true) => Pos::Inside,
            Some(false) => Pos::Outside,
            None => self.exact_position(part, x, y),
        }
    }

    #[cold]
    pub(super) fn exact_position(&self, part: usize, x: f64, y: f64) -> Pos {
        match self.exact[part].coordinate_position(&Coord { x, y }) {
            geo::coordinate_position::CoordPos::Inside => Pos::Inside,
            geo::coordinate_position::CoordPos::OnBoundary => Pos::Boundary,
            geo::coordinate_position::CoordPos::Outside => Pos::Outside,
        }
    }
}
