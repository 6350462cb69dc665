//! The work a server does on its own, beside answering requests: firing due timers, relaying
//! the outbox into inboxes and deliveries, sending deliveries to outside channels with retries,
//! and keeping the working calendar in step with files other servers loaded.
//!
//! Each loop is also a `*_once` function, so tests drive them step by step with a chosen clock.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use civicgrid_domain::{Case, CasePolicy};
use civicgrid_store::{Delivery, DeliveryOutcome, FireReport, Subject};
use serde::{Deserialize, Serialize};

use crate::case::notify;
use crate::kit::error::ApiError;
use crate::AppState;

/// Outside channels notices go to besides the in-app inbox (`[notify]` in `civicgrid.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// Write every notice to the log (channel `log`): the default sender.
    pub log: bool,
    /// HTTP webhooks (an SMS gateway, a WeChat-style robot), each a channel of its own.
    pub webhooks: Vec<WebhookConfig>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig { log: true, webhooks: Vec::new() }
    }
}

/// One webhook channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// The channel's name, e.g. `sms` or `wechat`.
    pub name: String,
    /// Where to POST: `http://…` (civicgrid is built without TLS; reach an `https` service
    /// through the network's gateway or a local proxy).
    pub url: String,
}

/// Sends deliveries of one channel.
#[async_trait]
pub trait Sender: Send + Sync {
    /// The channel's name.
    fn channel(&self) -> &str;
    /// Sends one delivery; `Err` with what went wrong.
    async fn send(&self, d: &Delivery) -> Result<(), String>;
}

/// Writes notices to the log.
pub struct LogSender;

#[async_trait]
impl Sender for LogSender {
    fn channel(&self) -> &str {
        "log"
    }

    async fn send(&self, d: &Delivery) -> Result<(), String> {
        tracing::info!(target: "civicgrid::notify", message_id = %d.message_id, to = %d.recipient, payload = %d.payload, "notice");
        Ok(())
    }
}

/// POSTs notices as JSON, with the message id in `X-Civicgrid-Message-Id` for deduplication.
pub struct WebhookSender {
    name: String,
    url: String,
    client: reqwest::Client,
}

impl WebhookSender {
    /// A sender for one configured webhook.
    pub fn new(c: &WebhookConfig) -> Self {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("a plain HTTP client builds");
        WebhookSender { name: c.name.clone(), url: c.url.clone(), client }
    }
}

#[async_trait]
impl Sender for WebhookSender {
    fn channel(&self) -> &str {
        &self.name
    }

    async fn send(&self, d: &Delivery) -> Result<(), String> {
        let res = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-civicgrid-message-id", &d.message_id)
            .body(d.payload.clone())
            .send()
            .await
            .map_err(|e| format!("POST {}: {e}", self.url))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("POST {}: HTTP {}", self.url, res.status()))
        }
    }
}

/// The senders a configuration asks for.
pub fn senders(c: &NotifyConfig) -> Vec<Arc<dyn Sender>> {
    let mut out: Vec<Arc<dyn Sender>> = Vec::new();
    if c.log {
        out.push(Arc::new(LogSender));
    }
    for w in &c.webhooks {
        out.push(Arc::new(WebhookSender::new(w)));
    }
    out
}

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: u32 = 8;

/// The wait after failed attempt `n` (0-based): 10 s doubling, at most an hour.
pub fn backoff(attempt: u32) -> chrono::Duration {
    chrono::Duration::seconds((10i64 << attempt.min(9)).min(3600))
}

/// Fires every timer due at `now`, in rounds of 200.
pub async fn fire_timers_once(app: &AppState, now: DateTime<Utc>) -> Result<FireReport, ApiError> {
    let mut total = FireReport::default();
    loop {
        let r = app.store.fire_due_timers(&app.server_id, now, 200).await?;
        total.claimed += r.claimed;
        total.fired += r.fired;
        total.stale += r.stale;
        total.events += r.events;
        if r.claimed < 200 {
            return Ok(total);
        }
    }
}

/// Relays the outbox: each message becomes inbox notices and deliveries, recorded with the
/// message marked delivered in one transaction. Answers how many messages it relayed.
pub async fn relay_outbox_once(app: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let messages = app.store.claim_outbox(&app.server_id, now, 200).await?;
    if messages.is_empty() {
        return Ok(0);
    }
    let users = app.store.users().await?;
    let rd = app.refdata().await?;
    let mut logs: HashMap<uuid::Uuid, Vec<civicgrid_domain::CaseEvent>> = HashMap::new();
    for m in &messages {
        // Only cases speak to readers today; a module whose events notify adds its arm here.
        if m.subject.kind != Subject::CASE {
            app.store.deliver_outbox(m.id, &[], &[], now).await?;
            continue;
        }
        let log = match logs.entry(m.subject.id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(app.store.case_events(m.subject.id).await?),
        };
        let upto = (m.seq as usize).min(log.len());
        // The case as it stood just after the event: who it was with then, not now.
        let (mut notices, mut deliveries) = (Vec::new(), Vec::new());
        if let (Some(case), Some(event)) = (Case::from_events(&log[..upto]), log.get(upto.wrapping_sub(1))) {
            for (user, notice) in notify::notices(&case, event, &users, &rd, &m.message_id()) {
                for s in app.senders.iter() {
                    deliveries.push(notify::delivery(s.channel(), &user, &notice, event));
                }
                notices.push(notice);
            }
        }
        app.store.deliver_outbox(m.id, &notices, &deliveries, now).await?;
    }
    Ok(messages.len())
}

/// Sends the deliveries due at `now` through their channel's sender; a failure is retried after
/// [`backoff`], and given up after [`MAX_ATTEMPTS`]. Answers how many were sent.
pub async fn send_deliveries_once(app: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let due = app.store.claim_deliveries(&app.server_id, now, 100).await?;
    let mut sent = 0;
    for d in &due {
        let outcome = match app.senders.iter().find(|s| s.channel() == d.channel) {
            None => DeliveryOutcome::Failed { error: format!("no sender for channel `{}` is configured", d.channel) },
            Some(s) => match s.send(d).await {
                Ok(()) => {
                    sent += 1;
                    DeliveryOutcome::Delivered
                }
                Err(error) if d.attempts + 1 >= MAX_ATTEMPTS => DeliveryOutcome::Failed { error },
                Err(error) => DeliveryOutcome::Retry { at: now + backoff(d.attempts), error },
            },
        };
        if let DeliveryOutcome::Retry { error, .. } | DeliveryOutcome::Failed { error } = &outcome {
            tracing::warn!(channel = %d.channel, message_id = %d.message_id, attempt = d.attempts + 1, %error, "delivery failed");
        }
        app.store.delivery_result(&d.id, &outcome, now).await?;
    }
    Ok(sent)
}

/// Gives the cases reported before phones were indexed the keyed hash of their phone, so a
/// search by phone finds them too; answers how many it indexed (0 once all are).
pub async fn index_phones(app: &AppState) -> Result<u64, ApiError> {
    let cipher = app.cipher.clone();
    Ok(app.store.index_phones(&move |enc: &str| crate::case::search::index_stored_phone(&cipher, enc)).await?)
}

/// Puts the calendar files loaded so far (by any server) over the shipped calendar, keeping the
/// time limits and rules in force. Answers true if the calendar changed.
pub async fn refresh_calendar(app: &AppState) -> Result<bool, ApiError> {
    let mut calendar = civicgrid_domain::calendar::WorkCalendar::shipped();
    for f in app.store.calendar_files().await? {
        if let Err(e) = calendar.extend_from_csv(&f.body) {
            // It was checked when loaded; a file that no longer parses is skipped, not fatal.
            tracing::error!(years = ?f.years, error = %e, "a stored calendar file does not parse");
        }
    }
    let policy = app.store.policy();
    if policy.calendar == calendar {
        return Ok(false);
    }
    app.store.set_policy(Arc::new(CasePolicy { calendar, ..(*policy).clone() }));
    Ok(true)
}

/// Starts the loops: timers every 5 s (and at once, so timers due while the server was down
/// fire on start), the outbox every 2 s, deliveries every 3 s, the calendar every 30 s.
pub fn spawn(app: AppState) {
    fn every<F, Fut>(app: AppState, period: Duration, what: &'static str, f: F)
    where
        F: Fn(AppState) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<(), ApiError>> + Send,
    {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = f(app.clone()).await {
                    tracing::warn!(job = what, error = %e.message, "background job failed; retrying next round");
                }
            }
        });
    }
    every(app.clone(), Duration::from_secs(5), "timers", |app| async move {
        let r = fire_timers_once(&app, app.now()).await?;
        if r.claimed > 0 {
            tracing::info!(fired = r.fired, stale = r.stale, events = r.events, "timers fired");
        }
        Ok(())
    });
    every(app.clone(), Duration::from_secs(2), "outbox", |app| async move { relay_outbox_once(&app, app.now()).await.map(|_| ()) });
    every(app.clone(), Duration::from_secs(3), "deliveries", |app| async move { send_deliveries_once(&app, app.now()).await.map(|_| ()) });
    every(app.clone(), Duration::from_secs(30), "calendar", |app| async move { refresh_calendar(&app).await.map(|_| ()) });
    every(app.clone(), Duration::from_secs(24 * 3600), "access log", |app| async move {
        let before = app.now() - chrono::Duration::days(app.config.access_log_days.max(183));
        app.store.purge_access_log(before).await?;
        Ok(())
    });
    every(app.clone(), Duration::from_secs(3600), "orphan photos", |app| async move { remove_orphan_photos_once(&app, app.now()).await.map(|_| ()) });
    every(app.clone(), Duration::from_secs(300), "checkpoint", |app| async move {
        app.store.checkpoint_logs(app.now()).await?;
        Ok(())
    });
    // The first tick runs at once: events from before the chains are linked, and every chain
    // is checked at start and every six hours after.
    every(app, Duration::from_secs(6 * 3600), "audit", |app| async move { audit_once(&app).await.map(|_| ()) });
}

/// Links the events from before the chains, then checks every chain and checkpoint; raises the
/// alarm (an error in the log, which operators watch) for every damaged log. Answers how many.
pub async fn audit_once(app: &AppState) -> Result<usize, ApiError> {
    let sealed = app.store.seal_logs().await?;
    if sealed > 0 {
        tracing::info!(sealed, "linked the events written before the chains");
    }
    let report = app.store.verify_logs().await?;
    let damaged: Vec<_> = report.damaged().collect();
    for b in &damaged {
        tracing::error!(kind = %b.subject.kind, id = %b.subject.id, seq = b.seq, problem = %b.problem, "AUDIT ALARM: an event log was changed outside civicgrid");
    }
    Ok(damaged.len())
}

/// How long an uploaded photo waits for a report or action to take it.
pub const ORPHAN_AFTER: chrono::Duration = chrono::Duration::hours(24);

/// Removes the photos uploaded more than [`ORPHAN_AFTER`] before `now` that no case took: the
/// record first (only if still untaken), then its files. Answers how many went.
pub async fn remove_orphan_photos_once(app: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let Some(dir) = app.config.data_dir.clone() else { return Ok(0) };
    let mut removed = 0;
    for a in app.store.orphan_attachments(now - ORPHAN_AFTER, 500).await? {
        if app.store.delete_orphan_attachment(a.id).await? {
            for p in [&a.path, &a.thumb_path] {
                // A file already gone is no reason to stop: the record was the photo.
                let _ = tokio::fs::remove_file(dir.join(p)).await;
            }
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::info!(removed, "photos no case took were removed");
    }
    Ok(removed)
}
