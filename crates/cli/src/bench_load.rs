//! `civicgrid bench load`: a sustained mixed load through the HTTP API (reports, queue lists by
//! every kind of reader, case details, acceptances), reported per interval, so that one sees
//! whether throughput and memory stay flat while the cases pile up.

use anyhow::Result;
use chrono::{Duration, Utc};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use crate::bench::{demo_login, demo_store, demo_villages, ms, percentile, report_body, start};

/// What the clients count between two reports, and per kind of request over the whole run.
#[derive(Default)]
struct Tally {
    latencies: Mutex<Vec<StdDuration>>,
    by_kind: Mutex<std::collections::BTreeMap<&'static str, Vec<StdDuration>>>,
    errors: AtomicU64,
    created: AtomicU64,
}

/// The list shapes the readers ask for, as a desk and a phone do: (name in the summary, query).
const SHAPES: [(&str, &str); 6] = [
    ("list: newest", ""),
    ("list: reported, accepted", "state=reported,accepted"),
    ("list: dispatched, in_progress", "state=dispatched,in_progress"),
    ("list: handled & class 01", "state=handled&category=01"),
    ("list: supervised", "supervised=true"),
    ("list: red card", "card=red"),
];

/// Runs the load; prints one line per interval and a summary comparing the first and last.
pub async fn run(backend: &str, clients: usize, minutes: u64, interval: u64, cases: usize) -> Result<()> {
    let end = Utc::now();
    let (store, _dir, load) = demo_store(backend, cases, Duration::days(90), end, 11).await?;
    let addr = start(store.clone()).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    let mut tokens = Vec::new();
    for reader in ["dispatcher", "town", "worker", "handler", "leader"] {
        tokens.push(demo_login(&client, &addr, reader).await?);
    }
    let villages = demo_villages(store.as_ref()).await?;
    println!("civicgrid bench load --backend {backend} --clients {clients} --minutes {minutes} --cases {cases}");
    println!("  loaded       {cases} cases in {load:.1?}");
    println!("  {:>6}  {:>9}  {:>9}  {:>9}  {:>6}  {:>8}  {:>8}", "t (s)", "req/s", "p50", "p99", "errors", "heap MB", "cases");
    let tally = Arc::new(Tally::default());
    let stop_at = Instant::now() + StdDuration::from_secs(minutes * 60);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, addr, tally, tokens, villages) = (client.clone(), addr.clone(), tally.clone(), tokens.clone(), villages.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = c;
            while Instant::now() < stop_at {
                let t = Instant::now();
                let (kind, ok) = one_request(&client, &addr, &tokens, &villages, i, &tally).await;
                let took = t.elapsed();
                tally.latencies.lock().expect("tally").push(took);
                tally.by_kind.lock().expect("tally").entry(kind).or_default().push(took);
                if !ok {
                    tally.errors.fetch_add(1, Ordering::Relaxed);
                }
                i += clients;
            }
        }));
    }
    let started = Instant::now();
    let mut rows: Vec<(f64, f64)> = Vec::new();
    while Instant::now() < stop_at {
        tokio::time::sleep(StdDuration::from_secs(interval).min(stop_at.saturating_duration_since(Instant::now()))).await;
        let mut lat = std::mem::take(&mut *tally.latencies.lock().expect("tally"));
        lat.sort();
        let errors = tally.errors.swap(0, Ordering::Relaxed);
        let rate = lat.len() as f64 / interval as f64;
        let rss = rss_mb();
        let stored = cases as u64 + tally.created.load(Ordering::Relaxed);
        println!(
            "  {:>6.0}  {:>9.0}  {:>9}  {:>9}  {:>6}  {:>8.0}  {:>8}",
            started.elapsed().as_secs_f64(),
            rate,
            ms(percentile(&lat, 0.5)),
            ms(percentile(&lat, 0.99)),
            errors,
            rss,
            stored
        );
        rows.push((rate, rss));
    }
    for t in tasks {
        t.await?;
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.get(rows.len().saturating_sub(2))) {
        println!("  first interval {:.0} req/s, {:.0} MB; last full interval {:.0} req/s, {:.0} MB", first.0, first.1, last.0, last.1);
    }
    println!("  by kind over the run:");
    for (kind, lat) in tally.by_kind.lock().expect("tally").iter_mut() {
        lat.sort();
        println!("    {kind:<36} {:>8} requests  p50 {:>9}  p99 {:>9}", lat.len(), ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)));
    }
    Ok(())
}

/// One request of the mix, chosen by `i`: a report in five, an acceptance in ten, a case's
/// detail in ten, and lists by the five readers otherwise. Answers false on a server error or
/// a broken connection (a refused acceptance that lost a race is the API doing its job).
async fn one_request(
    client: &reqwest::Client,
    addr: &str,
    tokens: &[String],
    villages: &[String],
    i: usize,
    tally: &Tally,
) -> (&'static str, bool) {
    let reader = &tokens[i % tokens.len()];
    let (kind, res) = match i % 10 {
        0 | 5 => {
            let res = client.post(format!("{addr}/api/v1/cases")).json(&report_body(villages, i)).send().await;
            if matches!(&res, Ok(r) if r.status() == 201) {
                tally.created.fetch_add(1, Ordering::Relaxed);
            }
            ("report", res)
        }
        1 => ("accept (list + act)", accept_newest(client, addr, &tokens[0]).await),
        2 => ("detail (list + case)", detail_of_newest(client, addr, reader).await),
        _ => {
            let (kind, shape) = SHAPES[(i / 10) % SHAPES.len()];
            (kind, client.get(format!("{addr}/api/v1/cases?limit=50&{shape}")).bearer_auth(reader).send().await)
        }
    };
    let ok = match res {
        Ok(r) => {
            let ok = !r.status().is_server_error();
            r.bytes().await.is_ok() && ok
        }
        Err(_) => false,
    };
    (kind, ok)
}

/// The id of the newest case of a list `query` as `token` reads it (a nil id if none).
async fn newest_id(client: &reqwest::Client, addr: &str, token: &str, query: &str) -> reqwest::Result<String> {
    let page: serde_json::Value = client.get(format!("{addr}/api/v1/cases?limit=1{query}")).bearer_auth(token).send().await?.json().await?;
    Ok(page["items"][0]["id"].as_str().unwrap_or("00000000-0000-0000-0000-000000000000").to_string())
}

/// The city dispatcher accepts the newest reported case (two requests).
async fn accept_newest(client: &reqwest::Client, addr: &str, token: &str) -> reqwest::Result<reqwest::Response> {
    let id = newest_id(client, addr, token, "&state=reported").await?;
    client.post(format!("{addr}/api/v1/cases/{id}/actions/accept")).bearer_auth(token).json(&serde_json::json!({})).send().await
}

/// A reader opens the newest case of his list.
async fn detail_of_newest(client: &reqwest::Client, addr: &str, token: &str) -> reqwest::Result<reqwest::Response> {
    let id = newest_id(client, addr, token, "").await?;
    client.get(format!("{addr}/api/v1/cases/{id}")).bearer_auth(token).send().await
}

/// This process's anonymous resident memory (its heap and stacks, not the pages of the database
/// file it has mapped, which the kernel may drop) in MB on Linux, or 0 where it cannot be read.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("RssAnon:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}
