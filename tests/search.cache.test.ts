/**
 * The embedded engine's caches (finished results, match lists, parsed queries) are keyed by the
 * index generation: what a search answers must be what it would answer without them, also after
 * a write made through another connection (another server process).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, write } from '../db/client';
import { searchIndex, type SearchDocument, type SearchQuery } from '../src/lib/search';
import { testDb } from './helpers/db';

let db: ReturnType<typeof testDb>;
const setting = process.env.SEARCH_RESULT_CACHE;
beforeEach(() => {
  db = testDb();
  delete process.env.SEARCH_RESULT_CACHE;
});
afterEach(() => {
  db.cleanup();
  if (setting === undefined) delete process.env.SEARCH_RESULT_CACHE;
  else process.env.SEARCH_RESULT_CACHE = setting;
});

const doc = (id: string, title: string, extra: Partial<SearchDocument> = {}): SearchDocument => ({
  kind: 'course', id, url: `/courses/${id}`, lang: 'en', title, ...extra,
});
const strip = (r: Awaited<ReturnType<typeof searchIndex.search>>) => ({ total: r.total, facets: r.facets, hits: r.hits.map((h) => [h.id, h.snippet, h.titleHtml]) });

describe('search caches', () => {
  it('answer a repeated query anew after a write through another connection', async () => {
    write(db, (tx) => Array.from({ length: 30 }, (_, i) => searchIndex.upsert(tx, doc(`a${i}`, `Bonded warehouse guide ${i}`, { year: 2024 }))));
    const q: SearchQuery = { q: 'warehouse', perPage: 20 };
    expect((await searchIndex.search(db, q)).total).toBe(30);
    expect((await searchIndex.search(db, { ...q, page: 2 })).hits).toHaveLength(10); // from the kept match list

    const other = openDatabase(db.$client.name);
    write(other, (tx) => {
      searchIndex.upsert(tx, doc('b1', 'Warehouse robotics handbook', { year: 2026, kind: 'project' }));
      searchIndex.remove(tx, 'course', 'a0');
    });
    other.$client.close();

    const again = await searchIndex.search(db, q);
    expect(again.total).toBe(30);
    expect(again.facets.type).toEqual({ course: 29, project: 1 });
    expect(again.facets.year).toEqual({ 2026: 1, 2024: 29 });
    expect(again.hits.map((h) => h.id)).not.toContain('a0');
    expect((await searchIndex.search(db, { ...q, page: 2 })).hits).toHaveLength(10);
    expect((await searchIndex.search(db, { ...q, kinds: ['project'] })).hits.map((h) => h.id)).toEqual(['b1']);
  });

  it('give the same answers as searching without them, for every filter and page', async () => {
    write(db, (tx) =>
      Array.from({ length: 45 }, (_, i) =>
        searchIndex.upsert(tx, doc(`d${i}`, i % 3 ? `Customs clearance course ${i}` : `Export rules ${i}`, {
          kind: i % 2 ? 'course' : 'project',
          year: 2020 + (i % 4),
          summary: i % 3 ? 'Paperwork.' : 'Customs clearance step by step.',
          lang: i % 5 ? 'en' : 'zh-cn',
        })),
      ),
    );
    const queries: SearchQuery[] = [
      { q: 'customs' },
      { q: 'customs', kinds: ['course'] },
      { q: 'customs', page: 2, perPage: 10 },
      { q: 'customs clearance', years: [2021, 2023], page: 2, perPage: 5 },
      { q: 'custom', languages: ['zh-cn'] },
      { q: 'clearanse' },
    ];
    const cached = [];
    for (const q of queries) cached.push(strip(await searchIndex.search(db, q)));
    for (const q of queries) cached.push(strip(await searchIndex.search(db, q))); // answered from the caches
    process.env.SEARCH_RESULT_CACHE = '0';
    const fresh = [];
    for (const q of queries) fresh.push(strip(await searchIndex.search(db, q)));
    expect(cached).toEqual([...fresh, ...fresh]);
    expect(fresh[0]!.total).toBe(45);
    expect(fresh[1]!.facets.type).toEqual({ course: 22, project: 23 });
    expect(fresh[2]!.hits).toHaveLength(10);
  });
});
