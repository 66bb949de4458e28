/**
 * A process whose index generation is behind catches up by patching its in-memory index (facet
 * table, held term postings, vocabulary) for the documents search_changes lists, instead of
 * reading everything again. Whatever it patched must answer exactly as a process that read
 * everything afresh, and match FTS5's own postings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, write, type Db } from '../db/client';
import type { SessionUser } from '../src/lib/auth/sessions';
import { fts5Index, searchFts } from '../src/lib/search/fts5';
import { Postings, postingsOf, type Field } from '../src/lib/search/postings';
import { createSynonymGroup } from '../src/lib/search/synonyms';
import type { SearchDocument, SearchQuery } from '../src/lib/search/types';
import { indexCache, type FacetTable } from '../src/lib/search/vocabulary';
import { testDb } from './helpers/db';

let seed = 11;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const words = (xs: readonly string[], n: number) => Array.from({ length: n }, () => pick(xs)).join(' ');

const EN = ['customs', 'clearance', 'warehouse', 'logistics', 'bonded', 'e-commerce', 'cross-border', 'payment', 'training', 'courses', 'Café', 'Zürich', 'naïve', 'export', 'rules', 'live', 'streaming', 'parcel', 'tax', 'refund'] as const;
const ZH = ['跨境电商', '海外仓', '物流', '人才培训', '直播带货', '保税', '进口', '知识产权', '支付', '清关'] as const;
const KINDS = ['course', 'project', 'finding', 'standard', 'organization', 'policy'] as const;

function randomDoc(id: string): SearchDocument {
  const zh = rand() < 0.4;
  return {
    kind: pick(KINDS),
    id,
    url: `/x/${id}`,
    lang: zh ? 'zh-cn' : 'en',
    title: zh ? words(ZH, 2) : words(EN, 3),
    titleZh: rand() < 0.3 ? words(ZH, 1) : null,
    summary: rand() < 0.5 ? words(EN, 6) : words(ZH, 4),
    body: `${words(EN, 15)} ${words(ZH, 8)}`,
    organizationName: rand() < 0.5 ? `${pick(EN)} institute` : undefined,
    organizationType: rand() < 0.5 ? pick(['university', 'company', 'ngo']) : undefined,
    year: rand() < 0.8 ? 2020 + Math.floor(rand() * 7) : undefined,
    tags: rand() < 0.3 ? [pick(EN), pick(ZH)] : [],
  };
}

const QUERIES: SearchQuery[] = [
  { q: 'customs clearance' },
  { q: 'warehouse', perPage: 50 },
  { q: 'ecommerce' },
  { q: 'cross border', kinds: ['course', 'project'] },
  { q: 'cafe' },
  { q: 'zurich naive' },
  { q: 'logisitcs' },
  { q: 'train' },
  { q: '跨境电商', perPage: 50 },
  { q: '物流 清关' },
  { q: '直播', years: [2023, 2024] },
  { q: 'institute', organizationTypes: ['university'] },
  { q: 'tax refund', languages: ['zh-cn'] },
  { q: 'export', page: 2, perPage: 5 },
];
/** Every word a document can hold, as the index spells it, for comparing postings. */
const TERMS = ['custom', 'customs', 'clearanc', 'clearance', 'warehous', 'warehouse', 'ecommerc', 'ecommerce', 'e', 'commerc', 'cross', 'border', 'crossbord', 'crossborder', 'cafe', 'zurich', 'naiv', 'naive', 'export', 'institut', 'institute', '跨境', '电商', '跨境电商', '物流', '海外仓', '清关', '直播', '直播带货', '保税', 'zzz'];
const FIELDS: Field[] = ['all', 'title', 'summary', 'head'];

const answers = (db: Db) =>
  QUERIES.map((q) => {
    const r = searchFts(db, q);
    return { total: r.total, facets: r.facets, hits: r.hits.map((h) => [h.type, h.id, h.snippet, h.titleHtml]) };
  });

/** Each document's facet values and lengths, decoded (codes may differ between tables). */
function decoded(t: FacetTable) {
  const out: Record<number, unknown> = {};
  for (let r = 0; r < t.size; r++) {
    if (!t.kind[r]) continue;
    const langs = t.names.language.filter((_, c) => c > 0 && t.languages[r]! & (1 << c));
    out[r] = [t.names.kind[t.kind[r]!], t.names.organizationType[t.organizationType[r]!], t.names.year[t.year[r]!], langs, t.titleBytes[r], t.summaryBytes[r]];
  }
  return { docs: t.docs, averageTitleBytes: t.averageTitleBytes, averageSummaryBytes: t.averageSummaryBytes, rows: out };
}

let db: ReturnType<typeof testDb>;
let other: Db;
const setting = process.env.SEARCH_RESULT_CACHE;
beforeEach(() => {
  db = testDb();
  other = openDatabase(db.$client.name, { migrate: false }); // another server process, say
  process.env.SEARCH_RESULT_CACHE = '0';
});
afterEach(() => {
  other.$client.close();
  db.cleanup();
  if (setting === undefined) delete process.env.SEARCH_RESULT_CACHE;
  else process.env.SEARCH_RESULT_CACHE = setting;
});

describe('catching up with writes from another process', () => {
  it('patches the index held in memory and answers as a process reading it all afresh', () => {
    let next = 0;
    const kinds = new Map<string, SearchDocument['kind']>(); // of the documents in the index
    const upsert = (tx: Parameters<typeof fts5Index.upsert>[0], doc: SearchDocument) => {
      fts5Index.remove(tx, kinds.get(doc.id) ?? doc.kind, doc.id); // (a document keeps its kind)
      fts5Index.upsert(tx, doc);
      kinds.set(doc.id, doc.kind);
    };
    write(db, (tx) => {
      for (; next < 150; next++) upsert(tx, randomDoc(`d${next}`));
    });
    answers(db); // holds postings for the queries' words
    const held = postingsOf(db, indexCache(db));
    for (const term of TERMS) for (const field of FIELDS) held.get(term, field);
    const { terms: vocabulary, synonyms } = indexCache(db);

    for (let round = 0; round < 25; round++) {
      write(other, (tx) => {
        for (let op = 0, ops = 1 + Math.floor(rand() * 4); op < ops; op++) {
          const roll = rand();
          const existing = [...kinds.keys()];
          if (roll < 0.35 || !existing.length) upsert(tx, randomDoc(`d${next++}`));
          else if (roll < 0.75) upsert(tx, { ...randomDoc(pick(existing)), kind: kinds.get(pick(existing))! });
          else {
            const id = pick(existing);
            fts5Index.remove(tx, kinds.get(id)!, id);
            kinds.delete(id);
          }
        }
        if (round === 7) upsert(tx, { ...randomDoc('new-words'), title: 'Zzz quokka logistics 跨境电商' });
      });

      const patched = indexCache(db);
      // carried over, not read again (a reload reads the synonyms anew)
      expect(patched.synonyms).toBe(synonyms);
      expect(patched.terms).toBe(vocabulary);
      const fresh = openDatabase(db.$client.name, { migrate: false });
      try {
        expect(answers(db), `round ${round}`).toEqual(answers(fresh));
        expect(decoded(patched.facets)).toEqual(decoded(indexCache(fresh).facets));
        const postings = postingsOf(db, patched);
        for (const term of TERMS) {
          for (const field of FIELDS) {
            expect([...postings.get(term, field)], `${field}:${term}, round ${round}`).toEqual([...new Postings(fresh).get(term, field)]);
          }
        }
      } finally {
        fresh.$client.close();
      }
    }
    expect(searchFts(db, { q: 'quokka' }).total, 'a word new to the index').toBe(1);
    expect(searchFts(db, { q: 'quok' }).total, 'and as a prefix, from the extended vocabulary').toBe(1);
  });

  it('reads everything again when the log cannot say what changed: a synonym edit', () => {
    write(db, (tx) => {
      fts5Index.upsert(tx, { kind: 'course', id: 'a', url: '/a', lang: 'en', title: 'Parcel forwarding basics' });
      fts5Index.upsert(tx, { kind: 'course', id: 'b', url: '/b', lang: 'en', title: 'Freight consolidation' });
    });
    expect(searchFts(db, { q: 'parcel' }).total).toBe(1);
    const before = indexCache(db);
    const id = 'admin-1';
    db.$client.prepare(`INSERT INTO users (id, email, display_name, password_hash, locale, created_at) VALUES (?, 'admin@example.com', 'A', 'x', 'en', ?)`).run(id, Date.now());
    createSynonymGroup(other, { id, roles: ['admin'] } as unknown as SessionUser, ['parcel', 'freight']);
    const after = indexCache(db);
    expect(after.synonyms).not.toBe(before.synonyms);
    expect(searchFts(db, { q: 'parcel' }).total).toBe(2);
  });

  it('reads everything again after a bulk load (more than 1,000 documents at once)', () => {
    write(db, (tx) => fts5Index.upsert(tx, randomDoc('first')));
    answers(db);
    const before = indexCache(db);
    write(other, (tx) => {
      for (let i = 0; i < 1001; i++) fts5Index.upsert(tx, randomDoc(`bulk${i}`));
    });
    expect(indexCache(db).synonyms).not.toBe(before.synonyms);
    const fresh = openDatabase(db.$client.name, { migrate: false });
    try {
      expect(answers(db)).toEqual(answers(fresh));
    } finally {
      fresh.$client.close();
    }
  });
});
