//! Storage of Open311 client keys and service attributes, on SQLite and PostgreSQL alike.

use chrono::Duration;
use civicgrid_domain::attributes::{AttributeDef, AttributeOption, AttributeValue, Datatype};
use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::crypto::{token_hash, Cipher};
use civicgrid_store::testing::fresh;
use civicgrid_store::*;

mod support;
use support::t0;

fn attr(category: &str, code: &str, datatype: Datatype, order: i64, keys: &[&str]) -> AttributeDef {
    AttributeDef {
        category: CategoryCode::parse(category).unwrap(),
        code: code.into(),
        datatype,
        required: order == 1,
        variable: true,
        description: format!("{code}?"),
        datatype_description: (order == 2).then(|| "a hint".to_string()),
        order,
        values: keys.iter().map(|k| AttributeOption { key: (*k).into(), name: format!("选项 {k}") }).collect(),
    }
    .validate()
    .unwrap()
}

backend_test! {
    async fn api_keys_are_kept_by_hash_and_revocable(b: Backend) {
        let (s, _d) = fresh(b).await;
        let new = |key: &str, client: &str, area: Option<&str>| NewApiKey {
            key_hash: token_hash(key),
            client: client.into(),
            channel: Channel::Open311,
            area: area.map(|a| AreaCode::parse(a).unwrap()),
        };
        let k1 = s.create_api_key(&new("key-one", "fixmystreet", Some("371002")), t0()).await.unwrap();
        let k2 = s.create_api_key(&new("key-two", "fixmystreet", None), t0()).await.unwrap();
        let k3 = s.create_api_key(&new("key-three", "dashboard", None), t0()).await.unwrap();
        assert!(k1.id < k2.id && k2.id < k3.id, "{b}");
        let dup = s.create_api_key(&new("key-one", "other", None), t0()).await.unwrap_err();
        assert!(matches!(dup, StoreError::Duplicate { .. }), "{b}: {dup}");

        let got = s.api_key(&token_hash("key-one")).await.unwrap().unwrap();
        assert_eq!(got, k1, "{b}");
        assert_eq!(got.area.as_ref().map(|a| a.as_str()), Some("371002"));
        assert_eq!(got.channel, Channel::Open311);
        assert!(got.is_live());
        assert!(s.api_key("key-one").await.unwrap().is_none(), "{b}: looked up by hash only");

        let later = t0() + Duration::hours(1);
        assert_eq!(s.revoke_api_keys(&KeySelector::Id(k1.id), later).await.unwrap(), 1, "{b}");
        assert_eq!(s.revoke_api_keys(&KeySelector::Id(k1.id), later).await.unwrap(), 0, "{b}: already revoked");
        let revoked = s.api_key(&token_hash("key-one")).await.unwrap().unwrap();
        assert_eq!(revoked.revoked_at, Some(later), "{b}");
        assert!(!revoked.is_live());
        assert_eq!(s.revoke_api_keys(&KeySelector::Client("fixmystreet".into()), later).await.unwrap(), 1, "{b}: only k2 was live");
        assert_eq!(s.revoke_api_keys(&KeySelector::Hash(token_hash("key-three")), later).await.unwrap(), 1, "{b}");
        let all = s.api_keys().await.unwrap();
        assert_eq!(all.len(), 3, "{b}: revoked keys stay for the record");
        assert!(all.iter().all(|k| !k.is_live()), "{b}");
    }
}

backend_test! {
    async fn category_attributes_put_list_replace_delete(b: Backend) {
        let (s, _d) = fresh(b).await;
        let cat = CategoryCode::parse("0102").unwrap();
        s.put_category_attribute(&attr("0102", "size", Datatype::Singlevaluelist, 1, &["small", "large"])).await.unwrap();
        s.put_category_attribute(&attr("0102", "count", Datatype::Number, 2, &[])).await.unwrap();
        s.put_category_attribute(&attr("0301", "kinds", Datatype::Multivaluelist, 1, &["a", "b"])).await.unwrap();

        let mine = s.category_attributes(Some(&cat)).await.unwrap();
        let codes: Vec<_> = mine.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["size", "count"], "{b}: by order");
        assert_eq!(mine[0], attr("0102", "size", Datatype::Singlevaluelist, 1, &["small", "large"]), "{b}: round trip");
        assert_eq!(mine[1].datatype_description.as_deref(), Some("a hint"));
        assert!(mine[0].required && !mine[1].required);
        assert_eq!(s.category_attributes(None).await.unwrap().len(), 3, "{b}");

        // Putting again replaces.
        let moved = AttributeDef { order: 9, required: false, ..mine[0].clone() };
        s.put_category_attribute(&moved).await.unwrap();
        let mine = s.category_attributes(Some(&cat)).await.unwrap();
        assert_eq!(mine.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["count", "size"], "{b}");
        assert_eq!(mine[1], moved);

        assert!(s.delete_category_attribute(&cat, "size").await.unwrap(), "{b}");
        assert!(!s.delete_category_attribute(&cat, "size").await.unwrap(), "{b}");
        assert_eq!(s.category_attributes(Some(&cat)).await.unwrap().len(), 1, "{b}");
    }
}

backend_test! {
    async fn reports_keep_attributes_and_encrypted_contact(b: Backend) {
        let (s, _d) = fresh(b).await;
        seed::seed_reference(s.as_ref()).await.unwrap();
        let cat = s.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0102").unwrap();
        let input = NewCaseInput { description: "垃圾桶满溢".into(), channel: Channel::Open311, ..Default::default() };
        let mut new = NewCase::validate(input, &cat, AreaCode::parse("371002001001").unwrap()).unwrap();
        let mut answers = attributes::AttributeValues::new();
        answers.insert("size".into(), AttributeValue::One("large".into()));
        new.attributes = Some(answers.clone());
        let cipher = Cipher::from_bytes([3; 32]);
        new.reporter_contact_enc = Some(cipher.encrypt(r#"{"email":"a@example.org"}"#));
        let c = s
            .create_case(CreateCase { new, handling_level: cat.handling_level, actor: Actor::Public, idempotency_key: None, now: t0() })
            .await
            .unwrap()
            .case;
        let back = s.case(c.id).await.unwrap().unwrap();
        assert_eq!(back.report.attributes, Some(answers), "{b}");
        assert_eq!(back.report.channel, Channel::Open311);
        let enc = back.report.reporter_contact_enc.clone().unwrap();
        assert!(!enc.contains("example.org"), "{b}: stored encrypted");
        assert_eq!(cipher.decrypt(&enc).unwrap(), r#"{"email":"a@example.org"}"#);
        let events = s.case_events(c.id).await.unwrap();
        assert_eq!(Case::from_events(&events).unwrap(), back, "{b}: the log keeps them too");
    }
}

#[test]
fn old_reports_without_the_new_fields_still_parse() {
    let old = r#"{"title":"t","description":"d","category":"0102","priority":"normal","channel":"hotline",
        "area":"371002001001","location":null,"address":null}"#;
    let n: NewCase = serde_json::from_str(old).unwrap();
    assert!(n.attributes.is_none() && n.reporter_contact_enc.is_none());
    let again = serde_json::to_value(&n).unwrap();
    assert!(again.get("attributes").is_none() && again.get("reporter_contact_enc").is_none(), "absent stays absent");
}
