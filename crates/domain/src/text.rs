//! Bounded text: every free-text field has a limit, checked on the way in.

use crate::DomainError;

/// Trims `value` and checks it is non-empty (if `required`) and at most `max` characters.
pub fn bounded(field: &str, value: &str, max: usize, required: bool) -> Result<String, DomainError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    let n = v.chars().count();
    if n > max {
        return Err(DomainError::invalid(field, format!("is {n} characters long; at most {max} allowed")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(DomainError::invalid(field, "contains control characters"));
    }
    Ok(v.to_string())
}

/// Limits on the free-text fields of a case.
pub mod limits {
    /// Title of a case.
    pub const TITLE: usize = 100;
    /// Description of a case.
    pub const DESCRIPTION: usize = 4000;
    /// Address as typed or spoken.
    pub const ADDRESS: usize = 200;
    /// Reasons, instructions, notes and comments.
    pub const NOTE: usize = 1000;
    /// Number of attachments on one event.
    pub const ATTACHMENTS: usize = 9;
    /// Length of one attachment reference.
    pub const ATTACHMENT_REF: usize = 300;
}

/// The key that sorts Chinese names the way a Chinese reader looks them up: each Han character
/// by its pinyin (without tones; the `pinyin` crate's readings), anything else as it is, lower
/// case. `Ord` on the raw strings would sort by code point, which follows no reading.
pub fn pinyin_key(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(name.len() * 3);
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => key.push_str(p.plain()),
            None => key.extend(c.to_lowercase()),
        }
        key.push(' ');
    }
    key
}

#[cfg(test)]
mod pinyin_tests {
    #[test]
    fn names_sort_by_their_reading() {
        let mut names = vec!["张村街道", "环翠楼街道", "孙家疃街道", "鲸园街道", "竹岛街道"];
        names.sort_by_key(|n| super::pinyin_key(n));
        assert_eq!(names, ["环翠楼街道", "鲸园街道", "孙家疃街道", "张村街道", "竹岛街道"]);
    }
}
