//! Case categories: a two-level tree of coded classes with a default priority and the level of
//! the area tree that normally handles them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AreaLevel, DomainError, Priority};

/// A category code: two digits for a main class, four for a subclass.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "0101")]
pub struct CategoryCode(String);

impl CategoryCode {
    /// Parses a 2- or 4-digit category code.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if !(s.len() == 2 || s.len() == 4) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("category", format!("`{s}` is not a category code (2 or 4 digits)")));
        }
        Ok(CategoryCode(s.to_string()))
    }

    /// The code's digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The main class of a subclass.
    pub fn parent(&self) -> Option<CategoryCode> {
        (self.0.len() == 4).then(|| CategoryCode(self.0[..2].to_string()))
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CategoryCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CategoryCode::parse(&s)
    }
}

impl From<CategoryCode> for String {
    fn from(c: CategoryCode) -> String {
        c.0
    }
}

/// One node of the category catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Category {
    /// Code, e.g. `0101`.
    pub code: CategoryCode,
    /// Chinese name shown to users.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Main class of a subclass.
    pub parent: Option<CategoryCode>,
    /// Priority a new case of this category starts with.
    pub priority: Priority,
    /// The level of the area tree whose centre handles such cases.
    pub handling_level: AreaLevel,
}
