-- Search speed: the first ranking tier (documents whose title holds the whole query) reads a
-- title-only FTS5 index, whose doclists are a fraction of the title-and-summary ones.
CREATE VIRTUAL TABLE search_fts_title USING fts5(
  title,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- The processes rebuild every index from search_documents on first use (ensureCurrentIndex).
UPDATE search_meta SET value = 0 WHERE key = 'analyzer';
