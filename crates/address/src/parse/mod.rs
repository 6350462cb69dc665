//! Address parsing: a normalised address is cut into labelled components (province … room)
//! by the gazetteer, the road and estate names of the address library, and rules on the
//! suffixes and numbers that Chinese addresses are made of.

use std::sync::Arc;

use civicgrid_domain::area::AreaCode;
use serde::{Deserialize, Serialize};

use crate::gazetteer::{GazMatch, Gazetteer};
use crate::names::NameIndex;
use crate::normalize::{normalize, normalize_mapped, Normalized};

// The parser is split by job. This file: the public types and the working state of one parse.
// `lexicon`: the fixed word lists and char tests the rules are written with; `scan`: the main
// loop over the normalised text and the mapping back onto the input; `admin`: administrative
// names; `number`: numbers with their units; `words`: runs of words between numbers.
mod admin;
mod lexicon;
mod number;
mod scan;
mod words;

#[cfg(test)]
mod tests;

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
