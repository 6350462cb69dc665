//! The OpenAPI document lists exactly the operations in `fixtures/openapi-operations.txt`, each
//! under its tag. A route added, removed or moved to another tag shows here; update the list on
//! purpose with `CIVICGRID_BLESS=1 cargo nextest run -p civicgrid-server --test openapi`.

use civicgrid_server::openapi::api_doc;

const LISTED: &str = include_str!("fixtures/openapi-operations.txt");

fn operations() -> String {
    let doc = api_doc();
    let mut ops = vec![];
    for (path, item) in &doc.paths.paths {
        let methods = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete), ("PATCH", &item.patch)];
        for (method, op) in methods {
            if let Some(op) = op {
                let tags = op.tags.clone().unwrap_or_default().join(",");
                let params: Vec<String> = op.parameters.iter().flatten().map(|p| p.name.clone()).collect();
                ops.push(format!("{method} {path} [{tags}] ({})", params.join(" ")));
            }
        }
    }
    ops.sort();
    ops.join("\n") + "\n"
}

#[test]
fn the_document_lists_the_known_operations() {
    let now = operations();
    if std::env::var_os("CIVICGRID_BLESS").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openapi-operations.txt"), &now).unwrap();
        return;
    }
    assert_eq!(now, LISTED, "the OpenAPI operations changed (bless on purpose, see the file's doc)");
}

#[test]
fn every_reference_resolves() {
    let doc = serde_json::to_value(api_doc()).unwrap();
    let text = doc.to_string();
    let schemas = &doc["components"]["schemas"];
    let missing: Vec<&str> = text
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !schemas[*name].is_object())
        .collect();
    assert!(missing.is_empty(), "references to missing schemas: {missing:?}");
}

#[test]
fn every_operation_answers_its_errors_in_the_shared_shape() {
    let doc = serde_json::to_value(api_doc()).unwrap();
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object(), "ErrorBody schema missing");
}

#[test]
#[ignore = "writes the whole document for a before/after comparison"]
fn dump() {
    std::fs::write(std::env::var("CIVICGRID_OPENAPI_DUMP").unwrap(), serde_json::to_string_pretty(&api_doc()).unwrap()).unwrap();
}

#[test]
fn the_answers_the_server_gives_are_documented() {
    let doc = serde_json::to_value(api_doc()).unwrap();
    let cases = &doc["paths"]["/api/v1/cases"];
    for code in ["400", "413", "415", "422", "500"] {
        assert!(cases["post"]["responses"][code].is_object(), "POST /api/v1/cases answers {code}");
    }
    for code in ["401", "403", "422"] {
        assert!(doc["paths"]["/api/v1/admin/users"]["post"]["responses"][code].is_object(), "POST /api/v1/admin/users answers {code}");
    }
    let limit = cases["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "limit").unwrap();
    assert_eq!((limit["schema"]["minimum"].as_f64(), limit["schema"]["maximum"].as_f64()), (Some(1.0), Some(200.0)), "{limit}");
    let q = doc["paths"]["/api/v1/addresses/match"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "q").unwrap().clone();
    assert_eq!(q["schema"]["minLength"], 1, "{q}");
}
