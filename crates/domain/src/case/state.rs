//! The plain states and labels of a case: where it is in its loop ([`CaseState`]), how it came in
//! ([`Channel`]), how urgent it is ([`Priority`]) and the reporter's verdict ([`Rating`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::DomainError;

string_enum!(
    /// Where a case is in its loop.
    CaseState, "state" {
        /// 已上报: waiting for a centre to accept it.
        Reported = "reported",
        /// 已受理: accepted, waiting to be dispatched.
        Accepted = "accepted",
        /// 不予受理: not a matter for the platform. Final.
        Rejected = "rejected",
        /// 已派遣: sent to a department or a lower level, not yet claimed.
        Dispatched = "dispatched",
        /// 处置中: claimed by its handler.
        InProgress = "in_progress",
        /// 已退回: sent back as a wrong dispatch, waiting for the dispatcher.
        Returned = "returned",
        /// 已处置: the handler reported the work done, waiting for verification.
        Handled = "handled",
        /// 已结案: verified (or closed on the spot).
        Closed = "closed",
        /// 已评价: the reporter rated the result.
        Rated = "rated",
        /// 已挂起: suspended; resumes to the state it left.
        Suspended = "suspended",
        /// 已合并: a duplicate merged into another case. Final.
        Merged = "merged",
    }
);

impl CaseState {
    /// True while the case still needs work: not rejected, closed, rated or merged.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Rejected | CaseState::Closed | CaseState::Rated | CaseState::Merged)
    }
}

string_enum!(
    /// How a case came in.
    Channel, "channel" {
        /// 网格员上报.
        GridWorker = "grid_worker",
        /// 居民报事 through the portal.
        Resident = "resident",
        /// 12345 热线.
        Hotline = "hotline",
        /// 物联感知 alarm.
        Iot = "iot",
        /// 调解或法院窗口.
        Mediation = "mediation",
        /// 巡查督查.
        Inspection = "inspection",
        /// Open311 GeoReport v2 clients.
        Open311 = "open311",
    }
);

string_enum!(
    /// Urgency of a case.
    Priority, "priority" {
        /// 一般.
        Normal = "normal",
        /// 较急.
        High = "high",
        /// 紧急.
        Urgent = "urgent",
    }
);

string_enum!(
    /// The reporter's verdict on a closed case.
    Rating, "rating" {
        /// 满意.
        Satisfied = "satisfied",
        /// 基本满意.
        BasicallySatisfied = "basically_satisfied",
        /// 不满意.
        Unsatisfied = "unsatisfied",
    }
);

impl Default for Channel {
    fn default() -> Self {
        Channel::Resident
    }
}
