//! Cases (事件/工单): intake, every change through the domain's state machine, lists and counts,
//! the log and its projection, and the photos attached to them.
//!
//! Every change to a case appends its event to `case_events`, updates the `cases` projection,
//! writes an `outbox` row and resets the case's timers, in one transaction. Nothing is updated
//! without an event and nothing is deleted.

pub(crate) mod attachment;
pub(crate) mod intake;
pub(crate) mod plan;
pub(crate) mod rows;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{
    Actor, AreaCode, AreaLevel, Case, CaseCode, CaseEvent, CaseState, CategoryCode, Channel, Command, GridCode, NewCase, Visibility,
};
use serde::Serialize;
use uuid::Uuid;

use crate::Result;

pub use attachment::{attachment_id, Attachment};

/// A new case to store.
#[derive(Debug, Clone)]
pub struct CreateCase {
    /// The validated report.
    pub new: NewCase,
    /// The level whose centre first owns it (from the category).
    pub handling_level: AreaLevel,
    /// Who reports it.
    pub actor: Actor,
    /// `Idempotency-Key`, scoped by the caller to the actor.
    pub idempotency_key: Option<String>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The answer to a create: the case, and whether it was a replay of an earlier request.
#[derive(Debug, Clone)]
pub struct Created {
    /// The case.
    pub case: Case,
    /// True if the idempotency key had been seen.
    pub replayed: bool,
}

/// Filters for listing cases. `visibility` comes from the reader, the others from the request.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    /// What the reader may see.
    pub visibility: Visibility,
    /// Any of these states.
    pub states: Vec<CaseState>,
    /// Category or main class.
    pub category: Option<CategoryCode>,
    /// Area (further narrows the scope).
    pub area: Option<AreaCode>,
    /// Grid.
    pub grid: Option<GridCode>,
    /// Channel.
    pub channel: Option<Channel>,
    /// The reporter's phone, as its blind index (`Cipher::blind_index("phone", …)`).
    pub phone_index: Option<String>,
    /// A keyword (lower case) in the title, description or address.
    pub text: Option<String>,
    /// Waiting for the centre's decision: any, or one kind.
    pub awaiting: Option<AwaitingFilter>,
    /// Under supervision.
    pub supervised: Option<bool>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Red or yellow card as of the given moment (red: past the deadline; yellow: past the
    /// warning time, not yet the deadline).
    pub card: Option<(civicgrid_domain::Card, DateTime<Utc>)>,
    /// Continue after this case id (cursor).
    pub after: Option<Uuid>,
    /// Page size.
    pub limit: u32,
    /// Rows one stream of the walk examines before it answers a short page with a cursor
    /// (`None`: [`plan::WINDOW`]); tests make it small to reach that edge with few cases.
    pub window: Option<u32>,
}

/// A decision a case waits for from its centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaiting {
    /// A return to review (退单审核).
    Review,
    /// An extension to decide.
    Extension,
    /// A suspension to decide.
    Suspension,
}

impl Awaiting {
    /// Every kind, as the counts answer them.
    pub const ALL: [Awaiting; 3] = [Awaiting::Review, Awaiting::Extension, Awaiting::Suspension];

    /// The stable name, as in the `awaiting` column and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Awaiting::Review => "review",
            Awaiting::Extension => "extension",
            Awaiting::Suspension => "suspension",
        }
    }
}

/// Which cases waiting for a decision a list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwaitingFilter {
    /// Waiting for any decision.
    Any,
    /// Waiting for this one.
    Only(Awaiting),
}

impl Default for CaseQuery {
    fn default() -> Self {
        CaseQuery {
            visibility: Visibility::Everything,
            states: vec![],
            category: None,
            area: None,
            grid: None,
            channel: None,
            phone_index: None,
            text: None,
            awaiting: None,
            supervised: None,
            created_from: None,
            created_to: None,
            card: None,
            after: None,
            limit: 50,
            window: None,
        }
    }
}

/// One page of cases, newest first.
#[derive(Debug, Clone)]
pub struct CasePage {
    /// The cases.
    pub items: Vec<Case>,
    /// The cursor for the next page, if there is one.
    pub next: Option<Uuid>,
}

/// What a rebuild of the projections found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Cases rebuilt from their logs.
    pub cases: u64,
    /// Events read.
    pub events: u64,
    /// Cases whose projection differed from their log before the rebuild.
    pub differed: u64,
    /// Cases left as they were because their log's chain is broken (`civicgrid audit verify`
    /// names where): a log edited behind the server's back is never adopted.
    pub refused: Vec<Uuid>,
}

/// Cases: intake, changes through the state machine, lists and counts, the log.
#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Reports a new case (idempotent by key). The attachment ids among the report's
    /// attachments are linked to the new case in the same transaction; one that does not exist
    /// or belongs to another case refuses the report (`attachments[i]`).
    async fn create_case(&self, req: CreateCase) -> Result<Created>;
    /// Runs a command on a case and answers the case after it. The attachment ids the event
    /// references (`handle`, `close_on_spot`) are linked to the case in the same transaction.
    async fn act(&self, id: Uuid, actor: &Actor, cmd: Command, now: DateTime<Utc>) -> Result<Case>;
    /// One case.
    async fn case(&self, id: Uuid) -> Result<Option<Case>>;
    /// One case by tracking code.
    async fn case_by_code(&self, code: &CaseCode) -> Result<Option<Case>>;
    /// A case's log, in order.
    async fn case_events(&self, id: Uuid) -> Result<Vec<CaseEvent>>;
    /// Cases matching a query, newest first: a page may be short (even empty) and still have a
    /// cursor when a rare filter stopped the walk (see `case/plan.rs`).
    async fn list_cases(&self, q: &CaseQuery) -> Result<CasePage>;
    /// The database's plan for each stream of a list (one text per stream), for tests and
    /// `civicgrid bench list --explain`.
    async fn explain_list(&self, q: &CaseQuery) -> Result<Vec<String>>;
    /// Gives the cases reported before phones were indexed their `phone_index`: `index` turns a
    /// stored (encrypted) phone into its blind index; only the server holds the key. Answers how
    /// many cases it indexed.
    async fn index_phones(&self, index: &(dyn for<'p> Fn(&'p str) -> Option<String> + Send + Sync)) -> Result<u64>;
    /// Number of cases per state matching the visibility part of a query.
    async fn count_by_state(&self, q: &CaseQuery) -> Result<Vec<(CaseState, u64)>>;
    /// Counts per grid with the same filters (states included); cases without a grid are left out.
    async fn count_by_grid(&self, q: &CaseQuery) -> Result<Vec<(String, u64)>>;
    /// Red and yellow cards at `now` among the cases the filters select (states included).
    async fn count_by_card(&self, q: &CaseQuery, now: DateTime<Utc>) -> Result<(u64, u64)>;
    /// The reader's cases waiting for a decision of their centre, per kind, with `q`'s filters.
    async fn count_awaiting(&self, q: &CaseQuery) -> Result<Vec<(Awaiting, u64)>>;
    /// The calendar, time limits and rules the store applies to every change.
    fn policy(&self) -> std::sync::Arc<civicgrid_domain::CasePolicy>;
    /// Replaces the policy (a further year's calendar loaded, configured rules).
    fn set_policy(&self, p: std::sync::Arc<civicgrid_domain::CasePolicy>);
    /// Rebuilds the `cases` projection from the log.
    async fn rebuild_projections(&self) -> Result<RebuildReport>;
    /// Records that `user_id` read `field` of case `case_id` in clear.
    async fn log_pii_access(&self, user_id: &str, case_id: Uuid, field: &str, now: DateTime<Utc>) -> Result<()>;
    /// Bulk-inserts generated cases with their logs (demo and benchmark data), bypassing
    /// intake; each case still gets its events and projection row.
    async fn import_cases(&self, cases: &[(Case, Vec<CaseEvent>)]) -> Result<()>;
}

/// Photos: their records and the case each belongs to.
#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Records an uploaded photo whose files are already written (its `case_id` is ignored).
    async fn create_attachment(&self, a: &Attachment) -> Result<()>;
    /// One photo's record.
    async fn attachment(&self, id: Uuid) -> Result<Option<Attachment>>;
    /// Links photos to a case in one transaction: all or none. A photo that does not exist or
    /// belongs to another case is refused as `attachments[i]` (its place in `ids`).
    async fn link_attachments(&self, case_id: Uuid, ids: &[Uuid]) -> Result<()>;
    /// Up to `limit` photos uploaded before `before` that no case took, oldest first.
    async fn orphan_attachments(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Attachment>>;
    /// Deletes a photo's record if still no case took it; answers whether it did (then its
    /// files may go).
    async fn delete_orphan_attachment(&self, id: Uuid) -> Result<bool>;
}
