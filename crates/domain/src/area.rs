//! Area codes on the statistical division codes (统计用区划代码) and grid codes below them.
//!
//! A code is kept in its significant length (2, 4, 6, 9 or 12 digits), so that "is under" is a
//! prefix test and a range scan in the database. The zero-padded 12-digit form that the
//! statistics bureau publishes is accepted and shortened.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::DomainError;

/// The five levels of the area tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// 省 province, 2 digits.
    Province,
    /// 市 city (prefecture), 4 digits.
    City,
    /// 区县 county or district, 6 digits.
    County,
    /// 乡镇街道 town or street, 9 digits.
    Town,
    /// 村社区 village or community, 12 digits.
    Village,
}

impl AreaLevel {
    /// Number of significant digits of a code at this level.
    pub fn digits(self) -> usize {
        match self {
            AreaLevel::Province => 2,
            AreaLevel::City => 4,
            AreaLevel::County => 6,
            AreaLevel::Town => 9,
            AreaLevel::Village => 12,
        }
    }

    /// The level whose code has `len` digits.
    pub fn from_digits(len: usize) -> Option<Self> {
        Some(match len {
            2 => AreaLevel::Province,
            4 => AreaLevel::City,
            6 => AreaLevel::County,
            9 => AreaLevel::Town,
            12 => AreaLevel::Village,
            _ => return None,
        })
    }

    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaLevel::Province => "province",
            AreaLevel::City => "city",
            AreaLevel::County => "county",
            AreaLevel::Town => "town",
            AreaLevel::Village => "village",
        }
    }
}

impl FromStr for AreaLevel {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "province" => AreaLevel::Province,
            "city" => AreaLevel::City,
            "county" => AreaLevel::County,
            "town" => AreaLevel::Town,
            "village" => AreaLevel::Village,
            _ => return Err(DomainError::invalid("level", format!("unknown area level `{s}`"))),
        })
    }
}

/// A statistical division code in its significant length.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "371002001")]
pub struct AreaCode(String);

impl AreaCode {
    /// Parses a code of 2, 4, 6, 9 or 12 digits; a zero-padded 12-digit code is shortened to its
    /// level (`371002000000` is the county `371002`).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("area", format!("`{s}` is not a division code: digits only")));
        }
        let mut code = s.to_string();
        if code.len() == 12 {
            // Shorten the published zero padding, deepest group first.
            for (keep, pad) in [(9, "000"), (6, "000"), (4, "00"), (2, "00")] {
                if code.len() == keep + pad.len() && code.ends_with(pad) {
                    code.truncate(keep);
                }
            }
        }
        if AreaLevel::from_digits(code.len()).is_none() {
            return Err(DomainError::invalid(
                "area",
                format!("`{s}` has {} digits; a division code has 2, 4, 6, 9 or 12", s.len()),
            ));
        }
        if code.starts_with("00") {
            return Err(DomainError::invalid("area", format!("`{s}` has no province")));
        }
        Ok(AreaCode(code))
    }

    /// The level of this code.
    pub fn level(&self) -> AreaLevel {
        AreaLevel::from_digits(self.0.len()).expect("length checked on parse")
    }

    /// The code as digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parent in the tree, or `None` for a province.
    pub fn parent(&self) -> Option<AreaCode> {
        let len = match self.level() {
            AreaLevel::Province => return None,
            AreaLevel::City => 2,
            AreaLevel::County => 4,
            AreaLevel::Town => 6,
            AreaLevel::Village => 9,
        };
        Some(AreaCode(self.0[..len].to_string()))
    }

    /// This code cut to `level`, if it lies at or below that level.
    pub fn at_level(&self, level: AreaLevel) -> Option<AreaCode> {
        (self.0.len() >= level.digits()).then(|| AreaCode(self.0[..level.digits()].to_string()))
    }

    /// The path from the province down to this code, inclusive.
    pub fn path(&self) -> Vec<AreaCode> {
        let mut out = vec![self.clone()];
        while let Some(p) = out.last().unwrap().parent() {
            out.push(p);
        }
        out.reverse();
        out
    }

    /// True if `other` is this area or lies below it.
    pub fn contains(&self, other: &AreaCode) -> bool {
        other.0.starts_with(&self.0)
    }

    /// True if `other` (an area or grid code) lies at or below this area.
    pub fn contains_code(&self, other: &str) -> bool {
        other.starts_with(&self.0)
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AreaCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AreaCode::parse(&s)
    }
}

impl From<AreaCode> for String {
    fn from(c: AreaCode) -> String {
        c.0
    }
}

impl FromStr for AreaCode {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AreaCode::parse(s)
    }
}

/// A grid (网格) code: its community's 12-digit code followed by a 3-digit sequence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "371002001001001")]
pub struct GridCode(String);

impl GridCode {
    /// Parses a 15-digit grid code whose sequence is not `000`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.len() != 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("grid", format!("`{s}` is not a grid code: 12-digit community code + 3-digit sequence")));
        }
        if s.ends_with("000") {
            return Err(DomainError::invalid("grid", format!("`{s}`: grid sequence 000 is not allowed")));
        }
        AreaCode::parse(&s[..12])?;
        Ok(GridCode(s.to_string()))
    }

    /// The community or village the grid belongs to.
    pub fn community(&self) -> AreaCode {
        AreaCode(self.0[..12].to_string())
    }

    /// The code as digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GridCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        GridCode::parse(&s)
    }
}

impl From<GridCode> for String {
    fn from(c: GridCode) -> String {
        c.0
    }
}

impl fmt::Display for GridCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_level_and_padding() {
        assert_eq!(AreaCode::parse("37").unwrap().level(), AreaLevel::Province);
        assert_eq!(AreaCode::parse("3710").unwrap().level(), AreaLevel::City);
        assert_eq!(AreaCode::parse("371002").unwrap().level(), AreaLevel::County);
        assert_eq!(AreaCode::parse("371002001").unwrap().level(), AreaLevel::Town);
        assert_eq!(AreaCode::parse("371002001001").unwrap().level(), AreaLevel::Village);
        assert_eq!(AreaCode::parse("371002000000").unwrap().as_str(), "371002");
        assert_eq!(AreaCode::parse("371000000000").unwrap().as_str(), "3710");
        assert_eq!(AreaCode::parse("371002001000").unwrap().as_str(), "371002001");
    }

    #[test]
    fn refuses_malformed() {
        for bad in ["", "3", "37100", "3710a2", "0010", "1234567", "3710020010011"] {
            let err = AreaCode::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("area"), "{bad}");
        }
    }

    #[test]
    fn tree_relations() {
        let v = AreaCode::parse("371002001001").unwrap();
        let path: Vec<_> = v.path().iter().map(|c| c.to_string()).collect();
        assert_eq!(path, ["37", "3710", "371002", "371002001", "371002001001"]);
        assert!(AreaCode::parse("3710").unwrap().contains(&v));
        assert!(!AreaCode::parse("371003").unwrap().contains(&v));
        assert_eq!(v.at_level(AreaLevel::Town).unwrap().as_str(), "371002001");
        assert!(AreaCode::parse("3710").unwrap().at_level(AreaLevel::Town).is_none());
    }

    #[test]
    fn grid_codes() {
        let g = GridCode::parse("371002001001002").unwrap();
        assert_eq!(g.community().as_str(), "371002001001");
        assert!(GridCode::parse("371002001001000").is_err());
        assert!(GridCode::parse("37100200100100").is_err());
    }
}
