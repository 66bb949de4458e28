-- Search speed: a second, small FTS5 index over only the title and summary (the same analyzed
-- text as search_fts). Ranking looks first for documents whose title, then title and summary,
-- hold the whole query; on the big index those tiers had to read every term's full doclist
-- (title, summary AND body postings) for a few hundred title hits. Here the doclists are short.
CREATE VIRTUAL TABLE search_fts_head USING fts5(
  title, summary,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- The processes rebuild both indexes from search_documents on first use (ensureCurrentIndex).
UPDATE search_meta SET value = 0 WHERE key = 'analyzer';
