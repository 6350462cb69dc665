//! Open311 GeoReport v2 end to end (router in process, real store), on SQLite and PostgreSQL.
//! Every JSON answer is validated against the official schemas in `fixtures/open311/`; every
//! XML answer is parsed and checked field by field.

use civicgrid_store::backend_test;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use civicgrid_domain::attributes::{AttributeDef, AttributeOption, AttributeValue, Datatype};
use civicgrid_domain::{AreaCode, CategoryCode, Channel, Role};
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::{token_hash, Cipher};
use civicgrid_store::{KeySelector, NewApiKey, Store};
use quick_xml::events::Event;
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

mod support;

const A: &str = "371002001001";
const KEY: &str = "test-open311-key";
const AREA_KEY: &str = "area-open311-key";
const REVOKED: &str = "revoked-open311-key";

// ---------------------------------------------------------------- schemas

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/open311/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A list schema with its `"$ref": "item.json"` replaced by the item schema itself.
fn list_schema(list: &str, item: &str) -> Value {
    let mut s = fixture(list);
    assert_eq!(s["items"]["$ref"], item, "the fixture refers to {item}");
    s["items"] = fixture(item);
    s
}

struct Schemas {
    services: jsonschema::Validator,
    definition: jsonschema::Validator,
    requests: jsonschema::Validator,
}

fn schemas() -> &'static Schemas {
    static S: OnceLock<Schemas> = OnceLock::new();
    S.get_or_init(|| {
        let build = |s: Value| jsonschema::options().should_validate_formats(true).build(&s).unwrap();
        Schemas {
            services: build(list_schema("services.json", "service.json")),
            definition: build(fixture("service-definition.json")),
            requests: build(list_schema("requests.json", "request.json")),
        }
    })
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not match its schema: {errors:#?}\n{doc:#}");
}

// ---------------------------------------------------------------- XML

#[derive(Debug, Default)]
struct El {
    name: String,
    text: String,
    children: Vec<El>,
}

impl El {
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn child(&self, name: &str) -> &El {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "<{}> should hold one <{name}>: {self:#?}", self.name);
        found[0]
    }
    fn text_of(&self, name: &str) -> &str {
        &self.child(name).text
    }
}

fn parse_xml(s: &str) -> El {
    assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{s}");
    let mut r = quick_xml::Reader::from_str(s);
    let mut stack = vec![El::default()];
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => stack.push(El { name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(), ..Default::default() }),
            Event::Empty(e) => {
                let el = El { name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(), ..Default::default() };
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.unescape().unwrap()),
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert!(stack.is_empty() && doc.children.len() == 1, "one root element");
    doc.children.pop().unwrap()
}

// ---------------------------------------------------------------- harness

struct Api {
    app: axum::Router,
    store: Arc<dyn Store>,
    cipher: Cipher,
    _dir: Option<tempfile::TempDir>,
}

struct Res {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Res {
    fn json(&self) -> Value {
        assert!(self.content_type.starts_with("application/json"), "{}: {}", self.content_type, self.text);
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
    fn xml(&self) -> El {
        assert!(self.content_type.starts_with("text/xml"), "{}: {}", self.content_type, self.text);
        parse_xml(&self.text)
    }
    /// The one error of a GeoReport error answer, checked in the answer's format.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        if self.content_type.starts_with("text/xml") {
            let x = self.xml();
            assert_eq!(x.name, "errors");
            let e = x.child("error");
            assert_eq!(e.text_of("code"), status.to_string());
            return e.text_of("description").to_string();
        }
        let v = self.json();
        let list = v.as_array().expect("errors are a JSON array");
        assert_eq!(list.len(), 1, "{v}");
        assert_eq!(list[0]["code"], status, "{v}");
        list[0]["description"].as_str().unwrap().to_string()
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

fn attr(code: &str, datatype: Datatype, required: bool, order: i64, keys: &[(&str, &str)]) -> AttributeDef {
    AttributeDef {
        category: CategoryCode::parse("0102").unwrap(),
        code: code.into(),
        datatype,
        required,
        variable: true,
        description: format!("{code}?"),
        datatype_description: None,
        order,
        values: keys.iter().map(|(k, n)| AttributeOption { key: (*k).into(), name: (*n).into() }).collect(),
    }
    .validate()
    .unwrap()
}

impl Api {
    async fn new(backend: civicgrid_store::testing::Backend) -> Api {
        let accounts = [("dispatcher", Role::DistrictDispatcher, "3710", None), ("handler", Role::DepartmentHandler, "3710", Some("urban"))];
        let (store, dir) = support::seeded_store(backend, &accounts).await;
        let now = chrono::Utc::now();
        for (key, area) in [(KEY, None), (AREA_KEY, Some("371002001")), (REVOKED, None)] {
            let k = NewApiKey { key_hash: token_hash(key), client: key.into(), channel: Channel::Open311, area: area.map(|a| AreaCode::parse(a).unwrap()) };
            store.create_api_key(&k, now).await.unwrap();
        }
        store.revoke_api_keys(&KeySelector::Hash(token_hash(REVOKED)), now).await.unwrap();
        store.put_category_attribute(&attr("size", Datatype::Singlevaluelist, true, 1, &[("small", "一桶"), ("large", "多桶")])).await.unwrap();
        store.put_category_attribute(&attr("kinds", Datatype::Multivaluelist, false, 2, &[("food", "厨余"), ("bulky", "大件")])).await.unwrap();
        store.put_category_attribute(&attr("count", Datatype::Number, false, 3, &[])).await.unwrap();
        let cipher = Cipher::from_bytes([9; 32]);
        let state = AppState::new(store.clone(), cipher.clone(), ServerConfig::default());
        Api { app: router(state), store, cipher, _dir: dir }
    }

    async fn call(&self, method: &str, uri: &str, ctype: Option<&str>, body: String, bearer: Option<&str>) -> Res {
        let mut req = Request::builder().method(method).uri(uri).header("host", "city.example");
        if let Some(c) = ctype {
            req = req.header("content-type", c);
        }
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let content_type = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        Res { status, content_type, text: String::from_utf8(bytes.to_vec()).unwrap() }
    }

    async fn get(&self, uri: &str) -> Res {
        self.call("GET", uri, None, String::new(), None).await
    }

    async fn post(&self, uri: &str, pairs: &[(&str, &str)]) -> Res {
        self.call("POST", uri, Some("application/x-www-form-urlencoded"), form(pairs), None).await
    }

    async fn json_api(&self, method: &str, uri: &str, bearer: Option<&str>, body: Value) -> Value {
        let r = self.call(method, uri, Some("application/json"), body.to_string(), bearer).await;
        assert!(r.status.is_success(), "{uri}: {} {}", r.status, r.text);
        serde_json::from_str(&r.text).unwrap()
    }

    async fn login(&self, user: &str) -> String {
        let v = self.json_api("POST", "/api/v1/session", None, json!({"username": user, "password": "civicgrid"})).await;
        v["token"].as_str().unwrap().to_string()
    }

    async fn requests(&self, query: &str) -> Value {
        let r = self.get(&format!("/open311/v2/requests.json{query}")).await;
        assert_eq!(r.status, 200, "{query}: {}", r.text);
        let v = r.json();
        assert_valid(&schemas().requests, &v, &format!("GET requests.json{query}"));
        v
    }
}

/// A complete valid POST, to vary.
fn full_post() -> Vec<(&'static str, &'static str)> {
    vec![
        ("api_key", KEY),
        ("service_code", "0102"),
        ("lat", "37.51"),
        ("long", "122.12"),
        ("address_string", "环翠区 新威路 12 号门口"),
        ("address_id", A),
        ("description", "小区门口垃圾桶满溢 <三天>"),
        ("media_url", "https://photos.example.org/p/1.jpg"),
        ("attribute[size]", "large"),
        ("attribute[kinds][]", "food"),
        ("attribute[kinds][]", "bulky"),
        ("attribute[count]", "3"),
        ("email", "li.lei@example.org"),
        ("phone", "13800138000"),
        ("first_name", "雷"),
        ("last_name", "李"),
        ("device_id", "device-42"),
    ]
}

fn without(mut pairs: Vec<(&'static str, &'static str)>, key: &str) -> Vec<(&'static str, &'static str)> {
    pairs.retain(|(k, _)| *k != key);
    pairs
}

fn with(mut pairs: Vec<(&'static str, &'static str)>, key: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    pairs.retain(|(k, _)| *k != key);
    pairs.push((key, value));
    pairs
}

// ---------------------------------------------------------------- tests

backend_test! {
    async fn discovery_services_and_definitions(b: Backend) {
        let api = Api::new(b).await;

        let r = api.get("/open311/v2/discovery.json").await;
        assert_eq!(r.status, 200, "{b}");
        let d = r.json();
        let ep = &d["endpoints"][0];
        assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
        assert_eq!(ep["url"], "http://city.example/open311/v2");
        assert_eq!(ep["formats"], json!(["text/xml", "application/json"]));
        assert!(chrono::DateTime::parse_from_rfc3339(d["changeset"].as_str().unwrap()).is_ok());
        let x = api.get("/open311/v2/discovery.xml").await.xml();
        assert_eq!(x.name, "discovery");
        let ep = x.child("endpoints").child("endpoint");
        assert_eq!(ep.text_of("url"), "http://city.example/open311/v2");
        let formats: Vec<_> = ep.child("formats").all("format").iter().map(|f| f.text.clone()).collect();
        assert_eq!(formats, ["text/xml", "application/json"]);

        let r = api.get("/open311/v2/services.json").await;
        assert_eq!(r.status, 200, "{b}");
        let services = r.json();
        assert_valid(&schemas().services, &services, "services.json");
        let list = services.as_array().unwrap();
        assert!(list.len() >= 40, "{b}: every leaf category is a service");
        let bins = list.iter().find(|s| s["service_code"] == "0102").unwrap();
        assert_eq!(bins["service_name"], "暴露垃圾");
        assert_eq!(bins["metadata"], true, "0102 has attributes");
        assert_eq!(bins["type"], "realtime");
        assert!(bins["group"].is_string());
        let other = list.iter().find(|s| s["service_code"] == "0101").unwrap();
        assert_eq!(other["metadata"], false);
        assert!(!list.iter().any(|s| s["service_code"] == "01"), "main classes are groups, not services");

        let x = api.get("/open311/v2/services.xml").await.xml();
        assert_eq!(x.name, "services");
        let xs = x.all("service");
        assert_eq!(xs.len(), list.len(), "{b}: the same services in XML");
        let xb = xs.iter().find(|s| s.text_of("service_code") == "0102").unwrap();
        assert_eq!(xb.text_of("service_name"), "暴露垃圾");
        assert_eq!(xb.text_of("metadata"), "true");
        assert_eq!(xb.text_of("type"), "realtime");
        assert_eq!(xb.text_of("group"), bins["group"].as_str().unwrap());
        assert_eq!(xb.text_of("description"), bins["description"].as_str().unwrap());

        let r = api.get("/open311/v2/services/0102.json").await;
        assert_eq!(r.status, 200, "{b}: {}", r.text);
        let def = r.json();
        assert_valid(&schemas().definition, &def, "services/0102.json");
        assert_eq!(def["service_code"], "0102");
        let attrs = def["attributes"].as_array().unwrap();
        let codes: Vec<_> = attrs.iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["size", "kinds", "count"], "{b}: in order");
        assert_eq!(attrs[0]["datatype"], "singlevaluelist");
        assert_eq!(attrs[0]["required"], true);
        assert_eq!(attrs[0]["variable"], true);
        assert_eq!(attrs[0]["order"], 1);
        assert_eq!(attrs[0]["values"], json!([{"key": "small", "name": "一桶"}, {"key": "large", "name": "多桶"}]));
        assert_eq!(attrs[2]["datatype"], "number");

        let x = api.get("/open311/v2/services/0102.xml").await.xml();
        assert_eq!(x.name, "service_definition");
        assert_eq!(x.text_of("service_code"), "0102");
        let xa = x.child("attributes").all("attribute");
        assert_eq!(xa.len(), 3);
        assert_eq!(xa[0].text_of("code"), "size");
        assert_eq!(xa[0].text_of("datatype"), "singlevaluelist");
        assert_eq!(xa[0].text_of("required"), "true");
        assert_eq!(xa[0].text_of("variable"), "true");
        assert_eq!(xa[0].text_of("order"), "1");
        assert_eq!(xa[0].text_of("description"), "size?");
        let values = xa[0].child("values").all("value");
        assert_eq!((values[1].text_of("key"), values[1].text_of("name")), ("large", "多桶"));
        assert_eq!(xa[0].text_of("datatype_description"), "", "null is an empty element");

        let def = api.get("/open311/v2/services/0101.json").await.json();
        assert_valid(&schemas().definition, &def, "services/0101.json");
        assert_eq!(def["attributes"], json!([]));

        assert!(api.get("/open311/v2/services/9999.json").await.error(404).contains("9999"));
        assert!(api.get("/open311/v2/services/01.xml").await.error(404).contains("01"), "a group is no service");
        api.get("/open311/v2/services/0102.csv").await.error(404);
        api.get("/open311/v2/nothing.json").await.error(404);
        assert!(api.get("/open311/v2/services.json?jurisdiction_id=9999").await.error(404).contains("jurisdiction_id"));
        assert_eq!(api.get("/open311/v2/services.json?jurisdiction_id=3710").await.status, 200);
    }
}

backend_test! {
    async fn post_token_request_and_the_dispatchers_queue(b: Backend) {
        let api = Api::new(b).await;
        let r = api.post("/open311/v2/requests.json", &full_post()).await;
        assert_eq!(r.status, 200, "{b}: {}", r.text);
        let posted = r.json();
        let posted = &posted.as_array().unwrap()[0];
        let id = posted["service_request_id"].as_str().unwrap().to_string();
        let token = posted["token"].as_str().unwrap().to_string();
        assert!(posted.get("account_id").is_some() && posted.get("service_notice").is_some());

        // The token resolves at once.
        let t = api.get(&format!("/open311/v2/tokens/{token}.json")).await.json();
        assert_eq!(t, json!([{"service_request_id": id, "token": token}]), "{b}");
        let tx = api.get(&format!("/open311/v2/tokens/{token}.xml")).await.xml();
        assert_eq!(tx.name, "service_requests");
        assert_eq!(tx.child("request").text_of("service_request_id"), id);
        assert_eq!(tx.child("request").text_of("token"), token);

        // The request by id.
        let r = api.get(&format!("/open311/v2/requests/{id}.json")).await;
        assert_eq!(r.status, 200, "{b}: {}", r.text);
        for secret in ["li.lei@example.org", "13800138000", "雷", "device-42", "reporter_contact_enc", "phone"] {
            assert!(!r.text.contains(secret), "{b}: `{secret}` leaked: {}", r.text);
        }
        let v = r.json();
        assert_valid(&schemas().requests, &v, "requests/{id}.json");
        let req = &v[0];
        assert_eq!(req["service_request_id"], id.as_str());
        assert_eq!(req["status"], "open");
        assert_eq!(req["service_code"], "0102");
        assert_eq!(req["service_name"], "暴露垃圾");
        assert_eq!(req["description"], "小区门口垃圾桶满溢 <三天>");
        assert_eq!(req["address"], "环翠区 新威路 12 号门口");
        assert_eq!(req["address_id"], A);
        assert_eq!(req["lat"], 37.51);
        assert_eq!(req["long"], 122.12);
        assert_eq!(req["media_url"], "https://photos.example.org/p/1.jpg");
        assert_eq!(req["agency_responsible"], Value::Null);
        // The accept step's deadline, in China time like every datetime here.
        let expected = req["expected_datetime"].as_str().expect("a running step has a deadline");
        assert!(expected.ends_with("+08:00") && expected > req["requested_datetime"].as_str().unwrap(), "{expected}");
        assert!(req["status_notes"].as_str().unwrap().starts_with("Reported"));
        let requested = req["requested_datetime"].as_str().unwrap();
        assert!(requested.ends_with("+08:00"), "{requested}");

        let x = api.get(&format!("/open311/v2/requests/{id}.xml")).await.xml();
        assert_eq!(x.name, "service_requests");
        let xr = x.child("request");
        for field in ["service_request_id", "status", "service_code", "service_name", "description", "address", "address_id", "media_url", "requested_datetime", "updated_datetime", "status_notes"] {
            assert_eq!(xr.text_of(field), req[field].as_str().unwrap(), "{b}: <{field}>");
        }
        assert_eq!(xr.text_of("lat").parse::<f64>().unwrap(), 37.51);
        assert_eq!(xr.text_of("long").parse::<f64>().unwrap(), 122.12);
        assert_eq!(xr.text_of("expected_datetime"), expected);
        assert_eq!(xr.text_of("agency_responsible"), "");

        // Stored: channel, attributes, personal data only encrypted.
        let case = api.store.case(token.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(case.report.channel, Channel::Open311);
        let attrs = case.report.attributes.clone().unwrap();
        assert_eq!(attrs["size"], AttributeValue::One("large".into()));
        assert_eq!(attrs["kinds"], AttributeValue::Many(vec!["food".into(), "bulky".into()]));
        assert_eq!(attrs["count"], AttributeValue::One("3".into()));
        assert_eq!(case.report.reporter_phone_masked.as_deref(), Some("138****8000"));
        assert_eq!(api.cipher.decrypt(case.report.reporter_phone_enc.as_ref().unwrap()).unwrap(), "13800138000");
        let contact: Value = serde_json::from_str(&api.cipher.decrypt(case.report.reporter_contact_enc.as_ref().unwrap()).unwrap()).unwrap();
        assert_eq!(contact, json!({"email": "li.lei@example.org", "first_name": "雷", "last_name": "李", "device_id": "device-42"}));
        let stored = serde_json::to_string(&case).unwrap();
        assert!(!stored.contains("li.lei") && !stored.contains("device-42"), "{b}: stored encrypted");

        // The dispatcher sees it in his queue, by the open311 channel.
        let dispatcher = api.login("dispatcher").await;
        let queue = api.json_api("GET", "/api/v1/cases?channel=open311", Some(&dispatcher), Value::Null).await;
        let items = queue["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{b}: {queue}");
        assert_eq!(items[0]["code"], id.as_str());
        assert_eq!(items[0]["channel"], "open311");
        assert_eq!(items[0]["state"], "reported");
        let all = api.json_api("GET", "/api/v1/cases", Some(&dispatcher), Value::Null).await;
        assert!(all["items"].as_array().unwrap().iter().any(|c| c["code"] == id.as_str() && c["channel"] == "open311"));

        // Lists and their filters.
        let listed = api.requests("").await;
        assert_eq!(listed.as_array().unwrap().len(), 1, "{b}");
        assert_eq!(listed[0]["service_request_id"], id.as_str());
        assert_eq!(api.requests("?status=closed").await, json!([]));
        assert_eq!(api.requests("?status=open,closed").await.as_array().unwrap().len(), 1);
        assert_eq!(api.requests("?service_code=0101").await, json!([]));
        assert_eq!(api.requests("?service_code=0101,0102&status=open").await.as_array().unwrap().len(), 1);
        assert_eq!(api.requests(&format!("?service_request_id={id},20200101000001&status=closed")).await.as_array().unwrap().len(), 1, "ids override the other filters");
        assert_eq!(api.requests("?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B08:00").await, json!([]));
        assert_eq!(api.requests("?jurisdiction_id=371003").await, json!([]), "another district");
        assert_eq!(api.requests("?jurisdiction_id=3710").await.as_array().unwrap().len(), 1);
        let xl = api.get("/open311/v2/requests.xml?status=open").await.xml();
        assert_eq!(xl.all("request").len(), 1);
        api.get("/open311/v2/requests.json?status=pending").await.error(400);
        api.get("/open311/v2/requests.json?start_date=yesterday").await.error(400);
        assert!(api.get("/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z").await.error(400).contains("90"));

        // Work on the case shows in status, notes and agency.
        let case_id = token.as_str();
        api.json_api("POST", &format!("/api/v1/cases/{case_id}/actions/accept"), Some(&dispatcher), json!({})).await;
        api.json_api("POST", &format!("/api/v1/cases/{case_id}/actions/dispatch"), Some(&dispatcher), json!({"department": "urban"})).await;
        let v = api.requests(&format!("?service_request_id={id}")).await;
        assert_eq!(v[0]["agency_responsible"], "综合行政执法局", "{b}");
        assert_eq!(v[0]["status_notes"], "Dispatched to 综合行政执法局.");
        let handler = api.login("handler").await;
        api.json_api("POST", &format!("/api/v1/cases/{case_id}/actions/claim"), Some(&handler), json!({})).await;
        api.json_api("POST", &format!("/api/v1/cases/{case_id}/actions/handle"), Some(&handler), json!({"feedback": "已清运"})).await;
        api.json_api("POST", &format!("/api/v1/cases/{case_id}/actions/verify"), Some(&dispatcher), json!({"passed": true})).await;
        let v = api.requests("?status=closed").await;
        assert_eq!(v.as_array().unwrap().len(), 1, "{b}");
        assert_eq!(v[0]["status"], "closed");
        assert_eq!(v[0]["status_notes"], "Checked and closed.");
        assert_eq!(api.requests("?status=open").await, json!([]));
    }
}

backend_test! {
    async fn posting_in_xml_and_minimal_requests(b: Backend) {
        let api = Api::new(b).await;
        // XML answer; only the key, the service, a location and the required attribute. The
        // area comes from the key's default area.
        let r = api
            .post("/open311/v2/requests.xml", &[("api_key", AREA_KEY), ("service_code", "0102"), ("lat", "37.5"), ("long", "122.1"), ("attribute[size]", "small")])
            .await;
        assert_eq!(r.status, 200, "{b}: {}", r.text);
        let x = r.xml();
        assert_eq!(x.name, "service_requests");
        let req = x.child("request");
        let id = req.text_of("service_request_id").to_string();
        assert_eq!(req.text_of("account_id"), "");
        let v = api.requests(&format!("?service_request_id={id}")).await;
        assert_eq!(v[0]["address_id"], "371002001", "{b}: the key's area");
        assert_eq!(v[0]["description"], "暴露垃圾", "the service's name stands in for a missing description");
        assert_eq!(v[0]["media_url"], Value::Null);
        assert_eq!(v[0]["address"], Value::Null);

        // api_key may come in the query string too; address_id alone is a location.
        let r = api.post(&format!("/open311/v2/requests.json?api_key={KEY}"), &[("service_code", "0101"), ("address_id", A)]).await;
        assert_eq!(r.status, 200, "{b}: {}", r.text);

        // Cases from other channels are not Open311 requests.
        let other = api
            .json_api("POST", "/api/v1/cases", None, json!({"category": "0102", "description": "另一个", "area": A}))
            .await;
        api.get(&format!("/open311/v2/requests/{}.json", other["code"].as_str().unwrap())).await.error(404);
        api.get(&format!("/open311/v2/tokens/{}.json", other["id"].as_str().unwrap())).await.error(404);
        assert_eq!(api.requests("").await.as_array().unwrap().len(), 2, "{b}");
    }
}

backend_test! {
    async fn every_error_case(b: Backend) {
        let api = Api::new(b).await;
        let before = api.store.count_by_state(&Default::default()).await.unwrap().len();
        let p = "/open311/v2/requests.json";

        assert!(api.post(p, &without(full_post(), "api_key")).await.error(403).contains("api_key"), "{b}: missing key");
        assert!(api.post("/open311/v2/requests.xml", &without(full_post(), "api_key")).await.error(403).contains("api_key"), "{b}: XML error");
        assert!(api.post(p, &with(full_post(), "api_key", "wrong")).await.error(403).contains("not valid"), "{b}");
        assert!(api.post(p, &with(full_post(), "api_key", REVOKED)).await.error(403).contains("revoked"), "{b}");
        assert!(api.post(p, &with(full_post(), "service_code", "9999")).await.error(404).contains("9999"), "{b}: unknown service");
        assert!(api.post(p, &without(full_post(), "service_code")).await.error(400).contains("service_code"));
        assert!(api.post(p, &without(full_post(), "attribute[size]")).await.error(400).contains("attribute[size]"), "{b}: required attribute");
        assert!(api.post(p, &with(full_post(), "attribute[size]", "huge")).await.error(400).contains("attribute[size]"));
        assert!(api.post(p, &with(full_post(), "attribute[count]", "many")).await.error(400).contains("attribute[count]"));
        assert!(api.post(p, &with(full_post(), "attribute[colour]", "red")).await.error(400).contains("attribute[colour]"), "unknown attribute");
        assert!(api.post(p, &with(full_post(), "lat", "north")).await.error(400).contains("lat"), "{b}: bad lat");
        assert!(api.post(p, &with(full_post(), "lat", "95")).await.error(400).contains("lat"), "{b}: lat off the map");
        assert!(api.post(p, &with(full_post(), "long", "-122.4")).await.error(400).contains("long"), "{b}: outside China");
        assert!(api.post(p, &without(full_post(), "long")).await.error(400).contains("together"));
        let nowhere = without(without(without(without(full_post(), "lat"), "long"), "address_string"), "address_id");
        assert!(api.post(p, &nowhere).await.error(400).contains("location"));
        assert!(api.post(p, &without(full_post(), "address_id")).await.error(400).contains("address_id"), "no area to file it under");
        assert!(api.post(p, &with(full_post(), "address_id", "999999")).await.error(400).contains("address_id"));
        let outside = with(with(full_post(), "api_key", AREA_KEY), "address_id", "371003");
        assert!(api.post(p, &outside).await.error(400).contains("outside"), "{b}: outside the key's area");
        assert!(api.post(p, &with(full_post(), "jurisdiction_id", "9999")).await.error(404).contains("jurisdiction_id"));
        assert!(api.post(p, &with(full_post(), "jurisdiction_id", "3703")).await.error(400).contains("outside"));
        assert!(api.post(p, &with(full_post(), "media_url", "ftp://x/y.jpg")).await.error(400).contains("media_url"));
        assert!(api.post(p, &with(full_post(), "email", "nobody")).await.error(400).contains("email"));
        let long = "很".repeat(4001);
        let long: &'static str = Box::leak(long.into_boxed_str());
        assert!(api.post(p, &with(full_post(), "description", long)).await.error(400).contains("description"));
        let r = api.call("POST", p, Some("application/json"), json!({"api_key": KEY}).to_string(), None).await;
        r.error(400);

        api.get("/open311/v2/requests/20200101000001.json").await.error(404);
        api.get("/open311/v2/requests/not-a-code.xml").await.error(404);
        api.get(&format!("/open311/v2/tokens/{}.json", uuid::Uuid::now_v7())).await.error(404);
        api.get("/open311/v2/tokens/nope.xml").await.error(404);
        assert_eq!(api.store.count_by_state(&Default::default()).await.unwrap().len(), before, "{b}: nothing was written");
        assert_eq!(api.requests("").await, json!([]));
    }
}

#[test]
fn the_schemas_refuse_broken_answers() {
    let good = json!([{"service_request_id": "1", "status": "open", "service_code": "0102", "requested_datetime": "2026-11-23T09:00:00+08:00"}]);
    assert!(schemas().requests.is_valid(&good));
    let mut bad = good.clone();
    bad[0].as_object_mut().unwrap().remove("service_request_id");
    assert!(!schemas().requests.is_valid(&bad), "required field");
    let mut bad = good.clone();
    bad[0]["status"] = json!("pending");
    assert!(!schemas().requests.is_valid(&bad), "status enum");
    let mut bad = good;
    bad[0]["requested_datetime"] = json!("2026-11-23 09:00");
    assert!(!schemas().requests.is_valid(&bad), "date-time format");
    assert!(!schemas().services.is_valid(&json!([{"service_code": "0102", "service_name": "x", "metadata": "no", "type": "realtime"}])));
    assert!(!schemas().definition.is_valid(&json!({"service_code": "0102", "attributes": [{"code": "x", "datatype": "list", "required": true, "variable": true}]})));
}

backend_test! {
    async fn conformance_findings_of_the_security_review(b: Backend) {
        let api = Api::new(b).await;
        let p = "/open311/v2/requests.json";
        // A point in Beijing, or an address there, is not this city's to file.
        let beijing = with(with(without(full_post(), "address_id"), "lat", "39.90"), "long", "116.40");
        assert!(api.post(p, &without(beijing, "address_string")).await.error(400).contains("outside every area"), "{b}: a point far away");
        let far = with(without(without(without(full_post(), "address_id"), "lat"), "long"), "address_string", "北京市朝阳区建国路1号");
        assert_eq!(api.post(p, &far).await.status, 400, "{b}: an address far away");
        // Lookups honour jurisdiction_id.
        let made = api.post(p, &full_post()).await;
        assert_eq!(made.status, 200, "{b}: {}", made.text);
        let made = made.json();
        let (code, token) = (made[0]["service_request_id"].as_str().unwrap().to_string(), made[0]["token"].as_str().unwrap().to_string());
        assert_eq!(api.get(&format!("/open311/v2/requests/{code}.json?jurisdiction_id=3703")).await.status, 404, "{b}: another city's jurisdiction");
        assert_eq!(api.get(&format!("/open311/v2/tokens/{token}.json?jurisdiction_id=3703")).await.status, 404, "{b}");
        assert_eq!(api.get(&format!("/open311/v2/tokens/{token}.json?jurisdiction_id=3710")).await.status, 200, "{b}");
        let one = api.get(&format!("/open311/v2/requests/{code}.json?jurisdiction_id=3710")).await;
        assert_eq!(one.status, 200, "{b}");
        // expected_datetime: when handling is due, counted on through the steps ahead, not the acceptance's deadline.
        let expected = chrono::DateTime::parse_from_rfc3339(one.json()[0]["expected_datetime"].as_str().unwrap()).unwrap();
        let case = api.store.case(uuid::Uuid::parse_str(&token).unwrap()).await.unwrap().unwrap();
        assert!(expected > case.deadline.unwrap().due, "{b}: {expected} is after the acceptance's deadline");
        // A method a resource does not take answers 405 with the error document, in its format.
        let r = api.call("PUT", p, None, String::new(), None).await;
        assert_eq!(r.status, 405, "{b}");
        assert!(r.json()[0]["code"] == 405 && r.json()[0]["description"].as_str().is_some_and(|d| d.contains("method")), "{b}: {}", r.text);
        let r = api.call("DELETE", "/open311/v2/requests.xml", None, String::new(), None).await;
        assert!(r.status == 405 && r.text.contains("<errors>"), "{b}: {}", r.text);
        // W3C-DTF dates: a date alone is its first moment.
        for start in ["2026-11-01", "2026-11", "2026"] {
            assert_eq!(api.get(&format!("/open311/v2/requests.json?start_date={start}")).await.status, 200, "{b}: start_date={start}");
        }
    }
}
