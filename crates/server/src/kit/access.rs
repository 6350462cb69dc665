//! Who may call a route. A module's `router()` puts each group of routes behind one [`Access`],
//! so the roles of every route are read in one place, next to the route list; the guard also
//! writes them into the route's OpenAPI description. Finer rules that depend on the record
//! (a case's area, a department's queue) stay with the domain.

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use std::collections::HashMap;
use std::sync::Arc;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use civicgrid_domain::{AreaLevel, Role, User};
use civicgrid_store::crypto::token_hash;
use utoipa_axum::router::OpenApiRouter;

use super::error::ApiError;
use super::extract::session_token;
use crate::AppState;

/// Who may call a group of routes.
#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Any signed-in account.
    SignedIn,
    /// Accounts with one of `roles`; `refusal` tells the others why not (shown to them).
    Roles { roles: &'static [Role], refusal: &'static str },
    /// Admins whose scope is the whole city (or above): city-wide settings.
    CityAdmin { refusal: &'static str },
}

/// Admins only.
pub const ADMIN: &[Role] = &[Role::Admin];

/// Everyone who works in the platform: every role but the resident, whom `Role::ALL` lists first.
pub const STAFF: &[Role] = Role::ALL.split_at(1).1;

/// The command centres at every level.
pub const DISPATCHERS: &[Role] = &[Role::CommunityAdmin, Role::TownDispatcher, Role::DistrictDispatcher];

impl Access {
    /// Whether `user` may call the routes.
    pub fn allows(&self, user: &User) -> bool {
        match self {
            Access::SignedIn => true,
            Access::Roles { roles, .. } => roles.contains(&user.role),
            Access::CityAdmin { .. } => user.role == Role::Admin && user.scope.level() <= AreaLevel::City,
        }
    }

    fn refusal(&self) -> &'static str {
        match self {
            Access::SignedIn => "",
            Access::Roles { refusal, .. } | Access::CityAdmin { refusal } => refusal,
        }
    }

    /// The sentence the OpenAPI description gains.
    fn describe(&self) -> String {
        let who = match self {
            Access::SignedIn => "any signed-in account".to_string(),
            Access::Roles { roles, .. } => roles.iter().map(|r| format!("`{}`", r.as_str())).collect::<Vec<_>>().join(", "),
            Access::CityAdmin { .. } => "`admin` with a city-wide scope".to_string(),
        };
        format!("Who may call: {who}.")
    }
}

/// Puts every route of `routes` behind `access`: 401 without a session, 403 for another role.
/// The signed-in user is kept on the request, so the handler's `SignedIn` reads no session again.
pub fn guard(access: Access, mut routes: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    for item in routes.get_openapi_mut().paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
            let said = op.description.take().unwrap_or_default();
            op.description = Some(if said.is_empty() { access.describe() } else { format!("{said}\n\n{}", access.describe()) });
        }
    }
    // The methods each path takes: a method it does not take goes on to the router's 405,
    // whoever asks, instead of being refused as if the route existed for it.
    let mut methods: HashMap<String, Vec<Method>> = HashMap::new();
    for (path, item) in &routes.get_openapi().paths.paths {
        let taken = [(Method::GET, &item.get), (Method::POST, &item.post), (Method::PUT, &item.put), (Method::PATCH, &item.patch), (Method::DELETE, &item.delete)];
        let entry = methods.entry(path.clone()).or_default();
        entry.extend(taken.into_iter().filter(|(_, op)| op.is_some()).map(|(m, _)| m));
        // axum answers HEAD with the GET handler: it must be guarded the same.
        if item.get.is_some() {
            entry.push(Method::HEAD);
        }
    }
    let methods = Arc::new(methods);
    routes.route_layer(middleware::from_fn(move |req: Request, next: Next| {
        let methods = methods.clone();
        async move {
            let taken = req.extensions().get::<MatchedPath>().and_then(|p| methods.get(p.as_str())).is_none_or(|m| m.contains(req.method()));
            if taken {
                check(access, req, next).await
            } else {
                next.run(req).await
            }
        }
    }))
}

async fn check(access: Access, mut req: Request, next: Next) -> Response {
    let user = match signed_in(req.extensions().get::<AppState>().cloned(), session_token(req.headers())).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    match user {
        Some(user) if access.allows(&user) => {
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Some(_) => ApiError::forbidden(access.refusal()).into_response(),
        None => ApiError::unauthenticated().into_response(),
    }
}

/// The user a session token belongs to. The app state rides on every request (see
/// [`crate::router`]) because a route layer is built before the state exists.
async fn signed_in(app: Option<AppState>, token: Option<String>) -> Result<Option<User>, ApiError> {
    let app = app.ok_or_else(|| ApiError::internal("the app state is not on the request"))?;
    let Some(token) = token else { return Ok(None) };
    Ok(app.store.session_user(&token_hash(&token), app.now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_is_every_role_but_the_resident() {
        assert!(!STAFF.contains(&Role::Resident));
        assert_eq!(STAFF.len() + 1, Role::ALL.len());
    }
}
