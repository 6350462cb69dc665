//! Administration over HTTP on both backends: accounts with roles, scopes, departments and
//! passwords, and departments; every refusal names its field and writes nothing.

use civicgrid_store::backend_test;
use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use serde_json::{json, Value};

mod support;

use support::{call, login};

backend_test! {
    async fn admins_manage_accounts_and_departments_within_their_scope(b: Backend) {
        let accounts = [("admin", Role::Admin, "371002", None), ("dispatcher", Role::DistrictDispatcher, "3710", None)];
        let (store, _dir) = support::seeded_store(b, &accounts).await;
        let app = router(AppState::new(store, Cipher::from_bytes([3; 32]), ServerConfig::default()));
        let admin = login(&app, "admin", "civicgrid").await.1.unwrap();
        let dispatcher = login(&app, "dispatcher", "civicgrid").await.1.unwrap();

        let new = json!({"username": "handler7", "display_name": "执法队 李强", "role": "department_handler", "scope": "371002",
                         "department": "hc-urban", "password": "A-long-passw0rd"});
        // The department does not exist yet: refused, naming the field.
        let (s, e) = call(&app, "POST", "/api/v1/admin/users", Some(&admin), Some(new.clone())).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("department")), "{b}: {e}");
        let dept = json!({"name": "环翠区综合行政执法局", "area": "371002", "categories": ["01", "05"]});
        let (s, d) = call(&app, "PUT", "/api/v1/admin/departments/hc-urban", Some(&admin), Some(dept)).await;
        assert_eq!((s, d["id"].as_str()), (200, Some("hc-urban")), "{b}: {d}");
        let (_, list) = call(&app, "GET", "/api/v1/departments?category=0102", None, None).await;
        assert!(list.as_array().unwrap().iter().any(|d| d["id"] == "hc-urban"), "{b}: the picker sees it at once");
        let (s, e) = call(&app, "PUT", "/api/v1/admin/departments/hc-x", Some(&admin), Some(json!({"name": "x", "area": "371002", "categories": ["77"]}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("categories[0]")), "{b}");
        let (s, e) = call(&app, "PUT", "/api/v1/admin/departments/hc-x", Some(&admin), Some(json!({"name": "x", "area": "3710", "categories": ["01"]}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("area")), "{b}: above the admin's own scope");

        let (s, u) = call(&app, "POST", "/api/v1/admin/users", Some(&admin), Some(new.clone())).await;
        assert_eq!(s, 201, "{b}: {u}");
        assert!(u.get("password_hash").is_none() && !u.to_string().contains("A-long-passw0rd"));
        let id = u["id"].as_str().unwrap().to_string();
        let (s, _) = call(&app, "POST", "/api/v1/admin/users", Some(&admin), Some(new.clone())).await;
        assert_eq!(s, 409, "{b}: the username is taken");
        for (patch, field) in [
            (json!({"role": "leader"}), "department"),
            (json!({"scope": "371003"}), "scope"),
            (json!({"password": "short"}), "password"),
            (json!({"role": "boss"}), "role"),
        ] {
            let (s, e) = call(&app, "PATCH", &format!("/api/v1/admin/users/{id}"), Some(&admin), Some(patch.clone())).await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{b} {patch}: {e}");
        }
        let (s, _) = call(&app, "GET", "/api/v1/admin/users", Some(&dispatcher), None).await;
        assert_eq!(s, 403, "{b}");
        let (s, users) = call(&app, "GET", "/api/v1/admin/users", Some(&admin), None).await;
        let names: Vec<&str> = users.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
        assert_eq!((s, names), (200, vec!["admin", "handler7"]), "{b}: only accounts under the admin's scope");

        // The handler becomes a leader of 环翠区 with a new password; the old one stops working.
        let (s, u) = call(&app, "PATCH", &format!("/api/v1/admin/users/{id}"), Some(&admin),
                          Some(json!({"role": "leader", "department": null, "password": "Another-l0ng-one"}))).await;
        assert_eq!((s, u["role"].as_str(), u["department"].clone()), (200, Some("leader"), Value::Null), "{b}: {u}");
        assert_eq!(login(&app, "handler7", "A-long-passw0rd").await.0, 401, "{b}");
        let token = login(&app, "handler7", "Another-l0ng-one").await.1.unwrap();
        let (_, me) = call(&app, "GET", "/api/v1/me", Some(&token), None).await;
        assert_eq!(me["role"], "leader", "{b}: {me}");
        let (s, _) = call(&app, "PATCH", "/api/v1/admin/users/nobody", Some(&admin), Some(json!({"display_name": "x"}))).await;
        assert_eq!(s, 404, "{b}");

        // The catalogue belongs to a city-level admin.
        let cat = json!({"name": "共享单车乱停", "name_en": "Shared bikes parked badly", "priority": "normal", "handling_level": "town"});
        let (s, _) = call(&app, "PUT", "/api/v1/admin/categories/0599", Some(&admin), Some(cat.clone())).await;
        assert_eq!(s, 403, "{b}: a district admin may not");
        let (store2, _d2) = support::seeded_store(b, &[("cityadmin", Role::Admin, "3710", None)]).await;
        let app2 = router(AppState::new(store2, Cipher::from_bytes([3; 32]), ServerConfig::default()));
        let city = login(&app2, "cityadmin", "civicgrid").await.1.unwrap();
        let (s, c) = call(&app2, "PUT", "/api/v1/admin/categories/0599", Some(&city), Some(cat.clone())).await;
        assert_eq!((s, c["parent"].as_str()), (200, Some("05")), "{b}: {c}");
        let (_, all) = call(&app2, "GET", "/api/v1/categories", None, None).await;
        assert!(all.as_array().unwrap().iter().any(|c| c["code"] == "0599" && c["name"] == "共享单车乱停"), "{b}");
        let (s, e) = call(&app2, "PUT", "/api/v1/admin/categories/9901", Some(&city), Some(cat)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("code")), "{b}: no main class 99");
    }
}
