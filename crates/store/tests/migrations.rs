//! The SQLite and PostgreSQL migrations are kept by hand, in pairs. This test migrates a fresh
//! database of each and compares what they created: tables, columns (type class, nullability,
//! primary key) and indexes (columns, uniqueness, name). A column or index added to one backend
//! only fails it, naming what differs.

use std::collections::BTreeSet;

use civicgrid_store::testing::{self, Backend};
use sqlx::{Connection, Row};

/// One fact about a schema, comparable across the two databases.
type Fact = String;

/// The class a declared column type falls in: the two databases spell the same storage
/// differently (`BIGSERIAL` and `INTEGER PRIMARY KEY AUTOINCREMENT`, `DOUBLE PRECISION` and `REAL`).
fn type_class(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t.contains("serial") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("real") || t.contains("double") || t.contains("float") || t.contains("numeric") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "blob"
    } else {
        "other"
    }
}

fn column(table: &str, name: &str, declared: &str, not_null: bool, pk: bool) -> Fact {
    // A primary key is never null on PostgreSQL; on SQLite only where declared so, but the
    // store never writes one null.
    let null = if not_null || pk { "not null" } else { "null" };
    format!("column {table}.{name} {} {null}{}", type_class(declared), if pk { " primary key" } else { "" })
}

fn index(table: &str, name: &str, cols: &str, unique: bool, from_constraint: bool) -> Fact {
    // Indexes a constraint makes are named by each database its own way; the ones written
    // with CREATE INDEX carry the name both migrations give them.
    let name = if from_constraint { "(constraint)" } else { name };
    format!("index {table}({cols}){} {name}", if unique { " unique" } else { "" })
}

async fn sqlite_schema(url: &str) -> BTreeSet<Fact> {
    let mut c = sqlx::SqliteConnection::connect(url).await.expect("open sqlite");
    let mut facts = BTreeSet::new();
    let tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'";
    for t in sqlx::query_scalar::<_, String>(tables).fetch_all(&mut c).await.expect("tables") {
        facts.insert(format!("table {t}"));
        let cols =
            sqlx::query("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1)").bind(&t).fetch_all(&mut c).await.unwrap();
        for r in cols {
            let (name, ty): (String, String) = (r.get("name"), r.get("type"));
            facts.insert(column(&t, &name, &ty, r.get::<i64, _>("nn") != 0, r.get::<i64, _>("pk") != 0));
        }
        let idx = sqlx::query("SELECT name, \"unique\" AS uq, origin FROM pragma_index_list($1)").bind(&t).fetch_all(&mut c).await.unwrap();
        for r in idx {
            let (name, origin): (String, String) = (r.get("name"), r.get("origin"));
            if origin == "pk" {
                continue; // the primary key is a column fact
            }
            // An expression column has no name: both backends write it `expr`.
            let cols: Vec<String> = sqlx::query_scalar("SELECT COALESCE(name, 'expr') FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&name)
                .fetch_all(&mut c)
                .await
                .unwrap();
            facts.insert(index(&t, &name, &cols.join(","), r.get::<i64, _>("uq") != 0, origin == "u"));
        }
    }
    facts
}

async fn postgres_schema(url: &str) -> BTreeSet<Fact> {
    let mut c = sqlx::PgConnection::connect(url).await.expect("open postgres");
    let mut facts = BTreeSet::new();
    let tables = "SELECT table_name::text FROM information_schema.tables
                  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'";
    for t in sqlx::query_scalar::<_, String>(tables).fetch_all(&mut c).await.expect("tables") {
        facts.insert(format!("table {t}"));
    }
    let pk_cols = "SELECT t.relname::text AS tbl, a.attname::text AS col FROM pg_index ix
                   JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
                   WHERE n.nspname = 'public' AND ix.indisprimary";
    let pk: BTreeSet<(String, String)> =
        sqlx::query(pk_cols).fetch_all(&mut c).await.unwrap().iter().map(|r| (r.get("tbl"), r.get("col"))).collect();
    let cols = "SELECT table_name::text AS tbl, column_name::text AS col, data_type::text AS ty, is_nullable::text AS nullable
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'";
    for r in sqlx::query(cols).fetch_all(&mut c).await.unwrap() {
        let (t, name, ty, nullable): (String, String, String, String) = (r.get("tbl"), r.get("col"), r.get("ty"), r.get("nullable"));
        let is_pk = pk.contains(&(t.clone(), name.clone()));
        facts.insert(column(&t, &name, &ty, nullable == "NO", is_pk));
    }
    let idx = "SELECT t.relname::text AS tbl, i.relname::text AS idx, ix.indisunique AS uq,
                      EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid) AS from_constraint,
                      array_to_string(ARRAY(SELECT COALESCE(a.attname::text, 'expr') FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols
               FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
               WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname <> '_sqlx_migrations'";
    for r in sqlx::query(idx).fetch_all(&mut c).await.unwrap() {
        let (t, name, cols): (String, String, String) = (r.get("tbl"), r.get("idx"), r.get("cols"));
        facts.insert(index(&t, &name, &cols, r.get("uq"), r.get("from_constraint")));
    }
    facts
}

/// What one schema has and the other lacks, one line each.
fn differences(sqlite: &BTreeSet<Fact>, postgres: &BTreeSet<Fact>) -> Vec<String> {
    let only =
        |a: &BTreeSet<Fact>, b: &BTreeSet<Fact>, who: &str| a.difference(b).map(|f| format!("only on {who}: {f}")).collect::<Vec<_>>();
    let mut out = only(sqlite, postgres, "SQLite");
    out.extend(only(postgres, sqlite, "PostgreSQL"));
    out
}

/// Fresh, migrated databases of both backends, as URLs; `None` where PostgreSQL is not available.
async fn both() -> Option<((String, Option<tempfile::TempDir>), String)> {
    if !testing::backends().contains(&Backend::Postgres) {
        return None;
    }
    let (sqlite, dir) = testing::fresh_url(Backend::Sqlite).await;
    let (pg, _) = testing::fresh_url(Backend::Postgres).await;
    for url in [&sqlite, &pg] {
        let s = civicgrid_store::connect(url, civicgrid_store::SqliteDurability::Normal).await.expect("connect");
        civicgrid_store::MaintenanceStore::migrate(s.as_ref()).await.expect("migrate");
    }
    Some(((sqlite, dir), pg))
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_create_the_same_schema() {
    let Some(((sqlite, _dir), pg)) = both().await else { return };
    let (a, b) = (sqlite_schema(&sqlite).await, postgres_schema(&pg).await);
    assert!(a.iter().filter(|f| f.starts_with("table ")).count() >= 20, "the schema was read: {a:#?}");
    assert!(a.iter().any(|f| f.starts_with("index cases(")), "indexes were read: {a:#?}");
    let diff = differences(&a, &b);
    assert!(diff.is_empty(), "the migrations differ:\n{}", diff.join("\n"));
}

#[tokio::test]
async fn a_column_added_to_one_backend_only_is_found() {
    let Some(((sqlite, _dir), pg)) = both().await else { return };
    let mut c = sqlx::SqliteConnection::connect(&sqlite).await.unwrap();
    sqlx::query("ALTER TABLE cases ADD COLUMN extra TEXT").execute(&mut c).await.unwrap();
    sqlx::query("CREATE INDEX cases_extra ON cases (extra)").execute(&mut c).await.unwrap();
    let mut p = sqlx::PgConnection::connect(&pg).await.unwrap();
    sqlx::query("ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT ''").execute(&mut p).await.unwrap();
    let diff = differences(&sqlite_schema(&sqlite).await, &postgres_schema(&pg).await);
    assert_eq!(
        diff,
        vec![
            "only on SQLite: column cases.extra text null".to_string(),
            "only on SQLite: index cases(extra) cases_extra".to_string(),
            "only on PostgreSQL: column users.phone text not null".to_string(),
        ]
    );
}
