//! Benchmarks that print figures: intake through the real HTTP API, and listing on a large
//! database. Both run server and clients in this process on loopback.

use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use civicgrid_server::AppState;
use civicgrid_store::crypto::Cipher;
use civicgrid_store::{seed, testing, CaseQuery, SqliteDurability, Store};
use clap::Subcommand;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use crate::demo;

/// The benchmarks.
#[derive(Subcommand)]
pub enum BenchCmd {
    /// Cases created per second through POST /api/v1/cases, with p50/p99 latency.
    Intake {
        /// `sqlite` or `postgres` (a fresh database on the server named by CIVICGRID_TEST_PG).
        #[arg(long, default_value = "sqlite")]
        backend: String,
        /// Concurrent clients.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Cases to create in all.
        #[arg(long, default_value_t = 20000)]
        cases: usize,
        /// SQLite durability: `full` or `normal`.
        #[arg(long, default_value = "full")]
        durability: String,
    },
    /// Time of GET /api/v1/cases with filters on a database of many generated cases.
    List {
        /// `sqlite` or `postgres`.
        #[arg(long, default_value = "sqlite")]
        backend: String,
        /// Cases to generate.
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        /// Requests per query shape.
        #[arg(long, default_value_t = 100)]
        repeat: usize,
    },
}

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    if sorted.is_empty() {
        return StdDuration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: StdDuration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn fresh_store(backend: &str, durability: SqliteDurability) -> Result<(Arc<dyn Store>, Option<tempfile::TempDir>)> {
    let (url, dir) = testing::fresh_url(backend).await;
    let store = civicgrid_store::connect(&url, durability).await?;
    store.migrate().await?;
    seed::seed_reference(store.as_ref()).await?;
    Ok((store, dir))
}

async fn start(store: Arc<dyn Store>) -> Result<String> {
    let state = AppState::new(store, Cipher::from_bytes(rand::random()), Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, civicgrid_server::router(state)).await });
    Ok(addr)
}

pub async fn run(cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Intake { backend, clients, cases, durability } => intake(&backend, clients, cases, &durability).await,
        BenchCmd::List { backend, cases, repeat } => list(&backend, cases, repeat).await,
    }
}

async fn intake(backend: &str, clients: usize, cases: usize, durability: &str) -> Result<()> {
    let dur = match durability {
        "full" => SqliteDurability::Full,
        "normal" => SqliteDurability::Normal,
        other => anyhow::bail!("durability: `{other}` is not full or normal"),
    };
    let (store, _dir) = fresh_store(backend, dur).await?;
    let addr = start(store.clone()).await?;
    let villages: Vec<String> = store
        .area_children(&civicgrid_domain::AreaCode::parse(demo::TOWN)?)
        .await?
        .into_iter()
        .map(|a| a.code.to_string())
        .collect();
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    let body = |i: usize| {
        serde_json::json!({
            "category": "0102", "description": format!("bench case {i}: 垃圾桶满溢"),
            "area": villages[i % villages.len()], "reporter_phone": "13800138000",
            "location": {"lon": 122.12, "lat": 37.5},
        })
    };
    // Warm up connections and caches.
    for i in 0..50 {
        client.post(format!("{addr}/api/v1/cases")).json(&body(i)).send().await?.error_for_status()?;
    }
    let started = Instant::now();
    let mut tasks = vec![];
    for c in 0..clients {
        let (client, addr) = (client.clone(), addr.clone());
        let mine: Vec<serde_json::Value> = (0..cases).filter(|i| i % clients == c).map(body).collect();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(mine.len());
            for b in mine {
                let t = Instant::now();
                let res = client.post(format!("{addr}/api/v1/cases")).json(&b).send().await?;
                anyhow::ensure!(res.status() == 201, "create answered {}", res.status());
                lat.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await??);
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort();
    let stored = store.count_by_state(&CaseQuery::default()).await?.iter().map(|(_, n)| n).sum::<u64>();
    let setting = if backend == "sqlite" { dur.as_str().to_string() } else { "synchronous_commit=on (server default)".into() };
    println!("civicgrid bench intake --backend {backend} --clients {clients} --cases {cases} --durability {durability}");
    println!("  backend      {backend} ({setting})");
    println!("  created      {} cases in {secs:.2} s = {:.0} cases/s", lat.len(), lat.len() as f64 / secs);
    println!("  latency      p50 {}  p99 {}  max {}", ms(percentile(&lat, 0.5)), ms(percentile(&lat, 0.99)), ms(percentile(&lat, 1.0)));
    println!("  stored       {stored} cases (incl. 50 warm-up)");
    Ok(())
}

async fn list(backend: &str, cases: usize, repeat: usize) -> Result<()> {
    let (store, _dir) = fresh_store(backend, SqliteDurability::Normal).await?;
    let users = demo::load_people(store.as_ref()).await?;
    let world = demo::World::load(store.as_ref(), &users).await?;
    let mut gen = demo::Generator::new(&world, 7);
    let end = Utc::now();
    let batches = cases.div_ceil(10_000).max(1);
    let started = Instant::now();
    let span = Duration::days(365);
    for b in 0..batches {
        let from = end - span + span * b as i32 / batches as i32;
        let to = end - span + span * (b as i32 + 1) / batches as i32;
        let n = (cases - b * 10_000).min(10_000);
        let chunk = gen.batch(n, from, to);
        store.import_cases(&chunk).await?;
        if b % 10 == 9 {
            eprintln!("  loaded {} cases in {:.0?}", (b + 1) * 10_000, started.elapsed());
        }
    }
    store.optimize().await?;
    let load = started.elapsed();
    let addr = start(store.clone()).await?;
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{addr}/api/v1/session"))
        .json(&serde_json::json!({"username": "dispatcher", "password": demo::PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("login answered no token")?.to_string();
    let week_ago = (end - Duration::days(7)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let shapes: Vec<(&str, String)> = vec![
        ("newest page", String::new()),
        ("state=in_progress", "state=in_progress".into()),
        ("state=dispatched&category=01", "state=dispatched&category=01".into()),
        ("area=371002001 (a town)", "area=371002001".into()),
        ("area=town&state=reported,accepted", "area=371002001&state=reported,accepted".into()),
        ("channel=hotline&supervised=true", "channel=hotline&supervised=true".into()),
        ("created_from=7 days ago", format!("created_from={}", week_ago.replace('+', "%2B"))),
    ];
    println!("civicgrid bench list --backend {backend} --cases {cases} --repeat {repeat}");
    println!("  loaded       {cases} cases in {load:.1?}");
    let mut all = vec![];
    for (name, q) in &shapes {
        let mut lat = vec![];
        let mut n = 0;
        for _ in 0..repeat {
            let t = Instant::now();
            let res = client.get(format!("{addr}/api/v1/cases?limit=50&{q}")).bearer_auth(&token).send().await?;
            anyhow::ensure!(res.status() == 200, "{name}: {}", res.status());
            let v: serde_json::Value = res.json().await?;
            lat.push(t.elapsed());
            n = v["items"].as_array().map(|a| a.len()).unwrap_or(0);
        }
        lat.sort();
        println!("  {name:<36} p50 {:>9}  p95 {:>9}  ({n} items)", ms(percentile(&lat, 0.5)), ms(percentile(&lat, 0.95)));
        all.extend(lat);
    }
    all.sort();
    println!("  all shapes                           p50 {:>9}  p95 {:>9}", ms(percentile(&all, 0.5)), ms(percentile(&all, 0.95)));
    Ok(())
}
