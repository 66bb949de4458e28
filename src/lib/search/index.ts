/**
 * The portal's search index. Call `searchIndex.upsert(tx, doc)` / `searchIndex.remove(tx, kind, id)`
 * inside the transaction that publishes, edits or unpublishes something public.
 * The embedded FTS5 backend is the default; MEILISEARCH_URL selects Meilisearch.
 */
import { fts5Index } from './fts5';
import { meiliIndex } from './meilisearch';
import type { SearchIndex } from './types';

export * from './types';

export const searchBackend: 'fts5' | 'meilisearch' = process.env.MEILISEARCH_URL ? 'meilisearch' : 'fts5';

export const searchIndex: SearchIndex = searchBackend === 'meilisearch' ? meiliIndex : fts5Index;
