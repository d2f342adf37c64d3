-- 0002: full-text search over the record list (title, description, 纪要文号, place, participants).
-- The trigram tokenizer finds any substring of three or more characters — what a clerk types
-- into the search box in Chinese, where words are not separated by spaces. Shorter queries
-- fall back to LIKE. The index is kept in step with records by the triggers below (named
-- fts_*, so the generated audit triggers never touch them).

CREATE VIRTUAL TABLE records_fts USING fts5(
    title, description, minutes_number, place, participants,
    content = 'records', content_rowid = 'id', tokenize = 'trigram'
);

INSERT INTO records_fts (records_fts) VALUES ('rebuild');

CREATE TRIGGER fts_records_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, title, description, minutes_number, place, participants)
    VALUES (NEW.id, NEW.title, NEW.description, NEW.minutes_number, NEW.place, NEW.participants);
END;

CREATE TRIGGER fts_records_delete AFTER DELETE ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, description, minutes_number, place, participants)
    VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.minutes_number, OLD.place, OLD.participants);
END;

CREATE TRIGGER fts_records_update AFTER UPDATE OF title, description, minutes_number, place, participants ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, description, minutes_number, place, participants)
    VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.minutes_number, OLD.place, OLD.participants);
    INSERT INTO records_fts (rowid, title, description, minutes_number, place, participants)
    VALUES (NEW.id, NEW.title, NEW.description, NEW.minutes_number, NEW.place, NEW.participants);
END;
