/** Term postings: the set operations against a naive model, and counts equal to FTS5's own. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { write } from '../db/client';
import { searchIndex, type SearchDocument } from '../src/lib/search';
import { allOf, anyOf, toFts5, type MatchNode } from '../src/lib/search/match-tree';
import { planQuery } from '../src/lib/search/plan';
import { Bitmap, dense, evaluate, intersect, positionsIn, postingsOf, union } from '../src/lib/search/postings';
import { indexCache } from '../src/lib/search/vocabulary';
import { testDb } from './helpers/db';

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
/** A sorted list of distinct rowids below `max`, about `n` long. */
const sortedList = (n: number, max: number) => Int32Array.from([...new Set(Array.from({ length: n }, () => Math.floor(rand() * max)))].sort((a, b) => a - b));

describe('set operations on sorted rowid lists', () => {
  it('intersect and union agree with sets, for close and for very different lengths (galloping)', () => {
    for (let round = 0; round < 300; round++) {
      const max = 1 + Math.floor(rand() * 5000);
      const a = sortedList(Math.floor(rand() * (round % 3 === 0 ? 20 : 2000)), max);
      const b = sortedList(Math.floor(rand() * 3000), max);
      const sb = new Set(b);
      expect([...intersect(a, b)]).toEqual([...a].filter((x) => sb.has(x)));
      expect([...intersect(b, a)]).toEqual([...a].filter((x) => sb.has(x)));
      expect([...union(a, b)]).toEqual([...new Set([...a, ...b])].sort((x, y) => x - y));
    }
  });

  it('finds the positions in a pool of the rowids a list also holds, whichever is longer', () => {
    for (let round = 0; round < 300; round++) {
      const max = 1 + Math.floor(rand() * 20000);
      const pool = sortedList(Math.floor(rand() * (round % 2 ? 30 : 3000)), max);
      const list = sortedList(Math.floor(rand() * (round % 3 ? 8000 : 20)), max);
      const inList = new Set(list);
      const expected = [...pool.keys()].filter((i) => inList.has(pool[i]!));
      expect([...positionsIn(pool, list)]).toEqual(expected);
    }
  });

  it('gives the same sets through bitmaps as through lists, for any tree', () => {
    const terms = ['a', 'b', 'c', 'd', 'e'];
    const randomTree = (depth: number): MatchNode =>
      depth === 0 || rand() < 0.3 ? terms[Math.floor(rand() * terms.length)]! : { op: rand() < 0.5 ? 'and' : 'or', of: Array.from({ length: 2 + Math.floor(rand() * 3) }, () => randomTree(depth - 1)) };
    for (let round = 0; round < 200; round++) {
      const max = 64 + Math.floor(rand() * 5000);
      // some lists dense (held as bitmaps), some sparse, some empty
      const lists = new Map(terms.map((t) => [t, sortedList(Math.floor(rand() * [0, 10, max / 40, max / 3, max][Math.floor(rand() * 5)]!), max)]));
      const tree = randomTree(3);
      const viaLists = evaluate(tree, (t) => lists.get(t)!);
      const viaBitmaps = evaluate(tree, (t) => (dense(lists.get(t)!) ? Bitmap.of(lists.get(t)!) : lists.get(t)!));
      const naive = (node: MatchNode): Set<number> => {
        if (typeof node === 'string') return new Set(lists.get(node));
        const sets = node.of.map(naive);
        return node.op === 'or' ? new Set(sets.flatMap((x) => [...x])) : new Set([...sets[0]!].filter((x) => sets.every((y) => y.has(x))));
      };
      const expected = [...naive(tree)].sort((x, y) => x - y);
      expect([...viaLists]).toEqual(expected);
      expect([...viaBitmaps]).toEqual(expected);
    }
    const bits = Bitmap.of(Int32Array.of(0, 31, 32, 63, 64, 1000));
    expect([...bits.toList()]).toEqual([0, 31, 32, 63, 64, 1000]);
    expect([bits.has(31), bits.has(33), bits.has(5000)]).toEqual([true, false, false]);
  });

  it('handles empty lists and lists past each other', () => {
    const e = new Int32Array(0);
    expect([...intersect(e, Int32Array.of(1, 2))]).toEqual([]);
    expect([...union(e, Int32Array.of(1, 2))]).toEqual([1, 2]);
    expect([...intersect(Int32Array.of(1, 2), Int32Array.from({ length: 100 }, (_, i) => i + 3))]).toEqual([]);
    expect([...intersect(Int32Array.of(500), Int32Array.from({ length: 100 }, (_, i) => i))]).toEqual([]);
    expect([...intersect(Int32Array.of(0, 99), Int32Array.from({ length: 100 }, (_, i) => i))]).toEqual([0, 99]);
  });
});

describe('match trees', () => {
  it('write FTS5 syntax with every term quoted, groups flattened and repeats dropped', () => {
    expect(toFts5(allOf(['a', allOf(['b', 'a']), anyOf(['c', 'd"e', 'c'])]))).toBe('"a" AND "b" AND ("c" OR "d""e")');
    expect(toFts5(anyOf(['x']))).toBe('"x"');
  });
});

describe('counting from postings', () => {
  let db: ReturnType<typeof testDb>;
  beforeEach(() => {
    db = testDb();
  });
  afterEach(() => {
    delete process.env.SEARCH_POSTINGS_CACHE;
    db.cleanup();
  });

  const words = ['logistics', 'warehouse', 'customs', 'seller', 'training', '跨境', '电商', '物流', '海外仓', 'cross', 'border', 'ecommerce'];
  const docs = (n: number): SearchDocument[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'course', id: String(i), url: `/courses/${i}`, lang: 'en',
      title: Array.from({ length: 3 }, () => words[Math.floor(rand() * words.length)]).join(' '),
      body: Array.from({ length: 12 }, () => words[Math.floor(rand() * words.length)]).join(' '),
    }));

  it('gives the same rowids as FTS5 for every query, and follows writes', async () => {
    write(db, (tx) => docs(400).forEach((d) => searchIndex.upsert(tx, d)));
    const queries = ['跨境电商', 'cross border ecommerce', 'logist', 'warehuose customs', '物流 seller', 'training 海外仓', 'zzz'];
    const check = () => {
      const cache = indexCache(db);
      for (const q of queries) {
        const plan = planQuery(cache, q);
        if (!plan) continue;
        const viaFts5 = db.$client.prepare(`SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid`).pluck().all(toFts5(plan.matchTree));
        expect([...evaluate(plan.matchTree, (t) => postingsOf(db, cache).get(t))], q).toEqual(viaFts5);
      }
    };
    check();
    check(); // now from held postings
    write(db, (tx) => {
      searchIndex.remove(tx, 'course', '3');
      searchIndex.upsert(tx, { kind: 'course', id: '3', url: '/courses/3', lang: 'en', title: 'customs warehouse', body: '' });
      searchIndex.upsert(tx, { kind: 'course', id: 'new', url: '/courses/new', lang: 'en', title: 'logistics seller', body: '' });
    });
    check();
    const before = (await searchIndex.search(db, { q: 'logistics' })).total;
    write(db, (tx) => searchIndex.remove(tx, 'course', 'new'));
    expect((await searchIndex.search(db, { q: 'logistics' })).total).toBe(before - 1);
  });

  it('keeps nothing with SEARCH_POSTINGS_CACHE=0 and still answers the same', async () => {
    write(db, (tx) => docs(200).forEach((d) => searchIndex.upsert(tx, d)));
    const on = await searchIndex.search(db, { q: 'cross border ecommerce' });
    process.env.SEARCH_POSTINGS_CACHE = '0';
    const off = await searchIndex.search(db, { q: 'cross border ecommerce', perPage: 21 });
    expect(off.total).toBe(on.total);
    expect(off.facets).toEqual(on.facets);
    expect(off.hits.slice(0, 20).map((h) => h.id)).toEqual(on.hits.map((h) => h.id));
  });

  it('pages through the ranking without gaps or repeats, ties in a stable order', async () => {
    write(db, (tx) => docs(400).forEach((d) => searchIndex.upsert(tx, d)));
    const q = 'logistics warehouse';
    const all = await searchIndex.search(db, { q, perPage: 50, page: 1 });
    const next = await searchIndex.search(db, { q, perPage: 50, page: 2 });
    const ids = [...all.hits, ...next.hits].map((h) => h.id);
    const paged: string[] = [];
    for (let page = 1; page <= 10; page++) paged.push(...(await searchIndex.search(db, { q, perPage: 10, page })).hits.map((h) => h.id));
    expect(paged).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const scores = [...all.hits, ...next.hits].map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('ranking within a tier', () => {
  let db: ReturnType<typeof testDb>;
  beforeEach(() => {
    db = testDb();
  });
  afterEach(() => db.cleanup());
  const course = (id: string, title: string, summary = ''): SearchDocument => ({ kind: 'course', id, url: `/courses/${id}`, lang: 'en', title, summary, body: '' });

  it('puts a short title above a long one holding the same words (BM25 length normalization)', async () => {
    write(db, (tx) => {
      searchIndex.upsert(tx, course('long', 'Warehouse operations for sellers who ship parcels across many borders every week'));
      searchIndex.upsert(tx, course('short', 'Warehouse operations'));
      for (let i = 0; i < 20; i++) searchIndex.upsert(tx, course(`o${i}`, `Other course ${i}`));
    });
    expect((await searchIndex.search(db, { q: 'warehouse operations' })).hits.map((h) => h.id)).toEqual(['short', 'long']);
  });

  it('weighs a rare word above a common one', async () => {
    write(db, (tx) => {
      for (let i = 0; i < 30; i++) searchIndex.upsert(tx, course(`c${i}`, `Clearance topic ${i}`));
      searchIndex.upsert(tx, course('common', 'Clearance desk'));
      searchIndex.upsert(tx, course('rare', 'Clearing house'));
    });
    // "clea" matches both words as a prefix; the titles are equally long
    const hits = (await searchIndex.search(db, { q: 'clea' })).hits.map((h) => h.id);
    expect(hits.slice(0, 2)).toEqual(['rare', 'common']);
  });
});
