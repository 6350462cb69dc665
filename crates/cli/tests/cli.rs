//! The administrative subcommands, run as a user would.

use std::process::{Command, Output};

fn civicgrid(db: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_civicgrid"));
    c.args(["--database", db]).args(args).env("CIVICGRID_LOG", "warn");
    if let Some(p) = password {
        c.env("CIVICGRID_PASSWORD", p);
    }
    c.output().expect("run civicgrid")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn migrate_departments_users_and_their_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let o = civicgrid(&db, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));

    let put = ["department", "put", "--id", "wh-urban", "--name", "威海市综合行政执法局", "--area", "3710", "--categories", "01,05"];
    let o = civicgrid(&db, &put, None);
    assert!(o.status.success(), "{}", text(&o));
    let o = civicgrid(&db, &["department", "list"], None);
    assert!(text(&o).contains("wh-urban") && text(&o).contains("01,05"), "{}", text(&o));
    let bad = civicgrid(&db, &["department", "put", "--id", "x-dept", "--name", "x", "--area", "3799", "--categories", "01"], None);
    assert!(!bad.status.success() && text(&bad).contains("area"), "{}", text(&bad));
    let bad = civicgrid(&db, &["department", "put", "--id", "x-dept", "--name", "x", "--area", "3710", "--categories", "77"], None);
    assert!(!bad.status.success() && text(&bad).contains("categories"), "{}", text(&bad));

    let add = ["user", "add", "--username", "handler1", "--role", "department_handler", "--scope", "3710", "--department", "wh-urban"];
    let o = civicgrid(&db, &add, Some("A-long-passw0rd"));
    assert!(o.status.success(), "{}", text(&o));
    let again = civicgrid(&db, &add, Some("A-long-passw0rd"));
    assert!(!again.status.success() && text(&again).contains("already exists"), "{}", text(&again));
    let short = civicgrid(&db, &["user", "add", "--username", "handler2", "--role", "leader", "--scope", "3710"], Some("short"));
    assert!(!short.status.success() && text(&short).contains("password"), "{}", text(&short));
    let role = civicgrid(&db, &["user", "add", "--username", "handler3", "--role", "boss", "--scope", "3710"], Some("A-long-passw0rd"));
    assert!(!role.status.success() && text(&role).contains("role"), "{}", text(&role));
    let dept = civicgrid(&db, &["user", "add", "--username", "handler4", "--role", "leader", "--scope", "3710", "--department", "wh-urban"], Some("A-long-passw0rd"));
    assert!(!dept.status.success() && text(&dept).contains("department"), "{}", text(&dept));

    let o = civicgrid(&db, &["rebuild"], None);
    assert!(o.status.success() && text(&o).contains("rebuilt 0 cases"), "{}", text(&o));
    let o = civicgrid("mysql://x", &["migrate"], None);
    assert!(!o.status.success() && text(&o).contains("unsupported database URL"), "{}", text(&o));
}

/// `audit verify` over a database file edited behind civicgrid's back: clean before, the
/// edited event named after, and a non-zero exit; without the data key it refuses to guess.
#[tokio::test]
async fn audit_verify_names_an_event_edited_in_the_file() {
    use civicgrid_domain::{Actor, AreaCode, Channel, Command as Cmd, NewCase, NewCaseInput, Role};
    use civicgrid_store::{crypto::Cipher, CreateCase};
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    let key = Cipher::generate_key();
    let store = civicgrid_store::connect(&db, civicgrid_store::SqliteDurability::Normal).await.unwrap();
    store.migrate().await.unwrap();
    civicgrid_store::seed::seed_reference(store.as_ref()).await.unwrap();
    store.set_log_key(Cipher::from_base64(&key).unwrap().log_key());
    let cat = store.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0102").unwrap();
    let area = AreaCode::parse("371002001001").unwrap();
    let input = NewCaseInput { description: "垃圾桶满溢".into(), channel: Channel::Hotline, ..Default::default() };
    let new = NewCase::validate(input, &cat, area).unwrap();
    let now = chrono::Utc::now();
    let case = store.create_case(CreateCase { new, handling_level: cat.handling_level, actor: Actor::Public, idempotency_key: None, now }).await.unwrap().case;
    let town = Actor::User { id: "u-town".into(), username: "town".into(), role: Role::TownDispatcher, scope: AreaCode::parse("371002001").unwrap(), department: None };
    store.act(case.id, &town, Cmd::Accept { note: None }, now).await.unwrap();

    let verify = |key: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_civicgrid"));
        c.args(["--database", &db, "audit", "verify"]).env("CIVICGRID_LOG", "warn").env_remove("CIVICGRID_DATA_KEY");
        if let Some(k) = key {
            c.env("CIVICGRID_DATA_KEY", k);
        }
        c.output().expect("run civicgrid")
    };
    let o = verify(Some(&key));
    assert!(o.status.success() && text(&o).contains("0 damaged"), "{}", text(&o));
    let mut c = sqlx::SqliteConnection::connect(&db).await.unwrap();
    sqlx::query("UPDATE case_events SET payload = REPLACE(payload, 'u-town', 'u-other') WHERE seq = 2").execute(&mut c).await.unwrap();
    let o = verify(Some(&key));
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(&format!("case {} event 2", case.id)) && text(&o).contains("1 damaged"), "{}", text(&o));
    let o = verify(None);
    assert!(!o.status.success() && text(&o).contains("data_key"), "{}", text(&o));
}

/// A configuration file that holds the data key must be readable by its owner only; the key may
/// instead come from a key file (also 0600) outside the data folder.
#[test]
fn a_key_others_may_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("k.db").display());
    let key = civicgrid_store::crypto::Cipher::generate_key();
    let conf = dir.path().join("civicgrid.toml");
    std::fs::write(&conf, format!("database = \"{db}\"\ndata_key = \"{key}\"\n")).unwrap();
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_civicgrid")).args(args).env("CIVICGRID_LOG", "warn").env_remove("CIVICGRID_DATA_KEY").output().unwrap();
    let o = run(&["--config", conf.to_str().unwrap(), "audit", "verify"]);
    assert!(!o.status.success() && text(&o).contains("chmod 600"), "{}", text(&o));
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = run(&["--config", conf.to_str().unwrap(), "audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));

    let keyfile = dir.path().join("data.key");
    std::fs::write(&keyfile, format!("{key}\n")).unwrap();
    std::fs::set_permissions(&keyfile, std::fs::Permissions::from_mode(0o640)).unwrap();
    let conf2 = dir.path().join("other.toml");
    std::fs::write(&conf2, format!("database = \"{db}\"\ndata_key_file = \"{}\"\n", keyfile.display())).unwrap();
    let o = run(&["--config", conf2.to_str().unwrap(), "audit", "verify"]);
    assert!(!o.status.success() && text(&o).contains("data_key_file") && text(&o).contains("chmod 600"), "{}", text(&o));
    std::fs::set_permissions(&keyfile, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = run(&["--config", conf2.to_str().unwrap(), "audit", "verify"]);
    assert!(o.status.success() && text(&o).contains("0 damaged"), "{}", text(&o));
}
