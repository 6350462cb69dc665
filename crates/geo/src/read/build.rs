//! Grids and area boundaries built from the raw form: codes, type, counts and staff checked,
//! every problem collected with its feature number.
//!
//! Separate from the readers because it is the same for GeoJSON and shapefiles.

use civicgrid_domain::area::{AreaCode, GridCode};
use serde_json::Value;

use super::raw::{
    Prop, RawFeature, RawInput, AREA_CODE, AREA_NAME, CHIEF, FULL_TIME, GRID_CODE, GRID_NAME, HOUSEHOLDS, KIND, PART_TIME, POLICE,
    POPULATION,
};
use crate::grid::{AreaBoundary, GridFeature, GridKind, GridStaff};
use crate::{ImportError, ImportProblem};

pub(super) fn build_grids(input: RawInput) -> Result<Vec<GridFeature>, ImportError> {
    let RawInput { features, mut problems } = input;
    let mut out = Vec::with_capacity(features.len());
    for f in features {
        let code_text = f.get(GRID_CODE).and_then(Prop::text);
        let c = code_text.as_deref();
        let before = problems.len();
        let code = match &code_text {
            None => {
                problems.push(ImportProblem::at(f.index, None, "missing grid code (property `code` or WGBM/网格编码)"));
                None
            }
            Some(t) => match GridCode::parse(t) {
                Ok(g) => Some(g),
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, c, format!("invalid grid code: {e}")));
                    None
                }
            },
        };
        let kind = match f.get(KIND).and_then(Prop::text) {
            None => GridKind::Community,
            Some(t) => match t.parse::<GridKind>() {
                Ok(k) => k,
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, c, e.problems[0].message.clone()));
                    GridKind::Community
                }
            },
        };
        let households = count(&f, HOUSEHOLDS, "households", c, &mut problems);
        let population = count(&f, POPULATION, "population", c, &mut problems);
        let mut staff = GridStaff::default();
        if let Some(Prop::Obj(o)) = f.get(&["staff"]) {
            match serde_json::from_value::<GridStaff>(Value::Object(o.clone())) {
                Ok(s) => staff = s,
                Err(e) => problems.push(ImportProblem::at(f.index, c, format!("invalid `staff` object: {e}"))),
            }
        }
        for (names, list, label) in [
            (CHIEF, &mut staff.chief, "chief"),
            (FULL_TIME, &mut staff.full_time, "full_time"),
            (PART_TIME, &mut staff.part_time, "part_time"),
            (POLICE, &mut staff.police, "police"),
        ] {
            if let Some(p) = f.get(names) {
                match usernames(p) {
                    Some(u) => *list = u,
                    None => problems.push(ImportProblem::at(
                        f.index,
                        c,
                        format!("`{label}` must be a username, a list separated by commas or 、, or an array of usernames"),
                    )),
                }
            }
        }
        let name = f.get(GRID_NAME).and_then(Prop::text).unwrap_or_default();
        if problems.len() == before {
            if let (Some(code), Some(geometry)) = (code, f.geometry) {
                out.push(GridFeature { code, name, kind, households, population, staff, geometry });
            }
        }
    }
    finish(out, problems)
}

pub(super) fn build_boundaries(input: RawInput) -> Result<Vec<AreaBoundary>, ImportError> {
    let RawInput { features, mut problems } = input;
    let mut out = Vec::with_capacity(features.len());
    for f in features {
        let code_text = f.get(AREA_CODE).and_then(Prop::text);
        let area = match &code_text {
            None => {
                problems.push(ImportProblem::at(f.index, None, "missing area code (property `code`)"));
                None
            }
            Some(t) => match AreaCode::parse(t) {
                Ok(a) => Some(a),
                Err(e) => {
                    problems.push(ImportProblem::at(f.index, Some(t), format!("invalid area code: {e}")));
                    None
                }
            },
        };
        let name = f.get(AREA_NAME).and_then(Prop::text);
        if let (Some(area), Some(geometry)) = (area, f.geometry) {
            out.push(AreaBoundary { area, name, geometry });
        }
    }
    finish(out, problems)
}

fn finish<T>(out: Vec<T>, mut problems: Vec<ImportProblem>) -> Result<Vec<T>, ImportError> {
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.sort_by_key(|p| p.feature.unwrap_or(0));
        Err(ImportError { problems })
    }
}

fn count(f: &RawFeature, names: &[&str], label: &str, code: Option<&str>, problems: &mut Vec<ImportProblem>) -> u32 {
    let Some(p) = f.get(names) else { return 0 };
    let n = match p {
        Prop::Num(n) => Some(*n),
        Prop::Str(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => n as u32,
        _ => {
            let shown = p.text().unwrap_or_else(|| "a non-number".into());
            problems.push(ImportProblem::at(f.index, code, format!("`{label}` must be a whole number ≥ 0, not `{shown}`")));
            0
        }
    }
}

fn usernames(p: &Prop) -> Option<Vec<String>> {
    match p {
        Prop::Str(s) => Some(s.split([',', '，', '、', ';', '；']).map(str::trim).filter(|u| !u.is_empty()).map(str::to_string).collect()),
        Prop::List(items) => items
            .iter()
            .map(|i| match i {
                Prop::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
