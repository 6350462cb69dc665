//! `civicgrid`: the one binary. `serve`, `demo`, `migrate`, `user add`, `import`, `export`, `eval`,
//! `rebuild`, `bench`.

mod bench;
mod bench_address;
mod bench_evaluation;
mod bench_load;
mod bench_timers;
mod config;
mod demo;
mod demo_geo;
mod geo;
mod open311;

use anyhow::{Context, Result};
use civicgrid_domain::{org, AreaCode, CategoryCode, Department, Role};
use civicgrid_server::AppState;
use civicgrid_store::crypto::{hash_password, Cipher};
use civicgrid_store::{seed, NewUser, Store};
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use config::Config;

#[derive(Parser)]
#[command(name = "civicgrid", version, about = "City grid governance platform (市域社会治理 / 网格化服务管理)")]
struct Cli {
    /// Configuration file (TOML); defaults to ./civicgrid.toml if present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://… (overrides the config).
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the API (migrates the database first).
    Serve {
        /// Address to listen on (overrides the config).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Create a fresh demo city (Weihai) and serve it.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Folder for the demo database (default: a new temporary folder).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Number of demo cases.
        #[arg(long, default_value_t = 400)]
        cases: usize,
    },
    /// Apply migrations and load the shipped reference data.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Manage departments.
    Department {
        #[command(subcommand)]
        cmd: DepartmentCmd,
    },
    /// Open311 GeoReport v2: client keys.
    Open311 {
        #[command(subcommand)]
        cmd: open311::Open311Cmd,
    },
    /// Categories: service attributes.
    Category {
        #[command(subcommand)]
        cmd: open311::CategoryCmd,
    },
    /// Import grids, area outlines or standard addresses from files.
    Import {
        #[command(subcommand)]
        cmd: geo::ImportCmd,
    },
    /// Export grids to GeoJSON.
    Export {
        #[command(subcommand)]
        cmd: geo::ExportCmd,
    },
    /// Evaluations on labelled data that is not part of the project.
    Eval {
        #[command(subcommand)]
        cmd: geo::EvalCmd,
    },
    /// Rebuild the case projections from the event log and report differences (a log whose
    /// chain is broken is never adopted).
    Rebuild,
    /// The tamper-evident event logs: verify every chain and checkpoint, write a checkpoint, or
    /// link the events written before the chains.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Benchmarks that print figures.
    Bench {
        #[command(subcommand)]
        cmd: bench::BenchCmd,
    },
}

#[derive(Subcommand)]
enum DepartmentCmd {
    /// Add or update a department.
    Put {
        /// Stable id, e.g. `wh-urban`.
        #[arg(long)]
        id: String,
        /// Chinese name.
        #[arg(long)]
        name: String,
        /// English name.
        #[arg(long, default_value = "")]
        name_en: String,
        /// Area code the department serves.
        #[arg(long)]
        area: String,
        /// Category codes it handles, comma-separated (main classes cover their subclasses).
        #[arg(long, value_delimiter = ',')]
        categories: Vec<String>,
    },
    /// List the departments.
    List,
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add an account. The password is read from CIVICGRID_PASSWORD or standard input.
    Add {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Role: resident, grid_worker, community_admin, town_dispatcher, district_dispatcher,
        /// department_handler, mediator, leader, admin.
        #[arg(long)]
        role: String,
        /// Area code the account is scoped to.
        #[arg(long)]
        scope: String,
        /// Department id (department handlers only).
        #[arg(long)]
        department: Option<String>,
        /// Name shown in the UI (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
    },
}

fn init_logs(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| filter.into()))
        .try_init();
}

/// What `civicgrid audit` does.
#[derive(Subcommand)]
enum AuditCmd {
    /// Check every record's chain and every checkpoint; name the first broken link of each
    /// damaged record. Exits non-zero when any is damaged.
    Verify,
    /// Write a signed checkpoint of the records changed since the last one.
    Checkpoint,
    /// Link the events written before the chains existed (once, on upgrade).
    Seal,
    /// The access log of reads, newest first: who read which record's content, when.
    Reads {
        /// Only this account (username).
        #[arg(long)]
        user: Option<String>,
        /// Only this record (its id).
        #[arg(long)]
        subject: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

/// Runs an `audit` command; it needs the data key, which the log key is derived from.
async fn audit(cmd: AuditCmd, cfg: &Config) -> Result<()> {
    cfg.data_key.as_deref().context("no data_key configured: the logs are chained under a key derived from it")?;
    let store = open_store(cfg).await?;
    match cmd {
        AuditCmd::Seal => println!("linked {} events written before the chains", store.seal_logs().await?),
        AuditCmd::Reads { user, subject, limit } => {
            let users = store.users().await?;
            let user_id = match &user {
                Some(name) => Some(users.iter().find(|u| &u.username == name).with_context(|| format!("user: no account `{name}`"))?.id.clone()),
                None => None,
            };
            for e in store.access_log(user_id.as_deref(), subject.as_deref(), limit).await? {
                let name = users.iter().find(|u| u.id == e.user_id).map_or(e.user_id.as_str(), |u| u.username.as_str());
                println!("{}  {:<16} {:<10} {:<36} {}", e.at.to_rfc3339(), name, e.subject_kind, e.subject_id, e.field);
            }
        }
        AuditCmd::Checkpoint => println!("checkpoint of {} records written", store.checkpoint_logs(chrono::Utc::now()).await?),
        AuditCmd::Verify => {
            let r = store.verify_logs().await?;
            for b in &r.broken {
                println!("{} {} event {}: {} [{}]", b.subject.kind, b.subject.id, b.seq, b.problem, serde_json::to_value(b.cause)?.as_str().unwrap_or_default());
            }
            let damaged = r.damaged().count();
            println!("read {} records, {} events, {} checkpoints: {} damaged", r.records, r.events, r.checkpoints, damaged);
            if damaged > 0 {
                anyhow::bail!("{damaged} event logs were changed outside civicgrid");
            }
        }
    }
    Ok(())
}

/// Opens and migrates the configured store, loading the reference data.
async fn open_store(cfg: &Config) -> Result<Arc<dyn Store>> {
    let store = civicgrid_store::connect(&cfg.database, cfg.durability()?).await.with_context(|| format!("opening {}", cfg.database))?;
    store.migrate().await.context("migrating")?;
    seed::seed_reference(store.as_ref()).await.context("loading reference data")?;
    // Every command that writes or checks events links them under the data key's log key.
    if let Some(key) = cfg.data_key.as_deref() {
        store.set_log_key(Cipher::from_base64(key)?.log_key());
    }
    Ok(store)
}

/// Serves `state` on `listen` until Ctrl-C or SIGTERM.
async fn serve(state: AppState, listen: &str, banner: impl FnOnce(&str)) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = format!("http://{}", listener.local_addr()?);
    civicgrid_server::jobs::refresh_calendar(&state).await.map_err(|e| anyhow::anyhow!("loading calendar files: {}", e.message))?;
    let indexed = civicgrid_server::jobs::index_phones(&state).await.map_err(|e| anyhow::anyhow!("indexing phones: {}", e.message))?;
    if indexed > 0 {
        tracing::info!(indexed, "indexed the phones of cases reported before phones were indexed");
    }
    civicgrid_server::jobs::spawn(state.clone());
    banner(&addr);
    // The peer address is the client's for the per-client limits (behind a proxy, see client_ip_header).
    let app = civicgrid_server::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let mut cfg = Config::load(cli.config.as_deref())?;
    if let Some(db) = cli.database {
        cfg.database = db;
    }
    init_logs(&cfg.log);
    match cli.cmd {
        Cmd::Serve { listen } => {
            let listen = listen.unwrap_or_else(|| cfg.listen.clone());
            let key = cfg.data_key.as_deref().context(
                "no data_key configured: set data_key in civicgrid.toml or CIVICGRID_DATA_KEY (32 random bytes, base64)",
            )?;
            let cipher = Cipher::from_base64(key)?;
            let store = open_store(&cfg).await?;
            store.set_policy(std::sync::Arc::new(cfg.policy()?));
            // Keep the planner's statistics fresh as the case load grows.
            let maintenance = store.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(6 * 3600));
                loop {
                    every.tick().await;
                    if let Err(e) = maintenance.optimize().await {
                        tracing::warn!(error = %e, "refreshing planner statistics failed");
                    }
                }
            });
            let state = AppState::new(store, cipher, cfg.server()?);
            serve(state, &listen, |addr| tracing::info!("civicgrid listening on {addr} ({})", cfg.database)).await
        }
        Cmd::Demo { listen, data, cases } => demo::run(&listen, data, cases, &cfg).await,
        Cmd::Migrate => {
            let store = open_store(&cfg).await?;
            println!("migrated {} and loaded the reference data", store.backend());
            Ok(())
        }
        Cmd::User { cmd: UserCmd::Add { username, role, scope, department, display_name } } => {
            let username = org::parse_username(&username)?;
            let role: Role = role.parse()?;
            let scope = AreaCode::parse(&scope)?;
            org::check_account(role, department.as_deref())?;
            let display_name = org::parse_display_name(display_name.as_deref().unwrap_or(&username))?;
            let password = match std::env::var("CIVICGRID_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut p = String::new();
                    std::io::stdin().read_to_string(&mut p)?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            cfg.password_policy.check(&password, &username)?;
            let store = open_store(&cfg).await?;
            anyhow::ensure!(store.area(&scope).await?.is_some(), "scope: no area with code {scope}");
            if let Some(d) = &department {
                anyhow::ensure!(store.departments().await?.iter().any(|x| &x.id == d), "department: no department `{d}`");
            }
            let u = store
                .create_user(NewUser { username, display_name, password_hash: hash_password(&password)?, role, scope, department }, chrono::Utc::now())
                .await?;
            println!("added {} ({}, {})", u.username, u.role.as_str(), u.scope);
            Ok(())
        }
        Cmd::Department { cmd: DepartmentCmd::Put { id, name, name_en, area, categories } } => {
            let id = org::parse_username(&id).map_err(|_| anyhow::anyhow!("id: 3 to 32 letters, digits, `_`, `-` or `.`"))?;
            let name = org::parse_display_name(&name).map_err(|e| anyhow::anyhow!("name: {e}"))?;
            let area = AreaCode::parse(&area)?;
            let categories = categories.iter().map(|c| CategoryCode::parse(c)).collect::<Result<Vec<_>, _>>()?;
            let store = open_store(&cfg).await?;
            anyhow::ensure!(store.area(&area).await?.is_some(), "area: no area with code {area}");
            let known = store.categories().await?;
            for c in &categories {
                anyhow::ensure!(known.iter().any(|k| &k.code == c), "categories: no category with code {c}");
            }
            store.put_department(&Department { id: id.clone(), name, name_en, area, categories }).await?;
            println!("saved department {id}");
            Ok(())
        }
        Cmd::Department { cmd: DepartmentCmd::List } => {
            let store = open_store(&cfg).await?;
            for d in store.departments().await? {
                let cats: Vec<&str> = d.categories.iter().map(|c| c.as_str()).collect();
                println!("{:<16} {:<8} {:<24} {}", d.id, d.area, d.name, cats.join(","));
            }
            Ok(())
        }
        Cmd::Open311 { cmd } => open311::run(cmd, open_store(&cfg).await?).await,
        Cmd::Category { cmd } => open311::run_category(cmd, open_store(&cfg).await?).await,
        Cmd::Rebuild => {
            let store = open_store(&cfg).await?;
            let r = store.rebuild_projections().await?;
            println!("rebuilt {} cases from {} events; {} differed from their log before the rebuild", r.cases, r.events, r.differed);
            for id in &r.refused {
                println!("refused case {id}: its log's chain is broken (see `civicgrid audit verify`)");
            }
            Ok(())
        }
        Cmd::Audit { cmd } => audit(cmd, &cfg).await,
        Cmd::Import { cmd } => geo::run_import(cmd, open_store(&cfg).await?).await,
        Cmd::Export { cmd } => geo::run_export(cmd, open_store(&cfg).await?).await,
        Cmd::Eval { cmd } => geo::run_eval(cmd),
        Cmd::Bench { cmd } => bench::run(cmd).await,
    }
}
