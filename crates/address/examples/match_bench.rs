//! Matching throughput on a synthetic library of 100,000 Weihai-like standard addresses
//! ([`civicgrid_address::bench`]).
//!
//! ```sh
//! cargo run --release -p civicgrid-address --example match_bench [-- ADDRESSES QUERIES SEED]
//! ```
//!
//! With `SHOW_WRONG` set it prints the first three misses and their candidates.

use std::sync::Arc;
use std::time::Instant;

use civicgrid_address::bench::{run_synthetic, synthetic};
use civicgrid_address::Gazetteer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |k: usize, d: u64| args.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
    let (addresses, queries, seed) = (arg(0, 100_000) as usize, arg(1, 20_000) as usize, arg(2, 0x9E37_79B9_7F4A_7C15));
    let areas = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/areas/areas.csv")).expect("areas.csv");
    let t0 = Instant::now();
    let g = Arc::new(Gazetteer::from_csv(&areas).expect("gazetteer"));
    println!("command: cargo run --release -p civicgrid-address --example match_bench");
    println!("gazetteer: {} areas built in {:.2?}", g.len(), t0.elapsed());
    let data = synthetic(&g, addresses, queries, seed);
    let sample = data.queries.get(3).map(|q| q.1.clone());
    let (report, lib, misses) = run_synthetic(Arc::clone(&g), data, seed);
    println!("{report}");
    if std::env::var_os("SHOW_WRONG").is_some() {
        for (want, q) in misses.iter().take(3) {
            let m = lib.match_address(q, None, 3);
            let parsed: Vec<String> = m.parsed.components.iter().map(|c| format!("{}={}", c.label, c.text)).collect();
            println!("wrong: {q} (want {})\n  parsed {parsed:?}", lib.get(*want).map(|a| a.full_text(&g)).unwrap_or_default());
            for c in &m.candidates {
                println!("  {:.3} {}", c.confidence, c.text);
            }
        }
    }
    if let Some(sample) = sample {
        println!("example: {sample}");
        for c in &lib.match_address(&sample, None, 3).candidates {
            println!("  {:.3} {}", c.confidence, c.text);
        }
    }
}
