-- Grid workers' patrol and visit log (巡查走访): one row per entry, appended, never changed.
CREATE TABLE patrol_logs (
    id       TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL,
    username TEXT NOT NULL,
    kind     TEXT NOT NULL,
    area     TEXT NOT NULL,
    grid     TEXT,
    lon      DOUBLE PRECISION,
    lat      DOUBLE PRECISION,
    note     TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX patrol_logs_user ON patrol_logs (user_id, at);
CREATE INDEX patrol_logs_area ON patrol_logs (area, at);
