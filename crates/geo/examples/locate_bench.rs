//! Point-to-grid lookup rate on one core over a synthetic tiling.
//!
//! `cargo run --release -p civicgrid-geo --example locate_bench [grids] [vertices] [lookups]`
//!
//! Defaults: 10,000 grids of 48 vertices, 5,000,000 random points inside the grids' extent.

use civicgrid_geo::synthetic::tiling;
use civicgrid_geo::{GridIndex, Placement};
use geo::BoundingRect;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("numbers only")).collect();
    let grids = args.first().copied().unwrap_or(10_000);
    let vertices = args.get(1).copied().unwrap_or(48);
    let lookups = args.get(2).copied().unwrap_or(5_000_000);

    let t = Instant::now();
    let tiles = tiling(grids, vertices, (121.0, 37.0), 250.0, 42);
    let made = t.elapsed();
    let t = Instant::now();
    let index = GridIndex::from_features(&tiles, &[]);
    let built = t.elapsed();

    // geo::Rect::new normalises its corners, so the running extent is kept as plain numbers.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for g in &tiles {
        let r = g.geometry.bounding_rect().expect("non-empty");
        (x0, y0, x1, y1) = (x0.min(r.min().x), y0.min(r.min().y), x1.max(r.max().x), y1.max(r.max().y));
    }
    // Points drawn up front so the timing measures lookups only.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let points: Vec<(f64, f64)> =
        (0..lookups).map(|_| (x0 + next() * (x1 - x0), y0 + next() * (y1 - y0))).collect();

    // Warm up caches and branch predictors on a slice first.
    for &(x, y) in points.iter().take(100_000) {
        black_box(index.locate(x, y));
    }
    // Best of three rounds. The machine may be shared, so besides wall time the rate is also
    // taken over this thread's own time on a CPU (Linux schedstat), which waiting does not inflate.
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    let (mut in_grid, mut border, mut other) = (0usize, 0usize, 0usize);
    for _ in 0..3 {
        (in_grid, border, other) = (0, 0, 0);
        let cpu0 = thread_cpu_ns();
        let t = Instant::now();
        for &(x, y) in &points {
            match black_box(index.locate(black_box(x), black_box(y))) {
                Placement::Grid { on_border: false, .. } => in_grid += 1,
                Placement::Grid { on_border: true, .. } => border += 1,
                _ => other += 1,
            }
        }
        best_wall = best_wall.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            best_cpu = best_cpu.min((b - a) as f64 / 1e9);
        }
    }
    println!("grids: {} of {vertices} vertices (generated in {:.2?}, indexed in {:.2?})", index.len(), made, built);
    println!("lookups: {lookups} random points in the extent: {in_grid} in a grid, {border} on a border, {other} in an area or outside");
    println!("wall: {best_wall:.3} s, {:.0} ns per lookup, {:.0} lookups/s", best_wall * 1e9 / lookups as f64, lookups as f64 / best_wall);
    if best_cpu < f64::MAX {
        println!("cpu:  {best_cpu:.3} s, {:.0} ns per lookup, {:.0} lookups/s", best_cpu * 1e9 / lookups as f64, lookups as f64 / best_cpu);
    }
    // On a busy machine wall time counts the waits for a core; CPU time is the one-core rate.
    let (secs, basis) = if best_cpu < f64::MAX { (best_cpu, "CPU time") } else { (best_wall, "wall time") };
    println!("lookups/s (one core, {basis}): {:.0}", lookups as f64 / secs);
}

/// This thread's time on a CPU in nanoseconds, where Linux tells it.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}
