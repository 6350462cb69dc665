//! `civicgrid open311 key …` and `civicgrid category attribute …`, run as an admin would.

use std::process::{Command, Output};

fn civicgrid(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civicgrid")).args(["--database", db]).args(args).env("CIVICGRID_LOG", "warn").output().expect("run civicgrid")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn text(o: &Output) -> String {
    format!("{}{}", out(o), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn keys_are_printed_once_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let o = civicgrid(&db, &["open311", "key", "add", "--client", "fixmystreet", "--area", "371002"]);
    assert!(o.status.success(), "{}", text(&o));
    let key = out(&o).trim().to_string();
    assert!(key.starts_with("o311-") && key.len() == 37, "{key}");
    let o2 = civicgrid(&db, &["open311", "key", "add", "--client", "fixmystreet"]);
    assert_ne!(out(&o2).trim(), key, "a new key each time");

    let list = civicgrid(&db, &["open311", "key", "list"]);
    let listed = out(&list);
    assert!(listed.contains("fixmystreet") && listed.contains("371002") && listed.contains("live"), "{listed}");
    assert!(!listed.contains(&key), "the key itself is never shown again");
    assert_eq!(std::fs::read(dir.path().join("c.db")).unwrap().windows(key.len()).filter(|w| *w == key.as_bytes()).count(), 0, "only the hash is stored");

    let o = civicgrid(&db, &["open311", "key", "revoke", "--key", &key]);
    assert!(o.status.success() && out(&o).contains("revoked 1"), "{}", text(&o));
    let o = civicgrid(&db, &["open311", "key", "revoke", "--key", &key]);
    assert!(!o.status.success() && text(&o).contains("no live key"), "{}", text(&o));
    let o = civicgrid(&db, &["open311", "key", "revoke", "--client", "fixmystreet"]);
    assert!(o.status.success() && out(&o).contains("revoked 1"), "{}", text(&o));
    assert!(out(&civicgrid(&db, &["open311", "key", "list"])).matches("revoked").count() == 2);

    let bad = civicgrid(&db, &["open311", "key", "add", "--client", "x", "--area", "3799"]);
    assert!(!bad.status.success() && text(&bad).contains("area"), "{}", text(&bad));
    let bad = civicgrid(&db, &["open311", "key", "add", "--client", "x", "--channel", "fax"]);
    assert!(!bad.status.success() && text(&bad).contains("channel"), "{}", text(&bad));
    let bad = civicgrid(&db, &["open311", "key", "revoke"]);
    assert!(!bad.status.success(), "{}", text(&bad));
}

#[test]
fn category_attributes_put_list_delete() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let put = [
        "category", "attribute", "put", "--category", "0102", "--code", "amount", "--datatype", "singlevaluelist", "--required",
        "--description", "How much?", "--value", "bag=几袋", "--value", "pile=一堆",
    ];
    let o = civicgrid(&db, &put);
    assert!(o.status.success(), "{}", text(&o));
    let o = civicgrid(&db, &["category", "attribute", "put", "--category", "0102", "--code", "count", "--datatype", "number", "--order", "2", "--description", "How many bins?"]);
    assert!(o.status.success(), "{}", text(&o));
    let list = out(&civicgrid(&db, &["category", "attribute", "list", "--category", "0102"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].contains("amount") && lines[0].contains("required") && lines[0].contains("bag=几袋,pile=一堆"), "{list}");
    assert!(lines[1].contains("count") && lines[1].contains("number"), "{list}");

    for (args, field) in [
        (vec!["--category", "7777", "--code", "x", "--datatype", "string", "--description", "d"], "category"),
        (vec!["--category", "0102", "--code", "x", "--datatype", "list", "--description", "d"], "datatype"),
        (vec!["--category", "0102", "--code", "x", "--datatype", "singlevaluelist", "--description", "d"], "values"),
        (vec!["--category", "0102", "--code", "x", "--datatype", "string", "--description", "d", "--value", "a=b"], "values"),
        (vec!["--category", "0102", "--code", "x", "--datatype", "singlevaluelist", "--description", "d", "--value", "nokey"], "KEY=NAME"),
        (vec!["--category", "0102", "--code", "bad code", "--datatype", "string", "--description", "d"], "code"),
    ] {
        let mut a = vec!["category", "attribute", "put"];
        a.extend(args);
        let o = civicgrid(&db, &a);
        assert!(!o.status.success() && text(&o).contains(field), "{field}: {}", text(&o));
    }

    let o = civicgrid(&db, &["category", "attribute", "delete", "--category", "0102", "--code", "amount"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = civicgrid(&db, &["category", "attribute", "delete", "--category", "0102", "--code", "amount"]);
    assert!(!o.status.success() && text(&o).contains("no attribute"), "{}", text(&o));
    assert_eq!(out(&civicgrid(&db, &["category", "attribute", "list"])).lines().count(), 1);
}
