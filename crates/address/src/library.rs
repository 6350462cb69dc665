//! The library of standard addresses (标准地址) and matching free text against it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use civicgrid_domain::area::AreaCode;
use serde::{Deserialize, Serialize};

use crate::gazetteer::Gazetteer;
use crate::normalize::normalize;
use crate::parse::{Dictionaries, Label, ParsedAddress, Parser};

/// Below this confidence a dispatcher confirms the match.
pub const CONFIRM_BELOW: f64 = 0.8;

/// One standard address: the area codes and the parts below them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardAddress {
    /// Its id in the library.
    pub id: i64,
    /// 区县.
    pub county: Option<AreaCode>,
    /// 街道/乡镇.
    pub town: Option<AreaCode>,
    /// 社区/村.
    pub community: Option<AreaCode>,
    /// 道路 (新威路).
    pub road: Option<String>,
    /// 门牌号 (16 or 16号).
    pub number: Option<String>,
    /// 小区 (海景花园).
    pub estate: Option<String>,
    /// 楼栋 (3, 3号楼, A座).
    pub building: Option<String>,
    /// 单元 (2 or 2单元).
    pub unit: Option<String>,
    /// 房间 (1102 or 1102室).
    pub room: Option<String>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// 网格 code.
    pub grid: Option<String>,
}

/// Appends `unit` to a bare number (16 → 16号) and leaves a written unit alone.
fn with_unit(v: &str, unit: &str) -> String {
    let v = v.trim();
    if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        format!("{v}{unit}")
    } else {
        v.to_string()
    }
}

impl StandardAddress {
    /// The part below the areas in standard form: 新威路16号海景花园3号楼2单元1102室.
    pub fn local_text(&self) -> String {
        let mut s = String::new();
        if let Some(r) = &self.road {
            s.push_str(r.trim());
        }
        if let Some(n) = &self.number {
            s.push_str(&with_unit(n, "号"));
        }
        if let Some(e) = &self.estate {
            s.push_str(e.trim());
        }
        if let Some(b) = &self.building {
            s.push_str(&with_unit(b, "号楼"));
        }
        if let Some(u) = &self.unit {
            s.push_str(&with_unit(u, "单元"));
        }
        if let Some(r) = &self.room {
            s.push_str(&with_unit(r, "室"));
        }
        s
    }

    /// The whole address in standard form, from the province down, names from `gazetteer`:
    /// 山东省威海市环翠区环翠楼街道西门社区新威路16号海景花园3号楼2单元1102室.
    pub fn full_text(&self, gazetteer: &Gazetteer) -> String {
        let area = self.community.as_ref().or(self.town.as_ref()).or(self.county.as_ref());
        let mut s = area.map(|a| gazetteer.full_name(a)).unwrap_or_default();
        s.push_str(&self.local_text());
        s
    }
}

/// The comparable core of a number-like value: normalised, unit words dropped (3号楼 → 3).
pub(crate) fn core(v: &str) -> String {
    let n = normalize(v);
    let mut s = n.as_str();
    loop {
        let before = s;
        for unit in ["号楼", "单元", "号", "栋", "幢", "座", "室", "户", "房", "#", "楼", "层", "弄"] {
            if let Some(t) = s.strip_suffix(unit) {
                if !t.is_empty() {
                    s = t;
                }
            }
        }
        for prefix in ["第"] {
            if let Some(t) = s.strip_prefix(prefix) {
                s = t;
            }
        }
        if s == before {
            break;
        }
    }
    s.to_string()
}

/// The comparable form of a name.
fn name_key(v: &str) -> String {
    normalize(v)
}

/// The identity of an address for duplicate detection.
pub(crate) fn key_of(a: &StandardAddress) -> String {
    let opt = |o: &Option<String>, f: fn(&str) -> String| o.as_deref().map(f).unwrap_or_default();
    let code = |o: &Option<AreaCode>| o.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default();
    [
        code(&a.county),
        code(&a.town),
        code(&a.community),
        opt(&a.road, name_key),
        opt(&a.number, core),
        opt(&a.estate, name_key),
        opt(&a.building, core),
        opt(&a.unit, core),
        opt(&a.room, core),
    ]
    .join("|")
}

/// A candidate of a match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The standard address.
    pub address: StandardAddress,
    /// Its standard text.
    pub text: String,
    /// 0..1; 1 is the exact standard address, below [`CONFIRM_BELOW`] a person confirms.
    pub confidence: f64,
}

/// The result of matching one address text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// How the text was parsed.
    pub parsed: ParsedAddress,
    /// The best candidates, best first.
    pub candidates: Vec<Candidate>,
    /// The top candidate when it can be taken without confirmation: confidence at least
    /// [`CONFIRM_BELOW`] and strictly ahead of the next one.
    pub best: Option<Candidate>,
}

/// Precomputed comparable keys of one address.
#[derive(Debug, Clone)]
struct Keys {
    road: Option<u32>,
    number: Option<String>,
    estate: Option<u32>,
    building: Option<String>,
    unit: Option<String>,
    room: Option<String>,
}

/// A set of names (roads or estates) with an index of their char bigrams for fuzzy lookup.
#[derive(Debug, Default)]
struct NameSet {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    bigrams: HashMap<(char, char), Vec<u32>>,
    members: Vec<Vec<u32>>,
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl NameSet {
    fn add(&mut self, name: &str, addr: u32) -> u32 {
        let key = name_key(name);
        let id = match self.ids.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                for b in bigrams(&key) {
                    self.bigrams.entry(b).or_default().push(id);
                }
                self.ids.insert(key.clone(), id);
                self.names.push(key);
                self.members.push(Vec::new());
                id
            }
        };
        self.members[id as usize].push(addr);
        id
    }

    /// Names similar to `q` with their similarity (1 = equal), best first, at most `limit`.
    fn similar(&self, q: &str, limit: usize) -> Vec<(u32, f64)> {
        if let Some(&id) = self.ids.get(q) {
            return vec![(id, 1.0)];
        }
        let qb = bigrams(q);
        if qb.is_empty() {
            return Vec::new();
        }
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for b in &qb {
            if let Some(ids) = self.bigrams.get(b) {
                // Very common bigrams (花园) say little and cost much.
                if ids.len() > 5000 {
                    continue;
                }
                for &id in ids {
                    *counts.entry(id).or_default() += 1;
                }
            }
        }
        let mut out: Vec<(u32, f64)> = counts
            .into_iter()
            .filter_map(|(id, shared)| {
                let name = &self.names[id as usize];
                let sim = similarity(q, name, shared, qb.len(), bigrams(name).len());
                (sim >= 0.6).then_some((id, sim))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(limit);
        out
    }
}

/// Similarity of two names: containment (海景花园小区 ⊃ 海景花园) is nearly equal, otherwise
/// the Dice coefficient of char bigrams.
fn similarity(a: &str, b: &str, shared: usize, na: usize, nb: usize) -> f64 {
    if a == b {
        return 1.0;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    if short.chars().count() >= 2 && long.contains(short) {
        let extra = long.chars().count() - short.chars().count();
        return (0.97 - 0.02 * extra as f64).max(0.85);
    }
    0.95 * (2.0 * shared as f64) / ((na + nb) as f64)
}

/// The standard addresses with their indexes.
pub struct AddressLibrary {
    addresses: Vec<StandardAddress>,
    keys: Vec<Keys>,
    gazetteer: Arc<Gazetteer>,
    parser: Parser,
    roads: NameSet,
    estates: NameSet,
    by_road_number: HashMap<(u32, String), Vec<u32>>,
    by_estate_building: HashMap<(u32, String), Vec<u32>>,
    by_area: HashMap<String, Vec<u32>>,
    by_id: HashMap<i64, u32>,
}

impl std::fmt::Debug for AddressLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddressLibrary")
            .field("addresses", &self.addresses.len())
            .field("roads", &self.roads.names.len())
            .field("estates", &self.estates.names.len())
            .finish()
    }
}

/// How a query part compares with a candidate part.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    /// The query does not say.
    Missing,
    /// The candidate does not have it.
    Extra,
    /// Equal (with this similarity).
    Agree(f64),
    /// Different.
    Conflict,
}

fn cmp_core(q: Option<&str>, a: Option<&str>) -> Cmp {
    match (q, a) {
        (None, _) => Cmp::Missing,
        (Some(_), None) => Cmp::Extra,
        (Some(q), Some(a)) if q == a => Cmp::Agree(1.0),
        _ => Cmp::Conflict,
    }
}

/// What the query says, in comparable form.
#[derive(Debug, Default)]
struct Query {
    roads: Vec<(u32, f64)>,
    road_text: Option<String>,
    number: Option<String>,
    estates: Vec<(u32, f64)>,
    estate_text: Option<String>,
    building: Option<String>,
    unit: Option<String>,
    room: Option<String>,
    area: Option<AreaCode>,
    area_candidates: Vec<AreaCode>,
}

impl AddressLibrary {
    /// Builds the library and its indexes.
    pub fn new(addresses: Vec<StandardAddress>, gazetteer: Arc<Gazetteer>) -> Self {
        let mut roads = NameSet::default();
        let mut estates = NameSet::default();
        let mut keys = Vec::with_capacity(addresses.len());
        let mut by_road_number: HashMap<(u32, String), Vec<u32>> = HashMap::new();
        let mut by_estate_building: HashMap<(u32, String), Vec<u32>> = HashMap::new();
        let mut by_area: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_id = HashMap::with_capacity(addresses.len());
        for (i, a) in addresses.iter().enumerate() {
            let i = i as u32;
            let road = a.road.as_deref().filter(|r| !r.trim().is_empty()).map(|r| roads.add(r, i));
            let estate = a.estate.as_deref().filter(|r| !r.trim().is_empty()).map(|e| estates.add(e, i));
            let k = Keys {
                road,
                number: a.number.as_deref().map(core),
                estate,
                building: a.building.as_deref().map(core),
                unit: a.unit.as_deref().map(core),
                room: a.room.as_deref().map(core),
            };
            if let (Some(r), Some(n)) = (k.road, &k.number) {
                by_road_number.entry((r, n.clone())).or_default().push(i);
            }
            if let (Some(e), Some(b)) = (k.estate, &k.building) {
                by_estate_building.entry((e, b.clone())).or_default().push(i);
            }
            if let Some(area) = a.community.as_ref().or(a.town.as_ref()).or(a.county.as_ref()) {
                by_area.entry(area.as_str().to_string()).or_default().push(i);
            }
            by_id.insert(a.id, i);
            keys.push(k);
        }
        let dictionaries = Dictionaries { roads: roads.names.clone(), pois: estates.names.clone() };
        let parser = Parser::new(Arc::clone(&gazetteer), dictionaries);
        AddressLibrary {
            addresses,
            keys,
            gazetteer,
            parser,
            roads,
            estates,
            by_road_number,
            by_estate_building,
            by_area,
            by_id,
        }
    }

    /// Number of standard addresses.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    /// True if the library is empty.
    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    /// The parser that knows the library's roads and estates.
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Arc<Gazetteer> {
        &self.gazetteer
    }

    /// Road names of the library (normalised), for the parser's dictionary.
    pub fn roads(&self) -> &[String] {
        &self.roads.names
    }

    /// Estate names of the library (normalised).
    pub fn estates(&self) -> &[String] {
        &self.estates.names
    }

    /// The address with this id.
    pub fn get(&self, id: i64) -> Option<&StandardAddress> {
        self.by_id.get(&id).map(|&i| &self.addresses[i as usize])
    }

    /// Every address directly in this area (its deepest given area code equal to `area`).
    pub fn in_area(&self, area: &AreaCode) -> Vec<&StandardAddress> {
        self.by_area.get(area.as_str()).map(|v| v.iter().map(|&i| &self.addresses[i as usize]).collect()).unwrap_or_default()
    }

    /// The addresses in `area` or any area under it.
    pub fn within<'a>(&'a self, area: &'a AreaCode) -> impl Iterator<Item = &'a StandardAddress> + 'a {
        self.by_area
            .iter()
            .filter(move |(code, _)| AreaCode::parse(code).is_ok_and(|c| area.contains(&c)))
            .flat_map(move |(_, ids)| ids.iter().map(move |&i| &self.addresses[i as usize]))
    }

    fn query(&self, parsed: &ParsedAddress) -> Query {
        let mut q = Query { area: parsed.area.clone(), area_candidates: parsed.area_candidates.clone(), ..Default::default() };
        let road = parsed.value(Label::Road).or(parsed.value(Label::Subroad));
        if let Some(r) = road {
            q.roads = self.roads.similar(r, 5);
            q.road_text = Some(r.to_string());
        }
        q.number = parsed.value(Label::Roadno).or(parsed.value(Label::Subroadno)).map(core);
        let estate = parsed.value(Label::Poi);
        if let Some(e) = estate {
            q.estates = self.estates.similar(e, 5);
            q.estate_text = Some(e.to_string());
            // A poi that is really a road the library knows.
            if q.roads.is_empty() {
                let as_road = self.roads.similar(e, 5);
                if as_road.first().is_some_and(|r| r.1 >= 0.9) {
                    q.roads = as_road;
                }
            }
        }
        // A road-like name written where the parser saw a poi, or the reverse.
        if q.estates.is_empty() {
            if let Some(r) = road {
                let as_estate = self.estates.similar(r, 5);
                if as_estate.first().is_some_and(|e| e.1 >= 0.9) {
                    q.estates = as_estate;
                }
            }
        }
        q.building = parsed.value(Label::Houseno).map(core);
        q.unit = parsed.value(Label::Cellno).map(core);
        q.room = parsed.value(Label::Roomno).map(core);
        // A bare floor+room written as one number (1102) is a room.
        if q.room.is_none() {
            if let Some(f) = parsed.value(Label::Floorno) {
                let _ = f;
            }
        }
        q
    }

    /// Scores one candidate.
    fn score(&self, q: &Query, i: u32) -> f64 {
        let a = &self.addresses[i as usize];
        let k = &self.keys[i as usize];
        let name_cmp = |opts: &[(u32, f64)], text: &Option<String>, have: Option<u32>| -> Cmp {
            match (text, have) {
                (None, _) => Cmp::Missing,
                (Some(_), None) => Cmp::Extra,
                (Some(_), Some(id)) => opts.iter().find(|o| o.0 == id).map_or(Cmp::Conflict, |o| Cmp::Agree(o.1)),
            }
        };
        let road = name_cmp(&q.roads, &q.road_text, k.road);
        let estate = name_cmp(&q.estates, &q.estate_text, k.estate);
        let number = cmp_core(q.number.as_deref(), k.number.as_deref());
        let building = cmp_core(q.building.as_deref(), k.building.as_deref());
        let unit = cmp_core(q.unit.as_deref(), k.unit.as_deref());
        let room = cmp_core(q.room.as_deref(), k.room.as_deref());

        let sim = |c: Cmp| if let Cmp::Agree(s) = c { s } else { 1.0 };
        let agrees = |c: Cmp| matches!(c, Cmp::Agree(_));
        let road_ok = agrees(road) && agrees(number);
        let estate_ok = agrees(estate);
        // How far down the candidate the query reaches.
        let located = road_ok || (estate_ok && (k.road.is_none() || !matches!(road, Cmp::Conflict)));
        let mut conf = if !agrees(road) && !agrees(estate) {
            0.1
        } else if !located {
            // Only a road (or a road and a wrong number).
            0.5
        } else {
            // Building-level agreement: the candidate's building, unit and room.
            let deeper = [(k.building.is_some(), building), (k.unit.is_some(), unit), (k.room.is_some(), room)];
            let mut c = 1.0;
            for (has, cmp) in deeper {
                if has && cmp == Cmp::Missing {
                    c = if k.room.is_some() && q.room.is_none() && (q.building.is_some() || k.building.is_none()) {
                        0.8_f64.min(c)
                    } else {
                        0.7_f64.min(c)
                    };
                }
            }
            if k.building.is_some() && building == Cmp::Missing {
                c = c.min(0.65);
            }
            c
        };
        // Conflicts cost; the query's extra detail the candidate lacks costs a little.
        for (cmp, cost) in [(number, 0.5), (building, 0.5), (unit, 0.6), (room, 0.6), (road, 0.8), (estate, 0.85)] {
            match cmp {
                Cmp::Conflict => conf *= cost,
                Cmp::Extra => conf *= 0.97,
                _ => {}
            }
        }
        conf *= sim(road).min(1.0) * sim(estate).min(1.0);
        // The area: a conflict costs much, agreement nothing (the text may omit it).
        let cand_area = a.community.as_ref().or(a.town.as_ref()).or(a.county.as_ref());
        if let (Some(qa), Some(ca)) = (&q.area, cand_area) {
            if !qa.contains(ca) && !ca.contains(qa) {
                conf *= 0.4;
            }
        } else if let (false, Some(ca)) = (q.area_candidates.is_empty(), cand_area) {
            if !q.area_candidates.iter().any(|c| c.contains(ca) || ca.contains(c)) {
                conf *= 0.6;
            }
        }
        conf.clamp(0.0, 1.0)
    }

    /// Matches free text against the library: parse, gather candidates through the indexes,
    /// score them component by component and return the best `limit`.
    pub fn match_address(&self, text: &str, scope: Option<&AreaCode>, limit: usize) -> MatchResult {
        let parsed = self.parser.parse_in(text, scope);
        let q = self.query(&parsed);
        let mut cand: HashSet<u32> = HashSet::new();
        let push_all = |set: &mut HashSet<u32>, v: Option<&Vec<u32>>, cap: usize| {
            if let Some(v) = v {
                set.extend(v.iter().take(cap).copied());
            }
        };
        for &(r, _) in &q.roads {
            if let Some(n) = &q.number {
                push_all(&mut cand, self.by_road_number.get(&(r, n.clone())), 2000);
            }
        }
        for &(e, _) in &q.estates {
            if let Some(b) = &q.building {
                push_all(&mut cand, self.by_estate_building.get(&(e, b.clone())), 2000);
            }
        }
        if cand.is_empty() {
            for &(r, _) in &q.roads {
                push_all(&mut cand, self.roads.members.get(r as usize), 500);
            }
            for &(e, _) in &q.estates {
                push_all(&mut cand, self.estates.members.get(e as usize), 500);
            }
        }
        if let Some(scope) = scope {
            cand.retain(|&i| {
                let a = &self.addresses[i as usize];
                a.community.as_ref().or(a.town.as_ref()).or(a.county.as_ref()).is_none_or(|c| scope.contains(c) || c.contains(scope))
            });
        }
        let mut scored: Vec<(f64, u32)> = cand.into_iter().map(|i| (self.score(&q, i), i)).collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| self.addresses[a.1 as usize].id.cmp(&self.addresses[b.1 as usize].id))
        });
        scored.truncate(limit);
        let candidates: Vec<Candidate> = scored
            .iter()
            .map(|&(c, i)| {
                let address = self.addresses[i as usize].clone();
                let text = address.full_text(&self.gazetteer);
                Candidate { address, text, confidence: (c * 1000.0).round() / 1000.0 }
            })
            .collect();
        let best = match candidates.as_slice() {
            [first, rest @ ..] if first.confidence >= CONFIRM_BELOW && rest.first().is_none_or(|s| s.confidence < first.confidence) => {
                Some(first.clone())
            }
            _ => None,
        };
        MatchResult { parsed, candidates, best }
    }
}
