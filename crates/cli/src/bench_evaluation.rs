//! `civicgrid bench evaluation`: how long an evaluation of a busy month takes through the HTTP
//! API (read the logs, fold them, rank), per grouping, and the Excel export.

use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use civicgrid_domain::calendar::china_time;
use std::time::Instant;

use crate::bench::{fresh_store, ms, percentile, start};
use crate::demo;

/// Loads `cases` demo cases reported over the `days` before now, then asks for the evaluation
/// of those days `repeat` times per grouping as the leader, and once more from memory.
pub async fn run(backend: &str, cases: usize, days: i64, repeat: usize) -> Result<()> {
    let (store, _dir) = fresh_store(backend, civicgrid_store::SqliteDurability::Normal).await?;
    let users = demo::load_people(store.as_ref()).await?;
    let world = demo::World::load(store.as_ref(), &users).await?;
    let mut gen = demo::Generator::new(&world, 11);
    let end = Utc::now();
    let from = end - Duration::days(days);
    let started = Instant::now();
    let batch = 10_000;
    for b in 0..cases.div_ceil(batch) {
        let n = (cases - b * batch).min(batch);
        let (lo, hi) = (from + (end - from) * b as i32 / cases.div_ceil(batch) as i32, from + (end - from) * (b as i32 + 1) / cases.div_ceil(batch) as i32);
        store.import_cases(&gen.batch(n, lo, hi)).await?;
    }
    store.optimize().await?;
    let day = |t: chrono::DateTime<Utc>| t.with_timezone(&china_time()).date_naive();
    println!("civicgrid bench evaluation --backend {backend} --cases {cases} --days {days} --repeat {repeat}");
    println!("  loaded {cases} cases in {:.1?}", started.elapsed());

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
        .map(|l| civicgrid_domain::evaluation::CaseFacts::of(l, &period, civicgrid_domain::evaluation::EvalBy::Department, end).observations.len())
        .sum();
    let fold = t.elapsed();
    println!("  read {} logs ({events} events) in {}; folded them in {} ({facts} observations by department)", logs.len(), ms(read), ms(fold));
    drop(logs);

    let addr = start(store.clone()).await?;
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{addr}/api/v1/session"))
        .json(&serde_json::json!({"username": "leader", "password": demo::PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("login answered no token")?.to_string();
    let period = format!("from={}&to={}", period.from, period.to);
    // Each cold request asks with other weights, so that none is answered from the 30 s memory;
    // then the same question once more, answered from it.
    for by in ["department", "town", "community", "grid", "worker", "export"] {
        let path = |i: usize| match by {
            "export" => format!("/api/v1/evaluation/export.xlsx?{period}&by=department&weights=on_time:1,reopen:{i}"),
            _ => format!("/api/v1/evaluation?{period}&by={by}&weights=on_time:1,response:{i}"),
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
