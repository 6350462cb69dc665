//! What the API answers: cases, events and reference data as a reader may see them. Personal
//! data leaves only masked; the encrypted phone never leaves.

use chrono::{DateTime, Utc};
use civicgrid_domain::{
    Action, Actor, ActorRef, Assignee, Card, Case, CaseEvent, CaseState, Channel, EventKind, LocatedBy, Location, LocationFix, Priority, Rating,
    StepDeadline,
};
use serde::Serialize;
use uuid::Uuid;

use crate::reference::{AreaRef, CategoryRef};
use crate::RefData;

/// Who a case is with, named.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssigneeView {
    /// `department` or `area`.
    pub kind: &'static str,
    /// Department id or area code.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A case as its reader may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// Id.
    pub id: Uuid,
    /// Tracking code residents use.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category.
    pub category: CategoryRef,
    /// Priority.
    pub priority: Priority,
    /// Channel it came in by.
    pub channel: Channel,
    /// State.
    pub state: CaseState,
    /// The deepest area code.
    pub area_code: String,
    /// The area path, province first.
    pub area: Vec<AreaRef>,
    /// The centre currently responsible.
    pub owner_area: AreaRef,
    /// Point, WGS84.
    pub location: Option<Location>,
    /// The grid it lies in (15-digit code), when known.
    pub grid: Option<String>,
    /// How its place was found (point, address match with confidence, area, or a person).
    pub located_by: Option<LocatedBy>,
    /// The details of that: confidence, matched address, candidates, the point as given.
    pub located: Option<LocationFix>,
    /// True while a dispatcher has to confirm the place (`locate` action).
    pub needs_location_confirmation: bool,
    /// Address as given.
    pub address: Option<String>,
    /// Reporter's phone, masked.
    pub reporter_phone: Option<String>,
    /// Attachments given with the report: photo ids (the photo at `/api/v1/attachments/{id}`) or http(s) URLs.
    pub attachments: Vec<String>,
    /// Current assignee.
    pub assignee: Option<AssigneeView>,
    /// The user who claimed it.
    pub handler_user_id: Option<String>,
    /// Under supervision.
    pub supervised: bool,
    /// Pending extension request: new deadline asked for.
    pub extension_requested_until: Option<DateTime<Utc>>,
    /// Latest granted extension.
    pub extended_until: Option<DateTime<Utc>>,
    /// Extensions granted so far.
    pub extensions_granted: u32,
    /// Pending suspension request: why the handler asks to suspend.
    pub suspension_requested: Option<String>,
    /// While a return waits for the centre's review (退单审核): who sent it back.
    pub returned_by: Option<AssigneeView>,
    /// The running step's time limit (受理/派遣/处置/核查时限); `paused_at` while suspended.
    pub deadline: Option<StepDeadline>,
    /// `red` once past the deadline, `yellow` once past the warning time (红黄牌).
    pub card: Option<Card>,
    /// Rating.
    pub rating: Option<Rating>,
    /// The case it was merged into.
    pub merged_into: Option<Uuid>,
    /// Times reopened.
    pub reopen_count: u32,
    /// Times returned.
    pub return_count: u32,
    /// Times escalated.
    pub escalation_count: u32,
    /// Reported at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Number of events.
    pub version: u32,
    /// What the current reader may do now.
    pub allowed_actions: Vec<Action>,
}

impl CaseView {
    /// The view of `c` for `reader`.
    pub fn new(c: &Case, reader: &Actor, rd: &RefData) -> Self {
        CaseView {
            id: c.id,
            code: c.code.to_string(),
            title: c.report.title.clone(),
            description: c.report.description.clone(),
            category: CategoryRef::of(&c.report.category, rd),
            priority: c.report.priority,
            channel: c.report.channel,
            state: c.state,
            area_code: c.area().to_string(),
            area: AreaRef::path(c.area(), rd),
            owner_area: AreaRef::of(&c.owner_area, rd),
            location: c.location(),
            grid: c.grid().map(|g| g.as_str().to_string()),
            located_by: if c.placed.is_some() { Some(LocatedBy::Person) } else { c.report.located.as_ref().map(|l| l.method) },
            located: c.report.located.clone(),
            needs_location_confirmation: c.needs_location_confirmation(),
            address: c.report.address.clone(),
            reporter_phone: c.report.reporter_phone_masked.clone(),
            attachments: c.report.attachments.clone(),
            assignee: c.assignee.as_ref().map(|a| AssigneeView::of(a, rd)),
            handler_user_id: c.handler_user_id.clone(),
            supervised: c.supervised,
            extension_requested_until: c.pending_extension.as_ref().map(|p| p.until),
            extended_until: c.extended_until,
            extensions_granted: c.extensions_granted,
            suspension_requested: c.pending_suspension.as_ref().map(|p| p.reason.clone()),
            returned_by: c.returned_from.as_ref().map(|f| AssigneeView::of(&f.assignee, rd)),
            deadline: c.deadline.clone(),
            card: c.deadline.as_ref().and_then(|d| d.card(Utc::now())),
            rating: c.rating,
            merged_into: c.merged_into,
            reopen_count: c.reopen_count,
            return_count: c.return_count,
            escalation_count: c.escalation_count,
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
            allowed_actions: c.allowed_actions(reader),
        }
    }
}

impl AssigneeView {
    /// The view of an assignee, with its name.
    fn of(a: &Assignee, rd: &RefData) -> AssigneeView {
        match a {
            Assignee::Department { id } => AssigneeView {
                kind: "department",
                id: id.clone(),
                name: rd.department(id).map(|d| d.name.clone()).unwrap_or_else(|| id.clone()),
            },
            Assignee::Area { code } => AssigneeView { kind: "area", id: code.to_string(), name: rd.area_name(code) },
        }
    }
}

/// A newly reported case, with the reporter's one-time receipt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedCase {
    /// The case.
    #[serde(flatten)]
    pub case: CaseView,
    /// Secret that lets the reporter rate the case by its tracking code. Keep it.
    pub receipt: String,
}

/// One event of a case's log, without personal data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// Position in the log.
    pub seq: u32,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: ActorRef,
    /// Event type (`reported`, `accepted`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The event's fields.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The deadline this event set, when it started a step or moved its deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<StepDeadline>,
}

impl EventView {
    /// The view of one event.
    pub fn new(e: &CaseEvent) -> Self {
        let mut data = serde_json::to_value(&e.kind).expect("events serialise");
        if let Some(obj) = data.as_object_mut() {
            obj.remove("type");
            obj.remove("reporter_phone_enc");
        }
        EventView { seq: e.seq, at: e.at, actor: e.actor.clone(), kind: e.kind.name().to_string(), data, deadline: e.deadline.clone() }
    }
}

/// What anyone with a tracking code may see: no personal data, no text but the name of the unit
/// handling it; with the reporter's receipt, the unit's reply too.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackView {
    /// Tracking code.
    pub code: String,
    /// Category.
    pub category: CategoryRef,
    /// State.
    pub state: CaseState,
    /// Reported at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The rating, once given.
    pub rating: Option<Rating>,
    /// True when the reporter may rate now.
    pub can_rate: bool,
    /// The public steps, oldest first.
    pub timeline: Vec<TrackStep>,
    /// The department (or lower centre) it was last sent to, by name.
    pub handled_by: Option<String>,
    /// The handling unit's reply and result photos: only for the reporter (with the receipt).
    pub reply: Option<TrackReply>,
}

/// What the handling unit answered: its feedback (or the evidence of a case closed on the spot)
/// and the photos of the result.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackReply {
    /// When it was handled.
    pub at: DateTime<Utc>,
    /// The feedback.
    pub feedback: String,
    /// The result photos: uploaded ones by id (the reporter fetches them from
    /// `/api/v1/track/{code}/photos/{id}` with the receipt), others as their links.
    pub photos: Vec<String>,
}

impl TrackReply {
    /// The last reply in a case's log: its handling, or its closing on the spot.
    pub fn of(events: &[CaseEvent]) -> Option<TrackReply> {
        events.iter().rev().find_map(|e| match &e.kind {
            EventKind::Handled { feedback, attachments } | EventKind::ClosedOnSpot { evidence: feedback, attachments } => {
                Some(TrackReply { at: e.at, feedback: feedback.clone(), photos: attachments.clone() })
            }
            _ => None,
        })
    }
}

/// One public step of a case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackStep {
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl TrackView {
    /// The public view of a case; `reporter` (the receipt checked) adds the handling unit's reply.
    pub fn new(c: &Case, events: &[CaseEvent], rd: &RefData, reporter: bool) -> Self {
        let reply = if reporter { TrackReply::of(events) } else { None };
        TrackView {
            code: c.code.to_string(),
            category: CategoryRef::of(&c.report.category, rd),
            state: c.state,
            created_at: c.created_at,
            updated_at: c.updated_at,
            rating: c.rating,
            can_rate: c.state == CaseState::Closed,
            timeline: events
                .iter()
                .filter(|e| e.kind.is_public())
                .map(|e| TrackStep { kind: e.kind.name().to_string(), at: e.at })
                .collect(),
            handled_by: c.assignee.as_ref().map(|a| AssigneeView::of(a, rd).name),
            reply,
        }
    }
}
