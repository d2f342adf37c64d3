-- 0003: what data packages need to merge field by field, and what they could not decide.
--
-- sync_peers     every database this one has exchanged packages with, and this one itself
--                (is_self = 1): a stable identity per database file, made at its first exchange.
--                A restored backup gets a new identity (its history forked from the original).
-- sync_rows      per exchanged row: a fingerprint of each field's value as last seen here (a
--                change by any path — window, CLI, an administrator's SQL — shows up as a
--                different fingerprint) and a version vector per field (which database's
--                edits this value already contains). Bookkeeping only: not audited.
-- sync_aliases   a row of another database recognised here under a different uuid (the same
--                unit or leader entered independently in both offices).
-- merge_conflicts a field both sides changed since they last shared it: both values are kept
--                until the clerk chooses one; nothing is discarded.

CREATE TABLE sync_peers (
    id          INTEGER PRIMARY KEY,
    db_uuid     TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    is_self     INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
    counter     INTEGER NOT NULL DEFAULT 0,
    last_seen   TEXT
);
CREATE UNIQUE INDEX idx_sync_peers_self ON sync_peers(is_self) WHERE is_self = 1;

CREATE TABLE sync_rows (
    table_name  TEXT NOT NULL,
    row_uuid    TEXT NOT NULL,
    seen        TEXT NOT NULL,
    clock       TEXT NOT NULL,
    PRIMARY KEY (table_name, row_uuid)
) WITHOUT ROWID;

CREATE TABLE sync_aliases (
    table_name    TEXT NOT NULL,
    foreign_uuid  TEXT NOT NULL,
    local_uuid    TEXT NOT NULL,
    PRIMARY KEY (table_name, foreign_uuid)
) WITHOUT ROWID;

CREATE TABLE merge_conflicts (
    id             INTEGER PRIMARY KEY,
    table_name     TEXT NOT NULL,
    row_uuid       TEXT NOT NULL,
    field          TEXT NOT NULL,
    label          TEXT NOT NULL,
    local_value    TEXT,
    package_value  TEXT,
    package_clock  TEXT NOT NULL DEFAULT '{}',
    source         TEXT NOT NULL DEFAULT '',
    peer_uuid      TEXT,
    detected_at    TEXT NOT NULL,
    resolved_at    TEXT,
    resolution     TEXT CHECK (resolution IN ('local', 'package', 'same')),
    resolved_by    TEXT
);
CREATE INDEX idx_merge_conflicts_open ON merge_conflicts(table_name, row_uuid, field)
    WHERE resolved_at IS NULL;
