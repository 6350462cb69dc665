//! The common raw form: properties and checked coordinates, before domain types.
//!
//! Both formats are read into [`RawInput`]; the property (GeoJSON) and field (DBF) names each
//! meaning is accepted under are listed here, once for both.

use geo::MultiPolygon;
use serde_json::{Map, Value};
use shapefile::dbase;

use crate::ImportProblem;

#[derive(Debug, Clone)]
pub(super) enum Prop {
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Prop>),
    Obj(Map<String, Value>),
}

impl Prop {
    pub(super) fn from_json(v: &Value) -> Prop {
        match v {
            Value::Null => Prop::Null,
            Value::String(s) => Prop::Str(s.clone()),
            Value::Number(n) => n.as_f64().map(Prop::Num).unwrap_or(Prop::Null),
            Value::Bool(b) => Prop::Bool(*b),
            Value::Array(a) => Prop::List(a.iter().map(Prop::from_json).collect()),
            Value::Object(o) => Prop::Obj(o.clone()),
        }
    }

    pub(super) fn from_dbf(v: dbase::FieldValue) -> Prop {
        use dbase::FieldValue as F;
        match v {
            F::Character(Some(s)) | F::Memo(s) => Prop::Str(s),
            F::Numeric(Some(n)) | F::Currency(n) | F::Double(n) => Prop::Num(n),
            F::Float(Some(n)) => Prop::Num(f64::from(n)),
            F::Integer(n) => Prop::Num(f64::from(n)),
            F::Logical(Some(b)) => Prop::Bool(b),
            _ => Prop::Null,
        }
    }

    /// The value as trimmed text, or `None` if empty or not scalar.
    pub(super) fn text(&self) -> Option<String> {
        let s = match self {
            Prop::Str(s) => s.trim().to_string(),
            // A 15-digit code stored as a DBF number is exact in f64 (below 2^53).
            Prop::Num(n) if n.fract() == 0.0 && n.abs() < 1e16 => format!("{n:.0}"),
            Prop::Num(n) => n.to_string(),
            Prop::Bool(b) => b.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    }

    pub(super) fn is_empty(&self) -> bool {
        match self {
            Prop::Null => true,
            Prop::Str(s) => s.trim().is_empty(),
            Prop::List(l) => l.is_empty(),
            _ => false,
        }
    }
}

/// One feature as read, with properties keyed by lowercased name and coordinates already
/// checked and converted to WGS84.
pub(super) struct RawFeature {
    pub(super) index: usize,
    pub(super) props: Vec<(String, Prop)>,
    pub(super) geometry: Option<MultiPolygon<f64>>,
}

impl RawFeature {
    pub(super) fn get(&self, names: &[&str]) -> Option<&Prop> {
        names.iter().find_map(|n| self.props.iter().find(|(k, v)| k == n && !v.is_empty()).map(|(_, v)| v))
    }
}

/// Raw features plus the problems met while reading them; the builders add their own.
pub(super) struct RawInput {
    pub(super) features: Vec<RawFeature>,
    pub(super) problems: Vec<ImportProblem>,
}

pub(super) const GRID_CODE: &[&str] = &["code", "grid_code", "wgbm", "网格编码", "网格代码"];
pub(super) const AREA_CODE: &[&str] = &["code", "area", "area_code", "xzqdm", "qhdm", "行政区划代码", "区划代码"];
pub(super) const GRID_NAME: &[&str] = &["name", "wgmc", "网格名称", "mc", "名称"];
pub(super) const AREA_NAME: &[&str] = &["name", "xzqmc", "qhmc", "区划名称", "mc", "名称"];
pub(super) const KIND: &[&str] = &["type", "kind", "wglx", "网格类型", "类型"];
pub(super) const HOUSEHOLDS: &[&str] = &["households", "hs", "户数"];
pub(super) const POPULATION: &[&str] = &["population", "rk", "rks", "人口", "人口数"];
pub(super) const CHIEF: &[&str] = &["chief", "wgz", "网格长"];
pub(super) const FULL_TIME: &[&str] = &["full_time", "zzwgy", "专职网格员"];
pub(super) const PART_TIME: &[&str] = &["part_time", "jzwgy", "兼职网格员"];
pub(super) const POLICE: &[&str] = &["police", "zgmj", "驻格民警", "民警"];
