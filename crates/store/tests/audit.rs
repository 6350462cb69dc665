//! The tamper-evident logs (issue 22 finding 4): four edits made to the database behind the
//! store's back — a description changed, an acceptance re-attributed, the last event of a closed
//! case deleted, a rating rewritten — are each found and named by `verify_logs`, and `rebuild`
//! adopts none of them; an untouched database verifies clean; a forged checkpoint and links
//! made under another key are found; events from before the chains are sealed once.

use chrono::Duration;
use civicgrid_domain::*;
use civicgrid_store::testing::{fresh_url, Backend};
use civicgrid_store::*;
use sqlx::Connection;
use std::sync::Arc;
use uuid::Uuid;

mod support;
use support::{dispatch_urban, dispatcher, handler, report, t0};

/// Runs SQL straight on the database file, as an intruder with a copy of it would.
async fn tamper(b: Backend, url: &str, sql: &str) {
    match b {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            assert_eq!(sqlx::query(sql).execute(&mut c).await.unwrap().rows_affected(), 1, "{sql}");
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            assert_eq!(sqlx::query(sql).execute(&mut c).await.unwrap().rows_affected(), 1, "{sql}");
        }
    }
}

/// A case taken to closed (and, with `rating`, rated).
async fn closed(s: &dyn Store, rating: Option<Rating>) -> Uuid {
    let c = report(s, "371002001001", None, t0()).await.case;
    let now = t0() + Duration::minutes(5);
    s.act(c.id, &dispatcher(), Command::Accept { note: None }, now).await.unwrap();
    s.act(c.id, &dispatcher(), dispatch_urban(), now).await.unwrap();
    s.act(c.id, &handler(), Command::Claim, now).await.unwrap();
    s.act(c.id, &handler(), Command::Handle { feedback: "已清运".into(), attachments: vec![] }, now).await.unwrap();
    s.act(c.id, &dispatcher(), Command::Verify { passed: true, comment: None }, now).await.unwrap();
    if let Some(rating) = rating {
        s.act(c.id, &Actor::Reporter, Command::Rate { rating, comment: None }, now).await.unwrap();
    }
    c.id
}

async fn open(url: &str) -> Arc<dyn Store> {
    let s = connect(url, SqliteDurability::Normal).await.unwrap();
    s.migrate().await.unwrap();
    s.set_log_key([9; 32]);
    s
}

civicgrid_store::backend_test! {
    async fn each_edit_behind_the_servers_back_is_named(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        seed::seed_reference(s.as_ref()).await.unwrap();
        let described = report(s.as_ref(), "371002001001", None, t0()).await.case.id;
        let accepted = report(s.as_ref(), "371002001001", None, t0()).await.case.id;
        s.act(accepted, &dispatcher(), Command::Accept { note: None }, t0()).await.unwrap();
        let cut = closed(s.as_ref(), None).await;
        let rated = closed(s.as_ref(), Some(Rating::Unsatisfied)).await;
        let untouched = closed(s.as_ref(), Some(Rating::Satisfied)).await;
        assert!(s.checkpoint_logs(t0()).await.unwrap() >= 5, "{b}: a head per case");
        let clean = s.verify_logs().await.unwrap();
        assert!(clean.broken.is_empty(), "{b}: {:?}", clean.broken);
        assert_eq!((clean.records, clean.checkpoints), (5, 1), "{b}");

        tamper(b, &url, &format!("UPDATE case_events SET payload = REPLACE(payload, '垃圾桶满溢', '一切正常') WHERE case_id = '{described}' AND seq = 1")).await;
        tamper(b, &url, &format!("UPDATE case_events SET payload = REPLACE(payload, 'u-city', 'u-someone') WHERE case_id = '{accepted}' AND seq = 2")).await;
        tamper(b, &url, &format!("DELETE FROM case_events WHERE case_id = '{cut}' AND seq = 6")).await;
        tamper(b, &url, &format!("UPDATE case_events SET payload = REPLACE(payload, 'unsatisfied', 'satisfied') WHERE case_id = '{rated}' AND seq = 7")).await;

        let found = s.verify_logs().await.unwrap();
        let named: Vec<(Uuid, u32, Breach)> = found.broken.iter().map(|l| (l.subject.id, l.seq, l.cause)).collect();
        let mut expected = vec![(described, 1, Breach::Edited), (accepted, 2, Breach::Edited), (cut, 6, Breach::Missing), (rated, 7, Breach::Edited)];
        expected.sort();
        let mut named_sorted = named.clone();
        named_sorted.sort();
        assert_eq!(named_sorted, expected, "{b}: {:#?}", found.broken);
        assert!(!named.iter().any(|(id, _, _)| *id == untouched), "{b}");

        let rebuilt = s.rebuild_projections().await.unwrap();
        let mut refused = rebuilt.refused.clone();
        refused.sort();
        let mut damaged: Vec<Uuid> = expected.iter().map(|(id, _, _)| *id).collect();
        damaged.sort();
        assert_eq!(refused, damaged, "{b}: no edited log adopted");
        assert_eq!(s.case(cut).await.unwrap().unwrap().state, CaseState::Closed, "{b}: the projection kept what the log said");
    }
}

civicgrid_store::backend_test! {
    async fn a_forged_checkpoint_and_a_wrong_key_are_found(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        seed::seed_reference(s.as_ref()).await.unwrap();
        let c = closed(s.as_ref(), None).await;
        s.checkpoint_logs(t0()).await.unwrap();
        // Links made with any other key (an intruder who knows the scheme but not the key) do not hold.
        let other = open(&url).await;
        other.set_log_key([1; 32]);
        tamper(b, &url, "UPDATE log_checkpoints SET upto = upto + 1 WHERE id = 1").await;
        let found = s.verify_logs().await.unwrap();
        assert!(found.broken.iter().any(|l| l.cause == Breach::Checkpoint), "{b}: {:?}", found.broken);
        assert!(other.verify_logs().await.unwrap().broken.iter().any(|l| l.subject.id == c && l.cause == Breach::Edited), "{b}: a wrong key sees every link broken");
    }
}

civicgrid_store::backend_test! {
    async fn events_from_before_the_chains_are_sealed_once(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        seed::seed_reference(s.as_ref()).await.unwrap();
        let c = closed(s.as_ref(), None).await;
        tamper(b, &url, &format!("UPDATE case_events SET link = NULL WHERE case_id = '{c}' AND seq = 1")).await;
        let before = s.verify_logs().await.unwrap();
        assert_eq!(before.broken.iter().map(|l| l.cause).collect::<Vec<_>>(), vec![Breach::Unlinked], "{b}");
        assert_eq!(s.rebuild_projections().await.unwrap().refused, Vec::<Uuid>::new(), "{b}: not damage");
        assert_eq!(s.seal_logs().await.unwrap(), 1, "{b}");
        assert!(s.verify_logs().await.unwrap().broken.is_empty(), "{b}");
        assert_eq!(s.seal_logs().await.unwrap(), 0, "{b}: once");
    }
}

backend_test! {
    /// Reads logged at once share commits, and every one is committed before its call answers.
    async fn reads_logged_together_are_all_kept(b: Backend) {
        let (s, _d) = support::seeded(b).await;
        let calls = (0..300).map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let e = AccessEntry {
                    user_id: format!("u{}", i % 7),
                    subject_kind: "case".into(),
                    subject_id: format!("c{i}"),
                    field: "description".into(),
                    at: t0(),
                };
                s.log_access(&[e]).await
            })
        });
        for call in calls.collect::<Vec<_>>() {
            call.await.unwrap().unwrap();
        }
        assert_eq!(s.access_log(None, None, 1000).await.unwrap().len(), 300, "{b}");
        assert_eq!(s.access_log(Some("u3"), None, 1000).await.unwrap().len(), 43, "{b}");
    }
}
