//! Request extractors: JSON bodies whose errors name the field at fault, and the signed-in
//! user from the session cookie or a bearer token.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use civicgrid_domain::{Actor, User};
use civicgrid_store::crypto::token_hash;
use serde::de::DeserializeOwned;

use crate::kit::error::ApiError;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cg_session";

/// A JSON body. A syntax error answers `malformed_json` with line and column; a type error
/// answers `invalid_field` naming the field's path.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("request body: {e}"), None))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Refuses a body that is not declared JSON: the media type itself must be `application/json`
/// or `application/<something>+json`, not a parameter that merely contains `+json`. A page of
/// another site can post `text/plain` without asking the browser first; it cannot post JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let json = essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
    if !json {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "malformed_json", "send the body as application/json", None));
    }
    Ok(())
}

/// Parses JSON, naming the path of the field at fault; anything after the value is refused.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("body is not valid JSON: {inner}"), None);
        }
        // A missing field is reported by serde at the parent; name the field itself.
        let msg = inner.to_string();
        let field = match named(&msg, "missing field `") {
            Some(name) if path == "." => name.to_string(),
            Some(name) => format!("{path}.{name}"),
            None => path,
        };
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        ApiError::invalid(&field, format!("{field}: {msg}"))
    })?;
    de.end().map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("body is not valid JSON: {e}"), None))?;
    Ok(value)
}

/// The field serde's message `prefix` + name + "`…" names, e.g. "missing field `unit`".
fn named<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    msg.strip_prefix(prefix).and_then(|r| r.split_once('`')).map(|(name, _)| name)
}

/// Query parameters parsed into `T`, which derives `IntoParams` so that the OpenAPI document
/// lists the very parameters the handler reads. Values are trimmed and an empty one counts as
/// absent (forms send `?state=`); an unknown parameter or a value of the wrong type answers
/// `invalid_field` naming the parameter. `T` should `deny_unknown_fields` and avoid `flatten`,
/// under which numbers and booleans no longer parse.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

/// Parses a query string into `T` (see [`ApiQuery`]).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|e| ApiError::invalid("query", format!("query: {e}")))?;
    let kept: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k, v.trim().to_string())).filter(|(_, v)| !v.is_empty()).collect();
    // Re-encoded because serde_urlencoded's deserializer, which turns strings into the numbers
    // and booleans `T` asks for, reads only an encoded query.
    let encoded = serde_urlencoded::to_string(&kept).map_err(|e| ApiError::invalid("query", format!("query: {e}")))?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.into_inner().to_string();
        if let Some(name) = named(&msg, "unknown field `") {
            return ApiError::invalid(name, format!("unknown query parameter `{name}`"));
        }
        if let Some(name) = named(&msg, "missing field `") {
            return ApiError::invalid(name, format!("{name} is required"));
        }
        if let Some(name) = named(&msg, "duplicate field `") {
            return ApiError::invalid(name, format!("{name}: given more than once"));
        }
        ApiError::invalid(&path, format!("{path}: {msg}"))
    })
}

/// The signed-in user, if any.
pub struct MaybeUser(pub Option<User>);

impl MaybeUser {
    /// The actor: the user, or the public.
    pub fn actor(&self) -> Actor {
        self.0.as_ref().map(User::actor).unwrap_or(Actor::Public)
    }
}

/// A signed-in user; 401 without one.
pub struct SignedIn(pub User);

/// The session token carried by a request: the cookie, or `Authorization: Bearer`.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if auth.len() > 7 && auth.is_char_boundary(7) && auth[..7].eq_ignore_ascii_case("bearer ") {
        return Some(auth[7..].trim().to_string());
    }
    cookies(headers, SESSION_COOKIE).next().map(str::to_string)
}

/// The values of the cookies named `name` the request carries, in order.
pub fn cookies<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).filter_map(move |kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

impl<S> FromRequestParts<S> for MaybeUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // A route behind an access guard was signed in by the guard already.
        if let Some(user) = parts.extensions.get::<User>() {
            return Ok(MaybeUser(Some(user.clone())));
        }
        let Some(token) = session_token(&parts.headers) else { return Ok(MaybeUser(None)) };
        let app = AppState::from_ref(state);
        Ok(MaybeUser(app.store.session_user(&token_hash(&token), app.now()).await?))
    }
}

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        MaybeUser::from_request_parts(parts, state).await?.0.map(SignedIn).ok_or_else(ApiError::unauthenticated)
    }
}
