-- Attachments, PostgreSQL flavour: photos uploaded through the API. The files live under the data
-- folder; a row says what a file is and, once a report or an action references it, which case it
-- belongs to (whoever may see that case may see the photo). Times are microseconds since the Unix
-- epoch (UTC).

CREATE TABLE attachments (
    -- A random UUID v4: knowing an id is what lets a client attach a photo, so ids are unguessable.
    id               TEXT PRIMARY KEY,
    -- The signed-in uploader; NULL for the public.
    uploader_user_id TEXT,
    content_type     TEXT NOT NULL,
    bytes            BIGINT NOT NULL,
    width            BIGINT NOT NULL,
    height           BIGINT NOT NULL,
    sha256           TEXT NOT NULL,
    -- Paths relative to the data folder, with '/' separators.
    path             TEXT NOT NULL,
    thumb_path       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    -- Set once, by the report or action that first references the photo.
    case_id          TEXT
);
CREATE INDEX attachments_case ON attachments (case_id);
