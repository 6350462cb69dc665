//! Photo records and their link to cases, on SQLite and on PostgreSQL alike.

use chrono::Duration;
use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::*;
use uuid::Uuid;

mod support;
use support::{code, dispatcher, handler, seeded, t0, worker};

/// A photo record as the server writes it after the files.
async fn photo(s: &dyn Store, uploader: Option<&str>) -> Attachment {
    let id = Uuid::new_v4();
    let a = Attachment {
        id,
        uploader_user_id: uploader.map(Into::into),
        content_type: "image/png".into(),
        bytes: 1234,
        width: 800,
        height: 600,
        sha256: "ab".repeat(32),
        path: format!("attachments/2026/11/{id}.png"),
        thumb_path: format!("attachments/2026/11/{id}.thumb.jpg"),
        created_at: t0(),
        case_id: None,
    };
    s.create_attachment(&a).await.unwrap();
    a
}

async fn report(s: &dyn Store, attachments: &[String], key: Option<&str>) -> Result<Created> {
    let cat = s.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0102").unwrap();
    let input = NewCaseInput {
        description: "垃圾桶满溢".into(),
        channel: Channel::Resident,
        attachments: attachments.to_vec(),
        ..Default::default()
    };
    let new = NewCase::validate(input, &cat, code("371002001001")).unwrap();
    s.create_case(CreateCase {
        new,
        handling_level: cat.handling_level,
        actor: Actor::Public,
        idempotency_key: key.map(Into::into),
        now: t0(),
    })
    .await
}

fn refused_field(e: &StoreError) -> (&str, String) {
    match e {
        StoreError::Domain(DomainError::InvalidField { field, reason }) => (field.as_str(), reason.clone()),
        other => panic!("expected an invalid field, got {other}"),
    }
}

async fn case_total(s: &dyn Store) -> u64 {
    s.count_by_state(&Default::default()).await.unwrap().iter().map(|(_, n)| n).sum()
}

backend_test! {
    async fn a_report_links_its_photos_and_a_photo_belongs_to_one_case(b: Backend) {
        let (s, _d) = seeded(b).await;
        let a1 = photo(s.as_ref(), None).await;
        let a2 = photo(s.as_ref(), Some("u-w")).await;
        assert_eq!(s.attachment(a1.id).await.unwrap().as_ref(), Some(&a1), "{b}: round trip");
        assert_eq!(s.attachment(a2.id).await.unwrap().unwrap().uploader_user_id.as_deref(), Some("u-w"), "{b}");
        assert!(s.attachment(Uuid::new_v4()).await.unwrap().is_none(), "{b}");

        let refs = [a1.id.to_string(), "https://example.org/p.jpg".to_string()];
        let c = report(s.as_ref(), &refs, Some("k1")).await.unwrap().case;
        assert_eq!(c.report.attachments, refs, "{b}: ids and URLs kept in the report");
        assert_eq!(s.attachment(a1.id).await.unwrap().unwrap().case_id, Some(c.id), "{b}: linked");
        assert_eq!(s.attachment(a2.id).await.unwrap().unwrap().case_id, None, "{b}: untouched");

        // A replay answers the first case without linking anything again.
        let again = report(s.as_ref(), &refs, Some("k1")).await.unwrap();
        assert!(again.replayed && again.case.id == c.id, "{b}");

        let e = report(s.as_ref(), &[a2.id.to_string(), a1.id.to_string()], None).await.unwrap_err();
        let (field, why) = refused_field(&e);
        assert_eq!(field, "attachments[1]", "{b}");
        assert!(why.contains("another case"), "{b}: {why}");
        assert_eq!(s.attachment(a2.id).await.unwrap().unwrap().case_id, None, "{b}: the refused report linked nothing");

        let e = report(s.as_ref(), &["https://example.org/x.jpg".into(), Uuid::new_v4().to_string()], None).await.unwrap_err();
        let (field, why) = refused_field(&e);
        assert_eq!(field, "attachments[1]", "{b}");
        assert!(why.starts_with("no attachment"), "{b}: {why}");
        assert_eq!(case_total(s.as_ref()).await, 1, "{b}: refused reports write no case");
    }
}

backend_test! {
    async fn actions_link_their_photos_in_their_transaction(b: Backend) {
        let (s, _d) = seeded(b).await;
        let c = report(s.as_ref(), &[], None).await.unwrap().case;
        let now = t0() + Duration::minutes(5);
        s.act(c.id, &dispatcher(), Command::Accept { note: None }, now).await.unwrap();
        let to = DispatchTarget::Department { id: "urban".into(), area: code("3710") };
        s.act(c.id, &dispatcher(), Command::Dispatch { to, instructions: None }, now).await.unwrap();
        s.act(c.id, &handler(), Command::Claim, now).await.unwrap();

        let other = report(s.as_ref(), &[], None).await.unwrap().case;
        let theirs = photo(s.as_ref(), None).await;
        s.link_attachments(other.id, &[theirs.id]).await.unwrap();
        let mine = photo(s.as_ref(), Some("u-h")).await;
        let before = s.case(c.id).await.unwrap().unwrap();
        let cmd = Command::Handle { feedback: "已清运".into(), attachments: vec![mine.id.to_string(), theirs.id.to_string()] };
        let e = s.act(c.id, &handler(), cmd, now).await.unwrap_err();
        assert_eq!(refused_field(&e).0, "attachments[1]", "{b}");
        assert_eq!(s.case(c.id).await.unwrap().unwrap(), before, "{b}: nothing changed");
        assert_eq!(s.case_events(c.id).await.unwrap().len(), 4, "{b}: no event");
        assert_eq!(s.attachment(mine.id).await.unwrap().unwrap().case_id, None, "{b}: rolled back with the action");

        let cmd = Command::Handle { feedback: "已清运".into(), attachments: vec![mine.id.to_string()] };
        let after = s.act(c.id, &handler(), cmd, now).await.unwrap();
        assert_eq!(after.state, CaseState::Handled, "{b}");
        assert_eq!(s.attachment(mine.id).await.unwrap().unwrap().case_id, Some(c.id), "{b}");

        // A grid worker closing on the spot attaches his evidence.
        let spot = report(s.as_ref(), &[], None).await.unwrap().case;
        let evidence = photo(s.as_ref(), Some("u-w")).await;
        let cmd = Command::CloseOnSpot { evidence: "已现场处置".into(), attachments: vec![evidence.id.to_string()] };
        assert_eq!(s.act(spot.id, &worker(), cmd, now).await.unwrap().state, CaseState::Closed, "{b}");
        assert_eq!(s.attachment(evidence.id).await.unwrap().unwrap().case_id, Some(spot.id), "{b}");
    }
}

backend_test! {
    async fn link_attachments_is_all_or_nothing(b: Backend) {
        let (s, _d) = seeded(b).await;
        let c = report(s.as_ref(), &[], None).await.unwrap().case;
        let a = photo(s.as_ref(), None).await;
        let e = s.link_attachments(c.id, &[a.id, Uuid::new_v4()]).await.unwrap_err();
        assert_eq!(refused_field(&e).0, "attachments[1]", "{b}");
        assert_eq!(s.attachment(a.id).await.unwrap().unwrap().case_id, None, "{b}: all or nothing");
        s.link_attachments(c.id, &[a.id]).await.unwrap();
        s.link_attachments(c.id, &[a.id]).await.expect("linking again to the same case is harmless");
        assert_eq!(s.attachment(a.id).await.unwrap().unwrap().case_id, Some(c.id), "{b}");
        assert!(matches!(s.link_attachments(Uuid::now_v7(), &[a.id]).await, Err(StoreError::NotFound(_))), "{b}");
    }
}

backend_test! {
    async fn a_bad_reference_costs_no_other_report_its_case(b: Backend) {
        let (s, _d) = seeded(b).await;
        let taken = photo(s.as_ref(), None).await;
        report(s.as_ref(), &[taken.id.to_string()], None).await.unwrap();
        let mut refs = vec![];
        for i in 0..40 {
            refs.push(if i == 17 { taken.id.to_string() } else { photo(s.as_ref(), None).await.id.to_string() });
        }
        // All at once, so that the bad one shares a group commit with good ones.
        let tasks: Vec<_> = refs
            .into_iter()
            .map(|r| {
                let s = s.clone();
                tokio::spawn(async move { report(s.as_ref(), &[r], None).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert_eq!(refused_field(&e).0, "attachments[0]", "{b}"),
            }
        }
        assert_eq!(ok, 39, "{b}: only the report with another case's photo is refused");
        assert_eq!(case_total(s.as_ref()).await, 40, "{b}");
    }
}
