//! Runs of words between numbers: where a run is cut into pieces (road endings, place endings,
//! locative words, noise), and which label each piece gets (road, poi, subpoi, assist …).
//!
//! Separate from the admin and number rules because it decides the boundaries inside
//! undelimited Chinese text, the other half of the grammar.

use super::lexicon::{
    admin_rank, ends_with_at, is_alnum, is_direction, word_at, word_ending, ADMIN_PIECE_ENDS, ASSIST_WORDS, DEVZONE_SUFFIXES, NOISE_WORDS,
    NUMBER_UNITS, PARK_SUFFIXES, PIECE_ENDS, ROAD_SUFFIXES,
};
use super::{Label, Run};

impl Run<'_> {
    /// A run of words up to the next number: roads, places, locative words.
    pub(super) fn words(&mut self, i: usize) -> usize {
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
                        let next_ok = !street_office && !matches!(c.get(e), Some('桥' | '段' | '站' | '村' | '小' | '社' | '店'));
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
            let label = if road { Label::Road } else { self.piece_label(pos, e) };
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
        if word_ending(c, e, &PARK_SUFFIXES).is_some_and(|w| e - s > w.chars().count()) && self.rank <= admin_rank(Label::City) {
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
            if (len >= 2 && (alone || !matches!(c.get(pos + len), Some('区' | '路' | '街' | '门' | '村' | '楼')))) || (alone && pos > 0)
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

    /// Labels a word piece by what came before it.
    pub(super) fn push_word(&mut self, label: Label, s: usize, e: usize) {
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
}
