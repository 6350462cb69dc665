//! The queue in front of intake's group commit (the commit itself is in `sql/intake.rs`).

use crate::{Result, StoreError};

/// Most creates committed together by one group commit.
pub(crate) const GROUP_MAX: usize = 64;

/// A create waiting for the intake task.
pub(crate) struct IntakeJob {
    pub(crate) req: crate::case::CreateCase,
    pub(crate) reply: tokio::sync::oneshot::Sender<Result<crate::case::Created>>,
}

/// Hands a create to the intake task and waits for its commit.
pub(crate) async fn submit_intake(
    queue: &tokio::sync::mpsc::Sender<IntakeJob>,
    req: crate::case::CreateCase,
) -> Result<crate::case::Created> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    queue.send(IntakeJob { req, reply }).await.map_err(|_| StoreError::Unavailable("intake stopped".into()))?;
    answer.await.map_err(|_| StoreError::Unavailable("intake stopped".into()))?
}
