//! The area gazetteer: every area of the division table under its official name and the
//! forms people write it in (short forms, old names, 社区 for 社区居委会), found in text through
//! one char trie and disambiguated through the area tree.

use std::collections::HashMap;

use civicgrid_domain::area::{AreaCode, AreaLevel};

use crate::names::NameIndex;
use crate::normalize::normalize;
use crate::AddressError;

const NO_PARENT: u32 = u32::MAX;
const TEN: [u64; 13] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
];

/// A code as a number zero-padded to 12 digits, with its length: ordered as the strings are.
fn padded(code: &AreaCode) -> (u64, u8) {
    let s = code.as_str();
    let n: u64 = s.parse().unwrap_or(0);
    (n * TEN[12 - s.len()], s.len() as u8)
}

/// One row of the area table (`data/areas/areas.csv`: `code,name,level,parent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    /// Division code at its significant length.
    pub code: String,
    /// Official name, e.g. 环翠楼街道.
    pub name: String,
    /// Level of the area.
    pub level: AreaLevel,
    /// Parent code, `None` for a province.
    pub parent: Option<String>,
}

/// Reads rows in the `code,name,level,parent` format of `data/areas/areas.csv`.
pub fn parse_area_csv(text: &str) -> Result<Vec<AreaRow>, AddressError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| AddressError::Area { code: String::new(), reason: e.to_string() })?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let code = field(0);
        let level = field(2)
            .parse::<AreaLevel>()
            .map_err(|e| AddressError::Area { code: code.clone(), reason: e.to_string() })?;
        let parent = Some(field(3)).filter(|p| !p.is_empty());
        rows.push(AreaRow { code, name: field(1), level, parent });
    }
    Ok(rows)
}

/// An area of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Its code.
    pub code: AreaCode,
    /// Its official name.
    pub name: String,
    /// Its level.
    pub level: AreaLevel,
}

/// How a name found in text relates to the area's official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AliasKind {
    /// The official name.
    Full,
    /// Another complete form: 社区 for 社区居委会, an old 市/县 name of a district, the name
    /// without its county's name in front.
    Alternative,
    /// The name without its administrative suffix (威海 for 威海市): only trusted where the
    /// area tree or the place in the text supports it.
    Short,
}

/// One area a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameHit {
    pub area: u32,
    pub kind: AliasKind,
}

/// A name of the gazetteer found in normalised text, as char offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub alias: u32,
}

/// The outcome of resolving a name to an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Exactly one area fits.
    Unique(AreaCode),
    /// Several areas fit; the caller must narrow the search.
    Ambiguous(Vec<AreaCode>),
    /// No area has that name.
    NotFound,
}

/// The area tree with a name index.
pub struct Gazetteer {
    areas: Vec<Area>,
    /// Per area: its code zero-padded to 12 digits, its length and its parent; prefix tests
    /// and range lookups on numbers rather than strings.
    keys: Vec<(u64, u8, u32)>,
    by_code: HashMap<String, u32>,
    alias_names: Vec<String>,
    alias_hits: Vec<Vec<NameHit>>,
    alias_index: HashMap<String, u32>,
    automaton: NameIndex,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("areas", &self.areas.len()).field("names", &self.alias_names.len()).finish()
    }
}

/// Names the statistics bureau uses as placeholders at city level; they name no place.
const PLACEHOLDERS: &[&str] = &["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"];

/// The 55 minority nationalities, stripped from autonomous area names (恩施土家族苗族自治州 → 恩施).
const ETHNIC: &[&str] = &[
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣",
    "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
];

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Strips trailing nationality names (with or without 族) as long as two chars remain.
fn strip_ethnic(s: String) -> String {
    let mut cur = s;
    loop {
        let t = cur.strip_suffix('族').unwrap_or(&cur).to_string();
        let best = ETHNIC.iter().filter(|e| t.ends_with(*e) && char_len(&t) >= char_len(e) + 2).max_by_key(|e| e.len());
        match best {
            Some(e) => cur = t[..t.len() - e.len()].to_string(),
            None => return if char_len(&t) >= 2 { t } else { cur },
        }
    }
}

/// Forms of an official name (already normalised), each with its kind.
fn aliases_of(name: &str, level: AreaLevel) -> Vec<(String, AliasKind)> {
    let mut out: Vec<(String, AliasKind)> = vec![(name.to_string(), AliasKind::Full)];
    let short = |s: &str, out: &mut Vec<(String, AliasKind)>| {
        if char_len(s) >= 2 {
            out.push((s.to_string(), AliasKind::Short));
        }
    };
    let strip = |s: &str, suffixes: &[&str]| -> Option<String> {
        suffixes.iter().find_map(|x| s.strip_suffix(x).filter(|r| char_len(r) >= 2).map(str::to_string))
    };
    match level {
        AreaLevel::Province | AreaLevel::City => {
            if let Some(base) = strip(name, &["自治区", "自治州"]) {
                let s = strip_ethnic(base);
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["特别行政区", "地区", "省", "市", "盟"]) {
                short(&s, &mut out);
            }
        }
        AreaLevel::County => {
            if let Some(base) = strip(name, &["自治县", "自治旗"]) {
                let s = strip_ethnic(base);
                let suffix = if name.ends_with('旗') { "旗" } else { "县" };
                out.push((format!("{s}{suffix}"), AliasKind::Alternative));
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["林区", "新区", "特区"]) {
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["区"]) {
                // A district that was a county or county-level city keeps its old name in use.
                if char_len(&s) >= 2 {
                    out.push((format!("{s}市"), AliasKind::Alternative));
                    out.push((format!("{s}县"), AliasKind::Alternative));
                }
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["县", "市", "旗"]) {
                if name.ends_with('县') {
                    out.push((format!("{s}市"), AliasKind::Alternative));
                }
                short(&s, &mut out);
            }
        }
        AreaLevel::Town => {
            if let Some(s) = strip(name, &["街道办事处"]) {
                out.push((format!("{s}街道"), AliasKind::Alternative));
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["办事处"]) {
                out.push((format!("{s}街道"), AliasKind::Alternative));
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["街道", "镇"]) {
                short(&s, &mut out);
            } else if let Some(s) = strip(name, &["乡"]) {
                let s2 = if s.ends_with('族') { strip_ethnic(s.clone()) } else { s.clone() };
                if s2 != s {
                    out.push((format!("{s2}乡"), AliasKind::Alternative));
                }
                short(&s2, &mut out);
            } else {
                // A 类似乡级单位 without a suffix (农场, 园区, 下沙) reads like any word.
                out[0].1 = AliasKind::Short;
            }
        }
        AreaLevel::Village => {
            let community =
                strip(name, &["社区居民委员会", "社区居委会", "社区居委", "居民委员会", "居委会", "社区"]);
            let village = strip(name, &["村民委员会", "村委会", "村"]);
            if let Some(s) = community {
                out.push((format!("{s}社区"), AliasKind::Alternative));
                short(&s, &mut out);
            } else if let Some(s) = village {
                out.push((format!("{s}村"), AliasKind::Alternative));
                short(&s, &mut out);
            } else {
                out[0].1 = AliasKind::Short;
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0); // keeps the strongest kind, as Full < Alternative < Short
    out
}

impl Gazetteer {
    /// Builds the gazetteer; every code must be valid and every parent present.
    pub fn new(rows: Vec<AreaRow>) -> Result<Self, AddressError> {
        let mut areas = Vec::with_capacity(rows.len());
        let mut by_code = HashMap::with_capacity(rows.len());
        let mut parent_codes = Vec::with_capacity(rows.len());
        for row in rows {
            let code = AreaCode::parse(&row.code)
                .map_err(|e| AddressError::Area { code: row.code.clone(), reason: e.to_string() })?;
            if code.level() != row.level {
                return Err(AddressError::Area {
                    code: row.code,
                    reason: format!("level {} does not match the code's length", row.level.as_str()),
                });
            }
            if by_code.insert(code.as_str().to_string(), areas.len() as u32).is_some() {
                return Err(AddressError::Area { code: row.code, reason: "duplicate code".into() });
            }
            parent_codes.push(row.parent.clone());
            areas.push(Area { code, name: row.name, level: row.level });
        }
        let mut parent = Vec::with_capacity(areas.len());
        for (area, p) in areas.iter().zip(&parent_codes) {
            let idx = match p {
                None => None,
                Some(p) => {
                    let idx = by_code.get(p.as_str()).copied().ok_or_else(|| AddressError::Area {
                        code: area.code.to_string(),
                        reason: format!("parent {p} is not in the table"),
                    })?;
                    if !area.code.as_str().starts_with(p.as_str()) {
                        return Err(AddressError::Area {
                            code: area.code.to_string(),
                            reason: format!("parent {p} is not a prefix of the code"),
                        });
                    }
                    Some(idx)
                }
            };
            parent.push(idx);
        }

        let mut alias_index: HashMap<String, u32> = HashMap::new();
        let mut alias_names: Vec<String> = Vec::new();
        let mut alias_hits: Vec<Vec<NameHit>> = Vec::new();
        let mut add = |alias: String, hit: NameHit| {
            let id = *alias_index.entry(alias.clone()).or_insert_with(|| {
                alias_names.push(alias);
                alias_hits.push(Vec::new());
                (alias_names.len() - 1) as u32
            });
            let hits = &mut alias_hits[id as usize];
            if let Some(h) = hits.iter_mut().find(|h| h.area == hit.area) {
                h.kind = h.kind.min(hit.kind);
            } else {
                hits.push(hit);
            }
        };
        // Every area's own forms, computed once: they are also matched against the front of
        // its descendants' names.
        let own: Vec<(String, Vec<(String, AliasKind)>)> = areas
            .iter()
            .map(|a| {
                if PLACEHOLDERS.contains(&a.name.as_str()) {
                    (String::new(), Vec::new())
                } else {
                    let name = normalize(&a.name);
                    let forms = aliases_of(&name, a.level);
                    (name, forms)
                }
            })
            .collect();
        for (i, area) in areas.iter().enumerate() {
            let (name, forms) = &own[i];
            if forms.is_empty() {
                continue;
            }
            let mut forms = forms.clone();
            // A name that repeats an ancestor's name in front (济源市沁园街道) is also written
            // without it.
            let mut up = parent[i];
            while let Some(p) = up {
                for (pform, _) in &own[p as usize].1 {
                    if let Some(rest) = name.strip_prefix(pform.as_str()) {
                        if char_len(rest) >= 3 {
                            for (f, _) in aliases_of(rest, area.level) {
                                forms.push((f, AliasKind::Alternative));
                            }
                        }
                    }
                }
                up = parent[p as usize];
            }
            for (form, kind) in forms {
                add(form, NameHit { area: i as u32, kind });
            }
        }
        // Hits in code order, so the hits under an area are one range.
        for hits in &mut alias_hits {
            hits.sort_by_key(|h| padded(&areas[h.area as usize].code));
        }
        let keys = areas
            .iter()
            .map(|a| {
                let (num, len) = padded(&a.code);
                let parent = a.code.parent().and_then(|p| by_code.get(p.as_str()).copied()).unwrap_or(NO_PARENT);
                (num, len, parent)
            })
            .collect();
        let automaton = NameIndex::new(&alias_names);
        Ok(Gazetteer { areas, keys, by_code, alias_names, alias_hits, alias_index, automaton })
    }

    /// Builds the gazetteer from the text of an area CSV (`code,name,level,parent`).
    pub fn from_csv(text: &str) -> Result<Self, AddressError> {
        Gazetteer::new(parse_area_csv(text)?)
    }

    /// Number of areas.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// True if the gazetteer holds no area.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Every area, in the order of the table it was built from.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The area with this code.
    pub fn area(&self, code: &AreaCode) -> Option<&Area> {
        self.by_code.get(code.as_str()).map(|&i| &self.areas[i as usize])
    }

    /// The official name of an area.
    pub fn name_of(&self, code: &AreaCode) -> Option<&str> {
        self.area(code).map(|a| a.name.as_str())
    }

    /// The names from the province down to `code`, placeholders (市辖区) left out, joined.
    pub fn full_name(&self, code: &AreaCode) -> String {
        code.path()
            .iter()
            .filter_map(|c| self.name_of(c))
            .filter(|n| !PLACEHOLDERS.contains(n))
            .collect()
    }

    /// Every area that `name` (an official name or a usual form of one) stands for.
    pub fn lookup(&self, name: &str) -> Vec<AreaCode> {
        let key = normalize(name);
        match self.alias_index.get(&key) {
            Some(&id) => self.alias_hits[id as usize].iter().map(|h| self.areas[h.area as usize].code.clone()).collect(),
            None => Vec::new(),
        }
    }

    /// Resolves `name` to one area, optionally of one level and within one area.
    pub fn resolve(&self, name: &str, level: Option<AreaLevel>, within: Option<&AreaCode>) -> Resolved {
        let mut found: Vec<AreaCode> = self
            .lookup(name)
            .into_iter()
            .filter(|c| level.is_none_or(|l| c.level() == l))
            .filter(|c| within.is_none_or(|w| w.contains(c)))
            .collect();
        // An official code written as a name resolves to itself.
        if found.is_empty() {
            if let Ok(code) = AreaCode::parse(name) {
                if self.area(&code).is_some()
                    && level.is_none_or(|l| code.level() == l)
                    && within.is_none_or(|w| w.contains(&code))
                {
                    return Resolved::Unique(code);
                }
            }
        }
        match found.len() {
            0 => Resolved::NotFound,
            1 => Resolved::Unique(found.remove(0)),
            _ => Resolved::Ambiguous(found),
        }
    }

    pub(crate) fn area_at(&self, i: u32) -> &Area {
        &self.areas[i as usize]
    }

    pub(crate) fn index_of(&self, code: &AreaCode) -> Option<u32> {
        self.by_code.get(code.as_str()).copied()
    }

    /// True if area `a` is `b` or lies below it.
    pub(crate) fn is_within(&self, a: u32, b: u32) -> bool {
        let (ka, la, _) = self.keys[a as usize];
        let (kb, lb, _) = self.keys[b as usize];
        la >= lb && ka / TEN[12 - lb as usize] == kb / TEN[12 - lb as usize]
    }

    /// True if `alias` is an official or complete name of some area (not only a short form).
    pub(crate) fn has_official(&self, alias: u32) -> bool {
        self.alias_hits[alias as usize].iter().any(|h| h.kind != AliasKind::Short)
    }

    pub(crate) fn hits(&self, alias: u32) -> &[NameHit] {
        &self.alias_hits[alias as usize]
    }

    /// The hits of `alias` that are `area` or lie below it.
    pub(crate) fn hits_within(&self, alias: u32, area: u32) -> &[NameHit] {
        let hits = &self.alias_hits[alias as usize];
        let (k, l, _) = self.keys[area as usize];
        let (lo_key, hi_key) = (k, k + TEN[12 - l as usize]);
        let key = |h: &NameHit| self.keys[h.area as usize].0;
        let lo = hits.partition_point(|h| key(h) < lo_key);
        let hi = lo + hits[lo..].partition_point(|h| key(h) < hi_key);
        &hits[lo..hi]
    }

    /// The hit of `alias` for exactly `area`, if any.
    pub(crate) fn hit_for(&self, alias: u32, area: u32) -> Option<&NameHit> {
        let hits = &self.alias_hits[alias as usize];
        let (k, l, _) = self.keys[area as usize];
        let lo = hits.partition_point(|h| (self.keys[h.area as usize].0, self.keys[h.area as usize].1) < (k, l));
        hits.get(lo).filter(|h| h.area == area)
    }

    /// The area's parent, if in the table.
    pub(crate) fn parent_index(&self, area: u32) -> Option<u32> {
        Some(self.keys[area as usize].2).filter(|&p| p != NO_PARENT)
    }

    /// Every name occurrence in `text` (normalised), overlapping ones included, as char offsets.
    pub(crate) fn find_all(&self, text: &[char]) -> Vec<GazMatch> {
        let mut out = Vec::new();
        for start in 0..text.len() {
            self.automaton.matches_at(text, start, |end, alias| out.push(GazMatch { start, end, alias }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str, level: AreaLevel) -> Vec<String> {
        aliases_of(name, level).into_iter().map(|a| a.0).collect()
    }

    #[test]
    fn aliases() {
        assert!(names("山东省", AreaLevel::Province).contains(&"山东".to_string()));
        assert!(names("内蒙古自治区", AreaLevel::Province).contains(&"内蒙古".to_string()));
        assert!(names("广西壮族自治区", AreaLevel::Province).contains(&"广西".to_string()));
        assert!(names("新疆维吾尔自治区", AreaLevel::Province).contains(&"新疆".to_string()));
        assert!(names("威海市", AreaLevel::City).contains(&"威海".to_string()));
        assert!(names("恩施土家族苗族自治州", AreaLevel::City).contains(&"恩施".to_string()));
        let ewenki = names("鄂温克族自治旗", AreaLevel::County);
        assert!(ewenki.contains(&"鄂温克".to_string()), "{ewenki:?}");
        assert!(ewenki.contains(&"鄂温克旗".to_string()), "{ewenki:?}");
        let wendeng = names("文登区", AreaLevel::County);
        assert!(wendeng.contains(&"文登市".to_string()) && wendeng.contains(&"文登".to_string()));
        assert!(names("环翠楼街道", AreaLevel::Town).contains(&"环翠楼".to_string()));
        let c = names("西门社区居委会", AreaLevel::Village);
        assert!(c.contains(&"西门社区".to_string()) && c.contains(&"西门".to_string()), "{c:?}");
        let v = names("张家村村民委员会", AreaLevel::Village);
        assert!(v.contains(&"张家村".to_string()), "{v:?}");
        // One-char leftovers are not names.
        assert!(!names("城区", AreaLevel::County).contains(&"城".to_string()));
    }

    #[test]
    fn builds_and_resolves() {
        let rows = parse_area_csv(
            "code,name,level,parent\n37,山东省,province,\n3710,威海市,city,37\n371002,环翠区,county,3710\n\
             371003,文登区,county,3710\n371002001,城关镇,town,371002\n371003001,城关镇,town,371003\n",
        )
        .unwrap();
        let g = Gazetteer::new(rows).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g.resolve("文登市", None, None), Resolved::Unique(AreaCode::parse("371003").unwrap()));
        assert!(matches!(g.resolve("城关镇", None, None), Resolved::Ambiguous(v) if v.len() == 2));
        let wendeng = AreaCode::parse("371003").unwrap();
        assert_eq!(
            g.resolve("城关镇", Some(AreaLevel::Town), Some(&wendeng)),
            Resolved::Unique(AreaCode::parse("371003001").unwrap())
        );
        assert_eq!(g.full_name(&AreaCode::parse("371003001").unwrap()), "山东省威海市文登区城关镇");
        assert_eq!(g.resolve("371002", None, None), Resolved::Unique(AreaCode::parse("371002").unwrap()));
    }

    #[test]
    fn rejects_bad_rows() {
        let bad_parent = vec![AreaRow {
            code: "3710".into(),
            name: "威海市".into(),
            level: AreaLevel::City,
            parent: Some("37".into()),
        }];
        assert!(Gazetteer::new(bad_parent).is_err());
        let bad_level =
            vec![AreaRow { code: "37".into(), name: "山东省".into(), level: AreaLevel::City, parent: None }];
        assert!(Gazetteer::new(bad_level).is_err());
    }
}
