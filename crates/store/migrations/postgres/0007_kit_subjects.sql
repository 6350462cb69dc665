-- The shared tables serve every module's records, not only cases (issue 12): each row names its
-- subject by kind (`case`, later `dispute`, `order`, …) and id. Existing rows are all about
-- cases; the columns are renamed in place, so no row is copied and none is lost. Ids are UUID v7,
-- unique across kinds, so the unique keys on the id alone stay correct.
ALTER TABLE outbox RENAME COLUMN case_id TO subject_id;
ALTER TABLE outbox ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case';

ALTER TABLE timers RENAME COLUMN case_id TO subject_id;
ALTER TABLE timers ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case';

ALTER TABLE notifications RENAME COLUMN case_id TO subject_id;
ALTER TABLE notifications RENAME COLUMN case_code TO subject_code;
ALTER TABLE notifications ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case';

ALTER TABLE pii_access_log RENAME COLUMN case_id TO subject_id;
ALTER TABLE pii_access_log ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case';
CREATE INDEX pii_access_log_subject ON pii_access_log (subject_kind, subject_id);

ALTER TABLE idempotency_keys RENAME COLUMN case_id TO subject_id;
ALTER TABLE idempotency_keys ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'case';
