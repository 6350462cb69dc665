//! `civicgrid bench evaluation`: how long an evaluation of a busy month takes through the HTTP
//! API (read the logs, fold them, rank), per grouping, and the Excel export.

use anyhow::Result;
use chrono::{Duration, Utc};
use civicgrid_domain::calendar::china_time;
use std::time::Instant;

use crate::bench::{demo_login, demo_store, ms, percentile, start};
use crate::demo;

/// Loads `cases` demo cases reported over the `days` before now, then asks for the evaluation
/// of those days `repeat` times per grouping as the leader, and once more from memory.
pub async fn run(backend: &str, cases: usize, days: i64, repeat: usize) -> Result<()> {
    let end = Utc::now();
    let from = end - Duration::days(days);
    let (store, _dir, load) = demo_store(backend, cases, Duration::days(days), end, 11).await?;
    let day = |t: chrono::DateTime<Utc>| t.with_timezone(&china_time()).date_naive();
    println!("civicgrid bench evaluation --backend {backend} --cases {cases} --days {days} --repeat {repeat}");
    println!("  loaded {cases} cases in {load:.1?}");

    // Where the time goes: reading the logs, then folding them.
    let city = civicgrid_domain::AreaCode::parse(demo::CITY)?;
    let period = civicgrid_domain::evaluation::Period::new(day(from), day(end))?;
    let t = Instant::now();
    let ids = store.active_case_ids(&city, period.start(), period.end()).await?;
    let mut logs = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        logs.extend(store.case_logs(chunk).await?);
    }
    let read = t.elapsed();
    let events: usize = logs.iter().map(Vec::len).sum();
    let t = Instant::now();
    let facts: usize = logs
        .iter()
        .map(|l| {
            let rules = civicgrid_domain::evaluation::CountRules::default();
            civicgrid_domain::evaluation::CaseFacts::of(l, &period, civicgrid_domain::evaluation::EvalBy::Department, end, &rules).observations.len()
        })
        .sum();
    let fold = t.elapsed();
    println!("  read {} logs ({events} events) in {}; folded them in {} ({facts} observations by department)", logs.len(), ms(read), ms(fold));
    drop(logs);

    let addr = start(store.clone()).await?;
    let client = reqwest::Client::new();
    let token = demo_login(&client, &addr, "leader").await?;
    let period = format!("from={}&to={}", period.from, period.to);
    // Each cold request asks with weights no other request has (reopen for the export, response
    // for the groupings, never 0, which would make them all equal), so that none is answered
    // from the 30 s memory; then the same question once more, answered from it.
    for by in ["department", "town", "community", "grid", "worker", "export"] {
        let path = |i: usize| match by {
            "export" => format!("/api/v1/evaluation/export.xlsx?{period}&by=department&weights=on_time:1,reopen:{}", i + 1),
            _ => format!("/api/v1/evaluation?{period}&by={by}&weights=on_time:1,response:{}", i + 1),
        };
        let mut cold = vec![];
        let mut info = String::new();
        for i in 0..=repeat {
            let t = Instant::now();
            let res = client.get(format!("{addr}{}", path(i.min(repeat - 1)))).bearer_auth(&token).send().await?;
            anyhow::ensure!(res.status() == 200, "{by}: {}", res.status());
            let bytes = res.bytes().await?;
            cold.push(t.elapsed());
            info = if by == "export" {
                format!("{} KiB workbook", bytes.len() / 1024)
            } else {
                let v: serde_json::Value = serde_json::from_slice(&bytes)?;
                let c = &v["total"]["counts"];
                format!("{} rows; {} dispatched, {} due, {} closed, {} rated", v["rows"].as_array().map_or(0, Vec::len), c["dispatched"], c["due"], c["closed"], c["rated"])
            };
        }
        let warm = cold.pop().expect("one more than repeat");
        cold.sort();
        let p50 = percentile(&cold, 0.5);
        println!(
            "  {by:<11} p50 {:>10}  max {:>10}  {:>7.0} cases/s; again within 30 s {:>9}  ({info})",
            ms(p50),
            ms(*cold.last().expect("repeat ≥ 1")),
            cases as f64 / p50.as_secs_f64(),
            ms(warm)
        );
    }
    Ok(())
}
