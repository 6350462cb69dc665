//! What an evaluation (考核) reads: the cases that lived in a period, and their whole logs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{AreaCode, CaseEvent};
use uuid::Uuid;

use crate::Result;

/// What 考核 reads: the cases of a period and their whole logs.
#[async_trait]
pub trait EvaluationStore: Send + Sync {
    /// The cases under `area` that lived in `[from, to)` (reported before its end, and changed
    /// or due after its start), in id order: whose logs an evaluation of that period reads.
    async fn active_case_ids(&self, area: &AreaCode, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Uuid>>;
    /// The whole logs of these cases (a page of them at a time), each in order, in id order;
    /// unknown ids are left out.
    async fn case_logs(&self, ids: &[Uuid]) -> Result<Vec<Vec<CaseEvent>>>;
}
