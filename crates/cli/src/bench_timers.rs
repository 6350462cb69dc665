//! `civicgrid bench timers`: how fast due timers fire (warning, overdue with its automatic
//! supervision, escalation), on one server or several sharing a PostgreSQL database.

use anyhow::Result;
use chrono::{Duration, Utc};
use civicgrid_domain::{Actor, AreaCode, AreaLevel, NewCase, NewCaseInput};
use civicgrid_store::{seed, testing, CreateCase, SqliteDurability, Store};
use std::sync::Arc;
use std::time::Instant;

/// Reports `cases` cases two days ago, so that every one has three timers due, then fires them
/// all with `servers` stores racing (SQLite: one), and prints the rate.
pub async fn run(backend: &str, cases: usize, servers: usize) -> Result<()> {
    let servers = if backend == "sqlite" { 1 } else { servers.max(1) };
    let (url, _dir) = testing::fresh_url(backend.parse().map_err(anyhow::Error::msg)?).await;
    let open = || async {
        let s = civicgrid_store::connect(&url, SqliteDurability::Full).await?;
        s.migrate().await?;
        anyhow::Ok(s)
    };
    let first = open().await?;
    seed::seed_reference(first.as_ref()).await?;
    let cat = first.categories().await?.into_iter().find(|c| c.code.as_str() == "0102").expect("shipped category 0102");
    let area = AreaCode::parse("371002001001")?;
    let then = Utc::now() - Duration::days(10);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..cases {
        let (s, cat, area) = (first.clone(), cat.clone(), area.clone());
        tasks.spawn(async move {
            let input = NewCaseInput { description: format!("bench timers {i}"), ..Default::default() };
            let new = NewCase::validate(input, &cat, area)?;
            s.create_case(CreateCase { new, handling_level: AreaLevel::Town, actor: Actor::Public, idempotency_key: None, now: then }).await?;
            anyhow::Ok(())
        });
        if tasks.len() >= 64 {
            tasks.join_next().await.expect("a task")??;
        }
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    println!("bench timers: {backend}, {cases} cases reported 10 days ago in {:.1?}; {} timers due", started.elapsed(), cases * 3);

    let mut stores: Vec<Arc<dyn Store>> = vec![first];
    for _ in 1..servers {
        stores.push(open().await?);
    }
    let now = Utc::now();
    let started = Instant::now();
    let mut racers = tokio::task::JoinSet::new();
    for (i, s) in stores.into_iter().enumerate() {
        racers.spawn(async move {
            let name = format!("bench-{i}");
            let (mut fired, mut events) = (0u64, 0u64);
            loop {
                let r = s.fire_due_timers(&name, now, 200).await?;
                if r.claimed == 0 {
                    return anyhow::Ok((fired, events));
                }
                fired += r.fired;
                events += r.events;
            }
        });
    }
    let (mut fired, mut events) = (0, 0);
    while let Some(r) = racers.join_next().await {
        let (f, e) = r??;
        println!("  a server fired {f} timers");
        fired += f;
        events += e;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "  {fired} timers fired, {events} events appended in {secs:.2} s with {servers} server(s): {:.0} timers/s, {:.0} events/s",
        fired as f64 / secs,
        events as f64 / secs
    );
    anyhow::ensure!(fired as usize == cases * 3, "expected {} timers to fire, {fired} did", cases * 3);
    Ok(())
}
