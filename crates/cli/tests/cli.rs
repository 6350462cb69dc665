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
    let o = civicgrid(&db, &add, Some("a-long-password"));
    assert!(o.status.success(), "{}", text(&o));
    let again = civicgrid(&db, &add, Some("a-long-password"));
    assert!(!again.status.success() && text(&again).contains("already exists"), "{}", text(&again));
    let short = civicgrid(&db, &["user", "add", "--username", "handler2", "--role", "leader", "--scope", "3710"], Some("short"));
    assert!(!short.status.success() && text(&short).contains("password"), "{}", text(&short));
    let role = civicgrid(&db, &["user", "add", "--username", "handler3", "--role", "boss", "--scope", "3710"], Some("a-long-password"));
    assert!(!role.status.success() && text(&role).contains("role"), "{}", text(&role));
    let dept = civicgrid(&db, &["user", "add", "--username", "handler4", "--role", "leader", "--scope", "3710", "--department", "wh-urban"], Some("a-long-password"));
    assert!(!dept.status.success() && text(&dept).contains("department"), "{}", text(&dept));

    let o = civicgrid(&db, &["rebuild"], None);
    assert!(o.status.success() && text(&o).contains("rebuilt 0 cases"), "{}", text(&o));
    let o = civicgrid("mysql://x", &["migrate"], None);
    assert!(!o.status.success() && text(&o).contains("unsupported database URL"), "{}", text(&o));
}
