-- 0001: the initial schema of 履职纪实.
-- Every row that can travel between offices (data packages) carries a stable uuid.
-- Dates are ISO-8601 text (YYYY-MM-DD); timestamps are ISO-8601 local time with seconds.
-- Audit triggers are not written here: they are generated from the live schema after every
-- migration (duty_tracker/core/storage/audit.py), so a new column is never forgotten.

CREATE TABLE rule_sets (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    issuer          TEXT,
    doc_number      TEXT,
    effective_date  TEXT,
    source_text     TEXT NOT NULL,
    is_default      INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The rule set in force for a year, when the clerk chose one explicitly.
CREATE TABLE rule_set_years (
    year         INTEGER PRIMARY KEY,
    rule_set_id  INTEGER NOT NULL REFERENCES rule_sets(id) ON DELETE CASCADE
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    rule_set_id  INTEGER NOT NULL REFERENCES rule_sets(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    label        TEXT NOT NULL,
    chapter      TEXT,
    text         TEXT NOT NULL,
    UNIQUE (rule_set_id, number)
);

CREATE TABLE clauses (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    label       TEXT NOT NULL,
    text        TEXT NOT NULL,
    UNIQUE (article_id, number)
);

CREATE TABLE duties (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    rule_set_id  INTEGER NOT NULL REFERENCES rule_sets(id) ON DELETE CASCADE,
    article_id   INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    clause_id    INTEGER REFERENCES clauses(id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('party', 'government', 'all')),
    period       TEXT NOT NULL CHECK (period IN ('year', 'half_year', 'quarter', 'month', 'once')),
    min_count    INTEGER NOT NULL CHECK (min_count >= 1),
    due          TEXT,            -- 'YYYY-MM-DD' (once) or 'MM-DD' (deadline inside the year)
    target       TEXT,            -- the body of an expanded "分别听取…" duty, e.g. 人大
    source_text  TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX idx_duties_rule_set ON duties(rule_set_id, position);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('市', '区县', '部门', '乡镇街道', '事业单位', '国企')),
    parent_id   INTEGER REFERENCES units(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE leaders (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    position    TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('party', 'government', 'other')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX idx_leaders_unit ON leaders(unit_id);

CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    leader_id   INTEGER NOT NULL REFERENCES leaders(id) ON DELETE CASCADE,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX idx_terms_leader ON terms(leader_id);

CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    performed_on    TEXT NOT NULL,   -- the day the duty was performed (not when it was entered)
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('会议', '学法', '培训', '听取汇报', '报告', '述职', '其他')),
    place           TEXT NOT NULL DEFAULT '',
    participants    TEXT NOT NULL DEFAULT '',
    minutes_number  TEXT NOT NULL DEFAULT '',  -- 纪要文号
    description     TEXT NOT NULL DEFAULT '',
    article_id      INTEGER REFERENCES articles(id) ON DELETE SET NULL,  -- cited (unquantified) article
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT            -- deleted records are kept (undo, audit restore)
);
CREATE INDEX idx_records_date ON records(performed_on) WHERE deleted_at IS NULL;

CREATE TABLE record_leaders (
    record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    leader_id  INTEGER NOT NULL REFERENCES leaders(id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, leader_id)
) WITHOUT ROWID;
CREATE INDEX idx_record_leaders_leader ON record_leaders(leader_id, record_id);

CREATE TABLE record_duties (
    record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    duty_id    INTEGER NOT NULL REFERENCES duties(id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, duty_id)
) WITHOUT ROWID;
CREATE INDEX idx_record_duties_duty ON record_duties(duty_id, record_id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    record_id    INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,     -- the name the clerk knows
    stored_path  TEXT NOT NULL,     -- relative to the attachments folder
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_at     TEXT NOT NULL
);
CREATE INDEX idx_attachments_record ON attachments(record_id);

CREATE TABLE debriefs (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    leader_id     INTEGER NOT NULL REFERENCES leaders(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    title         TEXT,
    achievements  TEXT NOT NULL DEFAULT '',   -- 主要做法和成效
    problems      TEXT NOT NULL DEFAULT '',   -- 存在的问题和不足
    plans         TEXT NOT NULL DEFAULT '',   -- 下一步工作打算
    updated_at    TEXT NOT NULL,
    UNIQUE (leader_id, year)
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    row_id      INTEGER,
    row_uuid    TEXT,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX idx_audit_at ON audit_log(at);
CREATE INDEX idx_audit_row ON audit_log(table_name, row_id);
