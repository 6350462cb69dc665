//! 网格 and 统一地址库: grids, area outlines, point → grid, the address library, their imports,
//! and the in-memory copy of all of it that placing a report reads.

mod basemap;
mod routes;
mod snapshot;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kit::access::{guard, Access, ADMIN, STAFF};
use crate::kit::openapi::module;
use crate::AppState;

pub use basemap::{Basemap, BasemapKind, MapConfig};
pub use snapshot::*;

/// Largest file an import route takes: a city's grids are tens of megabytes of GeoJSON, an
/// address sheet of 100,000 rows about ten.
const IMPORT_LIMIT: usize = 64 << 20;

/// `/api/v1/grids`, `/api/v1/boundaries`, `/api/v1/locate`, `/api/v1/map/…` (the basemap and
/// road sketches) and `/api/v1/addresses`. Reading the map is public (staff see more of a grid); address matching is for staff; imports for admins.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    let open = module("geography", "网格 grids, area outlines, point → grid, 统一地址库 address library")
        .routes(routes!(routes::grids))
        .routes(routes!(routes::grid))
        .routes(routes!(routes::boundaries))
        .routes(routes!(routes::locate))
        .routes(routes!(basemap::basemap))
        .routes(routes!(basemap::basemap_file))
        .routes(routes!(basemap::roads));
    let staff = OpenApiRouter::default().routes(routes!(routes::match_address));
    let imports = OpenApiRouter::default()
        .routes(routes!(routes::import))
        .routes(routes!(routes::import_boundaries))
        .routes(routes!(routes::import_addresses))
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT));
    let admin = Access::Roles { roles: ADMIN, refusal: "only an admin changes grids, outlines and the address library" };
    open.merge(guard(Access::Roles { roles: STAFF, refusal: "address matching is for staff" }, staff)).merge(guard(admin, imports))
}
