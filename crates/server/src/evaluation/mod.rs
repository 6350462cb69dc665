//! 考核评价: rates, scores and rankings folded from the case logs, the cases behind any figure,
//! and the same tables as an Excel workbook.

mod report;
mod routes;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kit::access::{guard, Access};
use crate::kit::openapi::module;
use crate::AppState;
use civicgrid_domain::Role;

pub(crate) use routes::Cache;

/// Leaders, the command centres and admins read evaluations.
const EVALUATORS: &[Role] = &[Role::CommunityAdmin, Role::TownDispatcher, Role::DistrictDispatcher, Role::Leader, Role::Admin];

/// Who reads the departments' ranking: the evaluators, and department handlers (their own
/// department's place among the departments, and its own cases behind a figure).
const RANKED: &[Role] =
    &[Role::CommunityAdmin, Role::TownDispatcher, Role::DistrictDispatcher, Role::Leader, Role::Admin, Role::DepartmentHandler];

/// `/api/v1/evaluation`, its drill-down and its export; and the method, which everyone signed in
/// may read (the assessed above all).
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let ranking = module("evaluation", "考核评价: rates, scores and rankings from the case logs, the cases behind them, Excel export")
        .routes(routes!(routes::show))
        .routes(routes!(routes::cases));
    let export = OpenApiRouter::default().routes(routes!(routes::export));
    let method = OpenApiRouter::default().routes(routes!(routes::method));
    guard(Access::Roles { roles: RANKED, refusal: "evaluations are read by leaders, command centres, admins and departments" }, ranking)
        .merge(guard(Access::Roles { roles: EVALUATORS, refusal: "evaluations are exported by leaders, command centres and admins" }, export))
        .merge(guard(Access::SignedIn, method))
}
