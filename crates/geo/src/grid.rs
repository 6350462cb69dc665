//! Grid (网格) features and area boundaries as this crate holds them: WGS84 polygons with codes.

use civicgrid_domain::area::{AreaCode, GridCode};
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::ImportError;

/// The five kinds of grid in the national grid-management standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GridKind {
    /// 社区网格, an urban residential grid.
    Community,
    /// 村网格, a rural village grid.
    Village,
    /// 园区网格, an industrial park.
    IndustrialPark,
    /// 商圈网格, a business or shopping district.
    BusinessDistrict,
    /// 专属网格, a special grid (a school, hospital, campus or large site).
    Special,
}

impl GridKind {
    /// Every kind, in declaration order.
    pub const ALL: [GridKind; 5] =
        [GridKind::Community, GridKind::Village, GridKind::IndustrialPark, GridKind::BusinessDistrict, GridKind::Special];

    /// Stable snake_case name, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            GridKind::Community => "community",
            GridKind::Village => "village",
            GridKind::IndustrialPark => "industrial_park",
            GridKind::BusinessDistrict => "business_district",
            GridKind::Special => "special",
        }
    }

    /// The Chinese name used in grid registers.
    pub fn label_zh(self) -> &'static str {
        match self {
            GridKind::Community => "社区网格",
            GridKind::Village => "村网格",
            GridKind::IndustrialPark => "园区网格",
            GridKind::BusinessDistrict => "商圈网格",
            GridKind::Special => "专属网格",
        }
    }
}

impl fmt::Display for GridKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GridKind {
    type Err = ImportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let key = t.to_ascii_lowercase().replace(['-', ' '], "_");
        Ok(match key.as_str() {
            "community" | "社区网格" | "社区" | "城市社区" => GridKind::Community,
            "village" | "村网格" | "村" | "农村" | "农村网格" | "村庄" => GridKind::Village,
            "industrial_park" | "park" | "园区网格" | "园区" | "工业园区" => GridKind::IndustrialPark,
            "business_district" | "business" | "商圈网格" | "商圈" | "商务区" => GridKind::BusinessDistrict,
            "special" | "专属网格" | "专属" | "特殊" | "特殊网格" => GridKind::Special,
            _ => {
                return Err(ImportError::general(format!(
                    "unknown grid type `{t}`: expected community/社区网格, village/村网格, industrial_park/园区网格, business_district/商圈网格 or special/专属网格"
                )))
            }
        })
    }
}

/// The people attached to a grid, by username.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GridStaff {
    /// 网格长, the grid chief.
    pub chief: Vec<String>,
    /// 专职网格员, full-time grid workers.
    pub full_time: Vec<String>,
    /// 兼职网格员, part-time grid workers.
    pub part_time: Vec<String>,
    /// 驻格民警, the police officers posted to the grid.
    pub police: Vec<String>,
}

impl GridStaff {
    /// True if no one is attached.
    pub fn is_empty(&self) -> bool {
        self.chief.is_empty() && self.full_time.is_empty() && self.part_time.is_empty() && self.police.is_empty()
    }
}

/// One grid: code, register data and its WGS84 outline.
#[derive(Debug, Clone, PartialEq)]
pub struct GridFeature {
    /// The 15-digit grid code; its first 12 digits are the community.
    pub code: GridCode,
    /// Display name, e.g. "第1网格".
    pub name: String,
    /// The kind of grid.
    pub kind: GridKind,
    /// Number of households (户数).
    pub households: u32,
    /// Number of residents (人口).
    pub population: u32,
    /// The people attached to the grid.
    pub staff: GridStaff,
    /// The outline in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
}

/// The outline of an administrative area (county, town or community) in WGS84.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaBoundary {
    /// The area's division code.
    pub area: AreaCode,
    /// Display name, if the source had one.
    pub name: Option<String>,
    /// The outline in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_english_and_chinese() {
        for (s, k) in [
            ("community", GridKind::Community),
            ("社区网格", GridKind::Community),
            ("社区", GridKind::Community),
            ("村网格", GridKind::Village),
            ("农村", GridKind::Village),
            ("村", GridKind::Village),
            ("园区网格", GridKind::IndustrialPark),
            ("工业园区", GridKind::IndustrialPark),
            ("Industrial-Park", GridKind::IndustrialPark),
            ("商圈", GridKind::BusinessDistrict),
            ("商务区", GridKind::BusinessDistrict),
            ("专属网格", GridKind::Special),
            ("特殊", GridKind::Special),
        ] {
            assert_eq!(s.parse::<GridKind>().unwrap(), k, "{s}");
        }
        assert!("街道".parse::<GridKind>().unwrap_err().to_string().contains("街道"));
        for k in GridKind::ALL {
            assert_eq!(k.as_str().parse::<GridKind>().unwrap(), k);
            assert_eq!(k.label_zh().parse::<GridKind>().unwrap(), k);
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn staff_defaults_missing_lists() {
        let s: GridStaff = serde_json::from_str(r#"{"chief":["wang"]}"#).unwrap();
        assert_eq!(s.chief, ["wang"]);
        assert!(s.police.is_empty() && !s.is_empty());
        assert!(GridStaff::default().is_empty());
    }
}
