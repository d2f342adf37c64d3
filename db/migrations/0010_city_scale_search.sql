-- 0010: the record list at city scale (a million records).
--
-- Text search: two full-text indexes over the five searchable columns, each holding only the
-- records that are not deleted, each row keyed by (day of performed_on) << 40 | record id, so
-- that a date range is a range of keys and the list's order (newest first) is the index's own
-- order. (duty_tracker/core/storage/search_index.py explains the design and computes the key.)
--   records_fts   - trigram tokens of the ASCII-lowercased text: any substring of three or more
--                   characters, as a phrase;
--   records_grams - the bigrams of the raw text (the ascii tokenizer folds A-Z itself), with an
--                   index of one-character prefixes: a substring of two characters is one token,
--                   one character is a prefix query.
-- The five columns go into one indexed text each, the trigram index's joined by the control
-- character U+001F (a search with a control character is answered by LIKE, so no match can
-- run across two columns), the bigram index's as the bigrams of each column in turn.
-- Both are kept in step with records by the fts_* triggers (never audited: derived data).
-- No column sizes are stored (columnsize = 0): they serve ranking, which the list never does.
--
-- Plain indexes: the recycle bin (few rows), the record type with the date (the list filters
-- by type within a year), and a record's own cited article.

DROP TRIGGER IF EXISTS fts_records_insert;
DROP TRIGGER IF EXISTS fts_records_delete;
DROP TRIGGER IF EXISTS fts_records_update;
DROP TABLE IF EXISTS records_fts;

CREATE INDEX idx_records_deleted ON records(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX idx_records_kind ON records(kind, performed_on) WHERE deleted_at IS NULL;
CREATE INDEX idx_records_article ON records(article_id) WHERE article_id IS NOT NULL;

-- The view, the two indexes and the three triggers below are, word for word, what
-- search_index.schema_objects() defines (a test compares them): the program recreates any of
-- them that goes missing or is altered.
CREATE VIEW records_search_text AS SELECT (coalesce(CAST(julianday(performed_on) - 2415020.5 AS INTEGER), 0) << 40) | id AS key, lower(title) || char(31) || lower(description) || char(31) || lower(minutes_number) || char(31) || lower(place) || char(31) || lower(participants) AS text FROM records WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE records_fts USING fts5(text, content = 'records_search_text', content_rowid = 'key', columnsize = 0, tokenize = 'trigram case_sensitive 1');

CREATE VIRTUAL TABLE records_grams USING fts5(tokens, content = '', detail = 'none', prefix = '1', columnsize = 0, tokenize = "ascii tokenchars '!""#$%&''()*+,-./:;<=>?@[\]^_`{|}~'");

INSERT INTO records_fts (records_fts) VALUES ('rebuild');

INSERT INTO records_grams (rowid, tokens)
SELECT (coalesce(CAST(julianday(performed_on) - 2415020.5 AS INTEGER), 0) << 40) | id,
        (SELECT group_concat(substr(title, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(title) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(description, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(description) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(minutes_number, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(minutes_number) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(place, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(place) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(participants, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(participants) - 1, '0'), '0', ',0') || ']'))
FROM records WHERE deleted_at IS NULL;

-- An edit of the text or the date moves the row (its key may change); a soft delete takes it
-- out of both indexes and a restore puts it back.
CREATE TRIGGER fts_records_insert AFTER INSERT ON records BEGIN
INSERT INTO records_fts (rowid, text) SELECT (coalesce(CAST(julianday(NEW.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | NEW.id, lower(NEW.title) || char(31) || lower(NEW.description) || char(31) || lower(NEW.minutes_number) || char(31) || lower(NEW.place) || char(31) || lower(NEW.participants) WHERE NEW.deleted_at IS NULL;
INSERT INTO records_grams (rowid, tokens) SELECT (coalesce(CAST(julianday(NEW.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | NEW.id, (SELECT group_concat(substr(NEW.title, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.title) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.description, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.description) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.minutes_number, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.minutes_number) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.place, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.place) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.participants, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.participants) - 1, '0'), '0', ',0') || ']')) WHERE NEW.deleted_at IS NULL;
END;

CREATE TRIGGER fts_records_update AFTER UPDATE OF id, performed_on, title, description, minutes_number, place, participants, deleted_at ON records BEGIN
INSERT INTO records_fts (records_fts, rowid, text) SELECT 'delete', (coalesce(CAST(julianday(OLD.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | OLD.id, lower(OLD.title) || char(31) || lower(OLD.description) || char(31) || lower(OLD.minutes_number) || char(31) || lower(OLD.place) || char(31) || lower(OLD.participants) WHERE OLD.deleted_at IS NULL;
INSERT INTO records_grams (records_grams, rowid, tokens) SELECT 'delete', (coalesce(CAST(julianday(OLD.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | OLD.id, (SELECT group_concat(substr(OLD.title, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.title) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.description, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.description) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.minutes_number, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.minutes_number) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.place, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.place) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.participants, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.participants) - 1, '0'), '0', ',0') || ']')) WHERE OLD.deleted_at IS NULL;
INSERT INTO records_fts (rowid, text) SELECT (coalesce(CAST(julianday(NEW.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | NEW.id, lower(NEW.title) || char(31) || lower(NEW.description) || char(31) || lower(NEW.minutes_number) || char(31) || lower(NEW.place) || char(31) || lower(NEW.participants) WHERE NEW.deleted_at IS NULL;
INSERT INTO records_grams (rowid, tokens) SELECT (coalesce(CAST(julianday(NEW.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | NEW.id, (SELECT group_concat(substr(NEW.title, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.title) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.description, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.description) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.minutes_number, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.minutes_number) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.place, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.place) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(NEW.participants, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(NEW.participants) - 1, '0'), '0', ',0') || ']')) WHERE NEW.deleted_at IS NULL;
END;

CREATE TRIGGER fts_records_delete AFTER DELETE ON records BEGIN
INSERT INTO records_fts (records_fts, rowid, text) SELECT 'delete', (coalesce(CAST(julianday(OLD.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | OLD.id, lower(OLD.title) || char(31) || lower(OLD.description) || char(31) || lower(OLD.minutes_number) || char(31) || lower(OLD.place) || char(31) || lower(OLD.participants) WHERE OLD.deleted_at IS NULL;
INSERT INTO records_grams (records_grams, rowid, tokens) SELECT 'delete', (coalesce(CAST(julianday(OLD.performed_on) - 2415020.5 AS INTEGER), 0) << 40) | OLD.id, (SELECT group_concat(substr(OLD.title, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.title) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.description, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.description) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.minutes_number, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.minutes_number) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.place, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.place) - 1, '0'), '0', ',0') || ']'))
        || ' ' || (SELECT group_concat(substr(OLD.participants, key + 1, 2), ' ') FROM json_each('[0' || replace(printf('%.*c', length(OLD.participants) - 1, '0'), '0', ',0') || ']')) WHERE OLD.deleted_at IS NULL;
END;
