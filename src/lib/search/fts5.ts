/** Embedded backend: SQLite FTS5 in the portal's own database. */
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@db/client';
import { documentSources } from './sources';
import type { SearchDocument, SearchIndex, SearchQuery, SearchResult } from './types';

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function toMatch(q: string): string | null {
  const words = q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

export const fts5Index: SearchIndex = {
  upsert(tx: DbOrTx, doc: SearchDocument) {
    fts5Index.remove(tx, doc.kind, doc.id);
    tx.run(sql`INSERT INTO search_documents (kind, doc_id, url, lang, title, title_zh, summary, body, organization_name, organization_type, languages, year, tags)
      VALUES (${doc.kind}, ${doc.id}, ${doc.url}, ${doc.lang}, ${doc.title}, ${doc.titleZh ?? null}, ${doc.summary ?? ''}, ${doc.body ?? ''},
        ${doc.organizationName ?? null}, ${doc.organizationType ?? null}, ${(doc.languages ?? []).join(' ')}, ${doc.year ?? null}, ${(doc.tags ?? []).join(' ')})`);
  },
  remove(tx: DbOrTx, kind, id) {
    tx.run(sql`DELETE FROM search_documents WHERE kind = ${kind} AND doc_id = ${id}`);
  },
  async search(db: Db, query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    const match = toMatch(query.q);
    const perPage = query.perPage ?? 20;
    const page = query.page ?? 1;
    const empty = { type: {}, organizationType: {}, language: {}, year: {} };
    if (!match) return { query: query.q, total: 0, hits: [], facets: empty, tookMs: 0 };
    const rows = db.all<{ kind: string; doc_id: string; url: string; lang: string; title: string; title_zh: string | null; snippet: string; score: number }>(
      sql`SELECT d.kind, d.doc_id, d.url, d.lang, d.title, d.title_zh,
            snippet(search_fts, -1, char(1), char(2), '…', 16) AS snippet, bm25(search_fts, 10.0, 10.0, 4.0, 1.0) AS score
          FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid
          WHERE search_fts MATCH ${match}
          ORDER BY score LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
    );
    const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ${match}`)!.n;
    return {
      query: query.q,
      total,
      hits: rows.map((r) => ({
        type: r.kind as SearchDocument['kind'],
        id: r.doc_id,
        title: r.title,
        titleZh: r.title_zh,
        snippet: escapeHtml(r.snippet).replace(/\u0001/g, '<mark>').replace(/\u0002/g, '</mark>'),
        url: r.url,
        lang: r.lang,
        score: -r.score,
      })),
      facets: empty,
      tookMs: performance.now() - started,
    };
  },
  async suggest() {
    return [];
  },
  async reindexAll(db: Db, onProgress) {
    const docs = documentSources.flatMap((s) => s.all(db));
    db.transaction((tx) => {
      tx.run(sql`DELETE FROM search_documents`);
      docs.forEach((doc, i) => {
        fts5Index.upsert(tx, doc);
        onProgress?.(i + 1, docs.length);
      });
    });
    return docs.length;
  },
};
