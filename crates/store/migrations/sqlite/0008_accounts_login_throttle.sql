-- Failed sign-ins counted by the username typed, whether or not such an account exists, so the
-- answers never tell who exists (issue 22). A guess is counted before its password is checked,
-- in one statement, so that however many arrive at once at most the allowed number are checked.
-- users.failed_logins and users.locked_until are no longer read.
CREATE TABLE login_throttle (
    username     TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);
