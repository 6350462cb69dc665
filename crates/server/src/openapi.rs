//! The OpenAPI document and a docs page rendered from it.
//!
//! The docs page is rendered here by hand: the ready-made viewers (Swagger UI, Redoc, Scalar,
//! RapiDoc) load their scripts from a CDN or download them at build time, and civicgrid must
//! run on networks that reach neither.

use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use std::fmt::Write;
use utoipa::openapi::path::Operation;
use utoipa::OpenApi;

use crate::routes::{admin, attachments, calendar, cases, evaluation, geo, health, inbox, patrols, reference, session, track};
use crate::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "civicgrid API", description = "City grid governance: cases, areas, categories, departments. \
        Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` with a stable `code`."),
    paths(
        health::healthz, health::readyz,
        session::login, session::logout, session::me,
        cases::create, cases::list, cases::counts, cases::counts_by_grid, cases::counts_by_card, cases::get_one, cases::events, cases::contact, cases::act,
        track::show, track::rate,
        attachments::upload, attachments::original, attachments::thumb,
        reference::area, reference::area_children, reference::categories, reference::departments,
        calendar::deadline, calendar::years, calendar::load,
        geo::grids, geo::grid, geo::boundaries, geo::import, geo::import_boundaries, geo::locate,
        geo::import_addresses, geo::match_address,
        admin::users, admin::create_user, admin::update_user, admin::put_department, admin::put_category,
        patrols::add, patrols::list,
        inbox::list, inbox::read, inbox::read_all,
        evaluation::show, evaluation::cases, evaluation::export,
    ),
    components(schemas(crate::error::ErrorBody, civicgrid_domain::EventKind)),
    tags((name = "cases", description = "事件/工单: intake, queue, transitions"),
         (name = "session", description = "sign in and out"),
         (name = "attachments", description = "photos of reports and their handling"),
         (name = "tracking", description = "public status by tracking code"),
         (name = "reference", description = "area tree, categories, departments"),
         (name = "patrols", description = "网格员巡查走访: the grid worker's patrol and visit log"),
         (name = "admin", description = "accounts, roles, scopes and departments (admin role)"),
         (name = "geography", description = "网格 grids, area outlines, point → grid, 统一地址库 address library"),
         (name = "inbox", description = "消息: the reader's notices"),
         (name = "evaluation", description = "考核评价: rates, scores and rankings from the case logs, the cases behind them, Excel export"),
         (name = "health", description = "liveness and readiness"))
)]
pub struct ApiDoc;

/// The whole OpenAPI document.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .route("/docs", get(|| async { Html(docs_page()) }))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A self-contained HTML page listing every operation with its parameters and answers.
pub fn docs_page() -> String {
    let doc = ApiDoc::openapi();
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
        let methods = [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("delete", &item.delete),
            ("patch", &item.patch),
        ];
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
