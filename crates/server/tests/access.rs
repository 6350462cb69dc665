//! The access guards, read from the OpenAPI document itself: every operation a module's router
//! put behind a guard says so ("Who may call: …"), answers 401 without a session, and 403 to a
//! signed-in role it does not name. An operation that says nothing is open to the public.

use civicgrid_domain::Role;
use civicgrid_server::openapi::api_doc;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::testing::Backend;

mod support;
use support::{call, login};

/// Every guarded operation: method, path with its parameters filled, and the roles named.
fn guarded() -> Vec<(String, String, String)> {
    let doc = api_doc();
    let mut out = vec![];
    for (path, item) in &doc.paths.paths {
        let methods = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete), ("PATCH", &item.patch)];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let Some(who) = op.description.as_deref().and_then(|d| d.split("Who may call: ").nth(1)) else { continue };
            let filled = path.replace("{id}", "0194a000-0000-7000-8000-000000000000").replace("{code}", "x").replace("{action}", "accept");
            out.push((method.to_string(), filled, who.to_string()));
        }
    }
    out
}

#[tokio::test]
async fn every_guarded_operation_refuses_the_public_and_the_roles_it_does_not_name() {
    let (store, _dir) =
        support::seeded_store(Backend::Sqlite, &[("resident", Role::Resident, "3710", None), ("leader", Role::Leader, "3710", None)]).await;
    let app = router(AppState::new(store, Cipher::from_bytes([3; 32]), ServerConfig::default()));
    let resident = login(&app, "resident", "civicgrid").await.1.unwrap();
    let leader = login(&app, "leader", "civicgrid").await.1.unwrap();
    let ops = guarded();
    assert!(ops.len() >= 25, "the guards cover the signed-in routes: {ops:?}");
    for (method, path, who) in &ops {
        let (s, e) = call(&app, method, path, None, None).await;
        assert_eq!((s, e["error"]["code"].as_str()), (401, Some("unauthenticated")), "{method} {path} without a session");
        for (role, token) in [("resident", &resident), ("leader", &leader)] {
            let named = who.contains("any signed-in account") || who.contains(&format!("`{role}`"));
            let (s, e) = call(&app, method, path, Some(token), None).await;
            if named {
                assert_ne!(s, 403, "{method} {path} names {role} but refused: {e}");
            } else {
                assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")), "{method} {path} for {role}");
                assert!(!e["error"]["message"].as_str().unwrap_or_default().is_empty(), "{method} {path}: the refusal says why");
            }
        }
    }
}

#[test]
fn the_public_operations_are_the_ones_meant_to_be_public() {
    let doc = api_doc();
    let mut open: Vec<String> = vec![];
    for (path, item) in &doc.paths.paths {
        for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete), ("PATCH", &item.patch)]
        {
            if op.as_ref().is_some_and(|o| !o.description.as_deref().unwrap_or_default().contains("Who may call: ")) {
                open.push(format!("{method} {path}"));
            }
        }
    }
    open.sort();
    let meant = [
        "DELETE /api/v1/session",
        "GET /api/v1/areas/{code}",
        "GET /api/v1/areas/{code}/children",
        "GET /api/v1/attachments/{id}",
        "GET /api/v1/attachments/{id}/thumb",
        "GET /api/v1/boundaries",
        "GET /api/v1/calendar/deadline",
        "GET /api/v1/cases/{id}",
        "GET /api/v1/cases/{id}/events",
        "GET /api/v1/categories",
        "GET /api/v1/departments",
        "GET /api/v1/grids",
        "GET /api/v1/grids/{code}",
        "GET /api/v1/locate",
        // The basemap and the road sketches: what every map shows, residents' included.
        "GET /api/v1/map/basemap",
        "GET /api/v1/map/basemap.pmtiles",
        "GET /api/v1/map/roads",
        // Reports near a point: category, state, day and a rounded place, nothing personal.
        "GET /api/v1/nearby",
        "GET /api/v1/track/{code}",
        // The reply's photos, with the receipt.
        "GET /api/v1/track/{code}/photos/{id}",
        "GET /healthz",
        "GET /readyz",
        "POST /api/v1/attachments",
        "POST /api/v1/cases",
        "POST /api/v1/session",
        "POST /api/v1/track/{code}/rate",
    ];
    assert_eq!(open, meant, "a route became public or stopped being so");
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_405_and_head_is_guarded_like_get() {
    let (store, _dir) = support::seeded_store(Backend::Sqlite, &[("resident", Role::Resident, "3710", None)]).await;
    let app = router(AppState::new(store, Cipher::from_bytes([3; 32]), ServerConfig::default()));
    let resident = login(&app, "resident", "civicgrid").await.1.unwrap();
    for (method, path) in [("TRACE", "/api/v1/admin/users"), ("PUT", "/api/v1/admin/users"), ("DELETE", "/api/v1/evaluation")] {
        assert_eq!(call(&app, method, path, Some(&resident), None).await.0, 405, "{method} {path}");
        assert_eq!(call(&app, method, path, None, None).await.0, 405, "{method} {path} without a session");
    }
    assert_eq!(call(&app, "HEAD", "/api/v1/admin/users", Some(&resident), None).await.0, 403, "HEAD is GET's twin");
    assert_eq!(call(&app, "HEAD", "/api/v1/admin/users", None, None).await.0, 401);
}
