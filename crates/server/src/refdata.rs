//! A short-lived in-memory copy of the reference tables (areas, categories, departments), so
//! that intake and case views do not query them per request. Servers stay stateless: the copy
//! is reloaded from the database every few seconds.

use civicgrid_domain::{AreaCode, Category, CategoryCode, Department};
use civicgrid_store::{Area, Store};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::error::ApiError;

const TTL: Duration = Duration::from_secs(30);

/// The reference tables.
#[derive(Debug, Default)]
pub struct RefData {
    /// Every area by code.
    pub areas: HashMap<String, Area>,
    /// Categories by code.
    pub categories: Vec<Category>,
    /// Departments by id.
    pub departments: Vec<Department>,
}

impl RefData {
    /// One category.
    pub fn category(&self, code: &CategoryCode) -> Option<&Category> {
        self.categories.iter().find(|c| &c.code == code)
    }

    /// One department.
    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// Reads the tables from the store.
    pub async fn load(store: &dyn Store) -> Result<RefData, civicgrid_store::StoreError> {
        let areas = store.areas().await?.into_iter().map(|a| (a.code.to_string(), a)).collect();
        Ok(RefData { areas, categories: store.categories().await?, departments: store.departments().await? })
    }

    /// The name of an area, or its code if unknown.
    pub fn area_name(&self, code: &AreaCode) -> String {
        self.areas.get(code.as_str()).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string())
    }
}

#[derive(Default)]
pub(crate) struct Cache {
    slot: RwLock<Option<(Instant, Arc<RefData>)>>,
}

impl Cache {
    pub(crate) async fn get(&self, store: &dyn Store) -> Result<Arc<RefData>, ApiError> {
        if let Some((at, data)) = self.slot.read().expect("not poisoned").as_ref() {
            if at.elapsed() < TTL {
                return Ok(data.clone());
            }
        }
        let data = Arc::new(RefData::load(store).await?);
        *self.slot.write().expect("not poisoned") = Some((Instant::now(), data.clone()));
        Ok(data)
    }

    pub(crate) fn invalidate(&self) {
        *self.slot.write().expect("not poisoned") = None;
    }
}
