//! What protects the person at the browser: writes authenticated by the session cookie are
//! refused when another site's page sends them, and every answer carries the headers that keep
//! the app from being framed, content from being sniffed and addresses from leaking.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::extract::{cookies, SESSION_COOKIE};

/// The content security policy of every answer. Styles allow inline attributes (Element Plus
/// positions popups with them); MapLibre runs its workers from `blob:` and draws tiles into
/// `blob:`/`data:` images. Everything else comes from the app's own origin, and map tiles from
/// the basemap's servers (`tile_origins`, from `[map]`).
pub(crate) fn csp(tile_origins: &[String]) -> HeaderValue {
    let tiles: String = tile_origins.iter().map(|o| format!(" {o}")).collect();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
         font-src 'self' data:; connect-src 'self'{tiles}; worker-src 'self' blob:; child-src blob:; frame-ancestors 'none'; \
         base-uri 'self'; form-action 'self'; object-src 'none'"
    );
    // The origins were checked as URLs when the configuration was read; a stray byte falls back
    // to the policy without them.
    HeaderValue::from_str(&policy).unwrap_or_else(|_| csp(&[]))
}

/// Refuses cross-site cookie writes and stamps the protective headers on every answer.
pub(crate) async fn protect(req: Request, next: Next) -> Response {
    if cross_site_cookie_write(req.method(), req.headers()) {
        return ApiError::forbidden("a write signed in by cookie must come from this site's own pages").into_response();
    }
    let policy = req.extensions().get::<crate::AppState>().map(|s| s.csp.clone()).unwrap_or_else(|| csp(&[]));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, policy);
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// True for a state-changing request that a browser sends with the session cookie on behalf of
/// another site's page: its `Origin` is not this host (or, without `Origin`, the browser says
/// `Sec-Fetch-Site: cross-site`). Requests with a bearer token carry no ambient credential.
fn cross_site_cookie_write(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    if cookies(headers, SESSION_COOKIE).next().is_none() {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or(origin);
            let host = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
            // Behind a proxy the browser's host arrives as X-Forwarded-Host.
            ![host("host"), host("x-forwarded-host")].into_iter().flatten().any(|h| h.eq_ignore_ascii_case(authority))
        }
        None => headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_cookie_writes_from_another_site_are_cross_site() {
        let cookie = ("cookie", "lang=zh; cg_session=abc");
        let host = ("host", "grid.example.cn");
        assert!(cross_site_cookie_write(&Method::POST, &headers(&[cookie, host, ("origin", "https://evil.example")])));
        assert!(!cross_site_cookie_write(&Method::POST, &headers(&[cookie, host, ("origin", "https://grid.example.cn")])));
        assert!(!cross_site_cookie_write(&Method::GET, &headers(&[cookie, host, ("origin", "https://evil.example")])));
        assert!(
            !cross_site_cookie_write(&Method::POST, &headers(&[host, ("origin", "https://evil.example")])),
            "no cookie, nothing to ride on"
        );
        assert!(cross_site_cookie_write(&Method::PATCH, &headers(&[cookie, host, ("sec-fetch-site", "cross-site")])));
        assert!(!cross_site_cookie_write(&Method::POST, &headers(&[cookie, host])), "no Origin: a script, not another site's page");
        let proxied =
            headers(&[cookie, ("host", "127.0.0.1:8080"), ("x-forwarded-host", "grid.example.cn"), ("origin", "https://grid.example.cn")]);
        assert!(!cross_site_cookie_write(&Method::DELETE, &proxied));
    }
}
