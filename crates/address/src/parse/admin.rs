//! Administrative names (province … village): gazetteer matches chosen against what the address
//! said so far, names outside the table recognised by their suffix, and an admin block written
//! twice.
//!
//! The largest and most delicate set of rules, separate so that the ambiguity handling
//! (short names, towns moved between districts, repeated blocks) can be read on its own.

use std::sync::Arc;

use civicgrid_domain::area::AreaLevel;

use super::lexicon::{
    admin_rank, continues_name, ends_with_at, is_alnum, is_cjk, level_label, level_suffixes, starts_with_at, word_at, word_ending,
    DEVZONE_SUFFIXES,
};
use super::{Label, Run};
use crate::gazetteer::{AliasKind, GazMatch, NameHit};

impl Run<'_> {
    /// An admin block written twice: when the second says nothing the first contradicts
    /// (浙江省金华市 浙江省金华市永康市), the second is the repetition; when it names another
    /// area of a level the first gave (宁波市海曙区 宁波市镇海区), the first is.
    pub(super) fn settle_restarts(&mut self) {
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
            let continues =
                if h.kind == AliasKind::Short { cont_short || (starts_zone && area.level >= AreaLevel::County) } else { cont_full };
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
                        || (area.level == AreaLevel::County && self.area.is_none_or(|a| g.area_at(a).level <= AreaLevel::Province));
                    // A town named after a district the table does not know (江干区九堡).
                    let after_unknown_district = self.in_admin
                        && area.level == AreaLevel::Town
                        && self.segs.last().is_some_and(|s| matches!(s.label, Label::District | Label::Devzone))
                        && g.hits(m.alias).iter().filter(|x| g.area_at(x.area).level == AreaLevel::Town).count() == 1;
                    (self.in_admin || (chained && boundary_after)) && (chained || (shallow && self.in_admin) || after_unknown_district)
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
    pub(super) fn try_admin(&mut self, i: usize) -> Option<usize> {
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
                    || (g.area_at(an).level == AreaLevel::County && g.parent_index(an).is_some_and(|city| g.is_within(area, city)))
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
        self.starts
            .at(k)
            .iter()
            .any(|m| m.end - m.start >= 2 && m.end != end && self.admin_choice_scored(m).is_some_and(|x| !x.1 && x.2 < 3))
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
                    '村' if len <= 5 && self.rank >= admin_rank(Label::Town) && !ends_with_at(c, end, "新村") => Some(Label::Community),
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

    pub(super) fn admin_inside_at(&self, pos: usize, hard: usize) -> bool {
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

    pub(super) fn try_admin_inside(&mut self, pos: usize, hard: usize) -> Option<usize> {
        if self.admin_inside_at(pos, hard) {
            let saved = self.in_admin;
            self.in_admin = false;
            let r = self.try_admin(pos);
            self.in_admin = saved && r.is_none();
            return r;
        }
        None
    }
}
