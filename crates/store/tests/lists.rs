//! Case lists (issue 22 finding 11): every reader's list, followed through its cursors, holds
//! exactly the cases an independent filter over all cases keeps, newest first, whatever index
//! the walk drives and however small its window; and on SQLite no list sorts the history.

mod support;

use chrono::Duration;
use civicgrid_domain::{Actor, Card, Case, CaseState, CategoryCode, Channel, Command, NewCase, NewCaseInput, Role};
use civicgrid_store::testing::Backend;
use civicgrid_store::{backend_test, Awaiting, AwaitingFilter, CaseQuery, CreateCase, Store};
use support::*;

fn user(id: &str, role: Role, scope: &str, department: Option<&str>) -> Actor {
    Actor::User { id: id.into(), username: id.into(), role, scope: code(scope), department: department.map(Into::into) }
}

/// The readers whose scopes drive each index: the platform, a city, a county, a town, a
/// village, a department and a resident.
fn readers() -> Vec<Actor> {
    vec![
        Actor::System,
        dispatcher(),
        user("u-county", Role::DistrictDispatcher, "371002", None),
        user("u-town", Role::TownDispatcher, "371002001", None),
        worker(),
        handler(),
        user("u-r", Role::Resident, "3710", None),
    ]
}

/// Forty cases in three towns of two counties, two classes, three channels, some reported by a
/// resident, accepted, dispatched to `urban` and supervised; each answered as it ends up.
async fn history(s: &dyn Store) -> Vec<Case> {
    let cats = s.categories().await.unwrap();
    let leaf = |major: &str| cats.iter().find(|c| c.code.as_str().len() == 4 && c.code.as_str().starts_with(major)).unwrap().clone();
    let (c01, c02) = (leaf("01"), leaf("02"));
    let areas = ["371002001001", "371002001002", "371002002001", "371003001001"];
    let channels = [Channel::Hotline, Channel::GridWorker, Channel::Resident];
    let resident = user("u-r", Role::Resident, "3710", None);
    let leader = user("u-l", Role::Leader, "3710", None);
    let mut out = Vec::new();
    for i in 0..40i64 {
        let cat = if i % 3 == 0 { &c02 } else { &c01 };
        // Some callers call again; some addresses share a street; one description has LIKE's `%`.
        let description = if i == 7 { "噪音超标100%扰民".to_string() } else { format!("第{i}件") };
        let address = (i % 5 == 1).then(|| format!("幸福路{i}号"));
        let input = NewCaseInput { description, address, channel: channels[i as usize % 3], ..Default::default() };
        let mut new = NewCase::validate(input, cat, code(areas[i as usize % 4])).unwrap();
        if i % 2 == 0 {
            new.reporter_phone_enc = Some(format!("enc{i}"));
            new.reporter_phone_index = Some(format!("caller{}", i % 6));
        }
        let actor = if i % 5 == 0 { resident.clone() } else { Actor::Public };
        let now = t0() + Duration::minutes(i);
        let mut c =
            s.create_case(CreateCase { new, handling_level: cat.handling_level, actor, idempotency_key: None, now }).await.unwrap().case;
        let by = dispatcher();
        if i % 4 != 1 {
            c = s.act(c.id, &by, Command::Accept { note: None }, now).await.unwrap_or(c);
        }
        if i % 4 == 2 || i % 4 == 3 {
            c = s.act(c.id, &by, dispatch_urban(), now).await.unwrap_or(c);
        }
        if i % 7 == 0 {
            c = s.act(c.id, &leader, Command::Supervise { instruction: "限期办结".into() }, now).await.unwrap_or(c);
        }
        // Some wait for the centre: a return to review, an extension to decide.
        if i % 8 == 2 {
            c = s.act(c.id, &handler(), Command::Return { reason: "非本部门".into() }, now).await.unwrap_or(c);
        }
        if i % 8 == 3 {
            let until = now + Duration::days(20);
            c = s.act(c.id, &handler(), Command::RequestExtension { until, reason: "需协调".into() }, now).await.unwrap_or(c);
        }
        out.push(c);
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.id));
    out
}

/// The filters tried for every reader: none, one and two states, a class, two states of one
/// channel, an area, a channel with supervision, a period, the red card, a caller's phone (its
/// blind index), and a keyword (one with LIKE's `%`, which must match only itself).
fn filters() -> Vec<CaseQuery> {
    let base = CaseQuery::default();
    vec![
        base.clone(),
        CaseQuery { states: vec![CaseState::Reported], ..base.clone() },
        CaseQuery { states: vec![CaseState::Accepted, CaseState::Dispatched], ..base.clone() },
        CaseQuery { category: CategoryCode::parse("02").ok(), ..base.clone() },
        CaseQuery { states: vec![CaseState::Reported, CaseState::Dispatched], channel: Some(Channel::GridWorker), ..base.clone() },
        CaseQuery { area: Some(code("371002001")), states: vec![CaseState::Dispatched, CaseState::Reported], ..base.clone() },
        CaseQuery { area: Some(code("371002001002")), ..base.clone() },
        CaseQuery { channel: Some(Channel::Hotline), supervised: Some(true), ..base.clone() },
        CaseQuery { created_from: Some(t0() + Duration::minutes(13)), created_to: Some(t0() + Duration::minutes(31)), ..base.clone() },
        CaseQuery { card: Some((Card::Red, t0() + Duration::days(365))), ..base.clone() },
        CaseQuery { phone_index: Some("caller2".into()), ..base.clone() },
        CaseQuery { phone_index: Some("caller4".into()), states: vec![CaseState::Accepted], ..base.clone() },
        CaseQuery { text: Some("幸福路".into()), ..base.clone() },
        CaseQuery { text: Some("100%".into()), ..base.clone() },
        CaseQuery { text: Some("0%".into()), area: Some(code("371002001")), ..base.clone() },
        CaseQuery { awaiting: Some(AwaitingFilter::Any), ..base.clone() },
        CaseQuery { awaiting: Some(AwaitingFilter::Only(Awaiting::Review)), ..base.clone() },
        CaseQuery { awaiting: Some(AwaitingFilter::Only(Awaiting::Extension)), area: Some(code("371002")), ..base },
    ]
}

/// What an independent reading keeps of `all` for `q` as seen by `reader`.
fn expected(all: &[Case], reader: &Actor, q: &CaseQuery) -> Vec<uuid::Uuid> {
    all.iter()
        .filter(|c| c.visible_to(reader))
        .filter(|c| q.states.is_empty() || q.states.contains(&c.state))
        .filter(|c| q.category.as_ref().is_none_or(|k| c.report.category.as_str().starts_with(k.as_str())))
        .filter(|c| q.area.as_ref().is_none_or(|a| a.contains(c.area())))
        .filter(|c| q.channel.is_none_or(|ch| c.report.channel == ch))
        .filter(|c| q.supervised.is_none_or(|s| c.supervised == s))
        .filter(|c| q.created_from.is_none_or(|t| c.created_at >= t) && q.created_to.is_none_or(|t| c.created_at < t))
        .filter(|c| q.card.is_none_or(|(_, now)| c.deadline.as_ref().is_some_and(|d| d.paused_at.is_none() && d.due <= now)))
        .filter(|c| q.phone_index.is_none() || c.report.reporter_phone_index == q.phone_index)
        .filter(|c| {
            let review = c.state == CaseState::Returned;
            let extension = !review && c.pending_extension.is_some();
            match q.awaiting {
                None => true,
                Some(AwaitingFilter::Any) => review || c.pending_extension.is_some() || c.pending_suspension.is_some(),
                Some(AwaitingFilter::Only(Awaiting::Review)) => review,
                Some(AwaitingFilter::Only(Awaiting::Extension)) => extension,
                Some(AwaitingFilter::Only(Awaiting::Suspension)) => !review && !extension && c.pending_suspension.is_some(),
            }
        })
        .filter(|c| {
            let text = format!("{} {}", c.report.description, c.report.address.as_deref().unwrap_or(""));
            q.text.as_ref().is_none_or(|t| text.contains(t.as_str()))
        })
        .map(|c| c.id)
        .collect()
}

/// Every page of `q`, followed through its cursors; checks each page's size and order.
async fn every_page(s: &dyn Store, q: &CaseQuery) -> Vec<uuid::Uuid> {
    let mut ids = Vec::new();
    let mut q = q.clone();
    for _ in 0..200 {
        let page = s.list_cases(&q).await.unwrap();
        assert!(page.items.len() <= q.limit as usize, "a page holds at most its limit");
        ids.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => {
                assert!(q.after.is_none_or(|a| next < a), "the cursor moves down");
                q.after = Some(next);
            }
            None => return ids,
        }
    }
    panic!("the cursors never ended: {q:?}");
}

backend_test! {
    async fn every_reader_pages_through_exactly_what_the_filters_keep(b: Backend) {
        let (s, _d) = seeded(b).await;
        let all = history(s.as_ref()).await;
        assert!(all.iter().any(|c| c.state == CaseState::Dispatched) && all.iter().any(|c| c.supervised), "{b}: a varied history");
        assert!(all.iter().any(|c| c.state == CaseState::Returned) && all.iter().any(|c| c.pending_extension.is_some()), "{b}: some wait for the centre");
        let counts = s.count_awaiting(&CaseQuery::default()).await.unwrap();
        let n = |k: Awaiting| counts.iter().find(|(a, _)| *a == k).map_or(0, |(_, n)| *n);
        let want = |a| expected(&all, &Actor::System, &CaseQuery { awaiting: Some(AwaitingFilter::Only(a)), ..CaseQuery::default() }).len() as u64;
        assert_eq!((n(Awaiting::Review), n(Awaiting::Extension)), (want(Awaiting::Review), want(Awaiting::Extension)), "{b}: {counts:?}");
        for reader in readers() {
            for f in filters() {
                let want = expected(&all, &reader, &f);
                for (limit, window) in [(50, None), (3, None), (1, Some(2)), (4, Some(3))] {
                    let q = CaseQuery { visibility: reader.visibility(), limit, window, ..f.clone() };
                    let got = every_page(s.as_ref(), &q).await;
                    assert_eq!(got, want, "{b}: {reader:?} limit {limit} window {window:?} {f:?}");
                }
            }
        }
    }
}

/// SQLite walks the named index of every list, in order, without sorting what it walks
/// (before the fix, a town's queue of two states sorted every case of the town, and a card list
/// every open case with a deadline).
#[tokio::test]
async fn no_list_sorts_the_history_on_sqlite() {
    let (s, _d) = seeded(Backend::Sqlite).await;
    history(s.as_ref()).await;
    s.optimize().await.unwrap();
    for reader in readers() {
        for f in filters() {
            let q = CaseQuery { visibility: reader.visibility(), ..f.clone() };
            for plan in s.explain_list(&q).await.unwrap() {
                assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{reader:?} {f:?}:\n{plan}");
                assert!(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"), "{reader:?} {f:?}:\n{plan}");
            }
        }
    }
}

backend_test! {
    async fn cases_from_before_phones_were_indexed_are_indexed_once(b: Backend) {
        let (s, _d) = seeded(b).await;
        let cat = s.categories().await.unwrap().into_iter().find(|c| c.code.as_str().len() == 4).unwrap();
        let input = NewCaseInput { description: "老数据".into(), ..Default::default() };
        let mut new = NewCase::validate(input, &cat, code("371002001001")).unwrap();
        new.reporter_phone_enc = Some("sealed-phone".into());
        let req = CreateCase { new, handling_level: cat.handling_level, actor: Actor::Public, idempotency_key: None, now: t0() };
        let c = s.create_case(req).await.unwrap().case;
        let by_phone = CaseQuery { phone_index: Some("idx:sealed-phone".into()), ..CaseQuery::default() };
        assert!(s.list_cases(&by_phone).await.unwrap().items.is_empty(), "{b}: not indexed yet");
        let index = |enc: &str| Some(format!("idx:{enc}"));
        assert_eq!(s.index_phones(&index).await.unwrap(), 1, "{b}: only the case with a phone and no index");
        assert_eq!(s.list_cases(&by_phone).await.unwrap().items.iter().map(|c| c.id).collect::<Vec<_>>(), [c.id], "{b}");
        assert_eq!(s.index_phones(&index).await.unwrap(), 0, "{b}: once");
    }
}
