-- Which document each index generation changed (NULL: possibly every one, as after a rebuild or a
-- synonym edit), so that a process seeing the generation move patches its in-memory index (facet
-- table, term postings, vocabulary) for those few documents instead of reloading it all.
-- Rows older than a few thousand generations are pruned by the writers.
CREATE TABLE search_changes (
  generation INTEGER NOT NULL,
  doc_rowid INTEGER
);
--> statement-breakpoint
CREATE INDEX search_changes_generation ON search_changes (generation);
