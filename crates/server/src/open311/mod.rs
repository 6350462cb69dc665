//! Open311 GeoReport v2 under `/open311/v2`: discovery, services, service definitions,
//! requests (GET and POST), one request and tokens, each as `.json` or `.xml`. Handlers only
//! pick the format and the parameters; [`service`] does the work, [`render`] the formats.

mod error;
mod render;
mod service;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::Value;

use crate::AppState;
use error::Open311Error;
use render::{list, object, respond, Format, Names};
use service::Params;

const ERRORS: Names = list("errors", "error");
const REQUESTS: Names = list("service_requests", "request");

/// The GeoReport v2 routes.
pub(crate) fn router() -> Router<AppState> {
    let mut r = Router::new();
    for ext in ["json", "xml"] {
        r = r
            .route(&format!("/open311/v2/discovery.{ext}"), get(discovery))
            .route(&format!("/open311/v2/services.{ext}"), get(services))
            .route(&format!("/open311/v2/requests.{ext}"), get(requests).post(post_request));
    }
    r.route("/open311/v2/services/{file}", get(service_definition))
        .route("/open311/v2/requests/{file}", get(one_request))
        .route("/open311/v2/tokens/{file}", get(token))
        .route("/open311/{*rest}", any(unknown))
        .method_not_allowed_fallback(not_allowed)
}

/// A method the resource does not take: 405 with the error document, in the path's format.
async fn not_allowed(Suffix(f): Suffix) -> Response {
    reply(f, ERRORS, Err(Open311Error::method_not_allowed("this method is not allowed here; see /open311/v2/discovery.json")))
}

/// The format named by the suffix of the path's last segment (`.json` when there is none).
struct Suffix(Format);

impl<S: Send + Sync> FromRequestParts<S> for Suffix {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Suffix(Format::split(parts.uri.path()).map(|(_, f)| f).unwrap_or(Format::Json)))
    }
}

fn reply(format: Format, names: Names, r: Result<Value, Open311Error>) -> Response {
    match r {
        Ok(body) => respond(StatusCode::OK, format, names, &body),
        Err(e) => respond(e.status, format, ERRORS, &e.body()),
    }
}

fn query(q: Option<String>) -> Params {
    Params::parse(q.unwrap_or_default().as_bytes())
}

/// A `{name}.{format}` path segment, or the 404 for an unknown format.
fn split(file: &str) -> Result<(&str, Format), Response> {
    Format::split(file).ok_or_else(|| {
        let e = Open311Error::not_found("unknown format: end the path with .json or .xml");
        respond(e.status, Format::Json, ERRORS, &e.body())
    })
}

async fn discovery(Suffix(f): Suffix, headers: HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    reply(f, object("discovery"), Ok(service::discovery(&format!("{scheme}://{host}/open311/v2"))))
}

async fn services(State(app): State<AppState>, Suffix(f): Suffix, RawQuery(q): RawQuery) -> Response {
    reply(f, list("services", "service"), service::services(&app, &query(q)).await)
}

async fn service_definition(State(app): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    match split(&file) {
        Ok((code, f)) => reply(f, object("service_definition"), service::service_definition(&app, code, &query(q)).await),
        Err(r) => r,
    }
}

async fn requests(State(app): State<AppState>, Suffix(f): Suffix, RawQuery(q): RawQuery) -> Response {
    reply(f, REQUESTS, service::requests(&app, &query(q)).await)
}

async fn post_request(State(app): State<AppState>, Suffix(f): Suffix, RawQuery(q): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ctype.starts_with("multipart/") || ctype.starts_with("application/json") {
        let e = Open311Error::bad_request("send the request as application/x-www-form-urlencoded; give media as media_url");
        return reply(f, REQUESTS, Err(e));
    }
    let mut params = Params::parse(&body);
    params.extend(query(q));
    reply(f, REQUESTS, service::post_request(&app, &params).await)
}

async fn one_request(State(app): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    match split(&file) {
        Ok((id, f)) => reply(f, REQUESTS, service::request(&app, id, &query(q)).await),
        Err(r) => r,
    }
}

async fn token(State(app): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    match split(&file) {
        Ok((t, f)) => reply(f, REQUESTS, service::token(&app, t, &query(q)).await),
        Err(r) => r,
    }
}

async fn unknown(Suffix(f): Suffix) -> impl IntoResponse {
    reply(f, ERRORS, Err(Open311Error::not_found("no such Open311 resource; see /open311/v2/discovery.json")))
}
