-- Geography, SQLite flavour: grids with their history, area boundaries, the unified address
-- library, and the case's grid. Geometries are GeoJSON geometry objects (WGS84) as text, so both
-- backends hold the same thing; the point-to-grid index is built in memory from them.

-- The grids in force. A retired grid keeps its row with retired_at set.
CREATE TABLE grids (
    code       TEXT PRIMARY KEY,
    community  TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    households BIGINT NOT NULL,
    population BIGINT NOT NULL,
    staff      TEXT NOT NULL,
    geometry   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    valid_from BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE INDEX grids_community ON grids (community);

-- Every version a grid has had: which polygon and properties were in force when. The current one
-- has valid_to NULL. Rows are never updated but to close them.
CREATE TABLE grid_versions (
    code       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    households BIGINT NOT NULL,
    population BIGINT NOT NULL,
    staff      TEXT NOT NULL,
    geometry   TEXT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to   BIGINT,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

-- Outlines of areas (communities, towns, counties), to check grids against and to place points
-- that fall outside every grid.
CREATE TABLE area_boundaries (
    area       TEXT PRIMARY KEY,
    name       TEXT,
    geometry   TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The unified address library (统一地址库): standard addresses with their point and grid.
CREATE TABLE addresses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    full_text  TEXT NOT NULL UNIQUE,
    county     TEXT,
    town       TEXT,
    community  TEXT,
    road       TEXT,
    number     TEXT,
    estate     TEXT,
    building   TEXT,
    unit       TEXT,
    room       TEXT,
    lon        DOUBLE PRECISION,
    lat        DOUBLE PRECISION,
    grid       TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX addresses_community ON addresses (community);

-- Bumped by every change to grids, boundaries or addresses, so that each server knows when to
-- rebuild its in-memory index.
CREATE TABLE geo_revision (
    id  INTEGER PRIMARY KEY,
    rev BIGINT NOT NULL
);
INSERT INTO geo_revision (id, rev) VALUES (1, 0);

ALTER TABLE cases ADD COLUMN grid TEXT;
CREATE INDEX cases_grid ON cases (grid, id);
