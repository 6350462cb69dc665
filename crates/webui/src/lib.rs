//! civicgrid's web UI: the Vue application in `web/`, built by `build.rs` and embedded here,
//! served with its content types, cache headers and a fallback to `index.html` for the
//! application's own paths (history-mode routing). Paths under `/api` are never the UI's:
//! they answer the API's JSON 404.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

#[derive(rust_embed::Embed)]
#[folder = "../../web/dist"]
struct Assets;

/// A router that serves the UI for every path it is given (merge it last, or use [`serve`] as
/// a fallback).
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().fallback(serve)
}

/// True for paths that belong to the API (`/api` and below): the UI never answers them.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The API's error body for an unknown route (the same shape as every API error).
const API_NOT_FOUND: &str = r#"{"error":{"code":"not_found","message":"route not found","field":null}}"#;

/// Answers one request from the embedded files.
pub async fn serve(req: Request) -> Response {
    let path = req.uri().path();
    if is_api_path(path) {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")], API_NOT_FOUND).into_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let name = path.trim_start_matches('/');
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let accepted = accepted_encodings(req.headers().get(header::ACCEPT_ENCODING));
    if !name.is_empty() && !name.split('/').any(|s| s == ".." || s == ".") {
        if let Some(file) = Assets::get(name) {
            return compressed_response(name, file, &accepted, if_none_match);
        }
        // A missing file (the last segment has an extension) is a 404, not the application.
        if name.rsplit('/').next().is_some_and(|last| last.contains('.')) {
            return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found").into_response();
        }
    }
    match Assets::get("index.html") {
        Some(file) => compressed_response("index.html", file, &accepted, if_none_match),
        None => (StatusCode::NOT_FOUND, "the web UI is not built").into_response(),
    }
}

/// The encodings the browser accepts among those the build wrote (`br`, `gzip`), best first.
fn accepted_encodings(header: Option<&HeaderValue>) -> Vec<&'static str> {
    let Some(value) = header.and_then(|v| v.to_str().ok()) else { return Vec::new() };
    let mut out = Vec::new();
    for want in ["br", "gzip"] {
        let ok = value.split(',').any(|item| {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim();
            // `q=0` means "not this one".
            let refused = parts.any(|p| p.trim().strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)));
            token.eq_ignore_ascii_case(want) && !refused
        });
        if ok {
            out.push(want);
        }
    }
    out
}

/// The file, or its `.br`/`.gz` twin written at build time (web/vite.config.ts) when the
/// browser takes it: the resident's page on a slow phone line is a third of its size.
fn compressed_response(name: &str, file: rust_embed::EmbeddedFile, accepted: &[&'static str], if_none_match: Option<HeaderValue>) -> Response {
    for encoding in accepted {
        let suffix = if *encoding == "br" { "br" } else { "gz" };
        if let Some(packed) = Assets::get(&format!("{name}.{suffix}")) {
            return file_response(name, file, if_none_match, Some((encoding, packed.data.into_owned())));
        }
    }
    file_response(name, file, if_none_match, None)
}

/// The file's response; `packed` is a compressed twin sent instead, with its encoding. The ETag
/// is the file's own with the encoding added, so a cache never mixes the two.
fn file_response(
    name: &str,
    file: rust_embed::EmbeddedFile,
    if_none_match: Option<HeaderValue>,
    packed: Option<(&'static str, Vec<u8>)>,
) -> Response {
    let hash = file.metadata.sha256_hash();
    let hex = hash[..16].iter().map(|b| format!("{b:02x}")).collect::<String>();
    let etag = match &packed {
        Some((encoding, _)) => format!("\"{hex}-{encoding}\""),
        None => format!("\"{hex}\""),
    };
    // Vite puts content hashes in the names under assets/: those never change.
    let cache = if name.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut mime = file.metadata.mimetype().to_string();
    if mime.starts_with("text/") || mime == "application/javascript" || mime == "text/javascript" {
        if !mime.contains("charset") {
            mime.push_str("; charset=utf-8");
        }
    }
    let mut builder = Response::builder()
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, cache)
        .header(header::VARY, "accept-encoding")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if if_none_match.is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()).expect("valid response");
    }
    builder = builder.status(StatusCode::OK).header(header::CONTENT_TYPE, mime);
    let body = match packed {
        Some((encoding, bytes)) => {
            builder = builder.header(header::CONTENT_ENCODING, encoding);
            bytes
        }
        None => file.data.into_owned(),
    };
    builder.body(Body::from(body)).expect("valid response")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn get(path: &str) -> Response {
        router::<()>().oneshot(Request::builder().uri(path).body(Body::empty()).unwrap()).await.unwrap()
    }

    fn ctype(r: &Response) -> String {
        r.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }

    #[tokio::test]
    async fn index_and_spa_fallback() {
        for p in ["/", "/workbench", "/resident?tab=track", "/some/deep/route"] {
            let r = get(p).await;
            assert_eq!(r.status(), StatusCode::OK, "{p}");
            assert!(ctype(&r).starts_with("text/html"), "{p}: {}", ctype(&r));
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        }
    }

    #[tokio::test]
    async fn api_paths_are_json_404() {
        for p in ["/api", "/api/v1/nothing"] {
            let r = get(p).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND);
            assert_eq!(ctype(&r), "application/json");
        }
    }

    #[tokio::test]
    async fn assets_have_types_and_etags() {
        let mut seen = 0;
        for name in Assets::iter() {
            let ext = name.rsplit('.').next().unwrap_or("").to_string();
            let want = match ext.as_str() {
                "js" => "text/javascript",
                "css" => "text/css",
                "html" => "text/html",
                _ => continue,
            };
            let r = get(&format!("/{name}")).await;
            assert_eq!(r.status(), StatusCode::OK, "{name}");
            assert!(ctype(&r).starts_with(want), "{name}: {}", ctype(&r));
            let etag = r.headers()[header::ETAG].clone();
            let again = router::<()>()
                .oneshot(Request::builder().uri(format!("/{name}")).header(header::IF_NONE_MATCH, etag).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{name}");
            seen += 1;
        }
        assert!(seen > 0, "no assets embedded");
        assert_eq!(get("/assets/nope-123.js").await.status(), StatusCode::NOT_FOUND);
        // A path climbing out of dist never reads a file: it gets the application.
        assert!(ctype(&get("/../Cargo.toml").await).starts_with("text/html"));
    }

    #[tokio::test]
    async fn compressed_twins_for_browsers_that_take_them() {
        let (name, plain) = Assets::iter()
            .filter(|n| n.ends_with(".js"))
            .filter_map(|n| Assets::get(&n).map(|f| (n.to_string(), f.data.len())))
            .max_by_key(|(_, len)| *len)
            .expect("a script embedded");
        let with = |enc: &'static str| {
            router::<()>().oneshot(Request::builder().uri(format!("/{name}")).header(header::ACCEPT_ENCODING, enc).body(Body::empty()).unwrap())
        };
        let br = with("gzip, deflate, br").await.unwrap();
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let br_etag = br.headers()[header::ETAG].clone();
        let br_len = axum::body::to_bytes(br.into_body(), usize::MAX).await.unwrap().len();
        assert!(br_len * 2 < plain, "{name}: br {br_len} of {plain}");
        let gz = with("gzip, br;q=0").await.unwrap();
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        assert_ne!(gz.headers()[header::ETAG], br_etag);
        let gz_bytes = axum::body::to_bytes(gz.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&gz_bytes[..2], &[0x1f, 0x8b], "a gzip stream");
        let none = with("identity").await.unwrap();
        assert!(none.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(axum::body::to_bytes(none.into_body(), usize::MAX).await.unwrap().len(), plain);
    }

    #[test]
    fn accept_encoding_parsed() {
        let parse = |v: &'static str| accepted_encodings(Some(&HeaderValue::from_static(v)));
        assert_eq!(parse("gzip, deflate, br, zstd"), ["br", "gzip"]);
        assert_eq!(parse("br;q=0, gzip;q=0.5"), ["gzip"]);
        assert_eq!(parse("deflate"), Vec::<&str>::new());
        assert_eq!(accepted_encodings(None), Vec::<&str>::new());
    }

    #[tokio::test]
    async fn only_get_and_head() {
        let r = router::<()>().oneshot(Request::builder().method("POST").uri("/workbench").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}
