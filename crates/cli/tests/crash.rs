//! Killing the server with SIGKILL while cases are being created loses no case whose create
//! was acknowledged, on SQLite (synchronous=FULL) and PostgreSQL.

use civicgrid_store::testing::{backends, fresh_url};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(config: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_civicgrid"))
        .args(["serve", "--config", config.to_str().unwrap(), "--listen", &format!("127.0.0.1:{port}")])
        .env("CIVICGRID_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start civicgrid serve")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server at {base} never became ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_case() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap();
        let (url, _db_dir) = fresh_url(backend).await;
        let config = dir.path().join("civicgrid.toml");
        let key = civicgrid_store::crypto::Cipher::generate_key();
        // The drill floods the server with anonymous reports from one client to test durability,
        // not the per-client limit: the limit is off.
        std::fs::write(&config, format!("database = \"{url}\"\ndata_key = \"{key}\"\nsqlite_durability = \"full\"\nanonymous_writes_per_minute = 0\n")).unwrap();
        // It holds the data key: the binary refuses a copy others may read.
        std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
        let mut server = start(&config, port);
        wait_ready(&client, &base).await;

        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(AtomicUsize::new(0));
        let mut writers = vec![];
        for w in 0..8 {
            let (client, base, stop, acks) = (client.clone(), base.clone(), stop.clone(), acks.clone());
            writers.push(tokio::spawn(async move {
                let mut acked = vec![];
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = serde_json::json!({"category": "0102", "description": format!("crash test {w}-{i}"), "area": "371002001001"});
                    match client.post(format!("{base}/api/v1/cases")).json(&body).send().await {
                        Ok(r) if r.status() == 201 => {
                            if let Ok(v) = r.json::<serde_json::Value>().await {
                                acked.push(v["code"].as_str().unwrap().to_string());
                                acks.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        _ => {}
                    }
                }
                acked
            }));
        }
        // Kill in full flight, once enough creates were acknowledged, however loaded the machine.
        let t = Instant::now();
        while acks.load(Ordering::Relaxed) < 200 && t.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
        server.wait().unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, Ordering::Relaxed);
        let mut acked = vec![];
        for w in writers {
            acked.extend(w.await.unwrap());
        }
        assert!(acked.len() >= 200, "{backend}: only {} cases were acknowledged before the kill", acked.len());

        let mut server = start(&config, port);
        wait_ready(&client, &base).await;
        let mut lost = vec![];
        for code in &acked {
            let r = client.get(format!("{base}/api/v1/track/{code}")).send().await.unwrap();
            if r.status() != 200 {
                lost.push(code.clone());
            }
        }
        server.kill().ok();
        server.wait().ok();
        assert!(lost.is_empty(), "{backend}: {} of {} acknowledged cases lost after SIGKILL: {lost:?}", lost.len(), acked.len());
        eprintln!("{backend}: all {} acknowledged cases survived SIGKILL", acked.len());
    }
}
