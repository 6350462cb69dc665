//! 常用语 on SQLite and PostgreSQL alike: the shipped ones for everyone, shared ones under their
//! area only, a person's own for him alone, by kind, and removed.

use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::testing::fresh;

mod support;
use support::t0;

fn phrase(id: &str, kind: PhraseKind, text: &str, owner: Option<&str>, area: &str) -> Phrase {
    Phrase { id: id.into(), kind, text: text.into(), owner: owner.map(Into::into), area: area.into(), created_at: t0() }
}

backend_test! {
    async fn phrases_reach_whom_they_are_for(b: Backend) {
        let (s, _dir) = fresh(b).await;
        let town = AreaCode::parse("371002001").unwrap();
        let other = AreaCode::parse("371002002").unwrap();
        let shipped = s.phrases("u1", &town, None).await.unwrap();
        assert_eq!(shipped.len(), 10, "{b}: the shipped phrases");
        assert!(shipped.iter().all(|p| p.owner.is_none() && p.area.is_empty()), "{b}");
        assert_eq!(s.phrases("u1", &town, Some(PhraseKind::Feedback)).await.unwrap().len(), 3, "{b}");

        s.add_phrase(&phrase("town", PhraseKind::Rejection, "请补充整改前后对比照片", None, "371002001")).await.unwrap();
        s.add_phrase(&phrase("mine", PhraseKind::Rejection, "地址不详，请核实", Some("u1"), "371002001")).await.unwrap();
        s.add_phrase(&phrase("theirs", PhraseKind::Rejection, "别人的常用语", Some("u2"), "371002001")).await.unwrap();
        let texts = |v: Vec<Phrase>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
        let mine = texts(s.phrases("u1", &town, Some(PhraseKind::Rejection)).await.unwrap());
        assert_eq!(mine.last().map(String::as_str), Some("mine"), "{b}: shared first, then his own: {mine:?}");
        assert!(mine.contains(&"town".to_string()) && !mine.contains(&"theirs".to_string()), "{b}: {mine:?}");
        let elsewhere = texts(s.phrases("u3", &other, Some(PhraseKind::Rejection)).await.unwrap());
        assert!(!elsewhere.contains(&"town".to_string()), "{b}: another town does not get it: {elsewhere:?}");
        let village = AreaCode::parse("371002001001").unwrap();
        assert!(texts(s.phrases("u4", &village, None).await.unwrap()).contains(&"town".to_string()), "{b}: below the town it does");

        assert_eq!(s.own_phrases("u1").await.unwrap(), 1, "{b}");
        assert_eq!(s.phrase("mine").await.unwrap().unwrap().text, "地址不详，请核实", "{b}");
        assert!(s.remove_phrase("mine").await.unwrap(), "{b}");
        assert!(!s.remove_phrase("mine").await.unwrap(), "{b}: gone already");
        assert!(s.phrase("mine").await.unwrap().is_none(), "{b}");
    }
}
