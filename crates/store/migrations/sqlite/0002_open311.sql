-- Open311 GeoReport v2, SQLite flavour. Times are microseconds since the Unix epoch (UTC).

-- Keys of Open311 clients. Only the SHA-256 of a key is kept; a revoked key stays for the record.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash   TEXT NOT NULL UNIQUE,
    client     TEXT NOT NULL,
    channel    TEXT NOT NULL,
    area       TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_keys_client ON api_keys (client);

-- Service attributes: the extra questions a category asks of a report.
CREATE TABLE category_attributes (
    category             TEXT NOT NULL,
    code                 TEXT NOT NULL,
    datatype             TEXT NOT NULL,
    required             BOOLEAN NOT NULL,
    variable             BOOLEAN NOT NULL,
    description          TEXT NOT NULL,
    datatype_description TEXT,
    sort_order           BIGINT NOT NULL,
    values_json          TEXT NOT NULL,
    PRIMARY KEY (category, code)
);
