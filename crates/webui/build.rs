//! Builds the web UI in `web/` (`npm ci` when the lock file changed, then `npm run build`) so
//! that `src/lib.rs` can embed `web/dist`. Cargo reruns this only when the web sources change.
//!
//! `CIVICGRID_SKIP_WEB_BUILD=1` skips npm and embeds whatever `web/dist` holds (a placeholder
//! page if nothing): for Rust-only work on a machine without Node.js.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const MIN_NODE: (u32, u32) = (20, 19);

fn main() {
    let web = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../web");
    let web = web.canonicalize().unwrap_or(web);
    for p in ["src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json"] {
        println!("cargo:rerun-if-changed={}", web.join(p).display());
    }
    println!("cargo:rerun-if-env-changed=CIVICGRID_SKIP_WEB_BUILD");

    let dist = web.join("dist");
    if std::env::var("CIVICGRID_SKIP_WEB_BUILD").is_ok_and(|v| v == "1" || v == "true") {
        if !dist.join("index.html").exists() {
            std::fs::create_dir_all(&dist).expect("create web/dist");
            std::fs::write(
                dist.join("index.html"),
                "<!doctype html><meta charset=utf-8><title>civicgrid</title>\
                 <p>This civicgrid binary was built with CIVICGRID_SKIP_WEB_BUILD=1: the web UI is not included. \
                 The API is at <a href=/docs>/docs</a>.</p>",
            )
            .expect("write placeholder web/dist/index.html");
        }
        println!("cargo:warning=CIVICGRID_SKIP_WEB_BUILD is set: the web UI was not rebuilt");
        return;
    }

    check_node();
    if needs_install(&web) {
        run(&web, &["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    }
    run(&web, &["run", "build"]);
    if !dist.join("index.html").exists() {
        fail(&format!("`npm run build` did not write {}", dist.join("index.html").display()));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("\nerror: civicgrid-webui: {msg}\n");
    panic!("civicgrid-webui: {msg}");
}

/// Node.js and npm must be there, Node at least MIN_NODE (what Vite needs).
fn check_node() {
    let missing = "Node.js and npm are needed to build the web UI in web/ (Node >= 20.19). \
                   Install them (Debian/Ubuntu: `apt-get install nodejs npm`), \
                   or set CIVICGRID_SKIP_WEB_BUILD=1 to build a binary without the UI.";
    let out = match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => o,
        _ => fail(missing),
    };
    if !Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success()) {
        fail(missing);
    }
    let v = String::from_utf8_lossy(&out.stdout);
    let mut parts = v.trim().trim_start_matches('v').split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) < MIN_NODE {
        fail(&format!("Node.js {} is too old for the web build; {}.{} or newer is needed. {missing}", v.trim(), MIN_NODE.0, MIN_NODE.1));
    }
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `npm ci` when node_modules is missing or older than the lock file.
fn needs_install(web: &Path) -> bool {
    match (mtime(&web.join("node_modules/.package-lock.json")), mtime(&web.join("package-lock.json"))) {
        (Some(installed), Some(lock)) => installed < lock,
        _ => true,
    }
}

fn run(web: &Path, args: &[&str]) {
    let out = Command::new("npm")
        .args(args)
        .current_dir(web)
        .env_remove("NODE_ENV")
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot run npm: {e}")));
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stdout));
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        fail(&format!("`npm {}` failed in {} ({})", args.join(" "), web.display(), out.status));
    }
}
