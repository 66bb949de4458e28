/**
 * The portal's search index. Call `searchIndex.upsert(tx, doc)` / `searchIndex.remove(tx, kind, id)`
 * inside the transaction that publishes, edits or unpublishes something public.
 */
import { fts5Index } from './fts5';
import type { SearchIndex } from './types';

export * from './types';

export const searchIndex: SearchIndex = fts5Index;
