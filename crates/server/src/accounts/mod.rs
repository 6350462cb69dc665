//! 账号: signing in and out, the signed-in account, and the admin's management of accounts.

mod session;
mod users;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kit::access::{guard, Access, ADMIN};
use crate::kit::openapi::module;
use crate::AppState;

/// The refusal every admin route gives another role.
pub(crate) const ADMINS_ONLY: Access = Access::Roles { roles: ADMIN, refusal: "only an admin manages accounts and departments" };

/// `/api/v1/session`, `/api/v1/me` and `/api/v1/admin/users`.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let session = module("session", "sign in and out").routes(routes!(session::login, session::logout));
    let me = OpenApiRouter::default().routes(routes!(session::me));
    let admin = module("admin", "accounts, roles, scopes and departments (admin role)")
        .routes(routes!(users::users, users::create_user))
        .routes(routes!(users::update_user));
    session.merge(guard(Access::SignedIn, me)).merge(guard(ADMINS_ONLY, admin))
}
