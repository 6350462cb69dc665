//! The uniform grid of buckets in front of the R-tree: per bucket either the one grid covering it
//! or packed heads (a reference point of known side plus the part's edges that meet the bucket),
//! built once and read on every lookup.
//!
//! Separate because it is the speed-up layer: the placement rule itself does not depend on it.

use rstar::AABB;

use super::parts::{Parts, Pos};
use super::predicates::{crossing_edges, orient};

/// What a bucket knows about one polygon part that reaches into it: a reference point whose
/// side is known, and the part's edges that meet the bucket. A point of the bucket is inside the
/// part iff the reference is, flipped once per listed edge that the segment from the reference
/// to the point crosses; every edge that could cross that segment meets the bucket, so the
/// list is complete, and it holds a few edges instead of the polygon's dozens.
///
/// Stored as one 32-byte slot followed by its edges' slots, so that a bucket's whole block is
/// one contiguous read: `[ref x, ref y, bits(edge count << 32 | owner), bits(flags)]`.
#[derive(Clone, Copy)]
pub(super) struct Head {
    reference: [f64; 2],
    pub(super) edges: u32,
    pub(super) owner: u32,
    /// The part number, with `LAST` on the bucket's final head and `REF_INSIDE` if the reference
    /// point is inside the part.
    pub(super) flags: u32,
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
    pub(super) fn unpack(slot: &[f64; 4]) -> Head {
        let counts = slot[2].to_bits();
        Head { reference: [slot[0], slot[1]], edges: (counts >> 32) as u32, owner: counts as u32, flags: slot[3].to_bits() as u32 }
    }
}

pub(super) const LAST: u32 = 1 << 31;
const REF_INSIDE: u32 = 1 << 30;
pub(super) const PART_MASK: u32 = REF_INSIDE - 1;

/// Inside or outside one part, from a bucket's local edges; `None` when only the exact
/// predicate can tell (on or within rounding of an edge, or a segment through a vertex).
#[inline]
pub(super) fn side_in_bucket(h: &Head, edges: &[[f64; 4]], p: [f64; 2]) -> Option<bool> {
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
pub(super) struct Buckets {
    min: [f64; 2],
    inv: [f64; 2],
    n: [usize; 2],
    /// Per bucket: `SOLID | grid` when one grid's interior covers the whole bucket (about half
    /// the lookups end there), `EMPTY`, or the slot of its first head. Four bytes a bucket keep
    /// the table in cache.
    cells: Vec<u32>,
    /// Heads, each followed by its edges as (ax, ay, bx, by), turned so that the head's
    /// reference point lies to their left.
    pub(super) slots: Vec<[f64; 4]>,
}

pub(super) const SOLID: u32 = 1 << 31;
pub(super) const EMPTY: u32 = u32::MAX;

/// Buckets per polygon part; see [`Buckets::new`].
const BUCKETS_PER_PART: usize = 16;

impl Buckets {
    pub(super) fn new(parts: &Parts) -> Buckets {
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
        let mut out = Buckets {
            min: [ext[0], ext[1]],
            inv: [1.0 / cw, 1.0 / ch],
            n: [nx, ny],
            cells: Vec::with_capacity(nx * ny),
            slots: Vec::new(),
        };
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
    pub(super) fn bucket(&self, x: f64, y: f64) -> Option<u32> {
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
