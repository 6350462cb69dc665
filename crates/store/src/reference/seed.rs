//! Reference data shipped under `data/`: the area tree of the seed cities and the default
//! category catalogue. Loaded by `migrate` and `demo`.

use civicgrid_domain::{AreaCode, Category, CategoryCode, DomainError};

use crate::prelude::*;
use crate::{Area, Result, StoreError};

/// The shipped area table (`data/areas/areas.csv`: `code,name,level,parent`).
pub const AREAS_CSV: &str = include_str!("../../../../data/areas/areas.csv");
const CATEGORIES_CSV: &str = include_str!("../../../../data/categories.csv");

/// Splits one CSV line; the shipped files quote only fields with commas and no quotes inside.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().expect("non-empty").push(c),
        }
    }
    out
}

/// Parses the data rows of a shipped CSV file: `row` gets the fields and answers the record or
/// the reason, which is reported with the file and line.
fn rows<T>(file: &str, text: &str, row: impl Fn(&[String]) -> Result<T, String>) -> Result<Vec<T>> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| row(&fields(l)).map_err(|e| StoreError::Corrupt(format!("{file} line {}: {e}", i + 1))))
        .collect()
}

/// The shipped area tree (four seed cities with their provinces).
pub fn areas() -> Result<Vec<Area>> {
    rows("areas.csv", AREAS_CSV, |f| {
        let [code, name, level, parent] = f else {
            return Err("expected 4 fields".into());
        };
        Ok(Area {
            code: AreaCode::parse(code).map_err(|e| e.to_string())?,
            name: name.clone(),
            level: level.parse().map_err(|e: DomainError| e.to_string())?,
            parent: if parent.is_empty() { None } else { Some(AreaCode::parse(parent).map_err(|e| e.to_string())?) },
        })
    })
}

/// The default category catalogue.
pub fn categories() -> Result<Vec<Category>> {
    rows("categories.csv", CATEGORIES_CSV, |f| {
        let [code, name, name_en, priority, level] = f else {
            return Err("expected 5 fields".into());
        };
        let code = CategoryCode::parse(code).map_err(|e| e.to_string())?;
        Ok(Category {
            parent: code.parent(),
            code,
            name: name.clone(),
            name_en: name_en.clone(),
            priority: priority.parse().map_err(|e: DomainError| e.to_string())?,
            handling_level: level.parse().map_err(|e: DomainError| e.to_string())?,
        })
    })
}

/// Loads the shipped areas and any missing default categories into `store`.
pub async fn seed_reference(store: &dyn Store) -> Result<()> {
    store.seed_areas(&areas()?).await?;
    let have: Vec<_> = store.categories().await?.into_iter().map(|c| c.code).collect();
    for c in categories()? {
        if !have.contains(&c.code) {
            store.put_category(&c).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn shipped_data_parses() {
        let areas = super::areas().unwrap();
        assert!(areas.len() > 7000);
        assert!(areas.iter().any(|a| a.code.as_str() == "371002001" && a.name == "环翠楼街道"));
        let cats = super::categories().unwrap();
        assert!(cats.iter().any(|c| c.code.as_str() == "1301" && c.name_en == "Water, power and heating"));
    }
}
