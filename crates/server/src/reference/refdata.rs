//! A short-lived in-memory copy of the reference tables (areas, categories, departments), so
//! that intake and case views do not query them per request. Servers stay stateless: the copy
//! is reloaded from the database when it is older than 30 s.

use civicgrid_domain::{AreaCode, Category, CategoryCode, Department};
use civicgrid_store::{Area, Store};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::kit::error::ApiError;

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

/// The copy and when it was loaded.
type Slot = Arc<RwLock<Option<(Instant, Arc<RefData>)>>>;

#[derive(Default)]
pub(crate) struct Cache {
    slot: Slot,
    loading: Arc<tokio::sync::Mutex<()>>,
}

impl Cache {
    /// The tables. A stale copy is answered at once while one background task reloads it; with
    /// no copy at all, one load serves every waiter. Loads run as their own tasks, so a client
    /// that gives up does not cancel them: on a loaded machine a load (some 50,000 areas) may
    /// outlast a client's timeout, and cancelled loads would never fill the cache.
    pub(crate) async fn get(&self, store: &Arc<dyn Store>) -> Result<Arc<RefData>, ApiError> {
        let current = self.slot.read().expect("not poisoned").clone();
        match current {
            Some((at, data)) if at.elapsed() < TTL => Ok(data),
            Some((_, data)) => {
                if let Ok(guard) = self.loading.clone().try_lock_owned() {
                    let (slot, store) = (self.slot.clone(), store.clone());
                    tokio::spawn(async move {
                        let _guard = guard;
                        match RefData::load(store.as_ref()).await {
                            Ok(d) => *slot.write().expect("not poisoned") = Some((Instant::now(), Arc::new(d))),
                            Err(e) => tracing::warn!(error = %e, "reloading the reference data failed; serving the old copy"),
                        }
                    });
                }
                Ok(data)
            }
            None => {
                let guard = self.loading.clone().lock_owned().await;
                if let Some((_, data)) = self.slot.read().expect("not poisoned").as_ref() {
                    return Ok(data.clone());
                }
                let (slot, store) = (self.slot.clone(), store.clone());
                let task = tokio::spawn(async move {
                    let _guard = guard;
                    let data = Arc::new(RefData::load(store.as_ref()).await?);
                    *slot.write().expect("not poisoned") = Some((Instant::now(), data.clone()));
                    Ok::<_, civicgrid_store::StoreError>(data)
                });
                let data = task.await.map_err(|e| ApiError::internal(format!("loading reference data: {e}")))??;
                Ok(data)
            }
        }
    }

    pub(crate) fn invalidate(&self) {
        *self.slot.write().expect("not poisoned") = None;
    }
}
