//! How the API fails when the fault is its own: a 500 names an incident id the log keeps the
//! cause under, and never the database's text.

use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::backend_test;
use civicgrid_store::crypto::Cipher;
use civicgrid_store::testing::{fresh_url, Backend};
use sqlx::Connection;

mod support;

/// Drops a table behind the store's back, as a broken disk or a mistaken operator might.
async fn drop_table(url: &str, b: Backend, table: &str) {
    let sql = format!("DROP TABLE {table}");
    match b {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(&sql).execute(&mut c).await.unwrap();
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(&sql).execute(&mut c).await.unwrap();
        }
    }
}

backend_test! {
    async fn a_database_failure_answers_an_incident_id_and_not_the_database_text(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let store = civicgrid_store::connect(&url, civicgrid_store::SqliteDurability::Normal).await.unwrap();
        store.migrate().await.unwrap();
        let app = router(AppState::new(store, Cipher::from_bytes([9; 32]), ServerConfig::default()));
        let (status, body) = support::call(&app, "GET", "/api/v1/track/20261206000001", None, None).await;
        assert_eq!(status, 404, "{b}: the store works before: {body}");

        drop_table(&url, b, "cases").await;
        let (status, body) = support::call(&app, "GET", "/api/v1/track/20261206000001", None, None).await;
        assert_eq!(status, 500, "{b}: {body}");
        assert_eq!(body["error"]["code"], "internal", "{b}");
        let incident = body["error"]["incident"].as_str().unwrap_or_else(|| panic!("{b}: no incident in {body}"));
        assert!(incident.len() == 12 && incident.chars().all(|c| c.is_ascii_hexdigit()), "{b}: {incident}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(incident), "{b}: the message quotes the incident: {message}");
        let text = body.to_string().to_lowercase();
        for leak in ["cases", "table", "relation", "exist", "sqlite", "postgres", "database"] {
            assert!(!text.contains(leak), "{b}: the answer names `{leak}`: {body}");
        }
    }
}
