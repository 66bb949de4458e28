/**
 * The same cases against both backends. The Meilisearch leg needs a live server: it runs when
 * MEILISEARCH_URL (and MEILISEARCH_API_KEY if the server wants one) is set, and is reported as
 * skipped otherwise — no Meilisearch server can be installed on this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { write } from '../db/client';
import { seedSearch } from '../db/seed/search';
import type { SearchIndex } from '../src/lib/search';
import { testDb } from './helpers/db';
import { FIXTURES } from './search.fixtures';

const meiliUrl = process.env.MEILISEARCH_URL;
process.env.SEARCH_OUTBOX_INTERVAL_MS = '0'; // settle() drains by hand
process.env.MEILISEARCH_INDEX ??= `portal_conformance_${process.pid}`;
const { fts5Index } = await import('../src/lib/search/fts5');
const meili = await import('../src/lib/search/meilisearch');

interface Leg {
  name: string;
  index: SearchIndex;
  /** Waits until writes are visible to search. */
  settle(db: ReturnType<typeof testDb>): Promise<void>;
  skip: string | null;
}

const LEGS: Leg[] = [
  { name: 'embedded (SQLite FTS5)', index: fts5Index, settle: async () => {}, skip: null },
  {
    name: 'Meilisearch',
    index: meili.meiliIndex,
    async settle(db) {
      for (let i = 0; i < 50; i++) {
        const { sent, failed } = await meili.drainOutbox(db);
        if (failed) throw new Error('Meilisearch refused the outbox');
        if (sent === 0) return;
      }
    },
    skip: meiliUrl ? null : 'MEILISEARCH_URL is not set, so the Meilisearch leg is skipped (no Meilisearch server can be installed here)',
  },
];

for (const leg of LEGS) {
  describe.skipIf(leg.skip !== null)(`conformance: ${leg.name}`, () => {
    let db: ReturnType<typeof testDb>;
    const top = async (q: string, extra = {}) => (await leg.index.search(db, { q, perPage: 5, ...extra })).hits.map((h) => h.id);

    beforeAll(async () => {
      db = testDb();
      seedSearch(db);
      // through the leg's own upsert: Meilisearch gets the documents via the outbox, as in production
      write(db, (tx) => {
        for (const doc of FIXTURES) leg.index.upsert(tx, { url: `/${doc.kind}s/${doc.id}`, ...doc });
      });
      await leg.settle(db);
    }, 120_000);
    afterAll(() => db?.cleanup());

    it('finds Chinese words inside longer text', async () => expect(await top('海关稽查')).toContain('customs-compliance'));
    it('stems English', async () => expect(await top('courses')).toContain('hpuc'));
    it('matches the last word as a prefix', async () => expect(await top('photog')).toContain('photography'));
    it('tolerates typos', async () => expect(await top('warehuose')).toContain('overseas-warehouse'));
    it('applies synonyms', async () => expect(await top('cross border ecommerce')).toContain('cbec-intro'));
    it('filters and counts facets', async () => {
      const r = await leg.index.search(db, { q: 'logistics', kinds: ['course'] });
      expect(r.hits.every((h) => h.type === 'course')).toBe(true);
      expect(r.facets.type.course).toBe(r.total);
      expect(Object.keys(r.facets.type).length).toBeGreaterThan(1);
    });
    it('highlights with <mark> and escapes the rest', async () => {
      write(db, (tx) => leg.index.upsert(tx, { kind: 'course', id: 'xss', url: '/courses/xss', lang: 'en', title: '<script>alert(1)</script> Quixotic', body: '<img src=x onerror=alert(1)> quixotic' }));
      await leg.settle(db);
      const [hit] = (await leg.index.search(db, { q: 'quixotic' })).hits;
      expect(hit!.snippet).toContain('<mark>');
      expect(hit!.snippet).not.toMatch(/<(script|img)/);
      expect(hit!.titleHtml).not.toMatch(/<script/);
    });
    it('reflects removal', async () => {
      write(db, (tx) => leg.index.remove(tx, 'course', 'photography'));
      await leg.settle(db);
      expect(await top('photography')).not.toContain('photography');
    });
  });
}

describe('conformance legs', () => {
  it.skipIf(!meiliUrl)('Meilisearch leg ran against MEILISEARCH_URL', () => expect(meiliUrl).toBeTruthy());
  it('reports which legs ran', () => {
    for (const leg of LEGS) if (leg.skip) console.warn(`SKIPPED: ${leg.skip}`);
    expect(LEGS.filter((l) => !l.skip).length).toBeGreaterThanOrEqual(1);
  });
});
