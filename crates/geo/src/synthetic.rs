//! Synthetic but well-formed grid data, for benchmarks, tests and the demo.
//!
//! Everything is deterministic in its seed.

use civicgrid_domain::area::{AreaCode, GridCode};
use geo::{Area, BooleanOps, Contains, Coord, LineString, MapCoords, MultiPolygon, Point, Polygon};
use std::f64::consts::PI;

use crate::grid::{AreaBoundary, GridFeature, GridKind, GridStaff};

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

/// A synthetic district: outlines for the county, its towns and communities, and the grids.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The county first, then each town, then each community.
    pub boundaries: Vec<AreaBoundary>,
    /// Every grid, in code order.
    pub grids: Vec<GridFeature>,
}

const PLACE_NAMES: [&str; 24] = [
    "新华", "建设", "文化", "和平", "幸福", "光明", "长江", "黄河", "东山", "西湖", "南湖", "北海", "青年", "胜利", "人民",
    "朝阳", "振兴", "团结", "锦绣", "康宁", "怡园", "望海", "翠竹", "金桥",
];

/// A district of irregular, plausible towns, communities and grids around `center` (lon, lat).
///
/// The county outline is a wobbly closed curve of about `radius_m`. Grid seeds are spread by
/// best-candidate sampling inside the region of their community, which lies in the region of
/// its town (nearest-seed regions at each level); each grid is the Voronoi cell of its seed,
/// clipped to the county outline, and a community (town) outline is the union of its grids. So
/// the grids partition every community with no gap or overlap beyond float noise, and
/// `validate_grids(&layout.grids, &layout.boundaries)` finds nothing. The county code is the
/// first town's parent. Each community gets between `grids_per_community.0` and `.1` grids
/// named 第1网格, 第2网格, …; most are community grids, a few villages, parks, business
/// districts and special grids, with households in proportion to area.
pub fn plausible_layout(
    center: (f64, f64),
    radius_m: f64,
    towns: &[(AreaCode, Vec<AreaCode>)],
    grids_per_community: (u32, u32),
    seed: u64,
) -> Layout {
    let mut rng = Rng::new(seed);
    let (gmin, gmax) = (grids_per_community.0.clamp(1, 999), grids_per_community.1.clamp(1, 999));
    let (gmin, gmax) = (gmin.min(gmax), gmin.max(gmax));

    // The county outline, in metres around the centre: a radius wobbling with a few harmonics.
    let phases: Vec<f64> = (0..4).map(|_| rng.f64() * 2.0 * PI).collect();
    let outline_ring: Vec<Coord<f64>> = (0..=120)
        .map(|k| {
            let t = (k % 120) as f64 / 120.0 * 2.0 * PI;
            let r = radius_m
                * (1.0 + 0.14 * (2.0 * t + phases[0]).sin() + 0.08 * (3.0 * t + phases[1]).sin() + 0.05 * (5.0 * t + phases[2]).sin()
                    + 0.025 * (9.0 * t + phases[3]).sin());
            Coord { x: r * t.cos(), y: r * t.sin() }
        })
        .collect();
    let outline = Polygon::new(LineString::from(outline_ring), vec![]);
    // A pool of random points in the county, sorted into towns and then communities by nearest
    // seed, from which each level's seeds are drawn: cheaper than rejection sampling when a
    // district has hundreds of communities.
    let counts: Vec<Vec<usize>> =
        towns.iter().map(|(_, cs)| cs.iter().map(|_| rng.range(gmin, gmax) as usize).collect()).collect();
    let total: usize = counts.iter().flatten().sum();
    let mut pool: Vec<[f64; 2]> = Vec::with_capacity(24 * total + 2000);
    while pool.len() < 24 * total + 2000 {
        let p = [radius_m * 1.3 * rng.sym(), radius_m * 1.3 * rng.sym()];
        if outline.contains(&Point::new(p[0], p[1])) {
            pool.push(p);
        }
    }
    // Best-candidate sampling: of a dozen random points of a region, keep the one farthest from
    // the seeds already placed, which spreads seeds evenly without a visible pattern.
    let spread = |rng: &mut Rng, count: usize, region: &[[f64; 2]], fallback: [f64; 2]| -> Vec<[f64; 2]> {
        let mut out: Vec<[f64; 2]> = Vec::with_capacity(count);
        for _ in 0..count {
            let best = (0..12.min(region.len() * 4))
                .map(|_| region[rng.range(0, region.len() as u32 - 1) as usize])
                .map(|p| (p, out.iter().map(|q| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).fold(f64::INFINITY, f64::min)))
                // A point already taken would give two grids the same cell.
                .filter(|&(_, d)| d > 1.0)
                .fold(None, |best: Option<([f64; 2], f64)>, (p, d)| if best.is_none_or(|(_, bd)| d > bd) { Some((p, d)) } else { best });
            // A region the pool missed or used up: crowd the seed next to its parent's.
            out.push(best.map(|(p, _)| p).unwrap_or_else(|| {
                [fallback[0] + radius_m * 0.01 * rng.sym(), fallback[1] + radius_m * 0.01 * rng.sym()]
            }));
        }
        out
    };
    let nearest = |p: [f64; 2], seeds: &[[f64; 2]]| -> usize {
        let mut best = (0, f64::INFINITY);
        for (i, q) in seeds.iter().enumerate() {
            let d = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
            if d < best.1 {
                best = (i, d);
            }
        }
        best.0
    };

    let town_seeds = spread(&mut rng, towns.len(), &pool, [0.0, 0.0]);
    let mut town_pool: Vec<Vec<[f64; 2]>> = vec![Vec::new(); towns.len()];
    for &p in &pool {
        town_pool[nearest(p, &town_seeds)].push(p);
    }
    // Per grid: (town, community within town, seed).
    let mut grid_seeds: Vec<(usize, usize, [f64; 2])> = Vec::new();
    for (t, (_, communities)) in towns.iter().enumerate() {
        let community_seeds = spread(&mut rng, communities.len(), &town_pool[t], town_seeds[t]);
        let mut community_pool: Vec<Vec<[f64; 2]>> = vec![Vec::new(); communities.len()];
        for &p in &town_pool[t] {
            community_pool[nearest(p, &community_seeds)].push(p);
        }
        for c in 0..communities.len() {
            for s in spread(&mut rng, counts[t][c], &community_pool[c], community_seeds[c]) {
                grid_seeds.push((t, c, s));
            }
        }
    }

    // Voronoi cells of the grid seeds by half-plane clipping, then clipped to the outline.
    let seeds: Vec<[f64; 2]> = grid_seeds.iter().map(|g| g.2).collect();
    let seed_tree = rstar::RTree::bulk_load(seeds.iter().enumerate().map(|(i, &p)| rstar::primitives::GeomWithData::new(p, i)).collect());
    let frame = radius_m * 2.0;
    let outline_mp = MultiPolygon::new(vec![outline.clone()]);
    let lonlat = |mp: &MultiPolygon<f64>| mp.map_coords(|c| metres_to_lonlat(center, c.x, c.y));
    let mut cells: Vec<MultiPolygon<f64>> = Vec::with_capacity(seeds.len());
    for (i, s) in seeds.iter().enumerate() {
        let mut cell = vec![[-frame, -frame], [frame, -frame], [frame, frame], [-frame, frame]];
        for other in seed_tree.nearest_neighbor_iter(s) {
            let j = other.data;
            if j == i {
                continue;
            }
            let d2 = (seeds[j][0] - s[0]).powi(2) + (seeds[j][1] - s[1]).powi(2);
            // A seed farther than twice the cell's reach cannot cut it, nor can any after it.
            let reach = cell.iter().map(|p| (p[0] - s[0]).powi(2) + (p[1] - s[1]).powi(2)).fold(0.0, f64::max);
            if d2 > 4.0 * reach {
                break;
            }
            cell = clip_half_plane(&cell, *s, seeds[j]);
        }
        let mut ring: Vec<Coord<f64>> = cell.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
        ring.push(ring[0]);
        let cell = MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]);
        cells.push(cell.intersection(&outline_mp));
    }

    // Grids, community and town outlines.
    let mut grids = Vec::with_capacity(seeds.len());
    let mut community_bounds = Vec::new();
    let mut town_bounds = Vec::new();
    let mut names = PLACE_NAMES.to_vec();
    for k in (1..names.len()).rev() {
        names.swap(k, rng.range(0, k as u32) as usize);
    }
    let mut name_at = 0;
    let mut next_name = |suffix: &str| {
        let n = format!("{}{suffix}", names[name_at % names.len()]);
        name_at += 1;
        if name_at > names.len() {
            format!("{n}{}", name_at / names.len() + 1)
        } else {
            n
        }
    };
    for (t, (town, communities)) in towns.iter().enumerate() {
        let mut town_parts: Vec<Polygon<f64>> = Vec::new();
        for (c, community) in communities.iter().enumerate() {
            let members: Vec<usize> = (0..seeds.len()).filter(|&g| grid_seeds[g].0 == t && grid_seeds[g].1 == c).collect();
            let mut parts: Vec<Polygon<f64>> = Vec::new();
            let mut seq = 0;
            for &g in &members {
                if cells[g].0.is_empty() {
                    continue;
                }
                seq += 1;
                parts.extend(cells[g].0.iter().cloned());
                let area = cells[g].unsigned_area();
                let roll = rng.f64();
                let kind = match roll {
                    r if r < 0.85 => GridKind::Community,
                    r if r < 0.90 => GridKind::Village,
                    r if r < 0.94 => GridKind::IndustrialPark,
                    r if r < 0.98 => GridKind::BusinessDistrict,
                    _ => GridKind::Special,
                };
                let density = match kind {
                    GridKind::IndustrialPark | GridKind::Special => 1.0 / 8000.0,
                    GridKind::Village => 1.0 / 2500.0,
                    _ => 1.0 / 900.0,
                };
                let households = ((area * density * (0.6 + 0.8 * rng.f64())) as u32).clamp(20, 1500);
                let population = (f64::from(households) * (2.4 + 0.8 * rng.f64())) as u32;
                let code = GridCode::parse(&format!("{}{seq:03}", community.as_str())).expect("12-digit community code");
                grids.push(GridFeature {
                    code,
                    name: format!("第{seq}网格"),
                    kind,
                    households,
                    population,
                    staff: GridStaff::default(),
                    geometry: lonlat(&cells[g]),
                });
            }
            if parts.is_empty() {
                continue;
            }
            let union = geo::unary_union(parts.iter());
            town_parts.extend(parts);
            community_bounds.push(AreaBoundary { area: community.clone(), name: Some(next_name("社区")), geometry: lonlat(&union) });
        }
        if !town_parts.is_empty() {
            let union = geo::unary_union(town_parts.iter());
            town_bounds.push(AreaBoundary { area: town.clone(), name: Some(next_name("街道")), geometry: lonlat(&union) });
        }
    }
    let mut boundaries = Vec::with_capacity(1 + town_bounds.len() + community_bounds.len());
    if let Some(county) = towns.first().and_then(|(t, _)| t.parent()) {
        boundaries.push(AreaBoundary { area: county, name: Some("示范区".into()), geometry: lonlat(&outline_mp) });
    }
    boundaries.extend(town_bounds);
    boundaries.extend(community_bounds);
    grids.sort_by(|a, b| a.code.cmp(&b.code));
    Layout { boundaries, grids }
}

/// Keeps the part of a convex polygon nearer to `own` than to `other` (Sutherland–Hodgman
/// against their perpendicular bisector).
fn clip_half_plane(poly: &[[f64; 2]], own: [f64; 2], other: [f64; 2]) -> Vec<[f64; 2]> {
    let n = [other[0] - own[0], other[1] - own[1]];
    let m = [(own[0] + other[0]) / 2.0, (own[1] + other[1]) / 2.0];
    let side = |p: [f64; 2]| (p[0] - m[0]) * n[0] + (p[1] - m[1]) * n[1];
    let mut out = Vec::with_capacity(poly.len() + 1);
    for k in 0..poly.len() {
        let (a, b) = (poly[k], poly[(k + 1) % poly.len()]);
        let (sa, sb) = (side(a), side(b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa < 0.0 && sb > 0.0) || (sa > 0.0 && sb < 0.0) {
            let t = sa / (sa - sb);
            out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation};

    fn code(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    fn towns() -> Vec<(AreaCode, Vec<AreaCode>)> {
        (1..=3)
            .map(|t| (code(&format!("371002{t:03}")), (1..=3).map(|c| code(&format!("371002{t:03}{c:03}"))).collect()))
            .collect()
    }

    #[test]
    fn plausible_layout_validates_clean() {
        let layout = plausible_layout((122.12, 37.5), 4000.0, &towns(), (4, 8), 11);
        let report = crate::validate::validate_grids(&layout.grids, &layout.boundaries);
        assert!(report.is_ok(), "{report}");
        assert_eq!(layout.boundaries.len(), 1 + 3 + 9);
        assert_eq!(layout.boundaries[0].area.as_str(), "371002");
        let n = layout.grids.len();
        assert!((9 * 4..=9 * 8).contains(&n), "{n} grids");
        for g in &layout.grids {
            assert!(g.geometry.is_valid(), "{}", g.code);
            assert!(g.name.starts_with('第') && g.name.ends_with("网格"));
            assert!(g.households >= 20 && g.population > g.households);
        }
        // Every community has its grids numbered from 001, and all nine communities have grids.
        let communities: std::collections::BTreeSet<_> = layout.grids.iter().map(|g| g.code.community()).collect();
        assert_eq!(communities.len(), 9);
        for c in &communities {
            assert!(layout.grids.iter().any(|g| g.code.as_str() == format!("{c}001")));
        }
        // The grids cover the county: their areas add up to the outline's.
        let grids: f64 = layout.grids.iter().map(|g| g.geometry.unsigned_area()).sum();
        let county = layout.boundaries[0].geometry.unsigned_area();
        assert!((grids / county - 1.0).abs() < 1e-6, "{grids} vs {county}");
        // Irregular: grid areas vary, as they do in real districts, yet none is degenerate.
        let areas: Vec<f64> = layout.grids.iter().map(|g| g.geometry.unsigned_area()).collect();
        let (lo, hi) = areas.iter().fold((f64::MAX, 0f64), |(l, h), &a| (l.min(a), h.max(a)));
        assert!(hi / lo > 1.5 && lo > 0.0, "{lo} .. {hi}");
        // Same seed, same district.
        let again = plausible_layout((122.12, 37.5), 4000.0, &towns(), (4, 8), 11);
        assert_eq!(again.grids, layout.grids);
    }

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
