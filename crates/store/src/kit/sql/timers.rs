//! Durable timers: written with the change that sets them, in its transaction.
//!
//! Part of `kit/sql`, which each backend mounts: `super::super` is the backend.

use super::super::{Db, Tx};
use crate::kit::micros;
use crate::Result;
use sqlx::QueryBuilder;
use uuid::Uuid;

/// Inserts timers, many per statement; one that already exists (fired or not) is kept.
pub(crate) async fn insert_timers(tx: &mut Tx<'_>, timers: &[(crate::kit::Subject, civicgrid_domain::TimerSpec)]) -> Result<()> {
    for chunk in timers.chunks(500) {
        let mut b = QueryBuilder::<Db>::new("INSERT INTO timers (id, subject_kind, subject_id, kind, step, due, fire_at) ");
        b.push_values(chunk, |mut r, (subject, t)| {
            r.push_bind(Uuid::now_v7().to_string())
                .push_bind(subject.kind.clone())
                .push_bind(subject.id.to_string())
                .push_bind(t.kind.as_str())
                .push_bind(t.step.as_str())
                .push_bind(micros(t.due))
                .push_bind(micros(t.at));
        });
        b.push(" ON CONFLICT (subject_id, kind, step, due) DO NOTHING");
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Replaces a record's pending timers with `timers` (its deadline moved, or its step ended).
pub(crate) async fn reset_timers(tx: &mut Tx<'_>, subject: &crate::kit::Subject, timers: &[civicgrid_domain::TimerSpec]) -> Result<()> {
    sqlx::query("DELETE FROM timers WHERE subject_id = $1 AND fired_at IS NULL").bind(subject.id.to_string()).execute(&mut **tx).await?;
    let rows: Vec<(crate::kit::Subject, civicgrid_domain::TimerSpec)> = timers.iter().map(|t| (subject.clone(), t.clone())).collect();
    insert_timers(tx, &rows).await
}
