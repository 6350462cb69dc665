//! 考核: what a period's case logs say about each department, town, community, grid or person,
//! as the six rates (响应率, 按期办结率, 解决率, 满意率, 重办率, 退单率), the average time of each
//! step, a weighted score and a ranking.
//!
//! Everything is read from the event log, so every figure can be traced to the cases behind it
//! ([`CaseFacts`] says which case counts where; the drill-down lists them). The rules, one
//! *occasion* at a time, each counted in the period in which it settles:
//!
//! - **dispatch** (响应率, 退单率): every `dispatched` event in the period. It is *responded* if
//!   the unit took it up (claimed it, handled it, or, for a lower centre, dispatched it on)
//!   before the period ended, *returned* if it sent it back.
//! - **handling** (按期办结率): from a dispatch (or a failed verification) to `handled`, against
//!   the handling deadline in force (moved by extensions and suspensions). It settles when
//!   handled in time (on time), or at its deadline if not handled by then (late) — once, in the
//!   period its deadline falls in. Handling that ends otherwise (returned, escalated) before its
//!   deadline does not count; one that outlived its deadline first counts as late.
//! - **closure** (解决率, 重办率): every `verified` (passed) or `closed_on_spot` event in the
//!   period; *reopened* if reopened before the period ended, *resolved* if neither reopened nor
//!   rated unsatisfied.
//! - **rating** (满意率): every `rated` event in the period; satisfied and basically satisfied
//!   count as satisfied.
//!
//! Events after the period's end (or after `as_of`, for a period still running) are not read,
//! so a past period's figures never change. A case counts once per unit and rate, by its worst
//! occasion in the period (one late handling makes the case late; one reopening makes it
//! reopened). Step times are natural hours from a step's start to the event that
//! completes it (suspensions left out), averaged over the steps completed in the period.
// The tests (`use super::*`) read these.
#[cfg(test)]
use crate::{AreaLevel, Assignee, Case, CaseEvent, EventKind, Rating};
#[cfg(test)]
use chrono::{DateTime, NaiveDate, Utc};
#[cfg(test)]
use std::collections::BTreeMap;

mod facts;
mod method;
mod metric;
mod period;
mod tally;

pub use facts::*;
pub use method::*;
pub use metric::*;
pub use period::*;
pub use tally::*;

#[cfg(test)]
mod tests;
