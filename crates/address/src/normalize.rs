//! Text normalisation: full-width to half-width, punctuation and spaces dropped, Chinese
//! numerals before a unit turned into Arabic digits, with a map back to the input.

/// Normalised text with, for every normalised char, the index of the input char it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised chars.
    pub chars: Vec<char>,
    /// `map[i]` is the input char index that normalised char `i` came from (non-decreasing).
    pub map: Vec<usize>,
    /// Number of chars of the input.
    pub input_len: usize,
}

impl Normalized {
    /// The normalised text as a string.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The input char range `[start, end)` covered by normalised chars `[start, end)`.
    pub fn to_input(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || start >= self.map.len() {
            let at = self.map.get(start).copied().unwrap_or(self.input_len);
            return (at, at);
        }
        (self.map[start], self.map[end - 1] + 1)
    }

    /// True if input chars were dropped between normalised chars `i - 1` and `i` (a space or a
    /// punctuation mark stood there), which marks a likely boundary between components.
    pub fn gap_before(&self, i: usize) -> bool {
        i > 0 && i < self.map.len() && self.map[i] > self.map[i - 1] + 1
    }
}

/// Normalises an address for comparison: see [`normalize_mapped`].
pub fn normalize(s: &str) -> String {
    normalize_mapped(s).text()
}

/// Folds one char: full-width forms to ASCII, dashes to `-`, ASCII letters to upper case.
fn fold(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{30FC}' => '-',
        '\u{FE5F}' => '#',
        _ => c,
    };
    c.to_ascii_uppercase()
}

/// Punctuation and symbols that carry no address meaning once components are split.
fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || c.is_control()
        // CJK symbols and punctuation, except 〇 (a numeral) and 々.
        || (('\u{3000}'..='\u{303F}').contains(&c) && c != '\u{3007}' && c != '\u{3005}')
        || ('\u{2000}'..='\u{206F}').contains(&c)
        || ('\u{FE10}'..='\u{FE6F}').contains(&c)
        || matches!(c, '\u{00B7}' | '\u{00A0}' | '\u{FF5F}'..='\u{FF65}')
}

/// The value of a Chinese digit.
fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cn_multiplier(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// True for chars that may be part of a Chinese number.
pub(crate) fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_multiplier(c).is_some()
}

/// Units that follow a house, building, unit, floor or room number; a Chinese numeral is a
/// number only when one of these follows it (三号楼 is building 3, 三里屯 is a name).
const UNITS: &[&str] = &[
    "号", "楼", "栋", "幢", "座", "单元", "层", "室", "户", "弄", "巷", "组", "期", "区", "排", "街坊",
];

fn unit_at(chars: &[char], i: usize) -> bool {
    UNITS.iter().any(|u| (i..).zip(u.chars()).all(|(k, uc)| chars.get(k) == Some(&uc)))
}

/// Converts a run of Chinese numerals to digits: positional when it has 十/百/千
/// (二十三 → 23, 十五 → 15), digit by digit otherwise (一〇二 → 102).
fn cn_number(run: &[char]) -> Option<String> {
    if run.iter().any(|&c| cn_multiplier(c).is_some()) {
        let mut total = 0u32;
        let mut cur: Option<u32> = None;
        let mut last_mult = u32::MAX;
        for &c in run {
            if let Some(d) = cn_digit(c) {
                if cur.is_some() && d != 0 {
                    return None; // two digits in a row inside a positional number
                }
                cur = if d == 0 { None } else { Some(d) };
            } else if let Some(m) = cn_multiplier(c) {
                if m >= last_mult {
                    return None;
                }
                total += cur.unwrap_or(1) * m;
                cur = None;
                last_mult = m;
            }
        }
        total += cur.unwrap_or(0);
        Some(total.to_string())
    } else {
        run.iter().map(|&c| cn_digit(c).and_then(|d| char::from_digit(d, 10))).collect()
    }
}

/// Normalises `s` and keeps the map back to its chars.
///
/// - full-width letters, digits and punctuation become ASCII; the ideographic space a space;
///   ASCII letters become upper case (b座 and B座 are the same building);
/// - spaces and punctuation are dropped, except `#` and a `-` between two letters or digits
///   (12-3-1001 keeps its structure);
/// - a run of Chinese numerals followed by a unit (号, 楼, 栋, 幢, 座, 单元, 层, 室, 户, 弄, 巷, 组,
///   期, 区, 排) becomes Arabic digits: 三号楼 → 3号楼, 十五号 → 15号, 一〇二室 → 102室; names such as
///   三里屯 or 五常街道 stay as they are.
pub fn normalize_mapped(s: &str) -> Normalized {
    let folded: Vec<(char, usize)> = s.chars().enumerate().map(|(i, c)| (fold(c), i)).collect();
    let input_len = folded.len();
    // Drop punctuation, keeping a dash only between two alphanumerics.
    let mut kept: Vec<(char, usize)> = Vec::with_capacity(folded.len());
    for (k, &(c, i)) in folded.iter().enumerate() {
        if c == '#' {
            kept.push((c, i));
        } else if c == '-' {
            let prev = kept.last().map(|p| p.0);
            let next = folded[k + 1..].iter().map(|p| p.0).find(|&n| !n.is_whitespace());
            if prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && next.is_some_and(|n| n.is_ascii_alphanumeric() || is_cn_numeral(n))
            {
                kept.push(('-', i));
            }
        } else if !is_dropped(c) {
            kept.push((c, i));
        }
    }
    // Chinese numerals before a unit.
    let chars: Vec<char> = kept.iter().map(|p| p.0).collect();
    let mut out = Normalized { chars: Vec::with_capacity(chars.len()), map: Vec::with_capacity(chars.len()), input_len };
    let mut i = 0;
    while i < chars.len() {
        if is_cn_numeral(chars[i]) {
            let mut j = i;
            while j < chars.len() && is_cn_numeral(chars[j]) {
                j += 1;
            }
            if unit_at(&chars, j) {
                if let Some(digits) = cn_number(&chars[i..j]) {
                    let n = digits.chars().count();
                    for (k, d) in digits.chars().enumerate() {
                        // The last digit maps to the last numeral so spans end where they should.
                        let src = if k + 1 == n { j - 1 } else { (i + k).min(j - 1) };
                        out.chars.push(d);
                        out.map.push(kept[src].1);
                    }
                    i = j;
                    continue;
                }
            }
            for k in i..j {
                out.chars.push(chars[k]);
                out.map.push(kept[k].1);
            }
            i = j;
            continue;
        }
        out.chars.push(chars[i]);
        out.map.push(kept[i].1);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_to_half_width() {
        assert_eq!(normalize("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalize("１２－３－１００１"), "12-3-1001");
        assert_eq!(normalize("８＃楼"), "8#楼");
        assert_eq!(normalize("威海市\u{3000}环翠区"), "威海市环翠区");
        assert_eq!(normalize("b座"), "B座");
    }

    #[test]
    fn punctuation_and_spaces_dropped() {
        assert_eq!(normalize("山东省 威海市，环翠区。"), "山东省威海市环翠区");
        assert_eq!(normalize("光明路（东段）"), "光明路东段");
        assert_eq!(normalize("新威路-16号"), "新威路16号");
        assert_eq!(normalize("12 - 3"), "12-3");
    }

    #[test]
    fn chinese_numerals_before_units() {
        assert_eq!(normalize("三号楼二单元"), "3号楼2单元");
        assert_eq!(normalize("十五号"), "15号");
        assert_eq!(normalize("一〇二室"), "102室");
        assert_eq!(normalize("二十三栋"), "23栋");
        assert_eq!(normalize("十栋"), "10栋");
        assert_eq!(normalize("一百零五号"), "105号");
        assert_eq!(normalize("五楼"), "5楼");
        assert_eq!(normalize("两单元"), "2单元");
    }

    #[test]
    fn chinese_numerals_in_names_stay() {
        assert_eq!(normalize("三里屯"), "三里屯");
        assert_eq!(normalize("五常街道"), "五常街道");
        assert_eq!(normalize("九龙"), "九龙");
        assert_eq!(normalize("第三网格"), "第三网格");
        assert_eq!(normalize("七一路"), "七一路");
    }

    #[test]
    fn map_points_back_to_input() {
        let n = normalize_mapped("新威路 十五号");
        assert_eq!(n.text(), "新威路15号");
        // "15" covers 十五 (input chars 4..6), 号 is input char 6.
        assert_eq!(n.to_input(3, 6), (4, 7));
        assert_eq!(n.to_input(0, 3), (0, 3));
        assert!(n.gap_before(3));
        assert!(!n.gap_before(2));
        let n = normalize_mapped("十栋");
        assert_eq!(n.text(), "10栋");
        assert_eq!(n.to_input(0, 2), (0, 1));
    }
}
