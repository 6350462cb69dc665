//! Deadlines, durable timers and the inbox, on SQLite and on PostgreSQL alike.

use chrono::{DateTime, Duration, Utc};
use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::testing::Backend;
use civicgrid_store::testing::{backends, fresh_url};
use civicgrid_store::*;
use civicgrid_store::{DeliveryOutcome, NewDelivery, Notice};
use std::sync::Arc;

mod support;
use support::{code, handler};

/// Monday 2025-03-03 09:00 in China.
fn t0() -> DateTime<Utc> {
    "2025-03-03T01:00:00Z".parse().unwrap()
}

fn dispatcher() -> Actor {
    Actor::User { id: "u-town".into(), username: "town".into(), role: Role::TownDispatcher, scope: code("371002001"), department: None }
}

async fn open(url: &str) -> Arc<dyn Store> {
    let s = connect(url, SqliteDurability::Normal).await.expect("connect");
    s.migrate().await.expect("migrate");
    seed::seed_reference(s.as_ref()).await.expect("seed");
    s
}

/// Reports a case of `category` in a village of town 371002001 at `now`.
async fn report(s: &dyn Store, category: &str, now: DateTime<Utc>) -> Case {
    let cat = s.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == category).unwrap();
    let input = NewCaseInput { description: "垃圾桶满溢".into(), channel: Channel::Hotline, ..Default::default() };
    let new = NewCase::validate(input, &cat, code("371002001001")).unwrap();
    s.create_case(CreateCase { new, handling_level: AreaLevel::Town, actor: Actor::Public, idempotency_key: None, now }).await.unwrap().case
}

fn kinds(events: &[CaseEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

backend_test! {
    async fn a_timer_due_during_a_restart_fires_once_after_it(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        let c = report(s.as_ref(), "0102", t0()).await;
        let d = c.deadline.clone().expect("the accept step has a deadline");
        assert_eq!((d.step, d.due), (Step::Accept, t0() + Duration::hours(2)), "{b}: 2 working hours");
        let pending = s.pending_timers(c.id).await.unwrap();
        assert_eq!(pending.iter().map(|t| t.kind).collect::<Vec<_>>(), [TimerKind::Warn, TimerKind::Overdue, TimerKind::Escalate], "{b}");
        assert_eq!(s.fire_due_timers("one", t0() + Duration::minutes(30), 100).await.unwrap().claimed, 0, "{b}: nothing due yet");
        drop(s);

        // The server is down while the warning and the deadline pass; it starts again later.
        let s = open(&url).await;
        let report = s.fire_due_timers("two", t0() + Duration::hours(3), 100).await.unwrap();
        assert_eq!((report.claimed, report.fired, report.events), (2, 2, 3), "{b}: warning, overdue and the supervision it causes");
        let events = s.case_events(c.id).await.unwrap();
        assert_eq!(kinds(&events), ["reported", "deadline_warned", "overdue", "supervised"], "{b}");
        assert!(events[1..].iter().all(|e| e.actor.kind == "system"), "{b}");
        let case = s.case(c.id).await.unwrap().unwrap();
        assert!(case.supervised, "{b}");
        // Once fired, never again: not on the next round, not after another restart.
        assert_eq!(s.fire_due_timers("two", t0() + Duration::hours(4), 100).await.unwrap(), civicgrid_store::FireReport::default(), "{b}");
        drop(s);
        let s = open(&url).await;
        assert_eq!(s.fire_due_timers("three", t0() + Duration::hours(5), 100).await.unwrap().claimed, 0, "{b}");
        assert_eq!(s.case_events(c.id).await.unwrap().len(), 4, "{b}");
        assert_eq!(s.pending_timers(c.id).await.unwrap().iter().map(|t| t.kind).collect::<Vec<_>>(), [TimerKind::Escalate], "{b}");
    }
}

#[tokio::test]
async fn two_servers_on_one_postgresql_never_fire_the_same_timer_twice() {
    // Several servers share a database only on PostgreSQL; SQLite has one writer process.
    for b in backends().into_iter().filter(|b| *b == Backend::Postgres) {
        let (url, _dir) = fresh_url(b).await;
        let first = open(&url).await;
        let second = open(&url).await;
        let mut ids = Vec::new();
        for _ in 0..40 {
            ids.push(report(first.as_ref(), "0102", t0()).await.id);
        }
        let later = t0() + Duration::hours(3);
        let run = |s: Arc<dyn Store>, name: &'static str| {
            tokio::spawn(async move {
                let mut fired = 0;
                loop {
                    // Small rounds, so that the two servers interleave.
                    let r = s.fire_due_timers(name, later, 3).await.unwrap();
                    if r.claimed == 0 {
                        return fired;
                    }
                    fired += r.fired;
                }
            })
        };
        let (a, b2) = tokio::join!(run(first.clone(), "a"), run(second.clone(), "b"));
        let (a, b2) = (a.unwrap(), b2.unwrap());
        assert_eq!(a + b2, 80, "{b}: 40 warnings and 40 deadlines, fired by one server or the other ({a} + {b2})");
        for id in ids {
            let k = kinds(&first.case_events(id).await.unwrap());
            assert_eq!(k, ["reported", "deadline_warned", "overdue", "supervised"], "{b}: {id}");
        }
    }
}

backend_test! {
    async fn extensions_suspensions_and_closing_move_the_timers(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        let c = report(s.as_ref(), "0102", t0()).await;
        let at = |m: i64| t0() + Duration::minutes(m);
        s.act(c.id, &dispatcher(), Command::Accept { note: None }, at(10)).await.unwrap();
        let dispatch =
            Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("371002001") }, instructions: None };
        let c2 = s.act(c.id, &dispatcher(), dispatch, at(20)).await.unwrap();
        let due = c2.deadline.as_ref().unwrap().due;
        assert_eq!(due, at(20) + Duration::days(7), "{b}: 5 working days from a Monday");
        assert!(s.pending_timers(c.id).await.unwrap().iter().all(|t| t.due == due), "{b}: the old step's timers are gone");

        let until = due + Duration::days(7);
        s.act(c.id, &handler(), Command::RequestExtension { until, reason: "需要采购".into() }, at(30)).await.unwrap();
        s.act(c.id, &dispatcher(), Command::DecideExtension { granted: true, reason: None }, at(40)).await.unwrap();
        let timers = s.pending_timers(c.id).await.unwrap();
        assert!(timers.iter().all(|t| t.due == until) && timers.len() == 3, "{b}: {timers:?}");

        s.act(c.id, &dispatcher(), Command::Suspend { reason: "等待天气".into() }, at(50)).await.unwrap();
        let kinds: Vec<_> = s.pending_timers(c.id).await.unwrap().iter().map(|t| (t.kind, t.at)).collect();
        assert_eq!(kinds, [(TimerKind::Resume, at(50) + Duration::days(30))], "{b}: no deadline runs while suspended; the suspension ends by itself");
        let resumed = s.act(c.id, &dispatcher(), Command::Resume { note: None }, at(50) + Duration::days(1)).await.unwrap();
        assert_eq!(resumed.deadline.as_ref().unwrap().due, until + Duration::days(1), "{b}");
        assert_eq!(s.pending_timers(c.id).await.unwrap()[1].due, until + Duration::days(1), "{b}");

        // Red and yellow cards come from the projection's columns.
        let red = CaseQuery { card: Some((Card::Red, until + Duration::days(2))), ..CaseQuery::default() };
        assert_eq!(s.list_cases(&red).await.unwrap().items.len(), 1, "{b}");
        assert_eq!(s.count_by_card(&CaseQuery::default(), until + Duration::days(2)).await.unwrap(), (1, 0), "{b}");
        assert_eq!(s.count_by_card(&CaseQuery::default(), at(60)).await.unwrap(), (0, 0), "{b}");

        s.act(c.id, &handler(), Command::Claim, at(70) + Duration::days(1)).await.unwrap();
        s.act(c.id, &handler(), Command::Handle { feedback: "已清运".into(), attachments: vec![] }, at(80) + Duration::days(1))
            .await
            .unwrap();
        s.act(c.id, &dispatcher(), Command::Verify { passed: true, comment: None }, at(90) + Duration::days(1)).await.unwrap();
        assert!(s.pending_timers(c.id).await.unwrap().is_empty(), "{b}: a closed case has no timers");
        assert_eq!(s.count_by_card(&CaseQuery::default(), until + Duration::days(30)).await.unwrap(), (0, 0), "{b}");
    }
}

backend_test! {
    async fn the_outbox_reaches_the_inbox_once(b: Backend) {
        let (url, _dir) = fresh_url(b).await;
        let s = open(&url).await;
        let c = report(s.as_ref(), "0102", t0()).await;
        let msgs = s.claim_outbox("one", t0(), 10).await.unwrap();
        assert_eq!(msgs.len(), 1, "{b}");
        assert_eq!(msgs[0].topic, "case.reported", "{b}");
        assert!(s.claim_outbox("two", t0(), 10).await.unwrap().is_empty(), "{b}: leased to the first relay");
        let notice = Notice {
            user_id: "u-town".into(),
            message_id: msgs[0].message_id(),
            subject: civicgrid_store::Subject::case(c.id),
            subject_code: c.code.as_str().into(),
            kind: "reported".into(),
            title: "新事件".into(),
            body: "待受理".into(),
        };
        let delivery =
            NewDelivery { message_id: msgs[0].message_id(), channel: "log".into(), recipient: "town".into(), payload: "{}".into() };
        // Delivered twice (a relay died after writing, before its lease ran out): one notice.
        for _ in 0..2 {
            s.deliver_outbox(msgs[0].id, std::slice::from_ref(&notice), std::slice::from_ref(&delivery), t0()).await.unwrap();
        }
        assert!(s.claim_outbox("two", t0() + Duration::minutes(5), 10).await.unwrap().is_empty(), "{b}: delivered");
        let (items, unread) = s.inbox("u-town", false, 50).await.unwrap();
        assert_eq!((items.len(), unread), (1, 1), "{b}");
        assert_eq!(s.mark_read("someone-else", Some(items[0].id), t0()).await.unwrap(), 0, "{b}: only one's own");
        assert_eq!(s.mark_read("u-town", Some(items[0].id), t0()).await.unwrap(), 1, "{b}");
        assert_eq!(s.inbox("u-town", true, 50).await.unwrap().into_pair(), (0, 0), "{b}");

        let due = s.claim_deliveries("one", t0(), 10).await.unwrap();
        assert_eq!(due.len(), 1, "{b}");
        s.delivery_result(&due[0].id, &DeliveryOutcome::Retry { at: t0() + Duration::minutes(1), error: "503".into() }, t0())
            .await
            .unwrap();
        assert!(s.claim_deliveries("one", t0() + Duration::seconds(30), 10).await.unwrap().is_empty(), "{b}: waits for its back-off");
        let again = s.claim_deliveries("one", t0() + Duration::minutes(2), 10).await.unwrap();
        assert_eq!(again[0].attempts, 1, "{b}");
        s.delivery_result(&again[0].id, &DeliveryOutcome::Delivered, t0()).await.unwrap();
        assert!(s.claim_deliveries("one", t0() + Duration::hours(1), 10).await.unwrap().is_empty(), "{b}");
    }
}

/// Compares inbox answers by their parts that matter.
trait IntoPair {
    fn into_pair(self) -> (usize, u64);
}

impl IntoPair for (Vec<civicgrid_store::Notification>, u64) {
    fn into_pair(self) -> (usize, u64) {
        (self.0.len(), self.1)
    }
}
