//! The API's answers travel compressed when the client takes it (issue 20, light pages): a
//! city's grids and queues are large JSON, and a phone on a slow line pays for every byte.

use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use std::io::Read;
use tower::ServiceExt;

mod support;

async fn get(app: &axum::Router, path: &str, encoding: Option<&str>) -> axum::response::Response {
    let mut req = axum::http::Request::get(path);
    if let Some(e) = encoding {
        req = req.header("accept-encoding", e);
    }
    app.clone().oneshot(req.body(axum::body::Body::empty()).unwrap()).await.unwrap()
}

async fn bytes(res: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()
}

#[tokio::test]
async fn json_is_gzipped_or_brotli_when_asked_and_plain_otherwise() {
    let (store, _dir) = support::seeded_store(civicgrid_store::testing::Backend::Sqlite, &[("leader", Role::Leader, "3710", None)]).await;
    let app = router(AppState::new(store, Cipher::from_bytes([7; 32]), ServerConfig::default()));
    let path = "/api/v1/categories";

    let plain = get(&app, path, None).await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = bytes(plain).await;
    assert!(plain.len() > 2048, "the catalogue is worth compressing: {} bytes", plain.len());

    let gz = get(&app, path, Some("gzip")).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let packed = bytes(gz).await;
    assert!(packed.len() * 3 < plain.len(), "gzip {} of {}", packed.len(), plain.len());
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut unpacked).unwrap();
    assert_eq!(unpacked, plain, "the same JSON once unpacked");

    let br = get(&app, path, Some("gzip, deflate, br")).await;
    assert_eq!(br.headers()["content-encoding"], "br", "brotli preferred when offered");
    assert!(bytes(br).await.len() * 3 < plain.len());

    // An error is JSON like any other answer, whatever its encoding.
    let missing = get(&app, "/api/v1/nothing-here", Some("gzip")).await;
    assert_eq!(missing.status(), 404);
    let gzipped = missing.headers().get("content-encoding").is_some();
    let body = bytes(missing).await;
    let mut text = String::new();
    if gzipped {
        flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut text).unwrap();
    } else {
        text = String::from_utf8(body).unwrap();
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
}
