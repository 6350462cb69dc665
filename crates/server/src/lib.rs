//! civicgrid's HTTP API (axum): JSON under `/api/v1`, the OpenAPI document and its docs page,
//! health checks. Handlers are thin: parse, call the domain through the store, map errors.

pub mod kit;

mod accounts;
mod case;
mod evaluation;
pub mod geo;
mod inbox;
mod open311;
mod patrol;
mod phrases;
mod reference;
mod timelimit;

pub use kit::{error, extract, jobs, openapi};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use chrono::{DateTime, Utc};
use civicgrid_store::crypto::Cipher;
use civicgrid_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

pub use reference::RefData;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a session lasts.
    pub session_hours: i64,
    /// Failed logins in a row from one client that lock the account for that client.
    pub max_login_failures: i64,
    /// Failed logins in a row from all clients together that lock the account for every client
    /// but those that signed in as it before (their device mark exempts them).
    pub max_account_failures: i64,
    /// How long a locked account stays locked.
    pub lockout_minutes: i64,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest accepted request body, bytes (photo uploads have their own limit).
    pub body_limit: usize,
    /// The data folder: uploaded photos go under `attachments/` in it. Without one, uploads
    /// answer `503 unavailable`.
    pub data_dir: Option<PathBuf>,
    /// Outside channels for notices.
    pub notify: jobs::NotifyConfig,
    /// The weights of the evaluation score (`[evaluation.weights]`), summing to 1.
    pub weights: civicgrid_domain::evaluation::Weights,
    /// How the evaluation ranks small samples (`[evaluation] min_cases`).
    pub rank_rules: civicgrid_domain::evaluation::RankRules,
    /// How cases are counted: the follow-up window, the default rating, attribution.
    pub count_rules: civicgrid_domain::evaluation::CountRules,
    /// What a new password must be (`[password_policy]`).
    pub password: civicgrid_domain::PasswordPolicy,
    /// Reports, photos and ratings one client may send without an account per minute; 0 for no
    /// limit (the default here; the binary's configuration sets 60).
    pub anonymous_writes_per_minute: u32,
    /// The header a trusted reverse proxy puts the client's address in (e.g. `x-forwarded-for`);
    /// without one, the peer address is the client.
    pub client_ip_header: Option<String>,
    /// Days the access log of reads is kept (at least 183: MLPS level 3 asks for six months).
    pub access_log_days: i64,
    /// The basemap under the maps (`[map]`), checked.
    pub basemap: geo::Basemap,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { session_hours: 12, max_login_failures: 5, max_account_failures: 20, lockout_minutes: 15, secure_cookies: false, body_limit: 1 << 20, data_dir: None, notify: jobs::NotifyConfig::default(), weights: Default::default(), rank_rules: Default::default(), count_rules: Default::default(), password: Default::default(), anonymous_writes_per_minute: 0, client_ip_header: None, access_log_days: 400, basemap: geo::Basemap::default() }
    }
}

/// What every handler shares. Cheap to clone; holds no per-user state.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Encryption of personal data and receipts.
    pub cipher: Cipher,
    /// HTTP settings.
    pub config: Arc<ServerConfig>,
    refdata: Arc<reference::Cache>,
    geo: Arc<geo::Cache>,
    /// Photo decodes running at once: each may take hundreds of MiB and a core.
    photos: Arc<tokio::sync::Semaphore>,
    /// This process's name in leases (timers, outbox, deliveries), unique per start.
    pub server_id: Arc<str>,
    /// The outside channels notices go to.
    pub senders: Arc<Vec<Arc<dyn jobs::Sender>>>,
    evaluations: Arc<evaluation::Cache>,
    limits: kit::limits::AnonymousWrites,
    /// The content security policy, with the basemap's tile servers let in.
    csp: axum::http::HeaderValue,
}

impl AppState {
    /// Builds the state around a migrated store.
    pub fn new(store: Arc<dyn Store>, cipher: Cipher, config: ServerConfig) -> Self {
        let senders = Arc::new(jobs::senders(&config.notify));
        store.set_log_key(cipher.log_key());
        let limits = kit::limits::AnonymousWrites::new(config.anonymous_writes_per_minute);
        let csp = kit::browser::csp(&config.basemap.origins);
        AppState {
            store,
            cipher,
            config: Arc::new(config),
            refdata: Arc::new(reference::Cache::default()),
            geo: Arc::new(geo::Cache::default()),
            photos: Arc::new(tokio::sync::Semaphore::new(2)),
            server_id: format!("server-{}", uuid::Uuid::new_v4().simple()).into(),
            senders,
            evaluations: Arc::default(),
            limits,
            csp,
        }
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Areas, categories and departments, cached for a few seconds.
    pub async fn refdata(&self) -> Result<Arc<RefData>, error::ApiError> {
        self.refdata.get(&self.store).await
    }

    /// Drops the cached reference data (after an admin changed it).
    pub fn invalidate_refdata(&self) {
        self.refdata.invalidate();
    }

    /// The grid index and address library, rebuilt when the database's geography changed.
    pub async fn geo(&self) -> Result<Arc<geo::GeoSnapshot>, error::ApiError> {
        let rd = self.refdata().await?;
        self.geo.get(self.store.as_ref(), &rd).await
    }

    /// Makes the next [`AppState::geo`] check the database (after this server changed it).
    pub fn invalidate_geo(&self) {
        self.geo.invalidate();
    }
}

/// Every module's routes with their OpenAPI paths and access guards. A new module adds its
/// `router()` here, in one line.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    kit::openapi::frame()
        .merge(kit::health::router())
        .merge(accounts::router())
        .merge(reference::router())
        .merge(case::router())
        .merge(geo::router())
        .merge(timelimit::router())
        .merge(patrol::router())
        .merge(phrases::router())
        .merge(inbox::router())
        .merge(evaluation::router())
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let limit = state.config.body_limit;
    let (api, doc) = api().split_for_parts();
    let doc = kit::openapi::complete(doc);
    api.merge(kit::openapi::router(doc))
        .merge(open311::router())
        .fallback(web_or_not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(kit::limits::limit))
        .layer(axum::middleware::from_fn(kit::browser::protect))
        // The access guards are built before the state exists, so the state rides on the request.
        .layer(axum::Extension(state.clone()))
        .layer(compression())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// gzip or brotli for the API's JSON, GeoJSON and CSV (a city's grids are megabytes of text);
/// never for what is packed already (photos, workbooks, PDFs, the UI's precompressed files).
/// Level 4: most of the gain for a small part of the CPU of the highest levels.
fn compression() -> CompressionLayer<impl Predicate> {
    // Files served by ranges (the PMTiles basemap, octet-stream) stay as they are: compressing a
    // whole one would drop its Accept-Ranges. (tower-http leaves a range's answer alone itself.)
    let predicate = DefaultPredicate::new()
        .and(NotForContentType::const_new("application/vnd.openxmlformats"))
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/octet-stream"));
    CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(predicate)
}

/// Unknown routes: the API's JSON 404 under `/api`, the embedded web UI everywhere else.
async fn web_or_not_found(req: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    if civicgrid_webui::is_api_path(req.uri().path()) {
        return error::ApiError::not_found("route").into_response();
    }
    civicgrid_webui::serve(req).await
}
