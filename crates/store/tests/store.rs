//! Storage behaviour, run on SQLite and on PostgreSQL alike.

use chrono::Duration;
use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::testing;
use civicgrid_store::testing::Backend;
use civicgrid_store::*;

mod support;
use support::{code, dispatch_urban, dispatcher, handler, report, seeded, t0};

backend_test! {
    async fn full_loop_is_logged_and_rebuilds(b: Backend) {
        let (s, _d) = seeded(b).await;
        let c = report(s.as_ref(), "371002001001", None, t0()).await.case;
        assert_eq!(c.code.as_str(), "20261123000001", "{b}: first code of the day (China time)");
        let now = t0() + Duration::minutes(5);
        s.act(c.id, &dispatcher(), Command::Accept { note: None }, now).await.unwrap();
        s.act(c.id, &dispatcher(), dispatch_urban(), now).await.unwrap();
        s.act(c.id, &handler(), Command::Claim, now).await.unwrap();
        s.act(c.id, &handler(), Command::Handle { feedback: "已清运".into(), attachments: vec![] }, now).await.unwrap();
        s.act(c.id, &dispatcher(), Command::Verify { passed: true, comment: None }, now).await.unwrap();
        let done = s.act(c.id, &Actor::Reporter, Command::Rate { rating: Rating::Satisfied, comment: None }, now).await.unwrap();
        assert_eq!(done.state, CaseState::Rated, "{b}");
        assert_eq!(s.case(c.id).await.unwrap().unwrap(), done, "{b}: projection is the live state");
        let events = s.case_events(c.id).await.unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind.name()).collect();
        assert_eq!(kinds, ["reported", "accepted", "dispatched", "claimed", "handled", "verified", "rated"], "{b}");
        assert_eq!(events[3].actor.name, "handler");
        assert_eq!(Case::from_events(&events).unwrap(), done, "{b}");
        let r = s.rebuild_projections().await.unwrap();
        assert_eq!((r.cases, r.events, r.differed), (1, 7, 0), "{b}");
        assert_eq!(s.case_by_code(&done.code).await.unwrap().unwrap().id, done.id);
    }
}

backend_test! {
    async fn refused_commands_write_nothing(b: Backend) {
        let (s, _d) = seeded(b).await;
        let c = report(s.as_ref(), "371002001001", None, t0()).await.case;
        let err = s.act(c.id, &handler(), Command::Claim, t0()).await.unwrap_err();
        assert!(matches!(err, StoreError::Domain(DomainError::IllegalTransition { .. })), "{b}: {err}");
        let err = s.act(c.id, &dispatcher(), Command::Reject { reason: "".into() }, t0()).await.unwrap_err();
        assert!(matches!(err, StoreError::Domain(DomainError::InvalidField { .. })), "{b}: {err}");
        assert_eq!(s.case_events(c.id).await.unwrap().len(), 1, "{b}");
        assert_eq!(s.case(c.id).await.unwrap().unwrap().version, 1, "{b}");
        assert!(matches!(s.act(uuid::Uuid::now_v7(), &dispatcher(), Command::Claim, t0()).await, Err(StoreError::NotFound(_))));
    }
}

backend_test! {
    async fn idempotency_key_answers_the_first_case(b: Backend) {
        let (s, _d) = seeded(b).await;
        let first = report(s.as_ref(), "371002001001", Some("public:k1"), t0()).await;
        assert!(!first.replayed);
        let again = report(s.as_ref(), "371002001001", Some("public:k1"), t0()).await;
        assert!(again.replayed, "{b}");
        assert_eq!(again.case.id, first.case.id);
        // Concurrent repeats of a new key still make one case.
        let mut tasks = vec![];
        for _ in 0..8 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move { report(s.as_ref(), "371002001001", Some("public:k2"), t0()).await.case.id }));
        }
        let mut ids = vec![];
        for t in tasks {
            ids.push(t.await.unwrap());
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "{b}: {ids:?}");
        let page = s.list_cases(&CaseQuery { limit: 50, ..Default::default() }).await.unwrap();
        assert_eq!(page.items.len(), 2, "{b}");
    }
}

backend_test! {
    async fn concurrent_claims_let_exactly_one_through(b: Backend) {
        let (s, _d) = seeded(b).await;
        let c = report(s.as_ref(), "371002001001", None, t0()).await.case;
        s.act(c.id, &dispatcher(), Command::Accept { note: None }, t0()).await.unwrap();
        s.act(c.id, &dispatcher(), dispatch_urban(), t0()).await.unwrap();
        let mut tasks = vec![];
        for _ in 0..6 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move { s.act(c.id, &handler(), Command::Claim, t0()).await.is_ok() }));
        }
        let mut ok = 0;
        for t in tasks {
            ok += t.await.unwrap() as usize;
        }
        assert_eq!(ok, 1, "{b}");
        assert_eq!(s.case_events(c.id).await.unwrap().len(), 4, "{b}");
    }
}

backend_test! {
    async fn listing_filters_scopes_and_pages(b: Backend) {
        let (s, _d) = seeded(b).await;
        for i in 0..7 {
            let area = if i % 2 == 0 { "371002001001" } else { "371003001001" };
            report(s.as_ref(), area, None, t0() + Duration::seconds(i)).await;
        }
        let q = |scope: &str| CaseQuery { visibility: Visibility::Area(code(scope)), limit: 3, ..Default::default() };
        let p1 = s.list_cases(&q("371002")).await.unwrap();
        assert_eq!(p1.items.len(), 3, "{b}");
        assert!(p1.items.windows(2).all(|w| w[0].id > w[1].id), "{b}: newest first");
        let p2 = s.list_cases(&CaseQuery { after: p1.next, ..q("371002") }).await.unwrap();
        assert_eq!(p2.items.len(), 1, "{b}");
        assert!(p2.next.is_none());
        assert!(p2.items.iter().chain(&p1.items).all(|c| c.area().as_str().starts_with("371002")));
        let all = CaseQuery { limit: 100, ..Default::default() };
        assert_eq!(s.list_cases(&all).await.unwrap().items.len(), 7);
        let one = s.list_cases(&CaseQuery { states: vec![CaseState::Accepted], ..all.clone() }).await.unwrap();
        assert!(one.items.is_empty());
        let cat = s
            .list_cases(&CaseQuery { category: CategoryCode::parse("01").ok(), channel: Some(Channel::Hotline), ..all.clone() })
            .await
            .unwrap();
        assert_eq!(cat.items.len(), 7, "{b}: main class matches its subclasses");
        let none = s.list_cases(&CaseQuery { category: CategoryCode::parse("02").ok(), ..all.clone() }).await.unwrap();
        assert!(none.items.is_empty());
        let ranged = CaseQuery { created_from: Some(t0() + Duration::seconds(5)), ..all.clone() };
        assert_eq!(s.list_cases(&ranged).await.unwrap().items.len(), 2, "{b}");
        let counts = s.count_by_state(&CaseQuery { visibility: Visibility::Area(code("371003")), ..all }).await.unwrap();
        assert_eq!(counts, vec![(CaseState::Reported, 3)], "{b}");
    }
}

backend_test! {
    async fn users_sessions_and_lockout(b: Backend) {
        let (s, _d) = seeded(b).await;
        let nu = || NewUser {
            username: "town".into(),
            display_name: "环翠楼街道指挥中心".into(),
            password_hash: crypto::hash_password("civicgrid").unwrap(),
            role: Role::TownDispatcher,
            scope: code("371002001"),
            department: None,
        };
        let u = s.create_user(nu(), t0()).await.unwrap();
        assert!(matches!(s.create_user(nu(), t0()).await, Err(StoreError::Duplicate { .. })), "{b}");
        let until = t0() + Duration::minutes(15);
        let forget = t0() - Duration::minutes(15);
        for i in 1..=5 {
            assert_eq!(s.login_attempt("town", 5, forget, t0()).await.unwrap(), LoginGate::Admitted(i), "{b}");
        }
        assert_eq!(s.login_attempt("town", 5, forget, t0()).await.unwrap(), LoginGate::Locked(None), "{b}: five are being checked");
        s.login_failed("town", 5, until).await.unwrap();
        assert_eq!(s.login_attempt("town", 5, forget, t0()).await.unwrap(), LoginGate::Locked(Some(until)), "{b}");
        // After the lock expires, the count starts again.
        let later = until + Duration::minutes(1);
        assert_eq!(s.login_attempt("town", 5, later - Duration::minutes(15), later).await.unwrap(), LoginGate::Admitted(1), "{b}");
        s.login_succeeded("town").await.unwrap();
        assert_eq!(s.login_attempt("town", 5, later - Duration::minutes(15), later).await.unwrap(), LoginGate::Admitted(1), "{b}: success resets");
        // A name nobody has is counted the same way.
        assert_eq!(s.login_attempt("nobody", 5, forget, t0()).await.unwrap(), LoginGate::Admitted(1), "{b}");
        // Guesses lost to a crash before their answer do not hold the name for ever.
        for _ in 0..5 {
            s.login_attempt("stuck", 5, forget, t0()).await.unwrap();
        }
        let next_day = t0() + Duration::days(1);
        assert_eq!(s.login_attempt("stuck", 5, next_day - Duration::minutes(15), next_day).await.unwrap(), LoginGate::Admitted(1), "{b}");
        s.create_session("h1", &u.id, t0(), t0() + Duration::hours(8)).await.unwrap();
        assert_eq!(s.session_user("h1", t0()).await.unwrap().unwrap(), u);
        assert!(s.session_user("h1", t0() + Duration::hours(9)).await.unwrap().is_none(), "{b}: expired");
        s.delete_session("h1").await.unwrap();
        assert!(s.session_user("h1", t0()).await.unwrap().is_none());
    }
}

backend_test! {
    async fn reference_data(b: Backend) {
        let (s, _d) = seeded(b).await;
        let town = s.area(&code("371002001")).await.unwrap().unwrap();
        assert_eq!(town.name, "环翠楼街道", "{b}");
        assert_eq!(town.parent, Some(code("371002")));
        let kids = s.area_children(&code("3710")).await.unwrap();
        assert!(kids.iter().any(|a| a.name == "环翠区"), "{b}");
        assert_eq!(seed::areas().unwrap().len() as u64, 0 + s.seed_areas(&[]).await.unwrap() + seed::areas().unwrap().len() as u64);
        s.put_department(&Department {
            id: "urban".into(),
            name: "综合行政执法局".into(),
            name_en: "Urban management".into(),
            area: code("3710"),
            categories: vec![CategoryCode::parse("01").unwrap()],
        })
        .await
        .unwrap();
        let d = s.departments().await.unwrap();
        assert!(d[0].handles(&CategoryCode::parse("0102").unwrap()), "{b}");
    }
}

backend_test! {
    async fn concurrent_intake_gets_distinct_gapless_codes(b: Backend) {
        let (s, _d) = seeded(b).await;
        let mut tasks = vec![];
        for _ in 0..200 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move { report(s.as_ref(), "371002001001", None, t0()).await.case.code }));
        }
        let mut seqs = vec![];
        for t in tasks {
            seqs.push(t.await.unwrap().as_str()[8..].parse::<u32>().unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=200).collect::<Vec<_>>(), "{b}");
    }
}

backend_test! {
    async fn rebuild_restores_a_lost_projection_row(b: Backend) {
        use sqlx::Connection;
        let (url, _d) = testing::fresh_url(b).await;
        let s = connect(&url, SqliteDurability::Normal).await.unwrap();
        s.migrate().await.unwrap();
        seed::seed_reference(s.as_ref()).await.unwrap();
        let c = report(s.as_ref(), "371002001001", None, t0()).await.case;
        s.act(c.id, &dispatcher(), Command::Accept { note: None }, t0()).await.unwrap();
        let live = s.case(c.id).await.unwrap().unwrap();
        // Lose the projection behind the store's back; the log still has everything.
        if b == Backend::Sqlite {
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query("DELETE FROM cases").execute(&mut conn).await.unwrap();
        } else {
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query("DELETE FROM cases").execute(&mut conn).await.unwrap();
        }
        assert!(s.case(c.id).await.unwrap().is_none());
        let r = s.rebuild_projections().await.unwrap();
        assert_eq!((r.cases, r.events, r.differed), (1, 2, 1), "{b}");
        assert_eq!(s.case(c.id).await.unwrap().unwrap(), live, "{b}");
    }
}

backend_test! {
    async fn evaluation_reads_the_whole_logs_of_the_cases_active_in_a_period(b: Backend) {
        let (s, _d) = seeded(b).await;
        // Reported on day 0 and dispatched on day 2; another case in another district on day 0;
        // a third reported on day 5.
        let a = report(s.as_ref(), "371002001001", None, t0()).await.case;
        s.act(a.id, &dispatcher(), Command::Accept { note: None }, t0()).await.unwrap();
        s.act(a.id, &dispatcher(), dispatch_urban(), t0() + Duration::days(2)).await.unwrap();
        let other = report(s.as_ref(), "371003001001", None, t0()).await.case;
        let late = report(s.as_ref(), "371002001001", None, t0() + Duration::days(5)).await.case;

        let day = |d: i64| t0() + Duration::days(d);
        let ids = s.active_case_ids(&code("371002"), day(1), day(3)).await.unwrap();
        assert_eq!(ids, [a.id], "{b}: only the dispatch falls in the period, and only under 环翠区");
        // Nothing happens to `a` on days 8–9, but its handling falls due then (five working days
        // after Tuesday's dispatch): it lived in those days too.
        assert_eq!(s.active_case_ids(&code("371002"), day(8), day(10)).await.unwrap(), [a.id], "{b}");
        assert!(s.active_case_ids(&code("371002"), day(10), day(12)).await.unwrap().is_empty(), "{b}");
        let mut both = s.active_case_ids(&code("3710"), day(0), day(6)).await.unwrap();
        let mut want = vec![a.id, other.id, late.id];
        want.sort();
        both.sort();
        assert_eq!(both, want, "{b}: the city's, once each");

        let logs = s.case_logs(&[late.id, a.id, uuid::Uuid::now_v7()]).await.unwrap();
        assert_eq!(logs.len(), 2, "{b}: an unknown id is left out");
        let by_id = |id| logs.iter().find(|l| l[0].case_id == id).unwrap();
        assert_eq!(
            by_id(a.id).iter().map(|e| e.kind.name()).collect::<Vec<_>>(),
            ["reported", "accepted", "dispatched"],
            "{b}: the whole log, in order"
        );
        assert_eq!(by_id(a.id).iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3], "{b}");
        assert_eq!(by_id(late.id).len(), 1, "{b}");
        assert!(s.case_logs(&[]).await.unwrap().is_empty(), "{b}");
    }
}
