//! `civicgrid bench addresses`: free-text addresses normalised, parsed and matched per second
//! against a library of synthetic standard addresses on the real area table.

use anyhow::Result;
use std::sync::Arc;

/// Builds the library, matches the queries on one thread and prints the figures.
pub fn run(addresses: usize, queries: usize, seed: u64) -> Result<()> {
    let rows = civicgrid_address::parse_area_csv(civicgrid_store::seed::AREAS_CSV)?;
    let gazetteer = Arc::new(civicgrid_address::Gazetteer::new(rows)?);
    let report = civicgrid_address::bench::match_throughput(gazetteer, addresses, queries, seed);
    println!("{report}");
    println!("command: civicgrid bench addresses --addresses {addresses} --queries {queries} --seed {seed}");
    Ok(())
}
