//! Per-client limits on anonymous writes (issue 22 finding 10): reports, photo uploads and
//! ratings sent without an account are counted by client address (GCRA, `governor`), and past
//! the configured rate answer `429 rate_limited` with `Retry-After`. Signed-in staff and Open311
//! clients (which carry a key) are not limited here.

use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::session_token;
use crate::AppState;

/// The limiter of anonymous writes, keyed by client address; `None` when unlimited.
#[derive(Clone, Default)]
pub struct AnonymousWrites(Option<Arc<DefaultKeyedRateLimiter<String>>>);

impl AnonymousWrites {
    /// `per_minute` writes per client, in a burst or spread; 0 for no limit.
    pub fn new(per_minute: u32) -> Self {
        AnonymousWrites(NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::dashmap(Quota::per_minute(n)))))
    }
}

/// True for the writes anyone may send without an account.
fn anonymous_write(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::POST
        && (path == "/api/v1/cases" || path == "/api/v1/attachments" || (path.starts_with("/api/v1/track/") && path.ends_with("/rate")))
        && session_token(req.headers()).is_none()
}

/// The client's address: the configured header set by a trusted proxy, else the peer.
fn client(headers: &HeaderMap, extensions: &Extensions, header_name: Option<&str>) -> String {
    if let Some(h) = header_name.and_then(|n| headers.get(n)).and_then(|v| v.to_str().ok()) {
        // `X-Forwarded-For: client, proxy1, …`: the first is the client as the proxy saw it.
        return h.split(',').next().unwrap_or_default().trim().to_string();
    }
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The address of the client a request comes from (see [`client`]).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr
where
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        Ok(ClientAddr(client(&parts.headers, &parts.extensions, app.config.client_ip_header.as_deref())))
    }
}

/// Counts an anonymous write against its client; past the rate, answers 429 with Retry-After.
pub(crate) async fn limit(req: Request, next: Next) -> Response {
    if anonymous_write(&req) {
        if let Some(app) = req.extensions().get::<AppState>() {
            if let Some(limiter) = &app.limits.0 {
                let key = client(req.headers(), req.extensions(), app.config.client_ip_header.as_deref());
                if let Err(not_until) = limiter.check_key(&key) {
                    let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs() + 1;
                    let mut res = ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        format!("too many reports from this address; try again in {wait} s"),
                        None,
                    )
                    .into_response();
                    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
                    return res;
                }
            }
        }
    }
    next.run(req).await
}
