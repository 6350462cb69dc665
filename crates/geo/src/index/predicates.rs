//! Floating-point crossing and orientation tests that report when their sign is within rounding,
//! so that the caller can fall back to an exact predicate.
//!
//! Separate because they are pure arithmetic on coordinates, shared by the parts and the buckets.

/// The crossing test over separate edges, as the fallback heads store them.
pub(super) fn crossing_edges(edges: &[[f64; 4]], x: [f64; 2]) -> Option<bool> {
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
pub(super) fn crossing(chain: &[[f64; 2]], x: f64, y: f64) -> Option<bool> {
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
pub(super) fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> (f64, bool) {
    let l = (b[0] - a[0]) * (c[1] - a[1]);
    let r = (b[1] - a[1]) * (c[0] - a[0]);
    let det = l - r;
    (det, det.abs() > 1e-15 * (l.abs() + r.abs()))
}
