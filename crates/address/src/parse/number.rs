//! Numbers with their units: road numbers, house, unit, floor and room numbers, dash-separated
//! chains (13-2-1102), numbered roads and parts (建设4路, 二区), and distances (往西100米).
//!
//! Separate because which label a number gets depends only on its unit and on what came
//! before it, a grammar of its own.

use super::lexicon::{ends_with_at, is_alnum, is_direction, word_at, NUMBER_UNITS};
use super::{Label, Run};

impl Run<'_> {
    /// A number with its unit, or a dash-separated chain of numbers.
    pub(super) fn number(&mut self, i: usize) -> usize {
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
        let floor_f =
            atom_text.len() > 1 && atom_text.ends_with('F') && atom_text[..atom_text.len() - 1].bytes().all(|b| b.is_ascii_digit());
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
        if matches!(label, Label::Subpoi | Label::Poi) && matches!(unit, Some("区") | Some("期")) && start > 0 && is_direction(c[start - 1])
        {
            let lone =
                self.segs.last().is_some_and(|l| l.end == start && l.end - l.start == 1 && matches!(l.label, Label::Poi | Label::Subpoi));
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
                let lone_direction =
                    l.end - l.start <= 2 && (l.start..l.end).all(|k| is_direction(c[k]) || matches!(c[k], '往' | '向' | '朝'));
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
                if l.end == start
                    && matches!(l.label, Label::Poi | Label::Subpoi)
                    && self.segs.iter().filter(|s| s.label == Label::Poi).count() <= 1
                {
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
}
