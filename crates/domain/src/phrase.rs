//! 常用语: the phrases a desk writes again and again — instructions with a dispatch, reasons for
//! sending work back, a handler's feedback — kept to be picked instead of typed. A phrase is a
//! person's own, or shared by an admin with everyone under his area.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::area::AreaCode;
use crate::text::bounded;
use crate::DomainError;

crate::case::string_enum!(
    /// What a phrase is for.
    PhraseKind, "kind" {
        /// 指示: instructions with a dispatch, supervision, a leader's note.
        Instruction = "instruction",
        /// 退回/驳回意见: why work is refused, returned or not passed.
        Rejection = "rejection",
        /// 办理反馈: what a handler did.
        Feedback = "feedback",
    }
);

/// Longest phrase, characters.
pub const PHRASE_MAX: usize = 200;
/// Phrases one person keeps.
pub const PERSONAL_MAX: usize = 50;

/// One phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Phrase {
    /// Id (UUID v7, or `default-…` for the shipped ones).
    pub id: String,
    /// What it is for.
    pub kind: PhraseKind,
    /// The words.
    pub text: String,
    /// The user whose own it is; none when shared.
    pub owner: Option<String>,
    /// Shared phrases reach everyone under this area ('' for the shipped ones: everyone).
    pub area: String,
    /// When it was kept.
    pub created_at: DateTime<Utc>,
}

impl Phrase {
    /// Checks the words: present, at most `PHRASE_MAX` characters, no control characters.
    pub fn text(raw: &str) -> Result<String, DomainError> {
        bounded("text", raw, PHRASE_MAX, true)
    }

    /// True for a shared phrase an admin of `scope` may remove: one under his area, or a shipped
    /// one for a city-level admin (or above).
    pub fn removable_by_admin(&self, scope: &AreaCode) -> bool {
        self.owner.is_none()
            && match AreaCode::parse(&self.area) {
                Ok(a) => scope.contains(&a),
                Err(_) => self.area.is_empty() && scope.as_str().len() <= 4,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(area: &str) -> Phrase {
        Phrase { id: "p".into(), kind: PhraseKind::Rejection, text: "x".into(), owner: None, area: area.into(), created_at: Utc::now() }
    }

    #[test]
    fn words_are_checked() {
        assert_eq!(Phrase::text("  请今日处理 ").unwrap(), "请今日处理");
        assert!(Phrase::text("   ").is_err());
        assert!(Phrase::text(&"长".repeat(PHRASE_MAX + 1)).unwrap_err().to_string().contains("at most 200"));
        assert!("opinion".parse::<PhraseKind>().is_err());
    }

    #[test]
    fn admins_remove_shared_phrases_under_their_area_only() {
        let city = AreaCode::parse("3710").unwrap();
        let town = AreaCode::parse("371002001").unwrap();
        assert!(shared("371002001").removable_by_admin(&city));
        assert!(!shared("3710").removable_by_admin(&town));
        assert!(shared("").removable_by_admin(&city), "the shipped ones: a city admin");
        assert!(!shared("").removable_by_admin(&town));
        let mine = Phrase { owner: Some("u1".into()), ..shared("3710") };
        assert!(!mine.removable_by_admin(&city), "a person's own is his");
    }
}
