//! The fixture the HTTP tests share: a migrated store on one backend with the reference data,
//! the `urban` department (city level, main class 01) and accounts with the password `civicgrid`.

use civicgrid_domain::{AreaCode, CategoryCode, Department, Role};
use civicgrid_store::crypto::hash_password;
use civicgrid_store::testing::fresh;
use civicgrid_store::{seed, NewUser, Store};
use std::sync::{Arc, OnceLock};

/// One account: username, role, scope, department.
pub type Account<'a> = (&'a str, Role, &'a str, Option<&'a str>);

/// A seeded store on `backend` with `accounts`, and the guard that keeps its files alive.
pub async fn seeded_store(backend: &str, accounts: &[Account<'_>]) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    static HASH: OnceLock<String> = OnceLock::new();
    let (store, dir) = fresh(backend).await;
    seed::seed_reference(store.as_ref()).await.unwrap();
    store
        .put_department(&Department {
            id: "urban".into(),
            name: "综合行政执法局".into(),
            name_en: "Urban management".into(),
            area: AreaCode::parse("3710").unwrap(),
            categories: vec![CategoryCode::parse("01").unwrap()],
        })
        .await
        .unwrap();
    for (name, role, scope, dept) in accounts {
        let u = NewUser {
            username: (*name).into(),
            display_name: (*name).into(),
            password_hash: HASH.get_or_init(|| hash_password("civicgrid").unwrap()).clone(),
            role: *role,
            scope: AreaCode::parse(scope).unwrap(),
            department: dept.map(Into::into),
        };
        store.create_user(u, chrono::Utc::now()).await.unwrap();
    }
    (store, dir)
}
