//! Migration 0007 turned the shared tables' `case_id` into `subject_kind` + `subject_id`. A
//! database written before it (outbox, timers, notices, reveals, idempotency keys of cases)
//! keeps every row, now read as the case's.

use civicgrid_store::testing::{fresh_url, Backend};
use civicgrid_store::{backend_test, Subject};
use sqlx::migrate::Migrator;
use sqlx::{Connection, Row};

const CASE: &str = "0194a000-0000-7000-8000-00000000c0de";

/// Rows as the shared tables held them before 0007, all about one case.
const BEFORE: [&str; 5] = [
    "INSERT INTO outbox (case_id, event_seq, topic, payload, created_at) VALUES ('0194a000-0000-7000-8000-00000000c0de', 3, 'case.dispatched', '{}', 1)",
    "INSERT INTO timers (id, case_id, kind, step, due, fire_at) VALUES ('t1', '0194a000-0000-7000-8000-00000000c0de', 'overdue', 'handle', 4102444800000000, 4102444800000000)",
    "INSERT INTO notifications (id, user_id, message_id, case_id, case_code, kind, title, body, created_at) VALUES ('0194a000-0000-7000-8000-0000000000a1', 'u1', 'm1', '0194a000-0000-7000-8000-00000000c0de', '20250301000001', 'dispatched', 't', 'b', 1)",
    "INSERT INTO pii_access_log (user_id, case_id, field, at) VALUES ('u1', '0194a000-0000-7000-8000-00000000c0de', 'phone', 1)",
    "INSERT INTO idempotency_keys (key, case_id, created_at) VALUES ('k1', '0194a000-0000-7000-8000-00000000c0de', 1)",
];

/// The migrations before 0007.
fn before(all: Migrator) -> Migrator {
    let mut m = all;
    m.migrations = m.migrations.iter().filter(|x| x.version < 7).cloned().collect::<Vec<_>>().into();
    m
}

/// Migrates `url` up to 0006 and writes [`BEFORE`].
async fn write_before(b: Backend, url: &str) {
    match b {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc")).await.unwrap();
            before(sqlx::migrate!("./migrations/sqlite")).run(&mut c).await.unwrap();
            for sql in BEFORE {
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            before(sqlx::migrate!("./migrations/postgres")).run(&mut c).await.unwrap();
            for sql in BEFORE {
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
        }
    }
}

/// `(subject_kind, subject_id)` of every row of `table`, read straight from the database.
async fn subjects(b: Backend, url: &str, table: &str) -> Vec<(String, String)> {
    let sql = format!("SELECT subject_kind, subject_id FROM {table}");
    let rows = match b {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(&sql).fetch_all(&mut c).await.unwrap().iter().map(|r| (r.get(0), r.get(1))).collect()
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(&sql).fetch_all(&mut c).await.unwrap().iter().map(|r| (r.get(0), r.get(1))).collect()
        }
    };
    rows
}

backend_test! {
    async fn rows_written_before_the_subjects_migration_are_kept_as_the_cases(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        write_before(b, &url).await;
        let store = civicgrid_store::connect(&url, civicgrid_store::SqliteDurability::Normal).await.unwrap();
        store.migrate().await.unwrap();
        let case = Subject::case(CASE.parse().unwrap());

        let now = chrono::Utc::now();
        let messages = store.claim_outbox("test", now, 10).await.unwrap();
        assert_eq!(messages.iter().map(|m| (&m.subject, m.seq)).collect::<Vec<_>>(), vec![(&case, 3)], "{b}: the outbox message");
        assert_eq!(store.pending_timers(case.id).await.unwrap().len(), 1, "{b}: the timer");
        let (notices, unread) = store.inbox("u1", false, 10).await.unwrap();
        assert_eq!((notices[0].subject.clone(), notices[0].subject_code.as_str(), unread), (case.clone(), "20250301000001", 1), "{b}: the notice");
        for table in ["pii_access_log", "idempotency_keys", "outbox", "timers", "notifications"] {
            assert_eq!(subjects(b, &url, table).await, vec![("case".to_string(), CASE.to_string())], "{b}: {table}");
        }
    }
}
