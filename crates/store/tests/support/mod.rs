//! The fixtures the storage tests share: area codes, a fixed moment, the usual actors, a store
//! seeded with the reference data. Each test crate uses its own part of it.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use civicgrid_domain::{Actor, AreaCode, Channel, Command, DispatchTarget, NewCase, NewCaseInput, Role};
use civicgrid_store::testing::{fresh, Backend};
use civicgrid_store::{seed, CreateCase, Created, Store};
use std::sync::Arc;

/// An area code the tests know to be valid.
pub fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

/// The tests' "now": 2026-11-23 09:00 China time.
pub fn t0() -> DateTime<Utc> {
    "2026-11-23T01:00:00Z".parse().unwrap()
}

/// The city's command centre (区县/市 指挥中心).
pub fn dispatcher() -> Actor {
    Actor::User {
        id: "u-city".into(),
        username: "dispatcher".into(),
        role: Role::DistrictDispatcher,
        scope: code("3710"),
        department: None,
    }
}

/// A handler of the city's `urban` department.
pub fn handler() -> Actor {
    Actor::User {
        id: "u-h".into(),
        username: "handler".into(),
        role: Role::DepartmentHandler,
        scope: code("3710"),
        department: Some("urban".into()),
    }
}

/// A grid worker of village 371002001001.
pub fn worker() -> Actor {
    Actor::User { id: "u-w".into(), username: "worker".into(), role: Role::GridWorker, scope: code("371002001001"), department: None }
}

/// Dispatch to the city's `urban` department.
pub fn dispatch_urban() -> Command {
    Command::Dispatch { to: DispatchTarget::Department { id: "urban".into(), area: code("3710") }, instructions: None }
}

/// A fresh store on `backend` with the shipped reference data, and the guard of its files.
pub async fn seeded(backend: Backend) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    let (s, d) = fresh(backend).await;
    seed::seed_reference(s.as_ref()).await.unwrap();
    (s, d)
}

/// Reports a case of 0102 (暴露垃圾) by hotline in `area` at `now`, with an idempotency `key`.
pub async fn report(s: &dyn Store, area: &str, key: Option<&str>, now: DateTime<Utc>) -> Created {
    let cat = s.categories().await.unwrap().into_iter().find(|c| c.code.as_str() == "0102").unwrap();
    let input = NewCaseInput { description: "垃圾桶满溢".into(), channel: Channel::Hotline, ..Default::default() };
    let new = NewCase::validate(input, &cat, code(area)).unwrap();
    s.create_case(CreateCase { new, handling_level: cat.handling_level, actor: Actor::Public, idempotency_key: key.map(Into::into), now })
        .await
        .unwrap()
}
