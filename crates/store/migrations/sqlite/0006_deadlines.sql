-- Time limits, timers, notifications (issue 5).

-- The running step's warning time and deadline on the projection, for the red/yellow filters.
ALTER TABLE cases ADD COLUMN warn_at BIGINT;
ALTER TABLE cases ADD COLUMN due_at BIGINT;
CREATE INDEX cases_due ON cases (due_at);
-- Evaluation reads the events of a period.
CREATE INDEX case_events_at ON case_events (at);

-- Durable timers. A timer fires once: fired_at is set in the transaction that appends its
-- events. claimed_by/claimed_until is a short lease so that servers sharing a database share
-- the work (claimed with FOR UPDATE SKIP LOCKED on PostgreSQL).
CREATE TABLE timers (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    step          TEXT NOT NULL,
    due           BIGINT NOT NULL,
    fire_at       BIGINT NOT NULL,
    claimed_by    TEXT,
    claimed_until BIGINT,
    fired_at      BIGINT,
    fired_by      TEXT,
    UNIQUE (case_id, kind, step, due)
);
CREATE INDEX timers_pending ON timers (fire_at) WHERE fired_at IS NULL;
CREATE INDEX timers_case ON timers (case_id);

-- The outbox relay leases rows the same way. Messages written before a relay existed are
-- history, not news: they are not delivered now.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
UPDATE outbox SET delivered_at = created_at WHERE delivered_at IS NULL;

-- The in-app inbox: one row per notice and reader; (user_id, message_id) makes a redelivered
-- message land once.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    case_code  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    UNIQUE (user_id, message_id)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Deliveries to outside channels (SMS gateway, WeChat-style webhooks), retried with back-off.
CREATE TABLE deliveries (
    id            TEXT PRIMARY KEY,
    message_id    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    payload       TEXT NOT NULL,
    attempts      BIGINT NOT NULL,
    next_at       BIGINT NOT NULL,
    claimed_until BIGINT,
    delivered_at  BIGINT,
    failed_at     BIGINT,
    last_error    TEXT,
    UNIQUE (message_id, channel, recipient)
);
CREATE INDEX deliveries_pending ON deliveries (next_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Calendar files an admin loaded (a further year's holidays); replayed over the shipped calendar.
CREATE TABLE calendar_files (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    years     TEXT NOT NULL,
    body      TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at BIGINT NOT NULL
);
