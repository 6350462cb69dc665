//! The case (事件/工单) and its state machine: the only way a case changes.
//!
//! A command from an actor is checked against the case's state and the actor's role and scope,
//! and becomes one event; applying the events in order rebuilds the case. The store persists the
//! event and the resulting case in one transaction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use crate::text::{bounded, limits};
use crate::role::Visibility;
use crate::location::{LocationFix, Placed};
use crate::timelimit::{Step, StepDeadline};
use crate::{Actor, ActorRef, AreaCode, AreaLevel, Category, CategoryCode, DomainError, GridCode, Role};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case name, as in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err(DomainError::invalid($field, format!(
                        "unknown value `{s}`; expected one of: {}",
                        [$($s),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use string_enum;

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

string_enum!(
    /// The transitions a user can ask for, one per `POST /cases/{id}/actions/{action}`.
    Action, "action" {
        /// Accept a reported case.
        Accept = "accept",
        /// Refuse a reported case, with a reason.
        Reject = "reject",
        /// Send to a department or a lower level.
        Dispatch = "dispatch",
        /// Take a dispatched case into work.
        Claim = "claim",
        /// Send a wrong dispatch back.
        Return = "return",
        /// Ask for more time.
        RequestExtension = "request_extension",
        /// Grant or refuse a pending extension.
        DecideExtension = "decide_extension",
        /// Report the work done, with feedback.
        Handle = "handle",
        /// Check the work: pass closes, fail reopens to the same handler.
        Verify = "verify",
        /// Rate a closed case.
        Rate = "rate",
        /// Raise to the level above (吹哨报到).
        Escalate = "escalate",
        /// Put under supervision (督办).
        Supervise = "supervise",
        /// Merge into another case as a duplicate.
        Merge = "merge",
        /// Suspend work.
        Suspend = "suspend",
        /// Resume suspended work.
        Resume = "resume",
        /// Close on the spot with evidence (即报即办).
        CloseOnSpot = "close_on_spot",
        /// Leader's instruction (批示).
        Instruct = "instruct",
        /// Reopen after an unsatisfied rating (重办).
        Reopen = "reopen",
        /// Place or confirm where the case is (area, grid, point), by a dispatcher.
        Locate = "locate",
    }
);

/// A point in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

impl Location {
    /// Checks the point lies on the earth and roughly in China's bounding box.
    pub fn new(lon: f64, lat: f64) -> Result<Self, DomainError> {
        if !lon.is_finite() || !(73.0..=136.0).contains(&lon) {
            return Err(DomainError::invalid("location.lon", format!("{lon} is outside China (73..136)")));
        }
        if !lat.is_finite() || !(3.0..=54.0).contains(&lat) {
            return Err(DomainError::invalid("location.lat", format!("{lat} is outside China (3..54)")));
        }
        Ok(Location { lon, lat })
    }
}

/// The human-readable tracking code of a case: the report date and a daily sequence,
/// `YYYYMMDD` + at least 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "20261123000042")]
pub struct CaseCode(String);

impl CaseCode {
    /// The code for the `seq`th case reported on the day of `at`.
    pub fn new(at: DateTime<Utc>, seq: u64) -> Self {
        CaseCode(format!("{}{:06}", Self::day(at), seq))
    }

    /// The day a code is numbered in: the calendar date in China (UTC+8) of `at`.
    pub fn day(at: DateTime<Utc>) -> String {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        at.with_timezone(&china).format("%Y%m%d").to_string()
    }

    /// Parses a tracking code as a resident types it.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.len() < 14 || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("code", "a tracking code is the 8-digit date followed by at least 6 digits"));
        }
        Ok(CaseCode(s.to_string()))
    }

    /// The code's digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CaseCode::parse(&s)
    }
}

impl From<CaseCode> for String {
    fn from(c: CaseCode) -> String {
        c.0
    }
}

/// Who a dispatched case is with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    /// A functional department (职能部门).
    Department {
        /// Department id.
        id: String,
    },
    /// The centre of a lower area level.
    Area {
        /// Area code.
        code: AreaCode,
    },
}

/// Where a dispatch sends the case, as the store resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DispatchTarget {
    /// A department, with the area it is attached to.
    Department {
        /// Department id.
        id: String,
        /// The area the department serves.
        area: AreaCode,
    },
    /// A lower level of the area tree.
    Area(AreaCode),
}

/// A request for more time, waiting for the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PendingExtension {
    /// The new deadline asked for.
    pub until: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

/// A new case, validated and ready to be reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    /// Short title; derived from the description when not given.
    pub title: String,
    /// What is wrong, in the reporter's words.
    pub description: String,
    /// Category code.
    pub category: CategoryCode,
    /// Priority.
    pub priority: Priority,
    /// How it came in.
    pub channel: Channel,
    /// The deepest known area where it is.
    pub area: AreaCode,
    /// The point, in WGS84.
    pub location: Option<Location>,
    /// The address as given.
    pub address: Option<String>,
    /// Reporter's phone, encrypted by the store's cipher; never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_phone_enc: Option<String>,
    /// Reporter's phone, masked for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_phone_masked: Option<String>,
    /// Attachment references given with the report.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Answers to the category's service attributes (Open311), by attribute code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<crate::attributes::AttributeValues>,
    /// Further contact details (e-mail, names, device id) as JSON, encrypted by the store's cipher; never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_contact_enc: Option<String>,
    /// How the place (area, grid, point) was found; absent on reports made before the grid existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located: Option<LocationFix>,
}

/// The raw fields of a report, before validation.
#[derive(Debug, Clone, Default)]
pub struct NewCaseInput {
    /// Optional title.
    pub title: Option<String>,
    /// Description.
    pub description: String,
    /// Optional address text.
    pub address: Option<String>,
    /// Channel.
    pub channel: Channel,
    /// Optional point.
    pub location: Option<Location>,
    /// Attachment references.
    pub attachments: Vec<String>,
}

impl Default for Channel {
    fn default() -> Self {
        Channel::Resident
    }
}

impl NewCase {
    /// Validates a report's free text against the limits and fills in what derives from the
    /// category. The phone is encrypted by the caller, which owns the key.
    pub fn validate(input: NewCaseInput, category: &Category, area: AreaCode) -> Result<NewCase, DomainError> {
        let description = bounded("description", &input.description, limits::DESCRIPTION, true)?;
        let title = match input.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => bounded("title", t, limits::TITLE, true)?,
            None => {
                let first_line = description.lines().next().unwrap_or_default();
                let mut t: String = first_line.chars().take(30).collect();
                if first_line.chars().count() > 30 {
                    t.push('…');
                }
                t
            }
        };
        let address = match input.address.as_deref() {
            Some(a) if !a.trim().is_empty() => Some(bounded("address", a, limits::ADDRESS, true)?),
            _ => None,
        };
        Ok(NewCase {
            title,
            description,
            category: category.code.clone(),
            priority: category.priority,
            channel: input.channel,
            area,
            location: input.location,
            address,
            reporter_phone_enc: None,
            reporter_phone_masked: None,
            attachments: validate_attachments(input.attachments)?,
            attributes: None,
            reporter_contact_enc: None,
            located: None,
        })
    }
}

fn validate_attachments(list: Vec<String>) -> Result<Vec<String>, DomainError> {
    if list.len() > limits::ATTACHMENTS {
        return Err(DomainError::invalid("attachments", format!("at most {} attachments", limits::ATTACHMENTS)));
    }
    list.iter()
        .enumerate()
        .map(|(i, a)| bounded(&format!("attachments[{i}]"), a, limits::ATTACHMENT_REF, true))
        .collect()
}

/// A command on an existing case: the payload of one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// See [`Action::Accept`].
    Accept { note: Option<String> },
    /// See [`Action::Reject`].
    Reject { reason: String },
    /// See [`Action::Dispatch`].
    Dispatch { to: DispatchTarget, instructions: Option<String> },
    /// See [`Action::Claim`].
    Claim,
    /// See [`Action::Return`].
    Return { reason: String },
    /// See [`Action::RequestExtension`].
    RequestExtension { until: DateTime<Utc>, reason: String },
    /// See [`Action::DecideExtension`].
    DecideExtension { granted: bool, reason: Option<String> },
    /// See [`Action::Handle`].
    Handle { feedback: String, attachments: Vec<String> },
    /// See [`Action::Verify`].
    Verify { passed: bool, comment: Option<String> },
    /// See [`Action::Rate`].
    Rate { rating: Rating, comment: Option<String> },
    /// See [`Action::Escalate`].
    Escalate { reason: String },
    /// See [`Action::Supervise`].
    Supervise { instruction: String },
    /// See [`Action::Merge`].
    Merge { into: Uuid, into_code: CaseCode },
    /// See [`Action::Suspend`].
    Suspend { reason: String },
    /// See [`Action::Resume`].
    Resume { note: Option<String> },
    /// See [`Action::CloseOnSpot`].
    CloseOnSpot { evidence: String, attachments: Vec<String> },
    /// See [`Action::Instruct`].
    Instruct { note: String },
    /// See [`Action::Reopen`].
    Reopen { reason: String },
    /// See [`Action::Locate`]. The store has checked that the grid belongs to the area.
    Locate { area: AreaCode, grid: Option<GridCode>, location: Option<Location>, note: Option<String> },
}

impl Command {
    /// The action this command performs.
    pub fn action(&self) -> Action {
        match self {
            Command::Accept { .. } => Action::Accept,
            Command::Reject { .. } => Action::Reject,
            Command::Dispatch { .. } => Action::Dispatch,
            Command::Claim => Action::Claim,
            Command::Return { .. } => Action::Return,
            Command::RequestExtension { .. } => Action::RequestExtension,
            Command::DecideExtension { .. } => Action::DecideExtension,
            Command::Handle { .. } => Action::Handle,
            Command::Verify { .. } => Action::Verify,
            Command::Rate { .. } => Action::Rate,
            Command::Escalate { .. } => Action::Escalate,
            Command::Supervise { .. } => Action::Supervise,
            Command::Merge { .. } => Action::Merge,
            Command::Suspend { .. } => Action::Suspend,
            Command::Resume { .. } => Action::Resume,
            Command::CloseOnSpot { .. } => Action::CloseOnSpot,
            Command::Instruct { .. } => Action::Instruct,
            Command::Reopen { .. } => Action::Reopen,
            Command::Locate { .. } => Action::Locate,
        }
    }
}

/// What happened to a case. Serialised with a `type` tag into the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The case was reported.
    Reported {
        /// The tracking code given to the case.
        code: CaseCode,
        /// The report.
        #[serde(flatten)]
        case: NewCase,
        /// The centre first responsible.
        owner_area: AreaCode,
        /// Reporter's user id, if signed in.
        reporter_user_id: Option<String>,
    },
    /// Accepted by a centre.
    Accepted { note: Option<String> },
    /// Rejected as not a matter for the platform.
    Rejected { reason: String },
    /// Dispatched.
    Dispatched {
        /// To whom.
        to: Assignee,
        /// The centre that dispatched it (changes when a lower level re-dispatches).
        owner_area: AreaCode,
        /// Instructions for the handler.
        instructions: Option<String>,
    },
    /// Claimed by a handler.
    Claimed,
    /// Returned as a wrong dispatch.
    Returned { reason: String },
    /// More time asked for.
    ExtensionRequested { until: DateTime<Utc>, reason: String },
    /// Extension granted or refused.
    ExtensionDecided { granted: bool, until: DateTime<Utc>, reason: Option<String> },
    /// Work reported done.
    Handled { feedback: String, attachments: Vec<String> },
    /// Verification result.
    Verified { passed: bool, comment: Option<String> },
    /// The reporter's rating.
    Rated { rating: Rating, comment: Option<String> },
    /// Raised to the level above.
    Escalated { from: AreaCode, to: AreaCode, reason: String },
    /// Put under supervision.
    Supervised { instruction: String },
    /// Merged into another case.
    Merged { into: Uuid, into_code: CaseCode },
    /// Suspended.
    Suspended { reason: String },
    /// Resumed.
    Resumed { note: Option<String> },
    /// Closed on the spot by a grid worker.
    ClosedOnSpot { evidence: String, attachments: Vec<String> },
    /// A leader's instruction.
    Instructed { note: String },
    /// Reopened after an unsatisfied rating.
    Reopened { reason: String },
    /// A step's warning time passed (a timer fired).
    DeadlineWarned { step: Step, due: DateTime<Utc> },
    /// A step's deadline passed (a timer fired).
    Overdue { step: Step, due: DateTime<Utc> },
    /// A dispatcher placed or confirmed where the case is.
    Located {
        /// Where it is now.
        #[serde(flatten)]
        placed: Placed,
        /// Why, or what was checked.
        note: Option<String>,
    },
}

impl EventKind {
    /// The stable snake_case name of the event type.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Reported { .. } => "reported",
            EventKind::Accepted { .. } => "accepted",
            EventKind::Rejected { .. } => "rejected",
            EventKind::Dispatched { .. } => "dispatched",
            EventKind::Claimed => "claimed",
            EventKind::Returned { .. } => "returned",
            EventKind::ExtensionRequested { .. } => "extension_requested",
            EventKind::ExtensionDecided { .. } => "extension_decided",
            EventKind::Handled { .. } => "handled",
            EventKind::Verified { .. } => "verified",
            EventKind::Rated { .. } => "rated",
            EventKind::Escalated { .. } => "escalated",
            EventKind::Supervised { .. } => "supervised",
            EventKind::Merged { .. } => "merged",
            EventKind::Suspended { .. } => "suspended",
            EventKind::Resumed { .. } => "resumed",
            EventKind::ClosedOnSpot { .. } => "closed_on_spot",
            EventKind::Instructed { .. } => "instructed",
            EventKind::Reopened { .. } => "reopened",
            EventKind::Located { .. } => "located",
            EventKind::DeadlineWarned { .. } => "deadline_warned",
            EventKind::Overdue { .. } => "overdue",
        }
    }

    /// True if the public tracking page may show this event's type and time.
    pub fn is_public(&self) -> bool {
        !matches!(
            self,
            EventKind::Instructed { .. }
                | EventKind::Supervised { .. }
                | EventKind::ExtensionRequested { .. }
                | EventKind::ExtensionDecided { .. }
                | EventKind::Located { .. }
                | EventKind::DeadlineWarned { .. }
                | EventKind::Overdue { .. }
        )
    }
}

/// One entry of a case's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseEvent {
    /// The case.
    pub case_id: Uuid,
    /// Position in the case's log, from 1.
    pub seq: u32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: ActorRef,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
    /// The deadline of the step the case runs from this event on, when the event started a
    /// step or moved its deadline (see [`crate::policy`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<StepDeadline>,
}

/// The current state of a case: the fold of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Id (UUID v7, so ids sort by creation).
    pub id: Uuid,
    /// Tracking code.
    pub code: CaseCode,
    /// The report as made.
    pub report: NewCase,
    /// Reporter's user id, if signed in.
    pub reporter_user_id: Option<String>,
    /// Where it is in the loop.
    pub state: CaseState,
    /// The centre currently responsible (accepts, dispatches, verifies).
    pub owner_area: AreaCode,
    /// With whom it is, once dispatched.
    pub assignee: Option<Assignee>,
    /// The user who claimed it.
    pub handler_user_id: Option<String>,
    /// The state a suspended case resumes to.
    pub suspended_from: Option<CaseState>,
    /// An extension waiting for a decision.
    pub pending_extension: Option<PendingExtension>,
    /// The latest granted extension.
    pub extended_until: Option<DateTime<Utc>>,
    /// Under supervision (督办).
    pub supervised: bool,
    /// The case this duplicate was merged into.
    pub merged_into: Option<Uuid>,
    /// The reporter's rating.
    pub rating: Option<Rating>,
    /// Times reopened (failed verification or unsatisfied rating).
    pub reopen_count: u32,
    /// Times returned as a wrong dispatch.
    pub return_count: u32,
    /// Times escalated.
    pub escalation_count: u32,
    /// Where a dispatcher placed the case, overriding the report's area, grid and point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed: Option<Placed>,
    /// The deadline of the step the case is running (kept, with `paused_at`, while suspended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<StepDeadline>,
    /// When reported.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Number of events applied.
    pub version: u32,
}

fn illegal(action: Action, state: CaseState) -> DomainError {
    DomainError::IllegalTransition { action: action.as_str().into(), state: state.as_str().into() }
}

fn forbidden(action: Action) -> DomainError {
    DomainError::Forbidden(format!("your role or area does not allow `{}` on this case", action.as_str()))
}

fn note(field: &str, v: &str) -> Result<String, DomainError> {
    bounded(field, v, limits::NOTE, true)
}

fn opt_note(field: &str, v: Option<String>) -> Result<Option<String>, DomainError> {
    match v {
        Some(s) if !s.trim().is_empty() => Ok(Some(note(field, &s)?)),
        _ => Ok(None),
    }
}

impl Case {
    /// Reports a new case: the first event of its log.
    pub fn report(
        id: Uuid,
        code: CaseCode,
        new: NewCase,
        handling_level: AreaLevel,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Case, CaseEvent), DomainError> {
        let reporter_user_id = match actor {
            Actor::User { id, role, scope, .. } => {
                if *role != Role::Resident && !scope.contains(&new.area) {
                    return Err(DomainError::invalid("area", format!("{} is outside your area {scope}", new.area)));
                }
                Some(id.clone())
            }
            _ => None,
        };
        let owner_area = new.area.at_level(handling_level).unwrap_or_else(|| new.area.clone());
        let event = CaseEvent {
            case_id: id,
            seq: 1,
            at: now,
            actor: actor.to_ref(),
            kind: EventKind::Reported { code, case: new, owner_area, reporter_user_id },
            deadline: None,
        };
        let case = Case::from_events(std::slice::from_ref(&event)).expect("a reported event starts a case");
        Ok((case, event))
    }

    /// Rebuilds a case from its log. `None` if the log does not start with a report.
    pub fn from_events(events: &[CaseEvent]) -> Option<Case> {
        let first = events.first()?;
        let EventKind::Reported { code, case, owner_area, reporter_user_id } = &first.kind else { return None };
        let mut c = Case {
            id: first.case_id,
            code: code.clone(),
            report: case.clone(),
            reporter_user_id: reporter_user_id.clone(),
            state: CaseState::Reported,
            owner_area: owner_area.clone(),
            assignee: None,
            handler_user_id: None,
            suspended_from: None,
            pending_extension: None,
            extended_until: None,
            supervised: false,
            merged_into: None,
            rating: None,
            reopen_count: 0,
            return_count: 0,
            escalation_count: 0,
            placed: None,
            deadline: first.deadline.clone(),
            created_at: first.at,
            updated_at: first.at,
            version: 1,
        };
        for e in &events[1..] {
            c.apply(e);
        }
        Some(c)
    }

    /// Applies one event. Events are facts: applying never fails.
    pub fn apply(&mut self, e: &CaseEvent) {
        use EventKind as E;
        match &e.kind {
            E::Reported { .. } => {}
            E::Accepted { .. } => self.state = CaseState::Accepted,
            E::Rejected { .. } => self.state = CaseState::Rejected,
            E::Dispatched { to, owner_area, .. } => {
                self.state = CaseState::Dispatched;
                self.assignee = Some(to.clone());
                self.owner_area = owner_area.clone();
                self.handler_user_id = None;
            }
            E::Claimed => {
                self.state = CaseState::InProgress;
                self.handler_user_id = e.actor.user_id.clone();
            }
            E::Returned { .. } => {
                self.state = CaseState::Returned;
                self.assignee = None;
                self.handler_user_id = None;
                self.pending_extension = None;
                self.return_count += 1;
            }
            E::ExtensionRequested { until, reason } => {
                self.pending_extension = Some(PendingExtension { until: *until, reason: reason.clone() })
            }
            E::ExtensionDecided { granted, until, .. } => {
                self.pending_extension = None;
                if *granted {
                    self.extended_until = Some(*until);
                }
            }
            E::Handled { .. } => self.state = CaseState::Handled,
            E::Verified { passed, .. } => {
                if *passed {
                    self.state = CaseState::Closed;
                } else {
                    self.state = CaseState::InProgress;
                    self.reopen_count += 1;
                }
            }
            E::Rated { rating, .. } => {
                self.state = CaseState::Rated;
                self.rating = Some(*rating);
            }
            E::Escalated { to, .. } => {
                if self.state != CaseState::Reported {
                    self.state = CaseState::Accepted;
                }
                self.owner_area = to.clone();
                self.assignee = None;
                self.handler_user_id = None;
                self.pending_extension = None;
                self.suspended_from = None;
                self.escalation_count += 1;
            }
            E::Supervised { .. } => self.supervised = true,
            E::Merged { into, .. } => {
                self.state = CaseState::Merged;
                self.merged_into = Some(*into);
            }
            E::Suspended { .. } => {
                self.suspended_from = Some(self.state);
                self.state = CaseState::Suspended;
            }
            E::Resumed { .. } => {
                self.state = self.suspended_from.take().unwrap_or(CaseState::Accepted);
            }
            E::ClosedOnSpot { .. } => {
                self.state = CaseState::Closed;
                self.handler_user_id = e.actor.user_id.clone();
            }
            E::Instructed { .. } => {}
            E::Located { placed, .. } => self.placed = Some(placed.clone()),
            E::DeadlineWarned { .. } | E::Overdue { .. } => {}
            E::Reopened { .. } => {
                self.state = CaseState::Accepted;
                self.assignee = None;
                self.handler_user_id = None;
                self.rating = None;
                self.reopen_count += 1;
            }
        }
        match &e.deadline {
            Some(d) => self.deadline = Some(d.clone()),
            None if !self.state.is_open() => self.deadline = None,
            None => {}
        }
        self.version = e.seq;
        self.updated_at = e.at;
    }

    /// The deepest area the case lies in: where a dispatcher placed it, else where it was reported.
    pub fn area(&self) -> &AreaCode {
        self.placed.as_ref().map_or(&self.report.area, |p| &p.area)
    }

    /// The grid the case lies in, if known.
    pub fn grid(&self) -> Option<&GridCode> {
        match &self.placed {
            Some(p) => p.grid.as_ref(),
            None => self.report.located.as_ref().and_then(|l| l.grid.as_ref()),
        }
    }

    /// The point, in WGS84, if known.
    pub fn location(&self) -> Option<Location> {
        match &self.placed {
            Some(p) if p.location.is_some() => p.location,
            _ => self.report.location,
        }
    }

    /// True while the report's place waits for a dispatcher's confirmation.
    pub fn needs_location_confirmation(&self) -> bool {
        self.placed.is_none() && self.report.located.as_ref().is_some_and(|l| l.needs_confirmation)
    }

    /// True if `actor` may see the case at all.
    pub fn visible_to(&self, actor: &Actor) -> bool {
        match actor.visibility() {
            Visibility::Everything => true,
            Visibility::Area(scope) => scope.contains(self.area()),
            Visibility::Department(scope, dept) => {
                scope.contains(self.area()) && matches!(&self.assignee, Some(Assignee::Department { id }) if *id == dept)
            }
            Visibility::Reporter(id) => self.reporter_user_id.as_deref() == Some(id.as_str()),
            Visibility::Nothing => false,
        }
    }

    /// True if `actor` runs the centre that currently owns the case.
    /// The system (timers and rules) acts for the owning centre.
    fn managed_by(&self, actor: &Actor) -> bool {
        matches!(actor, Actor::System)
            || matches!(actor, Actor::User { role, scope, .. } if role.is_dispatcher() && scope.contains(&self.owner_area))
    }

    /// True if `actor` is on the receiving side of the current dispatch.
    fn assigned_to(&self, actor: &Actor) -> bool {
        let Actor::User { role, scope, department, .. } = actor else { return false };
        match &self.assignee {
            Some(Assignee::Department { id }) => {
                *role == Role::DepartmentHandler && department.as_deref() == Some(id) && scope.contains(self.area())
            }
            Some(Assignee::Area { code }) => {
                (role.is_dispatcher() || *role == Role::GridWorker) && code.contains(scope) && scope.contains(self.area())
            }
            None => false,
        }
    }

    /// True if `actor` oversees the case's area as a leader or any dispatcher above it.
    fn overseen_by(&self, actor: &Actor, leader_only: bool) -> bool {
        (!leader_only && matches!(actor, Actor::System))
            || matches!(actor, Actor::User { role, scope, .. }
            if (*role == Role::Leader || (!leader_only && role.is_dispatcher())) && scope.contains(self.area()))
    }

    /// True if `actor` reported this case (by receipt, or as the signed-in resident).
    fn reported_by(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Reporter => true,
            Actor::User { id, role: Role::Resident, .. } => self.reporter_user_id.as_deref() == Some(id),
            _ => false,
        }
    }

    /// Checks that `actor` may perform `action` now, without looking at the payload.
    pub fn permits(&self, actor: &Actor, action: Action) -> Result<(), DomainError> {
        use CaseState as S;
        let s = self.state;
        let state_ok = match action {
            Action::Accept | Action::Reject => s == S::Reported,
            Action::Dispatch => matches!(s, S::Accepted | S::Returned)
                || (s == S::Dispatched && matches!(self.assignee, Some(Assignee::Area { .. }))),
            Action::Claim => s == S::Dispatched,
            Action::Return => matches!(s, S::Dispatched | S::InProgress),
            Action::RequestExtension => matches!(s, S::Dispatched | S::InProgress) && self.pending_extension.is_none(),
            Action::DecideExtension => matches!(s, S::Dispatched | S::InProgress) && self.pending_extension.is_some(),
            Action::Handle => s == S::InProgress,
            Action::Verify => s == S::Handled,
            Action::Rate => s == S::Closed,
            Action::Reopen => s == S::Rated && self.rating == Some(Rating::Unsatisfied),
            Action::Escalate => s.is_open(),
            Action::Supervise => s.is_open(),
            Action::Merge => matches!(s, S::Reported | S::Accepted | S::Returned),
            Action::Suspend => matches!(s, S::Accepted | S::Dispatched | S::InProgress | S::Returned),
            Action::Resume => s == S::Suspended,
            Action::CloseOnSpot => s == S::Reported,
            Action::Instruct => true,
            Action::Locate => s.is_open(),
        };
        if !state_ok {
            return Err(illegal(action, s));
        }
        let role_ok = match action {
            Action::Accept
            | Action::Reject
            | Action::DecideExtension
            | Action::Verify
            | Action::Reopen
            | Action::Merge
            | Action::Suspend
            | Action::Resume
            | Action::Escalate => self.managed_by(actor),
            Action::Dispatch => {
                if s == S::Dispatched {
                    self.assigned_to(actor) && actor.role().is_some_and(Role::is_dispatcher)
                } else {
                    self.managed_by(actor)
                }
            }
            Action::Claim | Action::Return | Action::RequestExtension | Action::Handle => self.assigned_to(actor),
            Action::Rate => self.reported_by(actor) || self.managed_by(actor),
            Action::Supervise => self.overseen_by(actor, false),
            Action::Instruct => self.overseen_by(actor, true),
            Action::Locate => self.overseen_by(actor, false),
            Action::CloseOnSpot => {
                matches!(actor, Actor::User { role: Role::GridWorker, scope, .. } if scope.contains(self.area()))
            }
        };
        if !role_ok {
            return Err(forbidden(action));
        }
        Ok(())
    }

    /// The actions `actor` may take on the case now, for the UI.
    pub fn allowed_actions(&self, actor: &Actor) -> Vec<Action> {
        Action::ALL.iter().copied().filter(|a| self.permits(actor, *a).is_ok()).collect()
    }

    /// Decides a command: checks it and answers the event it produces. The case is unchanged;
    /// apply the event to move it.
    pub fn decide(&self, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<CaseEvent, DomainError> {
        let action = cmd.action();
        self.permits(actor, action)?;
        let kind = match cmd {
            Command::Accept { note } => EventKind::Accepted { note: opt_note("note", note)? },
            Command::Reject { reason } => EventKind::Rejected { reason: note("reason", &reason)? },
            Command::Dispatch { to, instructions } => {
                let owner_area = if self.state == CaseState::Dispatched {
                    match &self.assignee {
                        Some(Assignee::Area { code }) => code.clone(),
                        _ => self.owner_area.clone(),
                    }
                } else {
                    self.owner_area.clone()
                };
                let Actor::User { scope, .. } = actor else { return Err(forbidden(action)) };
                let to = match to {
                    DispatchTarget::Department { id, area } => {
                        if !area.contains(self.area()) {
                            return Err(DomainError::invalid("department", format!("department `{id}` does not serve area {}", self.area())));
                        }
                        if !scope.contains(&area) {
                            return Err(DomainError::invalid("department", format!("department `{id}` sits above your level; escalate instead")));
                        }
                        Assignee::Department { id }
                    }
                    DispatchTarget::Area(code) => {
                        if code == owner_area || !owner_area.contains(&code) || !code.contains(self.area()) {
                            return Err(DomainError::invalid(
                                "area",
                                format!("{code} is not a level below {owner_area} on the way to {}", self.area()),
                            ));
                        }
                        Assignee::Area { code }
                    }
                };
                EventKind::Dispatched { to, owner_area, instructions: opt_note("instructions", instructions)? }
            }
            Command::Claim => EventKind::Claimed,
            Command::Return { reason } => EventKind::Returned { reason: note("reason", &reason)? },
            Command::RequestExtension { until, reason } => {
                if until <= now {
                    return Err(DomainError::invalid("until", "the new deadline must be in the future"));
                }
                EventKind::ExtensionRequested { until, reason: note("reason", &reason)? }
            }
            Command::DecideExtension { granted, reason } => {
                let until = self.pending_extension.as_ref().map(|p| p.until).expect("checked by permits");
                EventKind::ExtensionDecided { granted, until, reason: opt_note("reason", reason)? }
            }
            Command::Handle { feedback, attachments } => EventKind::Handled {
                feedback: bounded("feedback", &feedback, limits::DESCRIPTION, true)?,
                attachments: validate_attachments(attachments)?,
            },
            Command::Verify { passed, comment } => {
                let comment = opt_note("comment", comment)?;
                if !passed && comment.is_none() {
                    return Err(DomainError::invalid("comment", "say why the verification failed"));
                }
                EventKind::Verified { passed, comment }
            }
            Command::Rate { rating, comment } => EventKind::Rated { rating, comment: opt_note("comment", comment)? },
            Command::Escalate { reason } => {
                let to = match self.owner_area.level() {
                    AreaLevel::Village | AreaLevel::Town | AreaLevel::County => self.owner_area.parent().expect("has a parent"),
                    _ => {
                        return Err(DomainError::invalid("action", format!("{} is the top level; there is no level above", self.owner_area)))
                    }
                };
                EventKind::Escalated { from: self.owner_area.clone(), to, reason: note("reason", &reason)? }
            }
            Command::Supervise { instruction } => EventKind::Supervised { instruction: note("instruction", &instruction)? },
            Command::Merge { into, into_code } => {
                if into == self.id {
                    return Err(DomainError::invalid("into", "a case cannot be merged into itself"));
                }
                EventKind::Merged { into, into_code }
            }
            Command::Suspend { reason } => EventKind::Suspended { reason: note("reason", &reason)? },
            Command::Resume { note: n } => EventKind::Resumed { note: opt_note("note", n)? },
            Command::CloseOnSpot { evidence, attachments } => EventKind::ClosedOnSpot {
                evidence: bounded("evidence", &evidence, limits::DESCRIPTION, true)?,
                attachments: validate_attachments(attachments)?,
            },
            Command::Instruct { note: n } => EventKind::Instructed { note: note("note", &n)? },
            Command::Reopen { reason } => EventKind::Reopened { reason: note("reason", &reason)? },
            Command::Locate { area, grid, location, note: n } => {
                let Actor::User { scope, .. } = actor else { return Err(forbidden(action)) };
                if !scope.contains(&area) {
                    return Err(DomainError::invalid("area", format!("{area} is outside your area {scope}")));
                }
                if let Some(g) = &grid {
                    if !area.contains(&g.community()) {
                        return Err(DomainError::invalid("grid", format!("grid {} is not under area {area}", g.as_str())));
                    }
                }
                EventKind::Located { placed: Placed { area, grid, location }, note: opt_note("note", n)? }
            }
        };
        Ok(CaseEvent { case_id: self.id, seq: self.version + 1, at: now, actor: actor.to_ref(), kind, deadline: None })
    }

    /// Decides and applies a command, answering the event to store.
    pub fn execute(&mut self, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<CaseEvent, DomainError> {
        let event = self.decide(actor, cmd, now)?;
        self.apply(&event);
        Ok(event)
    }
}

#[cfg(test)]
pub(crate) mod tests;
