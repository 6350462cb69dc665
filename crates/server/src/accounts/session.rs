//! Sign in and out: argon2 password check, lockout after repeated failures, a random session
//! token kept only as its hash, sent as an HttpOnly cookie (and in the body for API clients).

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use civicgrid_domain::User;
use civicgrid_store::crypto::{token_hash, verify_password};
use civicgrid_store::LoginGate;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{cookies, session_token, ApiJson, SignedIn, SESSION_COOKIE};
use crate::kit::limits::ClientAddr;
use crate::AppState;

/// Login request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A started session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The user.
    pub user: User,
    /// The session token, also set as the `cg_session` cookie; send it as `Authorization: Bearer`.
    pub token: String,
    /// When the session ends.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A hash to verify against when the user does not exist, so timing does not tell who does.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| civicgrid_store::crypto::hash_password("not a password").expect("hashing works"))
}

/// The answer to a sign-in that may not be checked now. The same for every name, existing or
/// not, so it tells nobody who has an account.
fn locked(until: Option<chrono::DateTime<chrono::Utc>>, now: chrono::DateTime<chrono::Utc>) -> ApiError {
    let message = match until {
        Some(until) => format!(
            "too many failed sign-ins; try again in {} minutes (at {})",
            (until - now).num_minutes() + 1,
            until.to_rfc3339()
        ),
        None => "too many sign-ins at once for this name; try again in a minute".to_string(),
    };
    let mut e = ApiError::new(StatusCode::LOCKED, "account_locked", message, Some("username"));
    // The figures a client words in its reader's language (the message is English).
    e.details = Some(serde_json::json!({"retry_minutes": until.map_or(1, |u| (u - now).num_minutes() + 1)}));
    e
}

/// The cookie a browser keeps after signing in: its mark lets it past a lock that strangers'
/// guesses put on the account.
const DEVICE_COOKIE: &str = "cg_device";

/// The key the guesses at `username` from `client` are counted under.
fn from_client(username: &str, client: &str) -> String {
    format!("{username}\u{1f}{client}")
}

/// Whether the request carries the device mark of an earlier sign-in as `username`.
fn known_device(app: &AppState, headers: &HeaderMap, username: &str) -> bool {
    cookies(headers, DEVICE_COOKIE).any(|mark| app.cipher.check_device_mark(username, mark))
}

/// Signs in. Guesses are counted before the password is checked, in two counts: by name and
/// client (at most `max_login_failures` in a row checked from one client, however many arrive at
/// once), and by name alone (`max_account_failures`, guesses from every client together). A
/// browser that signed in as the name before carries a device mark that exempts it from the
/// second, so strangers' guesses cannot lock the owner out. Unknown names are counted and
/// answered exactly like known ones.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody, description = "invalid_credentials"),
              (status = 423, body = ErrorBody, description = "account_locked")))]
pub(crate) async fn login(
    State(app): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let now = app.now();
    let username = req.username.trim().to_ascii_lowercase();
    let (max, lockout) = (app.config.max_login_failures, Duration::minutes(app.config.lockout_minutes));
    let account_max = app.config.max_account_failures;
    let client_key = from_client(&username, &client);
    let n = match app.store.login_attempt(&client_key, max, now - lockout, now).await? {
        LoginGate::Admitted(n) => n,
        LoginGate::Locked(until) => return Err(locked(until, now)),
    };
    let trusted = known_device(&app, &headers, &username);
    let account_n = if trusted {
        0
    } else {
        match app.store.login_attempt(&username, account_max, now - lockout, now).await? {
            LoginGate::Admitted(n) => n,
            LoginGate::Locked(until) => return Err(locked(until, now)),
        }
    };
    let creds = app.store.credentials(&username).await?;
    let password = req.password;
    let hash = creds.as_ref().map(|c| c.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    // Argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    let creds = match creds {
        Some(c) if ok => c,
        _ => {
            if !trusted {
                app.store.login_failed(&username, account_max, now + lockout).await?;
                if account_n >= account_max {
                    // Operators watch warnings: many clients guessing at one name is an attack.
                    tracing::warn!(%username, failures = account_n, "sign-ins to this name locked for unknown clients after failures from many clients");
                }
            }
            let mut e = ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "wrong username or password", Some("password"));
            if n >= max {
                app.store.login_failed(&client_key, max, now + lockout).await?;
                e.message = format!("wrong username or password; the account is now locked for {} minutes", app.config.lockout_minutes);
                e.details = Some(serde_json::json!({"attempts_left": 0, "locked_minutes": app.config.lockout_minutes}));
            } else {
                e.message = format!("wrong username or password; {} attempts left before the account is locked", max - n);
                e.details = Some(serde_json::json!({"attempts_left": max - n}));
            }
            return Err(e);
        }
    };
    app.store.login_succeeded(&client_key).await?;
    if !trusted {
        app.store.login_succeeded(&username).await?;
    }
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = URL_SAFE_NO_PAD.encode(raw);
    let expires_at = now + Duration::hours(app.config.session_hours);
    app.store.create_session(&token_hash(&token), &creds.user.id, now, expires_at).await?;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        app.config.session_hours * 3600,
        if app.config.secure_cookies { "; Secure" } else { "" }
    );
    let device = format!(
        "{DEVICE_COOKIE}={}; Path=/api/v1/session; HttpOnly; SameSite=Strict; Max-Age={}{}",
        app.cipher.device_mark(&creds.user.username),
        365 * 24 * 3600,
        if app.config.secure_cookies { "; Secure" } else { "" }
    );
    let mut res = Json(SessionView { user: creds.user, token, expires_at }).into_response();
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie is ASCII"));
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&device).expect("cookie is ASCII"));
    Ok(res)
}

/// Signs out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204, description = "signed out")))]
pub(crate) async fn logout(State(app): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session_token(&headers) {
        app.store.delete_session(&token_hash(&token)).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&clear).expect("ASCII"));
    Ok(res)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(SignedIn(user): SignedIn) -> Json<User> {
    Json(user)
}
