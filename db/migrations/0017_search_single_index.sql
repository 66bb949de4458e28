-- Search ranks from term postings read out of search_fts alone (src/lib/search/rank.ts): the
-- title and title-and-summary indexes that served FTS5's bm25() ranking tiers are no longer read.
DROP TABLE IF EXISTS search_fts_head;
--> statement-breakpoint
DROP TABLE IF EXISTS search_fts_title;
