//! 考核: what a period's case logs say about each department, town, community, grid or person,
//! as the six rates of the score (响应率, 按期办结率, 解决率, 满意率, 重办率, 退单率) and four beside
//! them (派单准确率, 挂起率, 一次办结率, 参评率), the average time of each step, a weighted score
//! and a ranking.
//!
//! Everything is read from the event log, so every figure can be traced to the cases behind it
//! ([`CaseFacts`] says which case counts where; the drill-down lists them). The rules, one
//! *occasion* at a time, each counted for the period of the moment that dates it:
//!
//! - **dispatch** (响应率, 退单率, 挂起率; 派单准确率 for the dispatcher), dated by its `dispatched`
//!   event. It is *responded* if the unit took it up (claimed it, handled it, dispatched it on)
//!   or sent it back before the period ended; *returned* if a return was refused on review
//!   (退单审核); *suspended* if its handling was; *accurate* unless a return was accepted as a
//!   wrong dispatch.
//! - **handling** (按期办结率): from a dispatch (or a failed verification) to `handled`, against
//!   the handling deadline in force. It counts when handled in time (on time), or at its deadline
//!   if not handled by then (late) — once, in the period its deadline falls in (or, if an
//!   extension or a return review was awaited then, in the period of the decision); nothing
//!   later (an extension asked for too late, a suspension, an escalation, a return) changes that.
//! - **closure** (解决率, 重办率, 一次办结率, 参评率, 满意率), dated by its `verified` (passed) or
//!   `closed_on_spot` event, judged over its follow-up window (回访期, [`CountRules`]): reopened,
//!   rated and how, within the window.
//!
//! Events after the period's end (or after `as_of`, for a period still running) are not read,
//! except the follow-up windows of the period's closures: the figures are provisional until the
//! last window has passed, then never change. A case counts once per unit and rate, by its
//! worst occasion in the period. Step times are natural hours from a step's start to the event
//! that completes it (suspensions left out), averaged over the steps completed in the period.
// The tests (`use super::*`) read these.
#[cfg(test)]
use crate::{AreaLevel, Assignee, Case, CaseEvent, EventKind, Rating};
#[cfg(test)]
use chrono::{DateTime, NaiveDate, Utc};
#[cfg(test)]
use std::collections::BTreeMap;

mod counting;
mod facts;
mod method;
mod metric;
mod occasions;
mod period;
mod tally;

pub use counting::*;
pub use facts::*;
pub use method::*;
pub use metric::*;
pub use period::*;
pub use tally::*;

#[cfg(test)]
mod tests;
