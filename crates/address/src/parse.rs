//! Address parsing: a normalised address is cut into labelled components (province … room)
//! by the gazetteer, the road and estate names of the address library, and rules on the
//! suffixes and numbers that Chinese addresses are made of.

use std::sync::{Arc, LazyLock};

use civicgrid_domain::area::{AreaCode, AreaLevel};
use serde::{Deserialize, Serialize};

use crate::gazetteer::{AliasKind, GazMatch, Gazetteer, NameHit};
use crate::names::NameIndex;
use crate::normalize::{normalize, normalize_mapped, Normalized};

/// The component labels, after the NAACL 2019 Chinese address parsing data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// 中国.
    Country,
    /// Province or autonomous region.
    Prov,
    /// City (prefecture).
    City,
    /// County or district.
    District,
    /// Development zone (开发区, 新区).
    Devzone,
    /// Town, township or street (乡镇街道).
    Town,
    /// Village or community (村, 社区).
    Community,
    /// Road.
    Road,
    /// A second road (crossing or lane).
    Subroad,
    /// Road number.
    Roadno,
    /// Number on the second road.
    Subroadno,
    /// Point of interest: estate, building, company.
    Poi,
    /// A part of the poi (东区, 二期).
    Subpoi,
    /// Building number (号楼, 栋, 幢, 座).
    Houseno,
    /// Unit (单元).
    Cellno,
    /// Floor.
    Floorno,
    /// Room.
    Roomno,
    /// A person or company at the address.
    Person,
    /// Locative words (旁边, 对面, 交叉口).
    Assist,
    /// Repeated or meaningless text.
    Redundant,
    /// Anything else.
    Otherinfo,
}

impl Label {
    /// Every label, in the order of the address.
    pub const ALL: [Label; 21] = [
        Label::Country,
        Label::Prov,
        Label::City,
        Label::District,
        Label::Devzone,
        Label::Town,
        Label::Community,
        Label::Road,
        Label::Subroad,
        Label::Roadno,
        Label::Subroadno,
        Label::Poi,
        Label::Subpoi,
        Label::Houseno,
        Label::Cellno,
        Label::Floorno,
        Label::Roomno,
        Label::Person,
        Label::Assist,
        Label::Redundant,
        Label::Otherinfo,
    ];

    /// Lowercase name as in the data set (`prov`, `devzone`, `subroadno` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Country => "country",
            Label::Prov => "prov",
            Label::City => "city",
            Label::District => "district",
            Label::Devzone => "devzone",
            Label::Town => "town",
            Label::Community => "community",
            Label::Road => "road",
            Label::Subroad => "subroad",
            Label::Roadno => "roadno",
            Label::Subroadno => "subroadno",
            Label::Poi => "poi",
            Label::Subpoi => "subpoi",
            Label::Houseno => "houseno",
            Label::Cellno => "cellno",
            Label::Floorno => "floorno",
            Label::Roomno => "roomno",
            Label::Person => "person",
            Label::Assist => "assist",
            Label::Redundant => "redundant",
            Label::Otherinfo => "otherinfo",
        }
    }

    /// The label with this name, case folded (`devZone` is `devzone`).
    pub fn from_name(s: &str) -> Option<Label> {
        let s = s.to_ascii_lowercase();
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }

    fn is_admin(self) -> bool {
        matches!(self, Label::Country | Label::Prov | Label::City | Label::District | Label::Devzone | Label::Town | Label::Community)
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One labelled piece of an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// What the piece is.
    pub label: Label,
    /// The piece as written in the input.
    pub text: String,
    /// First char of the piece in the input (char offset, not bytes).
    pub start: usize,
    /// One past its last char in the input.
    pub end: usize,
    /// The piece normalised (see [`crate::normalize()`]).
    pub normalized: String,
}

/// The result of parsing one address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ParsedAddress {
    /// The components in input order.
    pub components: Vec<Component>,
    /// The deepest area the address resolves to without doubt.
    pub area: Option<AreaCode>,
    /// When the next level down is ambiguous (城关镇 in several counties), the areas it may be.
    pub area_candidates: Vec<AreaCode>,
}

impl ParsedAddress {
    /// The first component with this label.
    pub fn first(&self, label: Label) -> Option<&Component> {
        self.components.iter().find(|c| c.label == label)
    }

    /// The normalised text of the first component with this label.
    pub fn value(&self, label: Label) -> Option<&str> {
        self.first(label).map(|c| c.normalized.as_str())
    }
}

/// Road and estate (poi) names known to the address library; they win over suffix rules.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    /// Road names (新威路).
    pub roads: Vec<String>,
    /// Estate, building and place names (海景花园).
    pub pois: Vec<String>,
}

/// Parses addresses against a gazetteer and optional dictionaries.
pub struct Parser {
    gazetteer: Arc<Gazetteer>,
    dict: Option<NameIndex>,
    dict_labels: Vec<Label>,
}

impl std::fmt::Debug for Parser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parser").field("gazetteer", &self.gazetteer).field("dictionary", &self.dict_labels.len()).finish()
    }
}

/// A piece found in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    label: Label,
    start: usize,
    end: usize,
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn starts_with_at(c: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(k, w)| c.get(k) == Some(&w))
}

fn ends_with_at(c: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with_at(c, end - n, word)
}

/// A fixed word list indexed by first and last char, so that a lookup looks only at the words
/// that can match.
struct WordSet {
    by_first: Vec<Bucket>,
    by_last: Vec<Bucket>,
}

/// The words of a set that start (or end) with one char, longest first.
type Bucket = (char, Vec<(Vec<char>, &'static str)>);

impl WordSet {
    fn new(words: &[&'static str]) -> Self {
        let mut by_first: Vec<Bucket> = Vec::new();
        let mut by_last: Vec<Bucket> = Vec::new();
        for &w in words {
            let chars: Vec<char> = w.chars().collect();
            for (key, table) in [(chars[0], &mut by_first), (*chars.last().unwrap(), &mut by_last)] {
                match table.iter_mut().find(|e| e.0 == key) {
                    Some(e) => e.1.push((chars.clone(), w)),
                    None => table.push((key, vec![(chars.clone(), w)])),
                }
            }
        }
        for table in [&mut by_first, &mut by_last] {
            table.sort_by_key(|e| e.0);
            for e in table.iter_mut() {
                e.1.sort_by_key(|w| std::cmp::Reverse(w.0.len()));
            }
        }
        WordSet { by_first, by_last }
    }

    fn bucket(table: &[Bucket], key: char) -> &[(Vec<char>, &'static str)] {
        table.binary_search_by_key(&key, |e| e.0).map(|k| &table[k].1[..]).unwrap_or(&[])
    }
}

/// Which word of `words` starts at `i`, longest first.
fn word_at(c: &[char], i: usize, words: &WordSet) -> Option<&'static str> {
    let first = *c.get(i)?;
    WordSet::bucket(&words.by_first, first).iter().find(|w| c.len() >= i + w.0.len() && c[i..i + w.0.len()] == w.0[..]).map(|w| w.1)
}

/// Which word of `words` ends at `end`, longest first.
fn word_ending(c: &[char], end: usize, words: &WordSet) -> Option<&'static str> {
    let last = *c.get(end.checked_sub(1)?)?;
    WordSet::bucket(&words.by_last, last).iter().find(|w| end >= w.0.len() && c[end - w.0.len()..end] == w.0[..]).map(|w| w.1)
}

/// Units after a number.
static NUMBER_UNITS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "号楼", "号院", "号门", "号", "栋", "幢", "座", "单元", "楼", "层", "室", "房", "户", "弄", "巷", "组", "期", "区", "排",
    "#楼", "#", "米", "街", "号铺", "铺", "号大街", "号大道", "号路", "号街", "号线", "支路", "路",
]));

/// Road endings.
static ROAD_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["路", "街", "大道", "大街", "巷", "弄", "胡同", "公路", "国道", "省道", "高速", "支路", "横路", "直街", "小道"]));

/// Locative words (旁边, 对面…).
static ASSIST_WORDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "斜对面", "对面", "旁边", "附近", "门口", "交叉口", "交汇处", "交界处", "交界", "十字路口", "隔壁", "后面", "前面", "里面",
    "东侧", "西侧", "南侧", "北侧", "东北侧", "东南侧", "西北侧", "西南侧", "东边", "西边", "南边", "北边", "东面", "西面",
    "南面", "北面", "楼下", "对过", "边上", "院内", "往东", "往西", "往南", "往北", "向东", "向西", "向南", "向北", "东首",
    "西首", "东北角", "东南角", "西北角", "西南角", "路口", "旁", "内",
]));

/// Noise that delivery addresses carry (电联: "call on arrival").
static NOISE_WORDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["电联", "电话联系", "联系电话", "提前致电", "提前联系", "提前电话", "NULL"]));

/// Endings of a development zone.
static DEVZONE_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["开发区", "高新区", "新区", "保税区", "经济区", "试验区", "实验区", "示范区", "产业集聚区", "高新园区"]));

/// Endings after which a new component starts even inside a run of words (…开发区|振兴西路).
static PIECE_ENDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "开发区", "高新区", "新区", "工业园区", "工业区", "园区", "工业园", "科技园", "社区", "街道", "小区", "花园", "广场", "大厦",
    "中心", "市场", "新村", "公寓", "家园", "商城", "大楼", "公司", "大学", "学院", "医院", "酒店", "宾馆", "区", "场", "厦", "院",
    "花苑", "名苑", "雅苑", "山庄", "华庭", "公馆",
    "寓", "司", "站",
]));

/// Endings of an admin area that split a run of words only in the admin part (…镇|…村).
static ADMIN_PIECE_ENDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["村", "镇", "乡"]));

/// Suffixes that may follow a short area name, by level (递铺 + 镇 for 递铺街道).
fn level_suffixes(level: AreaLevel) -> &'static WordSet {
    static SETS: LazyLock<[WordSet; 5]> = LazyLock::new(|| {
        [
            WordSet::new(&["省", "市"]),
            WordSet::new(&["市", "地区", "州", "盟"]),
            WordSet::new(&["区", "县", "市", "旗"]),
            WordSet::new(&["街道办事处", "街道", "镇", "乡", "办事处"]),
            WordSet::new(&["社区居委会", "居委会", "社区", "村委会", "村"]),
        ]
    });
    &SETS[match level {
        AreaLevel::Province => 0,
        AreaLevel::City => 1,
        AreaLevel::County => 2,
        AreaLevel::Town => 3,
        AreaLevel::Village => 4,
    }]
}

/// Endings of industrial parks.
static PARK_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["工业区", "工业园", "园区"]));

/// Text right after a name that shows the name is part of a longer one (新华路, 山东大学).
fn continues_name(c: &[char], end: usize, strict: bool) -> bool {
    const NEXT1: &[char] = &['路', '街', '巷', '弄'];
    const NEXT1_SHORT: &[char] = &['桥', '村', '庄', '园', '苑', '店', '厂', '站', '湾', '府', '楼', '港', '湖', '山'];
    static NEXT2: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
        "大道", "大街", "大厦", "大桥", "大学", "小区", "花园", "公园", "公寓", "公司", "广场", "市场", "中心", "中学", "小学",
        "医院", "新村", "家园", "商场", "商城", "宾馆", "酒店", "饭店", "工业", "科技", "山庄", "花苑", "国际", "银行", "电器",
        "服饰", "超市", "学校", "学院", "人民", "汽车", "大酒", "东路", "西路", "南路", "北路", "中路", "一路", "二路", "三路",
        "轻纺", "商贸", "国贸",
    ]));
    match c.get(end) {
        None => false,
        Some(ch) if NEXT1.contains(ch) => true,
        Some(ch) if !strict && NEXT1_SHORT.contains(ch) => true,
        Some(_) => word_at(c, end, &NEXT2).is_some(),
    }
}

fn level_label(level: AreaLevel) -> Label {
    match level {
        AreaLevel::Province => Label::Prov,
        AreaLevel::City => Label::City,
        AreaLevel::County => Label::District,
        AreaLevel::Town => Label::Town,
        AreaLevel::Village => Label::Community,
    }
}

/// Depth of an admin label, for "deeper than what we have".
fn admin_rank(label: Label) -> u8 {
    match label {
        Label::Country => 0,
        Label::Prov => 1,
        Label::City => 2,
        Label::District => 3,
        Label::Devzone => 4,
        Label::Town => 5,
        Label::Community => 6,
        _ => 7,
    }
}

fn is_direction(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
}

/// True for a CJK ideograph (the chars names are made of).
fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c) || c == '\u{3007}'
}

/// Items grouped by the char position they start at, in one allocation.
struct ByStart<T> {
    items: Vec<T>,
    offsets: Vec<u32>,
}

impl<T: Copy> ByStart<T> {
    /// Groups `items` (sorted by start) by `start_of`, for positions `0..=len`.
    fn new(items: Vec<T>, len: usize, start_of: impl Fn(&T) -> usize) -> Self {
        let mut offsets = vec![0u32; len + 2];
        for it in &items {
            offsets[start_of(it) + 1] += 1;
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        ByStart { items, offsets }
    }

    fn at(&self, i: usize) -> &[T] {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        &self.items[a..b]
    }
}

/// The working state of one parse.
struct Run<'a> {
    p: &'a Parser,
    c: &'a [char],
    norm: &'a Normalized,
    starts: ByStart<GazMatch>,
    dict_starts: ByStart<(usize, usize, Label)>,
    segs: Vec<Seg>,
    /// Deepest area resolved so far (gazetteer index).
    area: Option<u32>,
    /// Candidates when the last admin name was ambiguous.
    candidates: Vec<u32>,
    /// Caller's hint.
    scope: Option<u32>,
    /// Deepest admin rank seen (resolved or not).
    rank: u8,
    /// Still in the administrative prefix of the address.
    in_admin: bool,
    /// Where the address restarted its admin part: the first block's admin pieces with their
    /// labels, and the index of the restart's first piece.
    restarts: Vec<(Vec<(usize, Label)>, usize)>,
}

impl Parser {
    /// A parser over `gazetteer`, knowing the road and estate names of `dictionaries`.
    pub fn new(gazetteer: Arc<Gazetteer>, dictionaries: Dictionaries) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut labels = Vec::new();
        for (list, label) in [(&dictionaries.roads, Label::Road), (&dictionaries.pois, Label::Poi)] {
            for n in list {
                let n = normalize(n);
                if n.chars().count() >= 2 {
                    names.push(n);
                    labels.push(label);
                }
            }
        }
        let dict = (!names.is_empty()).then(|| NameIndex::new(&names));
        Parser { gazetteer, dict, dict_labels: labels }
    }

    /// The gazetteer the parser resolves areas with.
    pub fn gazetteer(&self) -> &Arc<Gazetteer> {
        &self.gazetteer
    }

    /// Parses one address.
    pub fn parse(&self, text: &str) -> ParsedAddress {
        self.parse_in(text, None)
    }

    /// Parses one address known to lie in `scope` (the caller's area), which settles names that
    /// exist in several places.
    pub fn parse_in(&self, text: &str, scope: Option<&AreaCode>) -> ParsedAddress {
        let norm = normalize_mapped(text);
        let c = &norm.chars[..];
        let mut found = self.gazetteer.find_all(c);
        found.sort_unstable_by_key(|m| (m.start, std::cmp::Reverse(m.end), m.alias));
        let starts = ByStart::new(found, c.len(), |m| m.start);
        let mut dict_found: Vec<(usize, usize, Label)> = Vec::new();
        if let Some(dict) = &self.dict {
            for start in 0..c.len() {
                dict.matches_at(c, start, |end, id| dict_found.push((start, end, self.dict_labels[id as usize])));
            }
            dict_found.sort_unstable_by_key(|d| (d.0, std::cmp::Reverse(d.1)));
        }
        let dict_starts = ByStart::new(dict_found, c.len(), |d| d.0);
        let scope_idx = scope.and_then(|s| self.gazetteer.index_of(s));
        let mut run = Run {
            p: self,
            c,
            norm: &norm,
            starts,
            dict_starts,
            segs: Vec::new(),
            area: None,
            candidates: Vec::new(),
            scope: scope_idx,
            rank: 0,
            in_admin: true,
            restarts: Vec::new(),
        };
        run.parse();
        run.finish(text)
    }
}

impl Run<'_> {
    fn last_label(&self) -> Option<Label> {
        self.segs.iter().rev().find(|s| s.label != Label::Redundant && s.label != Label::Assist).map(|s| s.label)
    }

    fn has(&self, label: Label) -> bool {
        self.segs.iter().any(|s| s.label == label)
    }

    fn push(&mut self, label: Label, start: usize, end: usize) {
        if start >= end {
            return;
        }
        if !label.is_admin() && label != Label::Redundant {
            self.in_admin = false;
        }
        self.segs.push(Seg { label, start, end });
    }

    /// A run of ASCII letters glued to the following ideographs (GQ生活馆) belongs to a name.
    fn letters_in_name(&self, i: usize) -> bool {
        let c = self.c;
        if !c[i].is_ascii_alphabetic() || (i > 0 && is_alnum(c[i - 1])) {
            return false;
        }
        let mut k = i;
        while k < c.len() && c[k].is_ascii_alphabetic() {
            k += 1;
        }
        let glued_before = i > 0 && is_cjk(c[i - 1]);
        k < c.len() && is_cjk(c[k]) && word_at(c, k, &NUMBER_UNITS).is_none() && (glued_before || k - i >= 2)
    }

    fn is_number_start(&self, i: usize) -> bool {
        let ch = self.c[i];
        (is_alnum(ch) || ch == '#' || ch == '-') && !self.letters_in_name(i)
    }

    fn parse(&mut self) {
        let n = self.c.len();
        let mut i = 0;
        if starts_with_at(self.c, 0, "中华人民共和国") {
            self.push(Label::Country, 0, 7);
            i = 7;
        } else if starts_with_at(self.c, 0, "中国") && self.starts.at(2).iter().any(|m| m.end - m.start >= 2) {
            self.push(Label::Country, 0, 2);
            i = 2;
        }
        while i < n {
            if let Some(end) = self.try_admin(i) {
                i = end;
                continue;
            }
            // A known road or estate name (which may hold digits: 和谐1期花园).
            if let Some(&(_, e, label)) = self.dict_starts.at(i).first() {
                self.push_word(label, i, e);
                i = e;
                continue;
            }
            if self.is_number_start(i) {
                i = self.number(i);
                continue;
            }
            i = self.words(i);
        }
        self.settle_restarts();
    }

    /// An admin block written twice: when the second says nothing the first contradicts
    /// (浙江省金华市 浙江省金华市永康市), the second is the repetition; when it names another
    /// area of a level the first gave (宁波市海曙区 宁波市镇海区), the first is.
    fn settle_restarts(&mut self) {
        for (first, at) in std::mem::take(&mut self.restarts) {
            if first.len() < 2 {
                continue;
            }
            let mut second = Vec::new();
            for k in at..self.segs.len() {
                let s = self.segs[k];
                if !(s.label.is_admin() || s.label == Label::Redundant) {
                    break;
                }
                if s.label != Label::Redundant && admin_rank(s.label) <= admin_rank(Label::District) {
                    second.push(k);
                }
            }
            let text = |k: usize| &self.c[self.segs[k].start..self.segs[k].end];
            let conflict = second.iter().any(|&k| {
                let l = self.segs[k].label;
                first.iter().any(|&(f, fl)| fl == l && text(f) != text(k))
            });
            // The block written in full forms is the one meant (山东 济南市 | 山东省 济南市 …).
            let full = |k: usize| {
                let t = text(k);
                t.last().is_some_and(|ch| matches!(ch, '省' | '市' | '区' | '县' | '旗' | '州' | '盟' | '镇' | '乡' | '道' | '村'))
            };
            let full_first = first.iter().filter(|&&(f, _)| full(f)).count();
            let full_second = second.iter().take(first.len()).filter(|&&k| full(k)).count();
            // Written twice in full, the first is the repetition; a shorter second block is.
            if conflict || full_second > full_first || second.len() >= first.len() {
                continue;
            }
            for &k in &second {
                self.segs[k].label = Label::Redundant;
            }
            for &(f, l) in &first {
                self.segs[f].label = l;
            }
        }
    }

    /// The area a gazetteer match may stand for here: (area, redundant repeat?).
    fn admin_choice(&self, m: &GazMatch) -> Option<(u32, bool)> {
        self.admin_choice_scored(m).map(|b| (b.0, b.1))
    }

    /// [`Self::admin_choice`] with its score: 0 repeat, 1 under the anchor, 2 no anchor, 3 unrelated.
    fn admin_choice_scored(&self, m: &GazMatch) -> Option<(u32, bool, u8)> {
        let g = &self.p.gazetteer;
        let anchor = self.area.or(self.scope);
        // An official name ending in its admin suffix stands even before 广场路; one without
        // (or a short form) is part of a longer name when a road or place word follows.
        let admin_ending = matches!(self.c[m.end - 1], '省' | '市' | '区' | '县' | '旗' | '镇' | '乡' | '道' | '村' | '州' | '盟')
            || ends_with_at(self.c, m.end, "社区");
        let cont_full = !admin_ending && continues_name(self.c, m.end, true);
        let cont_short = continues_name(self.c, m.end, false);
        // 余杭|经济开发区: a county or town name that starts a zone's name.
        let starts_zone = ["经济", "开发", "高新", "工业", "保税"].iter().any(|w| starts_with_at(self.c, m.end, w));
        let followed_by_official = self.starts.at(m.end).iter().any(|n| n.end - n.start >= 2 && g.has_official(n.alias));
        let boundary_after = m.end == self.c.len()
            || self.norm.gap_before(m.end)
            || self.c.get(m.end).is_some_and(|&ch| is_alnum(ch))
            || followed_by_official;
        let mut best: Option<(u32, bool, u8)> = None;
        // Past the admin prefix only a repetition or an area under the anchor can fit, so only
        // those hits are looked at.
        let mut repeats: [Option<NameHit>; 5] = [None; 5];
        let hits: &[NameHit] = match (self.in_admin, anchor) {
            (false, Some(an)) => {
                let mut up = self.area;
                let mut k = 0;
                while let Some(a) = up {
                    if let Some(h) = g.hit_for(m.alias, a) {
                        if k < repeats.len() {
                            repeats[k] = Some(*h);
                            k += 1;
                        }
                    }
                    up = g.parent_index(a);
                }
                g.hits_within(m.alias, an)
            }
            (false, None) if self.area.is_none() => return None,
            _ => g.hits(m.alias),
        };
        for h in repeats.iter().flatten().chain(hits.iter().filter(|h| !repeats.contains(&Some(**h)))) {
            let area = g.area_at(h.area);
            let label = level_label(area.level);
            let under = anchor.is_none_or(|a| g.is_within(h.area, a) && h.area != a);
            let under_area = self.area.is_none_or(|a| g.is_within(h.area, a) && h.area != a);
            let above = self.area.is_some_and(|a| g.is_within(a, h.area));
            let deeper = admin_rank(label) > self.rank;
            let continues = if h.kind == AliasKind::Short {
                cont_short || (starts_zone && area.level >= AreaLevel::County)
            } else {
                cont_full
            };
            if continues {
                continue;
            }
            // A repetition of an area already given.
            if above {
                if (h.kind != AliasKind::Short || boundary_after) && best.is_none_or(|b| b.2 > 0) {
                    best = Some((h.area, true, 0));
                }
                continue;
            }
            // A town moved to a new district keeps being written under its old one
            // (余杭区乔司 after 乔司 went to 临平区): the same city is enough.
            let same_city = self.in_admin
                && deeper
                && area.level == AreaLevel::Town
                && self.area.is_some_and(|a| {
                    g.area_at(a).level == AreaLevel::County && g.parent_index(a).is_some_and(|city| g.is_within(h.area, city))
                });
            if same_city && !under_area {
                if best.is_none_or(|b| b.2 > 2) {
                    best = Some((h.area, false, 2));
                }
                continue;
            }
            if !deeper || !under_area {
                // Unrelated to what the address said so far: only an official name in the
                // administrative prefix, as a last resort.
                if deeper && self.in_admin && h.kind == AliasKind::Full && best.is_none() {
                    best = Some((h.area, false, 3));
                }
                continue;
            }
            let chained = anchor.is_some() && under;
            let accept = match h.kind {
                AliasKind::Full | AliasKind::Alternative => self.in_admin || (chained && area.level >= AreaLevel::Town),
                AliasKind::Short => {
                    let shallow = area.level <= AreaLevel::City
                        || (area.level == AreaLevel::County
                            && self.area.is_none_or(|a| g.area_at(a).level <= AreaLevel::Province));
                    // A town named after a district the table does not know (江干区九堡).
                    let after_unknown_district = self.in_admin
                        && area.level == AreaLevel::Town
                        && self.segs.last().is_some_and(|s| matches!(s.label, Label::District | Label::Devzone))
                        && g.hits(m.alias).iter().filter(|x| g.area_at(x.area).level == AreaLevel::Town).count() == 1;
                    (self.in_admin || (chained && boundary_after))
                        && (chained || (shallow && self.in_admin) || after_unknown_district)
                }
            };
            if !accept {
                continue;
            }
            let score = if chained { 1 } else { 2 };
            match best {
                Some(b) if b.2 < score => {}
                Some(b) if b.2 == score && g.area_at(b.0).level <= area.level => {}
                _ => best = Some((h.area, false, score)),
            }
        }
        best
    }

    /// Tries an administrative name at `i`: the gazetteer first, then suffix rules.
    fn try_admin(&mut self, i: usize) -> Option<usize> {
        let g = Arc::clone(&self.p.gazetteer);
        let mut result = None;
        for mi in 0..self.starts.at(i).len() {
            let m = &self.starts.at(i)[mi].clone();
            // A longer known road or estate name starting here wins over an area name.
            if self.dict_starts.at(i).first().is_some_and(|d| d.1 > m.end) {
                break;
            }
            if m.end - m.start < 2 {
                continue;
            }
            let Some((area, redundant)) = self.admin_choice(m) else { continue };
            let a = g.area_at(area);
            // A short name with a suffix of its level (递铺镇 for 递铺街道, 富阳市 for 富阳区).
            let mut end = m.end;
            if let Some(s) = word_at(self.c, end, level_suffixes(a.level)) {
                if !g.hits(m.alias).iter().any(|h| h.kind != AliasKind::Short && h.area == area) {
                    end += s.chars().count();
                }
            }
            if redundant {
                // The address restarts: if the new block is as complete as the first one, the
                // first is the repetition (宁波 宁波市…, 浙江 绍兴市 … 浙江省 绍兴市 …).
                let first_rank = self.segs.iter().find(|s| s.label.is_admin() && s.label != Label::Country).map(|s| admin_rank(s.label));
                let mut restart_label = level_label(a.level);
                if a.level == AreaLevel::Province && matches!(a.code.as_str(), "11" | "12" | "31" | "50") {
                    restart_label = Label::City;
                }
                if self.in_admin && first_rank.is_some_and(|r| admin_rank(restart_label) <= r) {
                    let mut first = Vec::new();
                    for (k, s) in self.segs.iter_mut().enumerate() {
                        if s.label.is_admin() && s.label != Label::Country {
                            first.push((k, s.label));
                            s.label = Label::Redundant;
                        }
                    }
                    self.restarts.push((first, self.segs.len()));
                    self.area = Some(area);
                    self.candidates.clear();
                    self.rank = admin_rank(restart_label);
                    self.push(restart_label, m.start, end);
                } else {
                    self.push(Label::Redundant, m.start, end);
                }
                result = Some(end);
                break;
            }
            let mut label = level_label(a.level);
            if (a.level == AreaLevel::County && a.code.as_str()[4..].starts_with('7'))
                || (a.level >= AreaLevel::County && word_ending(self.c, end, &DEVZONE_SUFFIXES).is_some())
            {
                label = Label::Devzone;
            }
            // The four municipalities are cities in the way addresses are written.
            if a.level == AreaLevel::Province && matches!(a.code.as_str(), "11" | "12" | "31" | "50") {
                label = Label::City;
            }
            // Every area of the same name and level under the anchor is a candidate.
            let anchor = self.area.or(self.scope);
            let same: Vec<u32> = g
                .hits(m.alias)
                .iter()
                .map(|h| h.area)
                .filter(|&x| g.area_at(x).level == a.level)
                .filter(|&x| anchor.is_none_or(|an| g.is_within(x, an)))
                .collect();
            let in_anchor = anchor.is_none_or(|an| {
                g.is_within(area, an)
                    || (g.area_at(an).level == AreaLevel::County
                        && g.parent_index(an).is_some_and(|city| g.is_within(area, city)))
            });
            if same.len() > 1 {
                self.candidates = same;
            } else if in_anchor {
                self.area = Some(area);
                self.candidates.clear();
            }
            self.rank = self.rank.max(admin_rank(label));
            self.push(label, m.start, end);
            result = Some(end);
            break;
        }
        if result.is_some() {
            return result;
        }
        self.suffix_admin(i)
    }

    /// True if an area name that fits here starts at `k` and runs past `end`.
    fn known_admin_at(&self, k: usize, end: usize) -> bool {
        self.starts.at(k).iter().any(|m| m.end - m.start >= 2 && m.end != end && self.admin_choice_scored(m).is_some_and(|x| !x.1 && x.2 < 3))
    }

    /// An administrative name not in the gazetteer (an old district, a village outside the
    /// table), recognised by its suffix while the address is still in its admin prefix.
    fn suffix_admin(&mut self, i: usize) -> Option<usize> {
        if !self.in_admin {
            return None;
        }
        let c = self.c;
        let n = c.len();
        let limit = (i + 12).min(n);
        for end in i + 2..=limit {
            let ch = c[end - 1];
            if !is_cjk(ch) {
                return None;
            }
            let len = end - i;
            let label = if let Some(s) = word_ending(c, end, &DEVZONE_SUFFIXES) {
                (len > s.chars().count()).then_some(Label::Devzone)
            } else if ends_with_at(c, end, "街道") && len >= 4 {
                Some(Label::Town)
            } else if ends_with_at(c, end, "社区") && len >= 4 {
                (self.rank >= admin_rank(Label::District)).then_some(Label::Community)
            } else {
                match ch {
                    '省' if len <= 4 => Some(Label::Prov),
                    '市' if len <= 5 && c.get(end) != Some(&'场') => {
                        if self.rank < admin_rank(Label::City) {
                            Some(Label::City)
                        } else {
                            Some(Label::District)
                        }
                    }
                    '区' | '县' | '旗' if len <= 5 => {
                        const NOT_ADMIN: &[char] = &[
                            '小', '园', '校', '厂', '片', '景', '街', '矿', '营', '社', '商', '住', '城', '东', '西', '南', '北', '中',
                            '一', '二', '三', '四', '五', '六', '七', '八', '九', '期', '业', '港', '场', '游', '风',
                        ];
                        // Right after a city, 江东区 or 下城区 is a district all the same.
                        let after_city = len >= 3
                            && self.segs.last().is_some_and(|s| matches!(s.label, Label::City | Label::Prov))
                            && !matches!(c[end - 2], '小' | '园' | '校' | '厂' | '景' | '社' | '矿' | '片' | '营');
                        (after_city || !NOT_ADMIN.contains(&c[end - 2]) || ch != '区').then_some(Label::District)
                    }
                    '镇' | '乡' if len <= 5 => Some(Label::Town),
                    '村' if len <= 5 && self.rank >= admin_rank(Label::Town) && !ends_with_at(c, end, "新村") => {
                        Some(Label::Community)
                    }
                    _ => None,
                }
            };
            if let Some(label) = label {
                if continues_name(c, end, true) {
                    return None;
                }
                // The name may not run into a known area name.
                if (i + 2..end).any(|k| self.known_admin_at(k, end)) {
                    return None;
                }
                if admin_rank(label) <= self.rank && label != Label::Devzone {
                    return None;
                }
                if label == Label::Devzone && self.rank >= admin_rank(Label::Community) {
                    return None;
                }
                self.rank = self.rank.max(admin_rank(label));
                self.push(label, i, end);
                return Some(end);
            }
        }
        None
    }

    /// A number with its unit, or a dash-separated chain of numbers.
    fn number(&mut self, i: usize) -> usize {
        let c = self.c;
        let n = c.len();
        // Atoms: runs of letters and digits, joined by '-'.
        let mut atoms: Vec<(usize, usize)> = Vec::new();
        let mut k = i;
        loop {
            let s = k;
            while k < n && (is_alnum(c[k]) || (c[k] == '#' && k > s)) {
                k += 1;
            }
            if k == s {
                if atoms.is_empty() {
                    self.push(Label::Redundant, i, i + 1);
                    return i + 1;
                }
                break;
            }
            atoms.push((s, k));
            if k + 1 < n && c[k] == '-' && (is_alnum(c[k + 1]) || c[k + 1] == '#') {
                k += 1;
                continue;
            }
            break;
        }
        let (last_s, last_e) = *atoms.last().unwrap();
        let unit = word_at(c, last_e, &NUMBER_UNITS);
        let end = last_e + unit.map_or(0, |u| u.chars().count());
        let prev0 = self.last_label();
        let after_road = matches!(prev0, Some(Label::Road) | Some(Label::Subroad));
        let road_no = if prev0 == Some(Label::Subroad) { Label::Subroadno } else { Label::Roadno };
        if atoms.len() > 1 {
            // A range on a road (389-399号, 103-104) is one road number.
            if atoms.len() == 2 && after_road && !self.has(Label::Roadno) && matches!(unit, None | Some("号")) {
                let num = |(s, e): (usize, usize)| c[s..e].iter().collect::<String>().parse::<u32>().ok();
                let (a, b) = (num(atoms[0]), num(atoms[1]));
                let range = match (a, b) {
                    (Some(a), Some(b)) => b > a || (b < 10 && a < 100),
                    _ => true,
                };
                if range {
                    self.push(road_no, i, end);
                    return end;
                }
            }
            let mut labels: Vec<Label> = Vec::new();
            if after_road && !self.has(Label::Roadno) || prev0.is_some_and(|p| p.is_admin()) {
                labels.push(road_no);
            }
            let rest = atoms.len() - labels.len();
            let digits = |(s, e): (usize, usize)| c[s..e].iter().filter(|ch| ch.is_ascii_digit()).count();
            // After a road number the next number is the house (161-4号); after a house a
            // short number is the unit, a long one the room (13-2, 13-1102).
            let short_last = digits(atoms[atoms.len() - 1]) <= 2;
            let tail: &[Label] = match (rest, self.has(Label::Houseno)) {
                (1, _) if labels.first().is_some_and(|&l| l == road_no) && digits(atoms[1]) <= 3 => &[Label::Houseno],
                (1, _) => &[Label::Roomno],
                (2, false) if short_last => &[Label::Houseno, Label::Cellno],
                (2, false) => &[Label::Houseno, Label::Roomno],
                (2, true) => &[Label::Cellno, Label::Roomno],
                (3, _) => &[Label::Houseno, Label::Cellno, Label::Roomno],
                _ => &[Label::Houseno, Label::Cellno, Label::Floorno, Label::Roomno],
            };
            labels.extend_from_slice(tail);
            let count = atoms.len();
            for (idx, &(s, e)) in atoms.iter().enumerate() {
                if idx > 0 {
                    self.push(Label::Redundant, s - 1, s);
                }
                let mut l = labels.get(idx).copied().unwrap_or(Label::Roomno);
                let e = if idx + 1 == count {
                    // The unit of the last atom decides its label when it is explicit.
                    match unit {
                        Some("单元") => l = Label::Cellno,
                        Some("层") | Some("楼") => l = Label::Floorno,
                        Some("室") | Some("房") | Some("户") => l = Label::Roomno,
                        Some("栋") | Some("幢") | Some("座") | Some("号楼") => l = Label::Houseno,
                        _ => {}
                    }
                    end
                } else {
                    e
                };
                self.push(l, s, e);
            }
            return end;
        }
        let prev = prev0;
        let has_road = self.has(Label::Road);
        let atom_text: String = c[last_s..last_e].iter().collect();
        let short = atom_text.bytes().filter(u8::is_ascii_digit).count() <= 2;
        let floor_f = atom_text.len() > 1
            && atom_text.ends_with('F')
            && atom_text[..atom_text.len() - 1].bytes().all(|b| b.is_ascii_digit());
        let label = match unit {
            Some("号楼") | Some("栋") | Some("幢") | Some("座") | Some("#") | Some("#楼") | Some("排") => Label::Houseno,
            Some("单元") => Label::Cellno,
            Some("层") => Label::Floorno,
            Some("楼") => Label::Floorno,
            Some("室") | Some("房") | Some("户") | Some("号铺") | Some("铺") => Label::Roomno,
            Some("米") => Label::Assist,
            Some("号大街") | Some("号大道") | Some("号路") | Some("号街") | Some("号线") | Some("支路") | Some("路") => {
                if has_road {
                    Label::Subroad
                } else {
                    Label::Road
                }
            }
            Some("期") => {
                if self.has(Label::Poi) {
                    Label::Subpoi
                } else {
                    Label::Poi
                }
            }
            Some("区") => match prev {
                Some(Label::Poi) => Label::Subpoi,
                Some(Label::Subpoi) | Some(Label::Floorno) | Some(Label::Roomno) => Label::Person,
                _ if self.has(Label::Poi) => Label::Subpoi,
                _ => Label::Poi,
            },
            Some("组") => {
                if has_road {
                    Label::Poi
                } else {
                    Label::Road
                }
            }
            Some("街") if matches!(prev, Some(Label::Floorno) | Some(Label::Houseno) | Some(Label::Subpoi)) => Label::Cellno,
            Some("弄") | Some("巷") | Some("街") => {
                if after_road && !self.has(Label::Roadno) && unit == Some("弄") {
                    road_no
                } else if has_road || self.has(Label::Poi) {
                    Label::Subroad
                } else {
                    Label::Road
                }
            }
            Some("号") | Some("号院") | Some("号门") => match prev {
                Some(Label::Road) if !self.has(Label::Roadno) => Label::Roadno,
                Some(Label::Subroad) => Label::Subroadno,
                Some(Label::Road) => Label::Houseno,
                Some(Label::Houseno) => {
                    if c.get(end).is_some_and(|&x| is_alnum(x)) || short {
                        Label::Cellno
                    } else {
                        Label::Roomno
                    }
                }
                Some(Label::Cellno) | Some(Label::Floorno) => Label::Roomno,
                Some(Label::Poi) | Some(Label::Subpoi) => {
                    if has_road || c.get(end).is_some_and(|&x| is_alnum(x)) {
                        Label::Houseno
                    } else {
                        Label::Roadno
                    }
                }
                Some(Label::Roadno) => Label::Houseno,
                Some(l) if l.is_admin() => Label::Roadno,
                None => Label::Roadno,
                _ => Label::Roomno,
            },
            _ if floor_f => Label::Floorno,
            _ => {
                // A bare number: its place decides.
                let more = self.next_is_number(end);
                let digits = atom_text.chars().filter(|ch| ch.is_ascii_digit()).count();
                match prev {
                    Some(Label::Road) if !self.has(Label::Roadno) => Label::Roadno,
                    Some(Label::Subroad) => Label::Subroadno,
                    Some(Label::Houseno) => {
                        if more || digits <= 2 {
                            Label::Cellno
                        } else {
                            Label::Roomno
                        }
                    }
                    Some(Label::Cellno) | Some(Label::Floorno) | Some(Label::Roomno) => Label::Roomno,
                    Some(Label::Poi) | Some(Label::Subpoi) if !has_road && digits <= 3 => Label::Houseno,
                    Some(Label::Poi) | Some(Label::Subpoi) | Some(Label::Roadno) => {
                        if more || digits <= 2 {
                            Label::Houseno
                        } else {
                            Label::Roomno
                        }
                    }
                    Some(l) if l.is_admin() => Label::Roadno,
                    _ => {
                        if digits >= 3 {
                            Label::Roomno
                        } else {
                            Label::Houseno
                        }
                    }
                }
            }
        };
        // A direction right before 区/期 belongs to it (轻纺城|北四区).
        let mut start = last_s;
        // 负一楼, 地下2层: the basement sign belongs to the floor.
        if label == Label::Floorno && start > 0 && (c[start - 1] == '负' || ends_with_at(c, start, "地下")) {
            let sign = if c[start - 1] == '负' { 1 } else { 2 };
            if let Some(last) = self.segs.last_mut() {
                if last.end == start && last.end - last.start >= sign {
                    last.end -= sign;
                    start -= sign;
                    if last.end == last.start {
                        self.segs.pop();
                    }
                }
            }
        }
        if matches!(label, Label::Subpoi | Label::Poi) && matches!(unit, Some("区") | Some("期")) && start > 0 && is_direction(c[start - 1]) {
            let lone = self.segs.last().is_some_and(|l| l.end == start && l.end - l.start == 1 && matches!(l.label, Label::Poi | Label::Subpoi));
            if lone {
                let l = self.segs.pop().unwrap();
                start = l.start;
            } else if let Some(last) = self.segs.last_mut() {
                if last.end == start && last.end - last.start > 2 && matches!(last.label, Label::Poi | Label::Subpoi) {
                    last.end -= 1;
                    start -= 1;
                }
            }
        }
        let label = if label == Label::Subpoi && !self.has(Label::Poi) { Label::Poi } else { label };
        // A numbered part after a two-char place name is part of its name (诚信2区, 七堡六区);
        // after a longer name it is a part of the place (柴埠小区|一区).
        if label == Label::Subpoi && unit == Some("区") {
            if let Some(last) = self.segs.last_mut() {
                if last.label == Label::Poi && last.end == start && last.end - last.start <= 2 {
                    last.end = end;
                    return end;
                }
            }
        }
        // 往西100米, 南450米: the direction and the distance are one locative.
        if label == Label::Assist && unit == Some("米") {
            if let Some(l) = self.segs.last() {
                let lone_direction = l.end - l.start <= 2 && (l.start..l.end).all(|k| is_direction(c[k]) || matches!(c[k], '往' | '向' | '朝'));
                if l.end == start && (l.label == Label::Assist || lone_direction) {
                    let l = self.segs.pop().unwrap();
                    self.push(Label::Assist, l.start, end);
                    return end;
                }
            }
        }
        // A numbered road glued to its name (建设4路, 教育西4巷) is one road.
        if matches!(unit, Some("路") | Some("巷") | Some("街") | Some("支路")) || (unit == Some("弄") && label != Label::Roadno) {
            if let Some(l) = self.segs.last() {
                if l.end == start && matches!(l.label, Label::Poi | Label::Subpoi) && self.segs.iter().filter(|s| s.label == Label::Poi).count() <= 1 {
                    let l = self.segs.pop().unwrap();
                    let road = if self.has(Label::Road) { Label::Subroad } else { Label::Road };
                    self.push(road, l.start, end);
                    return end;
                }
            }
        }
        self.push(label, start, end);
        end
    }

    fn next_is_number(&self, i: usize) -> bool {
        self.c.get(i).is_some_and(|&x| is_alnum(x) || x == '-')
    }

    /// A run of words up to the next number: roads, places, locative words.
    fn words(&mut self, i: usize) -> usize {
        let c = self.c;
        let n = c.len();
        let mut hard = i + 1;
        while hard < n && !self.is_number_start(hard) && self.dict_starts.at(hard).is_empty() {
            hard += 1;
        }
        let followed_by_number = hard < n && self.is_number_start(hard);
        let mut pos = i;
        while pos < hard {
            // An area name inside the run (after a place name: 下沙 … 九堡镇).
            if pos > i {
                if let Some(e) = self.try_admin_inside(pos, hard) {
                    pos = e;
                    continue;
                }
            }
            if let Some(w) = word_at(c, pos, &NOISE_WORDS) {
                let e = pos + w.chars().count();
                self.push(Label::Redundant, pos, e);
                pos = e;
                continue;
            }
            if let Some(w) = self.assist_at(pos, hard) {
                self.push(Label::Assist, pos, pos + w);
                pos += w;
                continue;
            }
            // 中段, 东段 after a road: the part of that road.
            if pos + 2 <= hard
                && c[pos + 1] == '段'
                && (is_direction(c[pos]) || crate::normalize::is_cn_numeral(c[pos]) || c[pos] == '上' || c[pos] == '下')
                && matches!(self.last_label(), Some(Label::Road) | Some(Label::Subroad))
            {
                self.push(Label::Subroad, pos, pos + 2);
                pos += 2;
                continue;
            }
            // The piece ends at a road ending, a strong ending with more words after it, the
            // next locative word, or the run's end.
            let mut e = pos + 1;
            let mut road = false;
            while e < hard {
                if e > pos + 1 || c[pos] != '路' {
                    if let Some(s) = word_ending(c, e, &ROAD_SUFFIXES) {
                        let len = s.chars().count();
                        let street_office = s == "街" && c.get(e) == Some(&'道');
                        let next_ok =
                            !street_office && !matches!(c.get(e), Some('桥' | '段' | '站' | '村' | '小' | '社' | '店'));
                        if e - pos > len && next_ok {
                            road = true;
                            break;
                        }
                    }
                }
                if e - pos >= 2 && hard - e >= 2 {
                    let admin_end = (self.in_admin && e - pos >= 3).then(|| word_ending(c, e, &ADMIN_PIECE_ENDS)).flatten();
                    if let Some(s) = word_ending(c, e, &PIECE_ENDS).or(admin_end) {
                        let rest_is_suffix = word_at(c, e, &ROAD_SUFFIXES).is_some()
                            || word_at(c, e, &PIECE_ENDS).is_some()
                            || matches!(c[e], '区' | '园' | '场' | '城' | '苑' | '厦' | '楼');
                        let len = s.chars().count();
                        if (e - pos > len || len >= 3) && !rest_is_suffix {
                            break;
                        }
                    }
                }
                if self.assist_at(e, hard).is_some() || word_at(c, e, &NOISE_WORDS).is_some() {
                    break;
                }
                if e > pos + 1 && self.admin_inside_at(e, hard) {
                    break;
                }
                e += 1;
            }
            if !road && e == hard {
                if let Some(s) = word_ending(c, e, &ROAD_SUFFIXES) {
                    road = e - pos > s.chars().count();
                }
                // A name right before a road number is a road (河西北9号).
                if !road && followed_by_number && self.segs.iter().all(|s| s.label.is_admin() || s.label == Label::Redundant) {
                    let mut k = hard;
                    while k < n && is_alnum(c[k]) {
                        k += 1;
                    }
                    let unit = word_at(c, k, &NUMBER_UNITS);
                    if matches!(unit, Some("号") | Some("弄")) && matches!(c[e - 1], '道' | '线') && e - pos >= 3 {
                        road = true;
                    }
                }
            }
            // Road names are two to four chars and a suffix; a longer piece has a place name in
            // front of its road (杨庙|东信路, 青口|新光南路).
            let suffix = word_ending(c, e, &ROAD_SUFFIXES).map_or(1, |w| w.chars().count());
            let modifier = suffix == 1 && e >= 2 && (is_direction(c[e - 2]) || crate::normalize::is_cn_numeral(c[e - 2]));
            let road_len = if suffix >= 2 || modifier { 4 } else { 3 };
            if road && (e - pos >= 6 || (e - pos == 5 && road_len == 3)) {
                let split = e - road_len;
                let prefix = if self.in_admin && split - pos <= 3 {
                    if self.rank >= admin_rank(Label::District) && self.rank < admin_rank(Label::Town) {
                        Label::Town
                    } else if self.rank == admin_rank(Label::Town) {
                        Label::Community
                    } else {
                        self.piece_label(pos, split)
                    }
                } else {
                    self.piece_label(pos, split)
                };
                if matches!(prefix, Label::Town | Label::Community) {
                    self.rank = self.rank.max(admin_rank(prefix));
                    self.push(prefix, pos, split);
                } else {
                    self.push_word(prefix, pos, split);
                }
                self.push_word(Label::Road, split, e);
                pos = e;
                continue;
            }
            let label = if road {
                Label::Road
            } else {
                self.piece_label(pos, e)
            };
            // A direction part at the end of a longer place name (国际毛衫城|东区) is its own part.
            if !road && label == Label::Poi && e - pos >= 5 && c[e - 1] == '区' && matches!(c[e - 2], '东' | '西' | '南' | '北') {
                self.push_word(label, pos, e - 2);
                self.push_word(Label::Poi, e - 2, e);
                pos = e;
                continue;
            }
            // A direction closing a place name before a number (古荡新村西|34幢) is locative.
            if !road && e == hard && followed_by_number && e - pos >= 4 && is_direction(c[e - 1]) && c[e - 1] != '中' {
                self.push_word(label, pos, e - 1);
                self.push(Label::Assist, e - 1, e);
                pos = e;
                continue;
            }
            self.push_word(label, pos, e);
            pos = e;
        }
        hard
    }

    /// The label a non-road piece gets from its ending while the address is in its admin part.
    fn piece_label(&self, s: usize, e: usize) -> Label {
        let c = self.c;
        let admin_only = self.segs.iter().all(|x| x.label.is_admin() || x.label == Label::Redundant);
        if !admin_only {
            return Label::Poi;
        }
        if word_ending(c, e, &DEVZONE_SUFFIXES).is_some_and(|w| e - s > w.chars().count()) && self.rank < admin_rank(Label::Town) {
            return Label::Devzone;
        }
        // Industrial parks are zones only where no district or town was given.
        if word_ending(c, e, &PARK_SUFFIXES).is_some_and(|w| e - s > w.chars().count())
            && self.rank <= admin_rank(Label::City)
        {
            return Label::Devzone;
        }
        if (ends_with_at(c, e, "社区") || (ends_with_at(c, e, "村") && !ends_with_at(c, e, "新村")))
            && e - s >= 3
            && self.rank >= admin_rank(Label::District)
            && self.rank < admin_rank(Label::Community)
        {
            return Label::Community;
        }
        Label::Poi
    }

    /// Length of a locative word at `pos`, when it stands as one (not inside a name).
    fn assist_at(&self, pos: usize, hard: usize) -> Option<usize> {
        let c = self.c;
        if pos >= hard {
            return None;
        }
        if let Some(w) = word_at(c, pos, &ASSIST_WORDS) {
            let len = w.chars().count();
            let alone = pos + len == hard || self.assist_at(pos + len, hard).is_some();
            if (len >= 2 && (alone || !matches!(c.get(pos + len), Some('区' | '路' | '街' | '门' | '村' | '楼'))))
                || (alone && pos > 0)
            {
                return Some(len);
            }
        }
        // 与/和 between two roads; 口 right after a road (李屋路|口).
        if matches!(c[pos], '与' | '和' | '近' | '口')
            && self.segs.last().is_some_and(|s| s.end == pos && matches!(s.label, Label::Road | Label::Subroad))
        {
            return Some(1);
        }
        // A bare direction standing alone between numbers.
        if is_direction(c[pos]) && c[pos] != '中' && pos + 1 == hard && pos > 0 && is_alnum(c[pos - 1]) {
            return Some(1);
        }
        None
    }

    fn admin_inside_at(&self, pos: usize, hard: usize) -> bool {
        let g = &self.p.gazetteer;
        let Some(area) = self.area else { return false };
        self.starts.at(pos).iter().any(|m| {
            m.end <= hard
                && m.end - m.start >= 2
                && !continues_name(self.c, m.end, true)
                && g.hits_within(m.alias, area).iter().any(|h| {
                    h.kind != AliasKind::Short
                        && h.area != area
                        && g.area_at(h.area).level >= AreaLevel::Town
                        && admin_rank(level_label(g.area_at(h.area).level)) > self.rank
                })
        })
    }

    fn try_admin_inside(&mut self, pos: usize, hard: usize) -> Option<usize> {
        if self.admin_inside_at(pos, hard) {
            let saved = self.in_admin;
            self.in_admin = false;
            let r = self.try_admin(pos);
            self.in_admin = saved && r.is_none();
            return r;
        }
        None
    }

    /// Labels a word piece by what came before it.
    fn push_word(&mut self, label: Label, s: usize, e: usize) {
        let prev = self.last_label();
        let label = match label {
            Label::Road => {
                if self.has(Label::Road) && prev != Some(Label::Poi) {
                    Label::Subroad
                } else {
                    Label::Road
                }
            }
            Label::Devzone | Label::Community => {
                self.rank = self.rank.max(admin_rank(label));
                label
            }
            _ => {
                if self.has(Label::Poi) {
                    match prev {
                        Some(Label::Floorno) | Some(Label::Roomno) | Some(Label::Subpoi) | Some(Label::Person) => Label::Person,
                        Some(Label::Houseno) | Some(Label::Cellno) => Label::Subpoi,
                        _ => Label::Subpoi,
                    }
                } else if matches!(prev, Some(Label::Floorno) | Some(Label::Roomno)) {
                    Label::Person
                } else {
                    Label::Poi
                }
            }
        };
        self.push(label, s, e);
    }

    /// Maps the pieces back onto the input and resolves the area.
    fn finish(self, input: &str) -> ParsedAddress {
        let chars: Vec<char> = input.chars().collect();
        let mut components: Vec<Component> = Vec::with_capacity(self.segs.len());
        let mut covered_to = 0usize;
        for s in &self.segs {
            let (a, b) = self.norm.to_input(s.start, s.end);
            // Separators dropped by normalisation between two pieces are reported as redundant.
            if a > covered_to && covered_to > 0 {
                let gap: String = chars[covered_to..a].iter().collect();
                if gap.chars().any(|ch| !ch.is_whitespace()) {
                    let t = gap.trim();
                    let off = gap.chars().take_while(|ch| ch.is_whitespace()).count();
                    let len = t.chars().count();
                    components.push(Component {
                        label: Label::Redundant,
                        text: t.to_string(),
                        start: covered_to + off,
                        end: covered_to + off + len,
                        normalized: String::new(),
                    });
                }
            }
            components.push(Component {
                label: s.label,
                text: chars[a..b].iter().collect(),
                start: a,
                end: b,
                normalized: self.c[s.start..s.end].iter().collect(),
            });
            covered_to = b;
        }
        let g = &self.p.gazetteer;
        let area = self.area.map(|a| g.area_at(a).code.clone());
        let area_candidates = self.candidates.iter().map(|&a| g.area_at(a).code.clone()).collect();
        ParsedAddress { components, area, area_candidates }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "code,name,level,parent
33,浙江省,province,
3307,金华市,city,33
330784,永康市,county,3307
330784106,前仓镇,town,330784
3302,宁波市,city,33
330203,海曙区,county,3302
330211,镇海区,county,3302
";

    fn parse(text: &str) -> Vec<String> {
        let p = Parser::new(Arc::new(Gazetteer::from_csv(AREAS).unwrap()), Dictionaries::default());
        p.parse(text).components.iter().map(|c| format!("{}={}", c.label, c.text)).collect()
    }

    #[test]
    fn numbered_part_joins_a_short_name_and_splits_from_a_long_one() {
        assert_eq!(parse("永康市长乐二区5幢"), ["district=永康市", "poi=长乐二区", "houseno=5幢"]);
        assert_eq!(parse("永康市长乐花园小区二区5幢"), ["district=永康市", "poi=长乐花园小区", "subpoi=二区", "houseno=5幢"]);
    }

    #[test]
    fn direction_part_of_a_long_place_name() {
        assert_eq!(parse("永康市百货批发市场东区"), ["district=永康市", "poi=百货批发市场", "subpoi=东区"]);
    }

    #[test]
    fn numbers_after_a_road_number_or_a_house() {
        // 161-4号: the house on road number 161.
        assert_eq!(parse("永康市胜利路161-4号"), ["district=永康市", "road=胜利路", "roadno=161", "redundant=-", "houseno=4号"]);
        // 12-3 is house and unit, 12-302 house and room.
        assert_eq!(parse("永康市长乐花园12-3"), ["district=永康市", "poi=长乐花园", "houseno=12", "redundant=-", "cellno=3"]);
        assert_eq!(parse("永康市长乐花园12-302"), ["district=永康市", "poi=长乐花园", "houseno=12", "redundant=-", "roomno=302"]);
        // A single number after the house: short is the unit, long the room.
        assert_eq!(parse("永康市长乐花园5幢2号")[3], "cellno=2号");
        assert_eq!(parse("永康市长乐花园5幢302")[3], "roomno=302");
        // Up to three digits after a place with no road are its house number.
        assert_eq!(parse("永康市长乐花园118")[2], "houseno=118");
    }

    #[test]
    fn admin_block_written_twice() {
        // The same block again, shorter: the second is the repetition.
        assert_eq!(
            parse("浙江省金华市永康市浙江省永康市前仓镇"),
            ["prov=浙江省", "city=金华市", "district=永康市", "redundant=浙江省", "redundant=永康市", "town=前仓镇"]
        );
        // A short-form block then the full one: the first is the repetition.
        assert_eq!(
            parse("浙江金华市永康市浙江省金华市永康市前仓镇"),
            [
                "redundant=浙江",
                "redundant=金华市",
                "redundant=永康市",
                "prov=浙江省",
                "city=金华市",
                "district=永康市",
                "town=前仓镇"
            ]
        );
        // The second names another district: the first is the mistake.
        assert_eq!(parse("宁波市海曙区宁波市镇海区"), ["redundant=宁波市", "redundant=海曙区", "city=宁波市", "district=镇海区"]);
    }
}
