-- foreign_keys: off
-- Quotas in hours (年度学法不少于40学时), duties that bind other heads (部门、单位主要负责人),
-- how an article was found (条款 / 序号项 / 段落 / 句子), the parser's warnings, and the study
-- hours a record carries.
--
-- The CHECK on duties.role cannot be altered in place, so the table is rebuilt the way SQLite
-- documents it: with foreign keys off for this migration (the runner turns them off before the
-- transaction and runs foreign_key_check before committing), copy, drop, rename. The links of
-- records to duties keep pointing at "duties" by name and so at the rebuilt table.
CREATE TABLE duties_rebuilt (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    rule_set_id  INTEGER NOT NULL REFERENCES rule_sets(id) ON DELETE CASCADE,
    article_id   INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    clause_id    INTEGER REFERENCES clauses(id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('party', 'government', 'all', 'other')),
    period       TEXT NOT NULL CHECK (period IN ('year', 'half_year', 'quarter', 'month', 'once')),
    min_count    INTEGER NOT NULL CHECK (min_count >= 1),
    unit         TEXT NOT NULL DEFAULT 'times' CHECK (unit IN ('times', 'hours')),
    due          TEXT,
    target       TEXT,
    source_text  TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
INSERT INTO duties_rebuilt (id, uuid, rule_set_id, article_id, clause_id, title, role, period,
                            min_count, due, target, source_text, position, active, created_at,
                            updated_at)
    SELECT id, uuid, rule_set_id, article_id, clause_id, title, role, period, min_count, due,
           target, source_text, position, active, created_at, updated_at FROM duties;
DROP TABLE duties;
ALTER TABLE duties_rebuilt RENAME TO duties;
CREATE INDEX idx_duties_rule_set ON duties(rule_set_id, position);

ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article'
    CHECK (kind IN ('article', 'item', 'paragraph', 'sentence'));
ALTER TABLE rule_sets ADD COLUMN warnings TEXT NOT NULL DEFAULT '';
-- study hours of the record (学时); NULL when not given. Duties counted in hours sum them.
ALTER TABLE records ADD COLUMN hours REAL CHECK (hours IS NULL OR (hours >= 0 AND hours <= 1000));
