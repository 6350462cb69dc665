-- civicgrid schema, PostgreSQL flavour. Times are microseconds since the Unix epoch (UTC).
CREATE TABLE areas (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    level  TEXT NOT NULL,
    parent TEXT
);
CREATE INDEX areas_parent ON areas (parent);

CREATE TABLE categories (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    parent         TEXT,
    priority       TEXT NOT NULL,
    handling_level TEXT NOT NULL
);

CREATE TABLE departments (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    area       TEXT NOT NULL,
    categories TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    department_id TEXT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE case_code_seq (
    day  TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

-- The current state of each case: a projection of case_events, rebuildable from it.
CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    category        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    priority        TEXT NOT NULL,
    area            TEXT NOT NULL,
    owner_area      TEXT NOT NULL,
    department_id   TEXT,
    handler_user_id TEXT,
    reporter_user_id TEXT,
    supervised      BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state, id);
CREATE INDEX cases_area ON cases (area, id);
CREATE INDEX cases_category ON cases (category, id);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_department ON cases (department_id, id);
CREATE INDEX cases_reporter ON cases (reporter_user_id);

-- The log: the only source of truth about cases. Rows are never updated or deleted.
CREATE TABLE case_events (
    event_id BIGSERIAL PRIMARY KEY,
    case_id  TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    at       BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    payload  TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    case_id      TEXT NOT NULL,
    event_seq    BIGINT NOT NULL,
    topic        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, id);

CREATE TABLE idempotency_keys (
    key        TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Every read of personal data in clear.
CREATE TABLE pii_access_log (
    id      BIGSERIAL PRIMARY KEY,
    user_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    field   TEXT NOT NULL,
    at      BIGINT NOT NULL
);
