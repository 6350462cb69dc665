//! 时限: deadlines on the working calendar, and the city admin's loading of further years.

mod calendar;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kit::access::{guard, Access};
use crate::AppState;

/// `/api/v1/calendar/deadline` (public) and `/api/v1/admin/calendar` (a city-level admin).
pub(crate) fn router() -> OpenApiRouter<AppState> {
    // The deadline calculator sits under the reference tag, where the reference module declares it.
    let open = OpenApiRouter::default().routes(routes!(calendar::deadline));
    let admin = OpenApiRouter::default().routes(routes!(calendar::years, calendar::load));
    open.merge(guard(Access::CityAdmin { refusal: "the working calendar is the city's: only a city-level admin loads it" }, admin))
}
