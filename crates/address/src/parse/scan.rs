//! The main loop of one parse: it walks the normalised text and hands each position to the
//! admin, number or word rules, then maps the labelled pieces back onto the input.
//!
//! Separate from the rules themselves so that the order in which they are tried, and the
//! small helpers every rule uses to record a piece, sit in one short file.

use super::lexicon::{is_alnum, is_cjk, starts_with_at, word_at, NUMBER_UNITS};
use super::{Component, Label, ParsedAddress, Run, Seg};

impl Run<'_> {
    pub(super) fn last_label(&self) -> Option<Label> {
        self.segs.iter().rev().find(|s| s.label != Label::Redundant && s.label != Label::Assist).map(|s| s.label)
    }

    pub(super) fn has(&self, label: Label) -> bool {
        self.segs.iter().any(|s| s.label == label)
    }

    pub(super) fn push(&mut self, label: Label, start: usize, end: usize) {
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

    pub(super) fn is_number_start(&self, i: usize) -> bool {
        let ch = self.c[i];
        (is_alnum(ch) || ch == '#' || ch == '-') && !self.letters_in_name(i)
    }

    pub(super) fn parse(&mut self) {
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

    /// Maps the pieces back onto the input and resolves the area.
    pub(super) fn finish(self, input: &str) -> ParsedAddress {
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
