//! Photo attachments end to end (router in process, real store, files in a temporary data
//! folder), on SQLite and PostgreSQL: upload, checks, the photo with its case, who may see it.

use civicgrid_store::backend_test;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use civicgrid_domain::Role;
use civicgrid_server::{router, AppState, ServerConfig};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::Store;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{json, Value};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

mod support;

const A: &str = "371002001001";
const B: &str = "371002001002";

struct Api {
    app: axum::Router,
    store: Arc<dyn Store>,
    data: tempfile::TempDir,
    _db: Option<tempfile::TempDir>,
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Res {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    /// The error's code and field.
    fn error(&self) -> (String, String) {
        let v = self.json();
        (v["error"]["code"].as_str().unwrap_or("?").into(), v["error"]["field"].as_str().unwrap_or("").into())
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl Api {
    async fn new(backend: civicgrid_store::testing::Backend, with_data_dir: bool) -> Api {
        let accounts = [
            ("dispatcher", Role::DistrictDispatcher, "3710", None),
            ("community_a", Role::CommunityAdmin, A, None),
            ("community_b", Role::CommunityAdmin, B, None),
            ("worker", Role::GridWorker, A, None),
            ("handler", Role::DepartmentHandler, "3710", Some("urban")),
        ];
        let (store, db) = support::seeded_store(backend, &accounts).await;
        let data = tempfile::tempdir().unwrap();
        let config = ServerConfig { data_dir: with_data_dir.then(|| data.path().to_path_buf()), ..ServerConfig::default() };
        let state = AppState::new(store.clone(), Cipher::from_bytes([9; 32]), config);
        Api { app: router(state), store, data, _db: db }
    }

    async fn call(&self, method: &str, uri: &str, token: Option<&str>, content_type: Option<&str>, body: Vec<u8>) -> Res {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
        Res { status, headers, bytes }
    }

    async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> Res {
        self.call("POST", uri, token, Some("application/json"), body.to_string().into_bytes()).await
    }

    async fn get(&self, uri: &str, token: Option<&str>) -> Res {
        self.call("GET", uri, token, None, vec![]).await
    }

    async fn upload(&self, token: Option<&str>, content_type: &str, bytes: &[u8]) -> Res {
        self.call("POST", "/api/v1/attachments", token, Some(content_type), bytes.to_vec()).await
    }

    async fn login(&self, user: &str) -> String {
        let r = self.post("/api/v1/session", None, json!({"username": user, "password": "civicgrid"})).await;
        assert_eq!(r.status, 200, "{:?}", r.json());
        r.json()["token"].as_str().unwrap().to_string()
    }

    async fn report(&self, token: Option<&str>, attachments: Value) -> Res {
        self.post("/api/v1/cases", token, json!({"category": "0102", "description": "垃圾桶满溢", "area": A, "attachments": attachments})).await
    }

    async fn case_count(&self) -> u64 {
        self.store.count_by_state(&Default::default()).await.unwrap().iter().map(|(_, n)| n).sum()
    }

    /// Every file under the data folder.
    fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.push(e.path().display().to_string());
                }
            }
        }
        let mut out = vec![];
        walk(self.data.path(), &mut out);
        out
    }
}

fn picture(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128])))
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn size_of(bytes: &[u8], format: ImageFormat) -> (u32, u32) {
    let img = image::load_from_memory_with_format(bytes, format).expect("decodes");
    (img.width(), img.height())
}

backend_test! {
    async fn a_photo_goes_with_its_case_and_only_its_readers_see_it(b: Backend) {
        let api = Api::new(b, true).await;
        let png = encoded(&picture(800, 600), ImageFormat::Png);

        // The public uploads and reports with the photo.
        let up = api.upload(None, "image/png", &png).await;
        assert_eq!(up.status, StatusCode::CREATED, "{b}: {:?}", up.json());
        let v = up.json();
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4, "{b}: random ids");
        assert_eq!(v["url"], format!("/api/v1/attachments/{id}"));
        assert_eq!(v["thumb_url"], format!("/api/v1/attachments/{id}/thumb"));
        assert_eq!((v["content_type"].as_str(), v["bytes"].as_u64()), (Some("image/png"), Some(png.len() as u64)), "{b}");
        assert_eq!((v["width"].as_u64(), v["height"].as_u64()), (Some(800), Some(600)), "{b}");
        let rec = api.store.attachment(uuid::Uuid::parse_str(&id).unwrap()).await.unwrap().unwrap();
        let parts: Vec<&str> = rec.path.split('/').collect();
        assert!(parts.len() == 4 && parts[0] == "attachments" && parts[1].len() == 4 && parts[2].len() == 2, "{b}: {}", rec.path);
        assert_eq!(parts[3], format!("{id}.png"), "{b}");
        assert_eq!(std::fs::read(api.data.path().join(&rec.path)).unwrap(), png, "{b}: the original, byte for byte");
        assert!(api.data.path().join(&rec.thumb_path).is_file(), "{b}");
        assert_eq!(api.files().len(), 2, "{b}: no temporary file left: {:?}", api.files());

        let d = api.login("dispatcher").await;
        let url = format!("/api/v1/attachments/{id}");
        let thumb_url = format!("{url}/thumb");
        assert_eq!(api.get(&url, None).await.status, StatusCode::NOT_FOUND, "{b}: the public cannot fetch photos back");
        assert_eq!(api.get(&url, Some(&d)).await.status, StatusCode::NOT_FOUND, "{b}: no case references it yet");

        let r = api.report(None, json!([id, "https://photos.example.org/2.jpg"])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {:?}", r.json());
        let case_id = r.json()["id"].as_str().unwrap().to_string();
        assert_eq!(r.json()["attachments"], json!([id, "https://photos.example.org/2.jpg"]), "{b}");

        // A dispatcher over the case's area sees photo and thumbnail.
        let got = api.get(&url, Some(&d)).await;
        assert_eq!(got.status, StatusCode::OK, "{b}: {:?}", got.json());
        assert_eq!(got.bytes, png, "{b}");
        assert_eq!(got.header("content-type"), "image/png", "{b}");
        assert!(got.header("cache-control").contains("private") && got.header("cache-control").contains("max-age="), "{b}");
        assert_eq!(got.header("x-content-type-options"), "nosniff", "{b}");
        let t = api.get(&thumb_url, Some(&d)).await;
        assert_eq!((t.status, t.header("content-type")), (StatusCode::OK, "image/jpeg"), "{b}");
        assert_eq!(size_of(&t.bytes, ImageFormat::Jpeg), (320, 240), "{b}: at most 320 px, shape kept");
        let ca = api.login("community_a").await;
        assert_eq!(api.get(&url, Some(&ca)).await.status, StatusCode::OK, "{b}: the case's community");

        // Another community's admin: as if the photo did not exist.
        let cb = api.login("community_b").await;
        for u in [&url, &thumb_url] {
            let r = api.get(u, Some(&cb)).await;
            assert_eq!((r.status, r.error().0.as_str()), (StatusCode::NOT_FOUND, "not_found"), "{b}: {u}");
        }
        assert_eq!(api.get("/api/v1/attachments/not-an-id", Some(&d)).await.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(api.get(&format!("/api/v1/attachments/{}", uuid::Uuid::new_v4()), Some(&d)).await.status, StatusCode::NOT_FOUND);

        // A photo belongs to one case.
        let again = api.report(None, json!([id])).await;
        assert_eq!((again.status, again.error()), (StatusCode::UNPROCESSABLE_ENTITY, ("invalid_field".into(), "attachments[0]".into())), "{b}");
        assert_eq!(api.case_count().await, 1, "{b}: nothing written");

        // A grid worker closes on the spot with a photo he took: his until the case has it.
        let w = api.login("worker").await;
        let jpeg = encoded(&picture(300, 200), ImageFormat::Jpeg);
        let up = api.upload(Some(&w), "image/jpeg", &jpeg).await;
        assert_eq!(up.status, StatusCode::CREATED, "{b}: {:?}", up.json());
        assert_eq!((up.json()["width"].as_u64(), up.json()["height"].as_u64()), (Some(300), Some(200)), "{b}");
        let jid = up.json()["id"].as_str().unwrap().to_string();
        let jurl = format!("/api/v1/attachments/{jid}");
        assert_eq!(api.get(&jurl, Some(&w)).await.bytes, jpeg, "{b}: the uploader sees his photo");
        let t = api.get(&format!("{jurl}/thumb"), Some(&w)).await;
        assert_eq!(size_of(&t.bytes, ImageFormat::Jpeg), (300, 200), "{b}: a small photo is not enlarged");
        assert_eq!(api.get(&jurl, Some(&d)).await.status, StatusCode::NOT_FOUND, "{b}: nobody else before a case has it");
        let r = api
            .post(&format!("/api/v1/cases/{case_id}/actions/close_on_spot"), Some(&w), json!({"evidence": "已清理", "attachments": [jid]}))
            .await;
        assert_eq!((r.status, r.json()["state"].as_str()), (StatusCode::OK, Some("closed")), "{b}: {:?}", r.json());
        let got = api.get(&jurl, Some(&d)).await;
        assert_eq!((got.status, got.header("content-type")), (StatusCode::OK, "image/jpeg"), "{b}");
        assert_eq!(api.get(&jurl, Some(&cb)).await.status, StatusCode::NOT_FOUND, "{b}");
        let ev = api.get(&format!("/api/v1/cases/{case_id}/events"), Some(&d)).await.json();
        assert!(ev.to_string().contains(&jid), "{b}: the evidence is in the log");
    }
}

backend_test! {
    async fn uploads_are_checked_and_refusals_leave_nothing(b: Backend) {
        let api = Api::new(b, true).await;
        let png = encoded(&picture(64, 48), ImageFormat::Png);
        let refused = |r: &Res| (r.status, r.error().0, r.error().1);
        let invalid = |field: &str| (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field".to_string(), field.to_string());

        let r = api.upload(None, "image/jpeg", &png).await;
        assert_eq!(refused(&r), invalid("content-type"), "{b}: type mismatch");
        assert!(r.error().0 == "invalid_field" && r.json()["error"]["message"].as_str().unwrap().contains("PNG"), "{b}: {:?}", r.json());
        assert_eq!(refused(&api.upload(None, "image/gif", b"GIF89a\x01\x00\x01\x00").await), invalid("content-type"), "{b}");
        assert_eq!(refused(&api.call("POST", "/api/v1/attachments", None, None, png.clone()).await), invalid("content-type"), "{b}");

        let garbage: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert_eq!(refused(&api.upload(None, "image/png", &garbage).await), invalid("body"), "{b}: garbage");
        assert_eq!(refused(&api.upload(None, "image/png", &png[..png.len() / 2]).await), invalid("body"), "{b}: a truncated PNG");
        let mut fake_webp = b"RIFF\x20\0\0\0WEBPVP8 ".to_vec();
        fake_webp.extend_from_slice(&garbage[..100]);
        assert_eq!(refused(&api.upload(None, "image/webp", &fake_webp).await), invalid("body"), "{b}: a WebP header on garbage");
        assert_eq!(refused(&api.upload(None, "image/png", b"").await), invalid("body"), "{b}: empty");

        let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
        big.resize((10 << 20) + 1, 0);
        let r = api.upload(None, "image/jpeg", &big).await;
        assert_eq!((r.status, r.error().0.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{b}: over 10 MiB");
        assert!(api.files().is_empty(), "{b}: refused uploads write nothing: {:?}", api.files());

        // Over the API's 1 MiB for JSON, under the photo limit: taken.
        let mut seed = 7u32;
        let noise = DynamicImage::ImageRgb8(RgbImage::from_fn(1000, 800, |_, _| {
            seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
            Rgb([(seed >> 24) as u8, (seed >> 16) as u8, (seed >> 8) as u8])
        }));
        let noisy = encoded(&noise, ImageFormat::Png);
        assert!(noisy.len() > 2 << 20, "{b}: {} bytes", noisy.len());
        let r = api.upload(None, "image/png", &noisy).await;
        assert_eq!((r.status, r.json()["bytes"].as_u64()), (StatusCode::CREATED, Some(noisy.len() as u64)), "{b}: {:?}", r.json());

        // WebP is taken too (lossless, as the image crate writes it).
        let webp = encoded(&picture(500, 1000), ImageFormat::WebP);
        let r = api.upload(None, "image/webp", &webp).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {:?}", r.json());
        assert_eq!((r.json()["content_type"].as_str(), r.json()["width"].as_u64()), (Some("image/webp"), Some(500)), "{b}");
        assert!(api.files().iter().any(|f| f.ends_with(".webp")), "{b}");

        let none = Api::new(b, false).await;
        let r = none.upload(None, "image/png", &png).await;
        assert_eq!((r.status, r.error().0.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"), "{b}: no data folder");
    }
}

backend_test! {
    async fn references_are_photo_ids_or_urls(b: Backend) {
        let api = Api::new(b, true).await;
        let unknown = uuid::Uuid::new_v4().to_string();
        for (refs, field) in [
            (json!([unknown]), "attachments[0]"),
            (json!(["photo-1.jpg"]), "attachments[0]"),
            (json!(["https://photos.example.org/1.jpg", unknown]), "attachments[1]"),
            (json!(["ftp://photos.example.org/1.jpg"]), "attachments[0]"),
        ] {
            let r = api.report(None, refs.clone()).await;
            assert_eq!((r.status, r.error()), (StatusCode::UNPROCESSABLE_ENTITY, ("invalid_field".into(), field.into())), "{b}: {refs}");
        }
        let ten: Vec<String> = (0..10).map(|i| format!("https://photos.example.org/{i}.jpg")).collect();
        assert_eq!(api.report(None, json!(ten)).await.error().1, "attachments", "{b}: at most 9");
        assert_eq!(api.case_count().await, 0, "{b}: refused reports write nothing");

        // The handler's photos go through the same check.
        let created = api.report(None, json!([])).await.json();
        let id = created["id"].as_str().unwrap().to_string();
        let (code, receipt) = (created["code"].as_str().unwrap().to_string(), created["receipt"].as_str().unwrap().to_string());
        let (d, h) = (api.login("dispatcher").await, api.login("handler").await);
        let act = |who: String, action: &'static str, body: Value| {
            let api = &api;
            let id = id.clone();
            async move { api.post(&format!("/api/v1/cases/{id}/actions/{action}"), Some(&who), body).await }
        };
        assert_eq!(act(d.clone(), "accept", json!({})).await.status, StatusCode::OK);
        assert_eq!(act(d.clone(), "dispatch", json!({"department": "urban"})).await.status, StatusCode::OK);
        assert_eq!(act(h.clone(), "claim", json!({})).await.status, StatusCode::OK);
        let r = act(h.clone(), "handle", json!({"feedback": "已清运", "attachments": [unknown]})).await;
        assert_eq!((r.status, r.error().1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "attachments[0]"), "{b}");
        let photo = api.upload(Some(&h), "image/png", &encoded(&picture(40, 40), ImageFormat::Png)).await.json()["id"].as_str().unwrap().to_string();
        let r = act(h.clone(), "handle", json!({"feedback": "已清运", "attachments": [photo.to_uppercase()]})).await;
        assert_eq!((r.status, r.json()["state"].as_str()), (StatusCode::OK, Some("handled")), "{b}: {:?}", r.json());
        let ev = api.get(&format!("/api/v1/cases/{id}/events"), Some(&d)).await.json();
        assert!(ev.to_string().contains(&photo), "{b}: ids are kept in their canonical form");
        assert_eq!(api.get(&format!("/api/v1/attachments/{photo}"), Some(&d)).await.status, StatusCode::OK, "{b}");

        // The reporter, without an account, sees the result photo with the receipt, and only it.
        assert_eq!(api.get(&format!("/api/v1/attachments/{photo}/thumb"), None).await.status, StatusCode::NOT_FOUND, "{b}");
        let enc = |s: &str| s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
        let mine = |photo: &str, receipt: &str| format!("/api/v1/track/{code}/photos/{photo}?receipt={}&thumb=true", enc(receipt));
        let r = api.get(&mine(&photo, &receipt), None).await;
        assert_eq!((r.status, r.headers["content-type"].to_str().unwrap()), (StatusCode::OK, "image/jpeg"), "{b}");
        assert_eq!(&r.bytes[..2], &[0xFF, 0xD8], "{b}: a JPEG thumbnail");
        assert_eq!(api.get(&mine(&photo, "AAAAAAAAAAAAAAAAAAAA"), None).await.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(api.get(&mine(&unknown, &receipt), None).await.status, StatusCode::NOT_FOUND, "{b}: not in the reply");
    }
}

/// CRC-32 (ISO-HDLC) of a PNG chunk's type and data, written here because the test needs no more.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose header claims `side`×`side` grey pixels (400 MB decoded at 20000, under the old
/// 512 MiB decode limit) in a few bytes: the shape of a decompression bomb.
fn bomb(side: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32(&body).to_be_bytes());
        c
    };
    let mut ihdr = side.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// This process's peak resident memory (VmHWM), bytes; each test runs as its own process.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap().trim().trim_end_matches(" kB").trim().parse().unwrap();
    kb * 1024
}

#[tokio::test]
async fn six_decompression_bombs_at_once_cost_no_memory() {
    let api = Api::new(civicgrid_store::testing::Backend::Sqlite, true).await;
    let before = peak_memory();
    let bombs = (0..6).map(|_| {
        let app = api.app.clone();
        tokio::spawn(async move {
            let req = Request::post("/api/v1/attachments").header("content-type", "image/png").body(Body::from(bomb(20_000))).unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, String::from_utf8_lossy(&body).to_string())
        })
    });
    for b in bombs.collect::<Vec<_>>() {
        let (status, body) = b.await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("20000×20000 pixels need 381 MiB"), "refused from its header: {body}");
    }
    let grew = peak_memory().saturating_sub(before);
    // The stated bound is 192 MiB per decode; refused from the header, a bomb costs almost nothing.
    assert!(grew < 32 << 20, "the peak grew by {} MiB", grew >> 20);
    assert!(std::fs::read_dir(api.data.path().join("attachments")).map(|d| d.count()).unwrap_or(0) == 0, "nothing written");
}

backend_test! {
    async fn photos_no_case_took_are_removed_after_a_day(b: Backend) {
        let api = Api::new(b, true).await;
        let png = encoded(&picture(64, 48), ImageFormat::Png);
        let orphan = api.upload(None, "image/png", &png).await.json();
        let kept = api.upload(None, "image/png", &png).await.json();
        let report = json!({"category": "0102", "description": "垃圾桶满溢", "area": A, "attachments": [kept["id"]]});
        assert_eq!(api.call("POST", "/api/v1/cases", None, Some("application/json"), report.to_string().into_bytes()).await.status, StatusCode::CREATED, "{b}");
        let id = |v: &Value| uuid::Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();
        let orphan_file = api.data.path().join(api_path(&api, id(&orphan)).await);
        let kept_file = api.data.path().join(api_path(&api, id(&kept)).await);
        assert!(orphan_file.exists() && kept_file.exists(), "{b}");
        let state = AppState::new(api.store.clone(), Cipher::from_bytes([1; 32]), ServerConfig { data_dir: Some(api.data.path().to_path_buf()), ..ServerConfig::default() });
        let now = chrono::Utc::now();
        assert_eq!(civicgrid_server::jobs::remove_orphan_photos_once(&state, now).await.unwrap(), 0, "{b}: not yet a day");
        assert_eq!(civicgrid_server::jobs::remove_orphan_photos_once(&state, now + chrono::Duration::hours(25)).await.unwrap(), 1, "{b}");
        assert!(!orphan_file.exists() && kept_file.exists(), "{b}: the orphan's file went, the case's stayed");
        assert!(api.store.attachment(id(&orphan)).await.unwrap().is_none() && api.store.attachment(id(&kept)).await.unwrap().is_some(), "{b}");
    }
}

/// Where a photo's file lies under the data folder.
async fn api_path(api: &Api, id: uuid::Uuid) -> String {
    api.store.attachment(id).await.unwrap().unwrap().path
}
