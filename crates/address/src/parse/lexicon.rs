//! The fixed vocabulary of the parsing rules: word lists (number units, road endings, locative
//! words, zone and place endings) with a lookup indexed by first and last char, and the char
//! and label tests the rules share.
//!
//! Kept apart from the rules so that the lists can be read and extended in one place without
//! wading through the grammar.

use std::sync::LazyLock;

use civicgrid_domain::area::AreaLevel;

use super::Label;

pub(super) fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

pub(super) fn starts_with_at(c: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(k, w)| c.get(k) == Some(&w))
}

pub(super) fn ends_with_at(c: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with_at(c, end - n, word)
}

/// A fixed word list indexed by first and last char, so that a lookup looks only at the words
/// that can match.
pub(super) struct WordSet {
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
pub(super) fn word_at(c: &[char], i: usize, words: &WordSet) -> Option<&'static str> {
    let first = *c.get(i)?;
    WordSet::bucket(&words.by_first, first).iter().find(|w| c.len() >= i + w.0.len() && c[i..i + w.0.len()] == w.0[..]).map(|w| w.1)
}

/// Which word of `words` ends at `end`, longest first.
pub(super) fn word_ending(c: &[char], end: usize, words: &WordSet) -> Option<&'static str> {
    let last = *c.get(end.checked_sub(1)?)?;
    WordSet::bucket(&words.by_last, last).iter().find(|w| end >= w.0.len() && c[end - w.0.len()..end] == w.0[..]).map(|w| w.1)
}

/// Units after a number.
#[rustfmt::skip]
pub(super) static NUMBER_UNITS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "号楼", "号院", "号门", "号", "栋", "幢", "座", "单元", "楼", "层", "室", "房", "户", "弄", "巷", "组", "期", "区", "排",
    "#楼", "#", "米", "街", "号铺", "铺", "号大街", "号大道", "号路", "号街", "号线", "支路", "路",
]));

/// Road endings.
pub(super) static ROAD_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&["路", "街", "大道", "大街", "巷", "弄", "胡同", "公路", "国道", "省道", "高速", "支路", "横路", "直街", "小道"])
});

/// Locative words (旁边, 对面…).
#[rustfmt::skip]
pub(super) static ASSIST_WORDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "斜对面", "对面", "旁边", "附近", "门口", "交叉口", "交汇处", "交界处", "交界", "十字路口", "隔壁", "后面", "前面", "里面",
    "东侧", "西侧", "南侧", "北侧", "东北侧", "东南侧", "西北侧", "西南侧", "东边", "西边", "南边", "北边", "东面", "西面",
    "南面", "北面", "楼下", "对过", "边上", "院内", "往东", "往西", "往南", "往北", "向东", "向西", "向南", "向北", "东首",
    "西首", "东北角", "东南角", "西北角", "西南角", "路口", "旁", "内",
]));

/// Noise that delivery addresses carry (电联: "call on arrival").
pub(super) static NOISE_WORDS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(&["电联", "电话联系", "联系电话", "提前致电", "提前联系", "提前电话", "NULL"]));

/// Endings of a development zone.
pub(super) static DEVZONE_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&["开发区", "高新区", "新区", "保税区", "经济区", "试验区", "实验区", "示范区", "产业集聚区", "高新园区"])
});

/// Endings after which a new component starts even inside a run of words (…开发区|振兴西路).
#[rustfmt::skip]
pub(super) static PIECE_ENDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&[
    "开发区", "高新区", "新区", "工业园区", "工业区", "园区", "工业园", "科技园", "社区", "街道", "小区", "花园", "广场", "大厦",
    "中心", "市场", "新村", "公寓", "家园", "商城", "大楼", "公司", "大学", "学院", "医院", "酒店", "宾馆", "区", "场", "厦", "院",
    "花苑", "名苑", "雅苑", "山庄", "华庭", "公馆",
    "寓", "司", "站",
]));

/// Endings of an admin area that split a run of words only in the admin part (…镇|…村).
pub(super) static ADMIN_PIECE_ENDS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["村", "镇", "乡"]));

/// Suffixes that may follow a short area name, by level (递铺 + 镇 for 递铺街道).
pub(super) fn level_suffixes(level: AreaLevel) -> &'static WordSet {
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
pub(super) static PARK_SUFFIXES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&["工业区", "工业园", "园区"]));

/// Text right after a name that shows the name is part of a longer one (新华路, 山东大学).
pub(super) fn continues_name(c: &[char], end: usize, strict: bool) -> bool {
    const NEXT1: &[char] = &['路', '街', '巷', '弄'];
    const NEXT1_SHORT: &[char] = &['桥', '村', '庄', '园', '苑', '店', '厂', '站', '湾', '府', '楼', '港', '湖', '山'];
    #[rustfmt::skip]
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

pub(super) fn level_label(level: AreaLevel) -> Label {
    match level {
        AreaLevel::Province => Label::Prov,
        AreaLevel::City => Label::City,
        AreaLevel::County => Label::District,
        AreaLevel::Town => Label::Town,
        AreaLevel::Village => Label::Community,
    }
}

/// Depth of an admin label, for "deeper than what we have".
pub(super) fn admin_rank(label: Label) -> u8 {
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

pub(super) fn is_direction(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
}

/// True for a CJK ideograph (the chars names are made of).
pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c) || c == '\u{3007}'
}
