-- 0003: the year's work points (工作要点 / 工作计划 / 任务分解方案).
-- A document (work_plans) has sections and tasks; a task has its responsible units with a role
-- (task_units), progress entries per unit with evidence files (task_progress,
-- task_attachments) and records of duties that evidence it (task_records). unit_name_choices
-- remembers which of the program's units the clerk chose for a name the documents use.
-- Every row carries a uuid (data packages merge by it) and created_at/updated_at; what a clerk
-- may want back (a document, a task, a progress entry) is deleted softly (deleted_at).
-- Audit triggers are generated from the live schema after the migration.

CREATE TABLE work_plans (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    doc_number   TEXT,                          -- 文号
    source_name  TEXT NOT NULL DEFAULT '',      -- the file it was imported from
    source_text  TEXT NOT NULL DEFAULT '',      -- the document as read
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX idx_work_plans_year ON work_plans(year);

CREATE TABLE work_sections (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    plan_id     INTEGER NOT NULL REFERENCES work_plans(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,               -- 1, 2, … in the document
    label       TEXT NOT NULL DEFAULT '',       -- "一、"
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX idx_work_sections_plan ON work_sections(plan_id, position);

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    plan_id        INTEGER NOT NULL REFERENCES work_plans(id) ON DELETE CASCADE,
    section_id     INTEGER REFERENCES work_sections(id) ON DELETE SET NULL,
    number         INTEGER NOT NULL,            -- 序号 in the document
    position       INTEGER NOT NULL,            -- order in the plan
    item_label     TEXT,                        -- "（二）"
    item_title     TEXT,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '',
    due            TEXT,                        -- YYYY-MM-DD, or NULL: no deadline
    deadline_text  TEXT,                        -- the words it was read from ("2017年年底前")
    named_units    TEXT NOT NULL DEFAULT '[]',  -- JSON [{"name", "role"}]: the units as the document names them
    source_text    TEXT NOT NULL DEFAULT '',    -- the paragraph as it stands
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX idx_tasks_plan ON tasks(plan_id, position);
CREATE INDEX idx_tasks_due ON tasks(due) WHERE deleted_at IS NULL;

CREATE TABLE task_units (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('lead', 'responsible', 'assist')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (task_id, unit_id)
);
CREATE INDEX idx_task_units_unit ON task_units(unit_id, task_id);

-- The clerk's choice for a unit name of the documents; unit_id NULL: "not one of our units".
CREATE TABLE unit_name_choices (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit_id     INTEGER REFERENCES units(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (name, unit_id)
);

CREATE TABLE task_progress (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    task_id      INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    reported_on  TEXT NOT NULL,                 -- the day the progress is reported for
    note         TEXT NOT NULL DEFAULT '',
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    source       TEXT NOT NULL DEFAULT '',      -- '' typed in; otherwise the sheet it came from
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX idx_task_progress_task ON task_progress(task_id, unit_id, reported_on);
CREATE INDEX idx_task_progress_unit ON task_progress(unit_id);

-- Evidence files of a progress entry: the same content-addressed files as record attachments.
CREATE TABLE task_attachments (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    progress_id  INTEGER NOT NULL REFERENCES task_progress(id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    stored_path  TEXT NOT NULL,                 -- relative to the attachments folder
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX idx_task_attachments_progress ON task_attachments(progress_id);

-- A record of a duty that evidences a task (for one of its units, or for the task as a whole).
CREATE TABLE task_records (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    record_id   INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    unit_id     INTEGER REFERENCES units(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (task_id, record_id)
);
CREATE INDEX idx_task_records_record ON task_records(record_id);
