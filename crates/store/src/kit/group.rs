//! Group commit for small rows that many requests append at once (the access log of reads):
//! each caller still waits until its rows are committed, but one commit — one fsync on SQLite,
//! whose single writer would otherwise take one per read — serves every caller waiting then.

use crate::{Result, StoreError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Most callers one commit serves.
const GROUP_MAX: usize = 128;

/// Waits for the next job and takes, without waiting, up to `max` in all of those queued behind
/// it: the group one commit serves. `None` once every sender is gone.
pub(crate) async fn next_group<J>(rx: &mut mpsc::Receiver<J>, max: usize) -> Option<Vec<J>> {
    let mut group = vec![rx.recv().await?];
    while group.len() < max {
        match rx.try_recv() {
            Ok(job) => group.push(job),
            Err(_) => break,
        }
    }
    Some(group)
}

/// Commits a batch of rows in one transaction.
pub(crate) type Commit<T> = Arc<dyn Fn(Vec<T>) -> Pin<Box<dyn Future<Output = Result<()>> + Send>> + Send + Sync>;

/// Rows of one caller, and where its answer goes.
struct Job<T> {
    rows: Vec<T>,
    reply: oneshot::Sender<Result<()>>,
}

/// The queue in front of one group-committing task.
pub(crate) struct Group<T> {
    queue: mpsc::Sender<Job<T>>,
}

impl<T> Clone for Group<T> {
    fn clone(&self) -> Self {
        Group { queue: self.queue.clone() }
    }
}

impl<T: Clone + Send + 'static> Group<T> {
    /// Starts the task that commits what callers hand it with `commit`.
    pub(crate) fn spawn(commit: Commit<T>) -> Self {
        let (queue, mut rx) = mpsc::channel::<Job<T>>(4 * GROUP_MAX);
        tokio::spawn(async move {
            while let Some(group) = next_group(&mut rx, GROUP_MAX).await {
                let rows: Vec<T> = group.iter().flat_map(|j| j.rows.iter().cloned()).collect();
                if commit(rows).await.is_ok() {
                    for job in group {
                        let _ = job.reply.send(Ok(()));
                    }
                    continue;
                }
                // One caller's bad rows must not cost the others theirs: each alone.
                for job in group {
                    let _ = job.reply.send(commit(job.rows).await);
                }
            }
        });
        Group { queue }
    }

    /// Hands `rows` to the task and waits until they are committed.
    pub(crate) async fn submit(&self, rows: Vec<T>) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the group commit stopped".into());
        self.queue.send(Job { rows, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}
