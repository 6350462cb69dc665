//! Time to validate a synthetic tiling with community outlines.
//!
//! `cargo run --release -p civicgrid-geo --example validate_bench [grids] [vertices]`

use civicgrid_geo::synthetic::tiling;
use civicgrid_geo::{validate_grids, AreaBoundary};
use geo::MultiPolygon;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("numbers only")).collect();
    let n = args.first().copied().unwrap_or(10_000);
    let vertices = args.get(1).copied().unwrap_or(48);
    let grids = tiling(n, vertices, (121.0, 37.0), 250.0, 42);
    let t = Instant::now();
    let mut by_community: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for g in &grids {
        by_community.entry(g.code.community()).or_default().extend(g.geometry.0.iter());
    }
    let boundaries: Vec<AreaBoundary> = by_community
        .into_iter()
        .map(|(area, polys)| AreaBoundary { area, name: None, geometry: geo::unary_union(polys) })
        .collect::<Vec<_>>();
    let outlines = t.elapsed();
    let _: &MultiPolygon<f64> = &boundaries[0].geometry;
    let t = Instant::now();
    let report = validate_grids(&grids, &boundaries);
    let took = t.elapsed();
    println!("{} grids of {vertices} vertices, {} community outlines (made in {outlines:.2?})", grids.len(), boundaries.len());
    println!("validated in {took:.2?}: {}", if report.is_ok() { "no problems".to_string() } else { format!("{} problems", report.problems.len()) });
    for p in report.problems.iter().take(5) {
        println!("  {}", p.message);
    }
}
