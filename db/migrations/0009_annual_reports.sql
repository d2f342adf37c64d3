-- 0006: the unit's annual 法治政府建设年度报告, as the clerk wrote it.
-- One row per unit and year: the text of each part of the report (empty: not written yet, the
-- generated draft is offered), the report's own fields (NULL: the default) and the day it was
-- submitted (NULL: not yet; the yearly reminder stops once it is set).
CREATE TABLE annual_reports (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    unit_id       INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    title         TEXT,                        -- NULL: "<机关>2025年法治政府建设年度报告"
    addressee     TEXT,                        -- 主送机关, NULL: none
    signature     TEXT,                        -- 发文机关署名, NULL: the unit as an institution
    report_date   TEXT,                        -- 成文日期 YYYY-MM-DD, NULL: the default
    opening       TEXT NOT NULL DEFAULT '',    -- the opening paragraph
    measures      TEXT NOT NULL DEFAULT '',    -- 主要举措和成效
    leadership    TEXT NOT NULL DEFAULT '',    -- 党政主要负责人履行推进法治建设第一责任人职责情况
    problems      TEXT NOT NULL DEFAULT '',    -- 存在的不足和原因
    plans         TEXT NOT NULL DEFAULT '',    -- 下一年度工作安排
    submitted_on  TEXT,                        -- YYYY-MM-DD the report was submitted
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (unit_id, year)
);
CREATE INDEX idx_annual_reports_year ON annual_reports(year);
