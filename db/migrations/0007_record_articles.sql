-- 0004: a record may cite several articles (引用条款). The links live in record_articles; the
-- old single column records.article_id stays and keeps the first cited article, so readers that
-- know only that column (older exports, data packages) still find one.

CREATE TABLE record_articles (
    record_id   INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, article_id)
) WITHOUT ROWID;
CREATE INDEX idx_record_articles_article ON record_articles(article_id, record_id);

INSERT INTO record_articles (record_id, article_id)
    SELECT id, article_id FROM records WHERE article_id IS NOT NULL;
