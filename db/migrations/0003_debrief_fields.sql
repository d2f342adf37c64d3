-- 0003: a debrief's own fields and its body by section.
-- The 述职述法报告 is the leader's own report: its byline (post and name), signature and
-- 成文日期 are saved per leader and year (NULL: the default). The body is written per section
-- (what the head did); achievements / problems / plans stay: rows saved before keep printing.
ALTER TABLE debriefs ADD COLUMN byline TEXT;
ALTER TABLE debriefs ADD COLUMN signature TEXT;
ALTER TABLE debriefs ADD COLUMN report_date TEXT;          -- YYYY-MM-DD
ALTER TABLE debriefs ADD COLUMN leadership TEXT NOT NULL DEFAULT '';  -- 履行第一责任人职责、统筹部署
ALTER TABLE debriefs ADD COLUMN study TEXT NOT NULL DEFAULT '';       -- 带头尊法学法守法用法
ALTER TABLE debriefs ADD COLUMN decisions TEXT NOT NULL DEFAULT '';   -- 依法决策、依法行政/执政
ALTER TABLE debriefs ADD COLUMN publicity TEXT NOT NULL DEFAULT '';   -- 推动法治宣传、化解矛盾纠纷
