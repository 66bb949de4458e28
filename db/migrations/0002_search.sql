-- Public documents for search, and their FTS5 index (kept in step by triggers).
CREATE TABLE search_documents (
  rowid INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  url TEXT NOT NULL,
  lang TEXT NOT NULL,
  title TEXT NOT NULL,
  title_zh TEXT,
  summary TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  organization_name TEXT,
  organization_type TEXT,
  languages TEXT NOT NULL DEFAULT '',
  year INTEGER,
  tags TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, doc_id)
);
--> statement-breakpoint
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, title_zh, summary, body,
  content='search_documents', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
  INSERT INTO search_fts(rowid, title, title_zh, summary, body) VALUES (new.rowid, new.title, new.title_zh, new.summary, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, title_zh, summary, body) VALUES ('delete', old.rowid, old.title, old.title_zh, old.summary, old.body);
END;
