-- Tamper-evident event logs (issue 22 finding 4): each event's link chains it to the one before
-- it in its record's log under a key outside the database (kit/chain.rs). Events written before
-- this migration have no link; `civicgrid audit seal` links them once, as of that day.
ALTER TABLE case_events ADD COLUMN link TEXT;

-- Signed checkpoints: the heads (last seq and link) of the records that changed since the one
-- before, so that a log cut short behind the server's back is found.
CREATE TABLE log_checkpoints (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind TEXT NOT NULL,
    upto         BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    signature    TEXT NOT NULL
);
CREATE TABLE log_checkpoint_heads (
    checkpoint_id BIGINT NOT NULL,
    subject_id    TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    link          TEXT NOT NULL,
    PRIMARY KEY (checkpoint_id, subject_id)
);
CREATE INDEX log_checkpoint_heads_subject ON log_checkpoint_heads (subject_id, checkpoint_id);
