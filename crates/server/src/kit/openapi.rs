//! The OpenAPI document and a docs page rendered from it.
//!
//! The docs page is rendered here by hand: the ready-made viewers (Swagger UI, Redoc, Scalar,
//! RapiDoc) load their scripts from a CDN or download them at build time, and civicgrid must
//! run on networks that reach neither.

use axum::http::header;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::fmt::Write;
use utoipa::openapi::path::Operation;
use utoipa::OpenApi;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The document's frame: title, the shared error shape. Each module adds its own paths and tag.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "civicgrid API",
        description = "City grid governance: cases, areas, categories, departments. \
        Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` with a stable `code`."
    ),
    components(schemas(super::error::ErrorBody, civicgrid_domain::EventKind))
)]
struct Frame;

/// An empty router for a module, carrying its OpenAPI tag (the docs page groups by tag).
pub fn module(tag: &str, description: &str) -> OpenApiRouter<AppState> {
    let mut doc = utoipa::openapi::OpenApi::default();
    doc.tags = Some(vec![utoipa::openapi::tag::TagBuilder::new().name(tag).description(Some(description)).build()]);
    OpenApiRouter::with_openapi(doc)
}

/// The whole OpenAPI document, gathered from the modules' routers.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    complete(crate::api().split_for_parts().1)
}

/// Adds the answers every operation of a kind may give, so that no status the server sends is
/// undocumented: a JSON body may be malformed (400), of another type (415) or too large (413);
/// query parameters may be refused (422); a guarded route answers 401 and 403; any route may
/// fail inside (500, with an incident id). The error body is always [`super::error::ErrorBody`].
pub(crate) fn complete(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{path::ParameterIn, ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |why: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(why)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
            let json_body = op.request_body.as_ref().is_some_and(|b| b.content.keys().any(|k| k.contains("json")));
            let queried = op.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Query);
            let in_path = op.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Path);
            let guarded = op.description.as_deref().is_some_and(|d| d.contains("Who may call: "));
            let mut add = |code: &str, why: &str, when: bool| {
                if when {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| error(why));
                }
            };
            add("400", "malformed_json: the body is not JSON, or has something after it", json_body);
            add("413", "payload_too_large: the body is over the route's limit", json_body);
            add("415", "malformed_json: the body is not declared application/json", json_body);
            add("422", "invalid_field: a parameter or field is refused; `field` names it", json_body || queried || in_path);
            add("404", "not_found: no such record (or not one the reader may see)", in_path);
            add("401", "unauthenticated: no session", guarded);
            add("403", "forbidden: the role may not call this route", guarded);
            add("500", "internal: the server failed; `incident` names the log entry", true);
        }
    }
    doc
}

/// The frame the modules' routers merge into.
pub(crate) fn frame() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Frame::openapi())
}

/// The document and its docs page, served from the document the app was built with.
pub(crate) fn router(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let page = docs_page(&doc);
    let json = serde_json::to_string(&doc).expect("the document serialises");
    Router::new()
        .route("/api/v1/openapi.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], json) }))
        .route("/docs", get(move || async move { Html(page) }))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A self-contained HTML page listing every operation with its parameters and answers.
pub fn docs_page(doc: &utoipa::openapi::OpenApi) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>civicgrid API</title>\
         <style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}\
         h2{border-bottom:1px solid #ddd;margin-top:2em}.op{margin:1em 0;padding:.6em 1em;border-left:4px solid #3a7}\
         code{background:#f3f3f3;padding:0 .3em}.m{font-weight:bold;text-transform:uppercase;margin-right:.5em}\
         table{border-collapse:collapse}td{padding:.1em .8em .1em 0;vertical-align:top}</style>",
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a></p>",
        esc(&doc.info.title),
        esc(doc.info.description.as_deref().unwrap_or_default())
    );
    let mut ops: Vec<(String, String, String, &Operation)> = vec![];
    for (path, item) in &doc.paths.paths {
        let methods = [("get", &item.get), ("post", &item.post), ("put", &item.put), ("delete", &item.delete), ("patch", &item.patch)];
        for (m, op) in methods {
            if let Some(op) = op {
                let tag = op.tags.as_ref().and_then(|t| t.first().cloned()).unwrap_or_default();
                ops.push((tag, path.clone(), m.to_string(), op));
            }
        }
    }
    ops.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut last_tag = String::new();
    for (tag, path, method, op) in ops {
        if tag != last_tag {
            let _ = write!(out, "<h2>{}</h2>", esc(&tag));
            last_tag = tag;
        }
        let _ = write!(
            out,
            "<div class=\"op\"><span class=\"m\">{method}</span><code>{}</code><p>{}</p>",
            esc(&path),
            esc(op.description.as_deref().or(op.summary.as_deref()).unwrap_or_default())
        );
        if let Some(params) = &op.parameters {
            out.push_str("<table>");
            for p in params {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(&p.name),
                    serde_json::to_value(&p.parameter_in).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
                    esc(p.description.as_deref().unwrap_or_default())
                );
            }
            out.push_str("</table>");
        }
        let answers: Vec<String> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| match r {
                utoipa::openapi::RefOr::T(r) => format!("{code} {}", esc(&r.description)),
                utoipa::openapi::RefOr::Ref(_) => code.clone(),
            })
            .collect();
        let _ = write!(out, "<p>Answers: {}</p></div>", answers.join(" · "));
    }
    out.push_str("</html>");
    out
}
