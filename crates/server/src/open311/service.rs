//! What the GeoReport v2 resources mean in civicgrid: services are leaf categories, service
//! definitions their attributes, requests the cases reported through the `open311` channel.

use chrono::{DateTime, Duration, FixedOffset, SecondsFormat, Utc};
use civicgrid_domain::attributes::{validate_values, AttributeDef};
use civicgrid_domain::{
    Actor, AreaCode, Assignee, Case, CaseCode, CaseEvent, CaseState, Category, CategoryCode, Channel, EventKind, Location, NewCase,
    NewCaseInput, PhoneNumber,
};
use civicgrid_store::crypto::token_hash;
use civicgrid_store::{ApiKey, CaseQuery, CreateCase};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

use super::error::Open311Error;
use crate::geo::{self, PlaceRequest, Placed};
use crate::{AppState, RefData};
use civicgrid_domain::LocationFix;
use civicgrid_geo::Crs;

type Result<T, E = Open311Error> = std::result::Result<T, E>;

/// The specification served.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this interface last changed, for discovery.
pub const CHANGESET: &str = "2026-11-23T00:00:00+08:00";
/// Most requests one GET answers.
pub const MAX_RESULTS: usize = 1000;
/// The window of a GET without dates, and the widest window allowed.
pub const WINDOW_DAYS: i64 = 90;

/// Query or form parameters in order; a key may repeat.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `a=1&b=2` (form or query encoding).
    pub fn parse(raw: &[u8]) -> Self {
        Params(form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// Adds the parameters of `other` after these (the first occurrence wins in [`Params::get`]).
    pub fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }

    /// The first non-blank value of `key`, trimmed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).find(|v| !v.is_empty())
    }

    /// The items of a comma list (over every occurrence of `key`).
    pub fn list(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).flat_map(|(_, v)| v.split(',')).map(str::trim).filter(|v| !v.is_empty()).collect()
    }

    /// The `attribute[code]` (or `attribute[code][]`) fields, by code.
    pub fn attributes(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            let Some(rest) = k.strip_prefix("attribute[") else { continue };
            let code = rest.strip_suffix("][]").or_else(|| rest.strip_suffix(']'));
            match code {
                Some(c) if !c.is_empty() && !c.contains(['[', ']']) => out.entry(c.to_string()).or_default().push(v.clone()),
                _ => return Err(Open311Error::bad_request(format!("`{k}`: attributes are sent as attribute[code]"))),
            }
        }
        Ok(out)
    }
}

/// A W3C datetime with its offset, in China Standard Time.
pub fn w3c(t: DateTime<Utc>) -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    t.with_timezone(&china).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A W3C-DTF moment: a datetime with its zone, or a date alone (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`),
/// which means its first moment in China time.
fn parse_w3c(field: &str, v: &str) -> Result<DateTime<Utc>> {
    // An unencoded `+` of the offset arrives as a space.
    let fixed = v.replacen(' ', "+", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&fixed) {
        return Ok(t.with_timezone(&Utc));
    }
    let padded = match v.len() {
        4 => format!("{v}-01-01"),
        7 => format!("{v}-01"),
        _ => v.to_string(),
    };
    chrono::NaiveDate::parse_from_str(&padded, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(FixedOffset::east_opt(8 * 3600).expect("valid offset")).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            Open311Error::bad_request(format!("{field}: `{v}` is not a W3C date or datetime, e.g. 2026-11-23 or 2026-11-23T09:00:00+08:00"))
        })
}

/// The area named by `jurisdiction_id`, if one is given; an unknown one is 404.
pub fn jurisdiction(rd: &RefData, params: &Params) -> Result<Option<AreaCode>> {
    let Some(j) = params.get("jurisdiction_id") else { return Ok(None) };
    match AreaCode::parse(j) {
        Ok(code) if rd.areas.contains_key(code.as_str()) => Ok(Some(code)),
        _ => Err(Open311Error::not_found(format!("jurisdiction_id `{j}` not found; use an area code such as the city's"))),
    }
}

/// The discovery document, with `base` the absolute URL of `/open311/v2`.
pub fn discovery(base: &str) -> Value {
    json!({
        "changeset": CHANGESET,
        "contact": "The city's civicgrid command centre",
        "key_service": "API keys are issued by the platform administrator (civicgrid open311 key add)",
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })
}

/// Services are the categories without subclasses.
fn is_service(rd: &RefData, c: &Category) -> bool {
    !rd.categories.iter().any(|o| o.parent.as_ref() == Some(&c.code))
}

fn service_of<'a>(rd: &'a RefData, code: &str) -> Result<&'a Category> {
    CategoryCode::parse(code)
        .ok()
        .and_then(|c| rd.category(&c))
        .filter(|c| is_service(rd, c))
        .ok_or_else(|| Open311Error::not_found(format!("service_code `{code}` not found")))
}

/// `GET services`: every service.
pub async fn services(app: &AppState, params: &Params) -> Result<Value> {
    let rd = app.refdata().await?;
    jurisdiction(&rd, params)?;
    let with_attrs: BTreeSet<CategoryCode> = app.store.category_attributes(None).await?.into_iter().map(|a| a.category).collect();
    let list: Vec<Value> = rd
        .categories
        .iter()
        .filter(|c| is_service(&rd, c))
        .map(|c| {
            json!({
                "service_code": c.code.as_str(),
                "service_name": c.name,
                "description": c.name_en,
                "metadata": with_attrs.contains(&c.code),
                "type": "realtime",
                "keywords": Value::Null,
                "group": c.parent.as_ref().and_then(|p| rd.category(p)).map(|p| p.name.clone()),
            })
        })
        .collect();
    Ok(Value::Array(list))
}

fn attribute_json(a: &AttributeDef) -> Value {
    json!({
        "variable": a.variable,
        "code": a.code,
        "datatype": a.datatype.as_str(),
        "required": a.required,
        "datatype_description": a.datatype_description,
        "order": a.order,
        "description": a.description,
        "values": a.values.iter().map(|v| json!({"key": v.key, "name": v.name})).collect::<Vec<_>>(),
    })
}

/// `GET services/{code}`: the service's attributes.
pub async fn service_definition(app: &AppState, code: &str, params: &Params) -> Result<Value> {
    let rd = app.refdata().await?;
    jurisdiction(&rd, params)?;
    let service = service_of(&rd, code)?;
    let attrs = app.store.category_attributes(Some(&service.code)).await?;
    Ok(json!({
        "service_code": service.code.as_str(),
        "attributes": attrs.iter().map(attribute_json).collect::<Vec<_>>(),
    }))
}

/// The note on a request's status: what the latest public event says.
pub fn status_notes(events: &[CaseEvent], rd: &RefData) -> Option<String> {
    let e = events.iter().rev().find(|e| e.kind.is_public())?;
    Some(match &e.kind {
        EventKind::Reported { .. } => "Reported; waiting for the command centre to accept it.".into(),
        EventKind::Accepted { .. } => "Accepted by the command centre.".into(),
        EventKind::Rejected { reason } => format!("Not accepted: {reason}"),
        EventKind::Dispatched { to, .. } => format!("Dispatched to {}.", assignee_name(to, rd)),
        EventKind::Claimed => "Taken into work.".into(),
        EventKind::Returned { .. } => "Returned to the command centre to be dispatched again.".into(),
        EventKind::Handled { feedback, .. } => format!("Handled: {feedback}"),
        EventKind::Verified { passed: true, .. } => "Checked and closed.".into(),
        EventKind::Verified { passed: false, .. } => "The check found the work unfinished; it continues.".into(),
        EventKind::Rated { .. } => "Closed and rated by the reporter.".into(),
        EventKind::Escalated { .. } => "Raised to the level above.".into(),
        EventKind::Merged { into_code, .. } => format!("Merged as a duplicate into request {into_code}."),
        EventKind::Suspended { .. } => "Suspended.".into(),
        EventKind::Resumed { .. } => "Resumed.".into(),
        EventKind::ClosedOnSpot { .. } => "Resolved on the spot by a grid worker.".into(),
        EventKind::Reopened { .. } => "Reopened after the reporter's rating.".into(),
        _ => "Updated.".into(),
    })
}

fn assignee_name(a: &Assignee, rd: &RefData) -> String {
    match a {
        Assignee::Department { id } => rd.department(id).map(|d| d.name.clone()).unwrap_or_else(|| id.clone()),
        Assignee::Area { code } => rd.area_name(code),
    }
}

/// One case as a GeoReport v2 request. Personal data never leaves.
pub fn request_json(c: &Case, events: &[CaseEvent], rd: &RefData, policy: &civicgrid_domain::CasePolicy) -> Value {
    let agency = match &c.assignee {
        Some(Assignee::Department { id }) => Some(rd.department(id).map(|d| d.name.clone()).unwrap_or_else(|| id.clone())),
        _ => None,
    };
    let media = c.report.attachments.iter().find(|a| a.starts_with("http://") || a.starts_with("https://"));
    json!({
        "service_request_id": c.code.as_str(),
        "status": if c.state.is_open() { "open" } else { "closed" },
        "status_notes": status_notes(events, rd),
        "service_name": rd.category(&c.report.category).map(|x| x.name.clone()),
        "service_code": c.report.category.as_str(),
        "description": c.report.description,
        "agency_responsible": agency,
        "service_notice": Value::Null,
        "requested_datetime": w3c(c.created_at),
        "updated_datetime": w3c(c.updated_at),
        // The running step's deadline: when the city expects the next step, not a promise of completion.
        "expected_datetime": policy.expected_resolution(c).map(w3c),
        "address": c.report.address,
        "address_id": c.report.area.as_str(),
        "zipcode": Value::Null,
        "lat": c.report.location.map(|l| l.lat),
        "long": c.report.location.map(|l| l.lon),
        "media_url": media,
    })
}

async fn render(app: &AppState, rd: &RefData, cases: &[Case]) -> Result<Value> {
    let mut out = Vec::with_capacity(cases.len());
    let policy = app.store.policy();
    for c in cases {
        let events = app.store.case_events(c.id).await?;
        out.push(request_json(c, &events, rd, &policy));
    }
    Ok(Value::Array(out))
}

/// The case with this tracking code, if it came in through Open311.
async fn open311_case(app: &AppState, id: &str) -> Result<Option<Case>> {
    let Ok(code) = CaseCode::parse(id) else { return Ok(None) };
    Ok(app.store.case_by_code(&code).await?.filter(|c| c.report.channel == Channel::Open311))
}

/// `GET requests`: by ids, or by service codes, statuses and dates (default: the last 90 days),
/// newest first, at most 1000.
pub async fn requests(app: &AppState, params: &Params) -> Result<Value> {
    let rd = app.refdata().await?;
    let area = jurisdiction(&rd, params)?;
    let ids = params.list("service_request_id");
    if !ids.is_empty() {
        let mut found = Vec::new();
        for id in ids.iter().take(MAX_RESULTS) {
            if let Some(c) = open311_case(app, id).await? {
                found.push(c);
            }
        }
        return render(app, &rd, &found).await;
    }
    let mut codes = Vec::new();
    for s in params.list("service_code") {
        codes.push(Some(service_of(&rd, s)?.code.clone()));
    }
    if codes.is_empty() {
        codes.push(None);
    }
    let mut wanted = BTreeSet::new();
    for s in params.list("status") {
        match s {
            "open" => wanted.insert(true),
            "closed" => wanted.insert(false),
            other => return Err(Open311Error::bad_request(format!("status: `{other}` is neither open nor closed"))),
        };
    }
    let states: Vec<CaseState> = match wanted.len() {
        1 => CaseState::ALL.iter().copied().filter(|s| wanted.contains(&s.is_open())).collect(),
        _ => vec![],
    };
    let start = params.get("start_date").map(|v| parse_w3c("start_date", v)).transpose()?;
    let end = params.get("end_date").map(|v| parse_w3c("end_date", v)).transpose()?;
    let window = Duration::days(WINDOW_DAYS);
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + window),
        (None, Some(e)) => (e - window, e),
        (None, None) => {
            let now = app.now();
            (now - window, now + Duration::seconds(1))
        }
    };
    if from > to {
        return Err(Open311Error::bad_request("start_date is after end_date"));
    }
    if start.is_some() && end.is_some() && to - from > window {
        return Err(Open311Error::bad_request(format!("start_date to end_date may span at most {WINDOW_DAYS} days")));
    }
    let mut found: Vec<Case> = Vec::new();
    for code in codes {
        let mut q = CaseQuery {
            states: states.clone(),
            category: code,
            area: area.clone(),
            channel: Some(Channel::Open311),
            created_from: Some(from),
            created_to: Some(to),
            limit: 500,
            ..Default::default()
        };
        let mut taken = 0;
        loop {
            let page = app.store.list_cases(&q).await?;
            taken += page.items.len();
            found.extend(page.items);
            match page.next {
                Some(next) if taken < MAX_RESULTS => q.after = Some(next),
                _ => break,
            }
        }
    }
    found.sort_by(|a, b| b.id.cmp(&a.id));
    found.dedup_by_key(|c| c.id);
    found.truncate(MAX_RESULTS);
    render(app, &rd, &found).await
}

/// `GET requests/{id}`: one request, as a list of one.
pub async fn request(app: &AppState, id: &str, params: &Params) -> Result<Value> {
    let rd = app.refdata().await?;
    let within = jurisdiction(&rd, params)?;
    let c = open311_case(app, id)
        .await?
        .filter(|c| within.as_ref().is_none_or(|j| j.contains(c.area())))
        .ok_or_else(|| Open311Error::not_found(format!("service_request_id `{id}` not found")))?;
    render(app, &rd, &[c]).await
}

/// `GET tokens/{token}`: the request a token became (at once: intake is synchronous).
pub async fn token(app: &AppState, token: &str, params: &Params) -> Result<Value> {
    let within = jurisdiction(&*app.refdata().await?, params)?;
    let missing = || Open311Error::not_found(format!("token `{token}` not found"));
    let id = Uuid::parse_str(token).map_err(|_| missing())?;
    let c = app
        .store
        .case(id)
        .await?
        .filter(|c| c.report.channel == Channel::Open311 && within.as_ref().is_none_or(|j| j.contains(c.area())))
        .ok_or_else(missing)?;
    Ok(json!([{ "service_request_id": c.code.as_str(), "token": c.id.to_string() }]))
}

/// The live client key of a POST.
async fn client_key(app: &AppState, params: &Params) -> Result<ApiKey> {
    let key = params.get("api_key").ok_or_else(|| Open311Error::forbidden("api_key is required to post a service request"))?;
    let k = app.store.api_key(&token_hash(key)).await?.ok_or_else(|| Open311Error::forbidden("api_key is not valid"))?;
    if !k.is_live() {
        return Err(Open311Error::forbidden("api_key has been revoked"));
    }
    Ok(k)
}

fn coordinate(params: &Params, name: &str) -> Result<Option<f64>> {
    params
        .get(name)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| Open311Error::bad_request(format!("{name}: `{v}` is not a number")))
        })
        .transpose()
}

/// Where a posted request is: `address_id` as an area code, else the key's area, else the
/// jurisdiction; it must lie inside both of those.
fn resolve_area(rd: &RefData, params: &Params, key: &ApiKey, jurisdiction: Option<&AreaCode>) -> Result<AreaCode> {
    let area = match params.get("address_id") {
        Some(a) => match AreaCode::parse(a) {
            Ok(code) if rd.areas.contains_key(code.as_str()) => code,
            _ => return Err(Open311Error::bad_request(format!("address_id: `{a}` is not a known area code (statistical division code)"))),
        },
        None => key.area.clone().or_else(|| jurisdiction.cloned()).ok_or_else(|| {
            Open311Error::bad_request("address_id: give the area code where the problem is (this client has no default area)")
        })?,
    };
    for (what, outer) in [("this client's area", key.area.as_ref()), ("jurisdiction_id", jurisdiction)] {
        if let Some(o) = outer {
            if !o.contains(&area) {
                return Err(Open311Error::bad_request(format!("address_id: {area} lies outside {what} {o}")));
            }
        }
    }
    Ok(area)
}

/// Whether the platform serves `area`: some department works over it. A key without an area of
/// its own may report anywhere the platform serves, not anywhere in China.
fn served(rd: &RefData, area: &AreaCode) -> bool {
    rd.departments.is_empty() || rd.departments.iter().any(|d| d.area.contains(area))
}

/// `POST requests`: reports a case through the client's channel and answers its id and token.
pub async fn post_request(app: &AppState, params: &Params) -> Result<Value> {
    let key = client_key(app, params).await?;
    let rd = app.refdata().await?;
    let jurisdiction = jurisdiction(&rd, params)?;
    let code = params.get("service_code").ok_or_else(|| Open311Error::bad_request("service_code is required"))?;
    let service = service_of(&rd, code)?;

    let location = match (coordinate(params, "lat")?, coordinate(params, "long")?) {
        (Some(lat), Some(lon)) => Some(Location::new(lon, lat).map_err(|e| Open311Error::bad_request(format!("lat/long: {e}")))?),
        (None, None) => None,
        _ => return Err(Open311Error::bad_request("lat and long are given together")),
    };
    let address = params.get("address_string").map(str::to_string);
    if location.is_none() && address.is_none() && params.get("address_id").is_none() {
        return Err(Open311Error::bad_request("give a location: lat and long, address_string or address_id"));
    }
    // A point or an address finds its grid and area as any report does; without an area from
    // `address_id`, the key or the jurisdiction, the place found must do.
    let named = match resolve_area(&rd, params, &key, jurisdiction.as_ref()) {
        Ok(a) => Some(a),
        Err(_) if params.get("address_id").is_none() && (location.is_some() || address.is_some()) => None,
        Err(e) => return Err(e),
    };
    let placed = if location.is_some() || address.is_some() {
        let snap = app.geo().await?;
        let point = location.map(|l| (l.lon, l.lat, Crs::Wgs84));
        geo::place(&snap, &rd, &PlaceRequest { point, address: address.as_deref(), area: named, hint: None })?
    } else {
        Placed { area: named, location: None, fix: LocationFix::area_only(None) }
    };
    if location.is_some() && placed.area.is_none() && params.get("address_id").is_none() {
        return Err(Open311Error::bad_request(
            "lat/long: the location lies outside every area this platform serves; give address_id, the area code where the problem is",
        ));
    }
    let area = placed.area.clone().ok_or_else(|| {
        Open311Error::bad_request("address_id: the location lies in no known grid or area; give the area code where the problem is")
    })?;
    if !served(&rd, &area) {
        return Err(Open311Error::bad_request(format!("the location lies in {area} ({}), outside every area this platform serves", rd.area_name(&area))));
    }
    for (what, outer) in [("this client's area", key.area.as_ref()), ("jurisdiction_id", jurisdiction.as_ref())] {
        if let Some(o) = outer {
            if !o.contains(&area) {
                return Err(Open311Error::bad_request(format!("lat/long: the location lies in {area}, outside {what} {o}")));
            }
        }
    }
    let location = location.or(placed.location);

    let media = match params.get("media_url") {
        Some(u) if (u.starts_with("http://") || u.starts_with("https://")) && !u.contains(char::is_whitespace) => vec![u.to_string()],
        Some(u) => return Err(Open311Error::bad_request(format!("media_url: `{u}` is not an http(s) URL"))),
        None => vec![],
    };
    let defs = app.store.category_attributes(Some(&service.code)).await?;
    let answers = validate_values(&defs, &params.attributes()?)?;

    let input = NewCaseInput {
        title: None,
        description: params.get("description").unwrap_or(&service.name).to_string(),
        address,
        channel: key.channel,
        location,
        attachments: media,
    };
    let mut new = NewCase::validate(input, service, area)?;
    new.located = Some(placed.fix);
    if !answers.is_empty() {
        new.attributes = Some(answers);
    }
    seal_contact(app, params, &mut new)?;
    let created = app
        .store
        .create_case(CreateCase {
            new,
            handling_level: service.handling_level,
            actor: Actor::Public,
            idempotency_key: None,
            now: app.now(),
        })
        .await?;
    let c = created.case;
    Ok(json!([{
        "service_request_id": c.code.as_str(),
        "token": c.id.to_string(),
        "service_notice": Value::Null,
        "account_id": Value::Null,
    }]))
}

/// The personal fields, encrypted: a mainland phone number as the reporter's phone (so the
/// centre can call back through the contact route), everything else as one sealed JSON.
fn seal_contact(app: &AppState, params: &Params, new: &mut NewCase) -> Result<()> {
    let mut contact = Map::new();
    for (field, max) in [("email", 254), ("first_name", 100), ("last_name", 100), ("device_id", 200), ("account_id", 200), ("phone", 50)] {
        let Some(v) = params.get(field) else { continue };
        if v.chars().count() > max || v.chars().any(char::is_control) {
            return Err(Open311Error::bad_request(format!("{field}: at most {max} characters, no control characters")));
        }
        if field == "email" && !v.contains('@') {
            return Err(Open311Error::bad_request(format!("email: `{v}` is not an e-mail address")));
        }
        if field == "phone" {
            if let Ok(p) = PhoneNumber::parse(v) {
                crate::case::search::keep_phone(&app.cipher, new, &p);
                continue;
            }
        }
        contact.insert(field.to_string(), Value::String(v.to_string()));
    }
    if !contact.is_empty() {
        new.reporter_contact_enc = Some(app.cipher.encrypt(&Value::Object(contact).to_string()));
    }
    Ok(())
}
