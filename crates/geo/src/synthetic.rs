//! Synthetic but well-formed grid data, for benchmarks, tests and the demo.
//!
//! Everything is deterministic in its seed.

use civicgrid_domain::area::GridCode;
use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::grid::{GridFeature, GridKind, GridStaff};

/// Metres per degree of latitude (mean); longitude scales by cos(latitude).
const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON_EQUATOR: f64 = 111_320.0;

/// A small deterministic generator (SplitMix64), so synthetic data needs no `rand` dependency.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [-1, 1).
    pub(crate) fn sym(&mut self) -> f64 {
        self.f64() * 2.0 - 1.0
    }

    /// Uniform integer in [lo, hi] (inclusive).
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.u64() % u64::from(hi - lo + 1)) as u32
    }
}

/// Converts local metres east/north of `origin` to longitude/latitude.
pub(crate) fn metres_to_lonlat(origin: (f64, f64), east: f64, north: f64) -> Coord<f64> {
    let lon_scale = M_PER_DEG_LON_EQUATOR * origin.1.to_radians().cos();
    Coord { x: origin.0 + east / lon_scale, y: origin.1 + north / M_PER_DEG_LAT }
}

/// The grid code for the `index`-th synthetic grid with `per_community` grids per community:
/// county 371002, then towns and communities counted from 001.
fn synthetic_code(index: usize, per_community: usize) -> GridCode {
    let community = index / per_community;
    let (town, village) = (community / 999 + 1, community % 999 + 1);
    GridCode::parse(&format!("371002{town:03}{village:03}{:03}", index % per_community + 1)).expect("valid by construction")
}

/// `n` grids that tile a region without gaps or overlaps, each with about `vertices` vertices.
///
/// The grids are cells of a jittered lattice of `cell_m` metres starting at `origin` (lon, lat)
/// and growing east and north, in rows of ⌈√n⌉. Every cell edge is a wiggly polyline computed
/// from the edge's own position, so the two neighbours on it share identical vertices. Codes run
/// 100 grids per community from community `371002001001`.
pub fn tiling(n: usize, vertices: usize, origin: (f64, f64), cell_m: f64, seed: u64) -> Vec<GridFeature> {
    const PER_COMMUNITY: usize = 100;
    if n == 0 {
        return Vec::new();
    }
    let cols = (n as f64).sqrt().ceil() as usize;
    let rows = n.div_ceil(cols);
    let k = (vertices / 4).max(1);
    // Corner (i, j) jittered by up to 15 % of a cell, kept in metres.
    let mut rng = Rng::new(seed);
    let corners: Vec<[f64; 2]> = (0..(rows + 1) * (cols + 1))
        .map(|c| {
            let (i, j) = ((c % (cols + 1)) as f64, (c / (cols + 1)) as f64);
            [(i + 0.15 * rng.sym()) * cell_m, (j + 0.15 * rng.sym()) * cell_m]
        })
        .collect();
    let corner = |i: usize, j: usize| corners[j * (cols + 1) + i];
    // The points of the edge from corner a to corner b, excluding b. The wiggle is seeded by
    // the edge's identity and tapers to zero at both corners, so it cannot cross a neighbouring
    // edge and both cells computing it get the same floats.
    let edge = |a: [f64; 2], b: [f64; 2], id: u64| -> Vec<[f64; 2]> {
        let mut r = Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ id);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        let (nx, ny) = (-dy / len, dx / len);
        (0..k)
            .map(|s| {
                let t = s as f64 / k as f64;
                let off = if s == 0 { 0.0 } else { 0.06 * cell_m * (std::f64::consts::PI * t).sin() * r.sym() };
                [a[0] + dx * t + nx * off, a[1] + dy * t + ny * off]
            })
            .collect()
    };
    let h_id = |i: usize, j: usize| (j * (cols + 1) + i) as u64 * 2;
    let v_id = |i: usize, j: usize| (j * (cols + 1) + i) as u64 * 2 + 1;
    let mut rng = Rng::new(seed.rotate_left(17));
    (0..n)
        .map(|idx| {
            let (i, j) = (idx % cols, idx / cols);
            let mut ring: Vec<[f64; 2]> = Vec::with_capacity(4 * k + 1);
            ring.extend(edge(corner(i, j), corner(i + 1, j), h_id(i, j)));
            ring.extend(edge(corner(i + 1, j), corner(i + 1, j + 1), v_id(i + 1, j)));
            // Top and left edges belong to the neighbours' orientation: walk them backwards.
            let mut top = edge(corner(i, j + 1), corner(i + 1, j + 1), h_id(i, j + 1));
            top.push(corner(i + 1, j + 1));
            ring.extend(top.into_iter().rev().take(k));
            let mut left = edge(corner(i, j), corner(i, j + 1), v_id(i, j));
            left.push(corner(i, j + 1));
            ring.extend(left.into_iter().rev().take(k));
            ring.push(ring[0]);
            let coords: Vec<Coord<f64>> = ring.iter().map(|&[e, n]| metres_to_lonlat(origin, e, n)).collect();
            let households = rng.range(80, 600);
            let population = (f64::from(households) * (2.4 + rng.f64() * 0.8)) as u32;
            GridFeature {
                code: synthetic_code(idx, PER_COMMUNITY),
                name: format!("第{}网格", idx % PER_COMMUNITY + 1),
                kind: GridKind::Community,
                households,
                population,
                staff: GridStaff::default(),
                geometry: MultiPolygon::new(vec![Polygon::new(LineString::from(coords), vec![])]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation};

    #[test]
    fn tiling_is_valid_and_shares_edges() {
        let t = tiling(30, 48, (121.0, 37.0), 200.0, 1);
        assert_eq!(t.len(), 30);
        for g in &t {
            assert!(g.geometry.is_valid(), "{}: {:?}", g.code, g.geometry.validation_errors());
            assert_eq!(g.geometry.0[0].exterior().0.len(), 49, "48 vertices and the closing point");
        }
        // Neighbours 0 and 1 share their edge vertex for vertex.
        let a: Vec<_> = t[0].geometry.0[0].exterior().0.clone();
        let b: Vec<_> = t[1].geometry.0[0].exterior().0.clone();
        let shared = a.iter().filter(|c| b.contains(c)).count();
        assert_eq!(shared, 13, "12 segments of the shared edge have 13 points");
        // Total area is about n cells.
        let sum: f64 = t.iter().map(|g| g.geometry.unsigned_area()).sum();
        let cell_deg2 = 200.0 / M_PER_DEG_LAT * 200.0 / (M_PER_DEG_LON_EQUATOR * 37f64.to_radians().cos());
        assert!((sum / cell_deg2 - 30.0).abs() < 3.0, "{}", sum / cell_deg2);
        assert_eq!(t[0].code.as_str(), "371002001001001");
        assert_eq!(t[29].code.as_str(), "371002001001030");
        let many = tiling(250, 8, (121.0, 37.0), 200.0, 1);
        assert_eq!(many[249].code.as_str(), "371002001003050");
    }
}
