-- Search v2: the FTS5 index holds analyzed text (jieba-segmented Chinese, folded and stemmed Latin
-- words) while search_documents keeps the original text for snippets. The index is contentless,
-- so it stores no second copy of the text; services keep it in step inside their transactions.
DROP TRIGGER IF EXISTS search_documents_ai;
--> statement-breakpoint
DROP TRIGGER IF EXISTS search_documents_ad;
--> statement-breakpoint
DROP TABLE IF EXISTS search_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, summary, body, extra,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
--> statement-breakpoint
-- Bumped by every index write; processes compare it to know when their cached vocabulary,
-- facet values and synonyms are stale. `analyzer` records which analysis built the index.
CREATE TABLE search_meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
--> statement-breakpoint
INSERT INTO search_meta (key, value) VALUES ('generation', 1), ('analyzer', 0);
--> statement-breakpoint
-- A group of words and phrases that mean the same thing; admins edit them.
CREATE TABLE search_synonyms (
  id INTEGER PRIMARY KEY,
  terms TEXT NOT NULL CHECK (json_valid(terms) AND json_type(terms) = 'array'),
  updated_at INTEGER NOT NULL,
  updated_by TEXT REFERENCES users(id) ON DELETE SET NULL
);
--> statement-breakpoint
-- Writes waiting for an external engine (Meilisearch), written in the data's own transaction.
CREATE TABLE search_outbox (
  id INTEGER PRIMARY KEY,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'remove', 'settings')),
  kind TEXT,
  doc_id TEXT,
  payload TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
--> statement-breakpoint
CREATE INDEX search_outbox_due_idx ON search_outbox (next_attempt_at, id);
