/** Search over HTTP against the real server: lifecycle, facets, pagination, hostile queries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSearch } from '../db/seed/search';
import { startServer, type TestServer } from './helpers/server';
import { FIXTURES, loadFixtures } from './search.fixtures';

let server: TestServer;
let admin: string;
let owner: string;

const search = (params: Record<string, string>) => server.api.get(`/search?${new URLSearchParams(params)}`);
const ids = (body: any) => body.hits.map((h: any) => h.id as string);

beforeAll(async () => {
  server = await startServer();
  admin = await server.api.signUp('admin@example.com');
  owner = await server.api.signUp('owner@example.com');
  const adminId = server.db.$client.prepare(`SELECT id FROM users WHERE email = 'admin@example.com'`).pluck().get();
  server.db.$client.prepare(`INSERT INTO user_roles (user_id, role, created_at) VALUES (?, 'admin', ?)`).run(adminId, Date.now());
  seedSearch(server.db);
  loadFixtures(server.db);
});
afterAll(() => server?.stop());

describe('an organization in search', () => {
  it('appears once verified, follows edits, and disappears when rejected', async () => {
    const created = await server.api.post('/organizations', { name: 'Quokka Freight Academy', nameZh: '袋鼠货运学院', type: 'training_agency', descriptionMd: 'We teach **marmalade** logistics.' }, owner);
    expect(created.status).toBe(201);
    const slug = created.body.slug;

    // pending: not public, so not searchable, not even by prefix or typo
    for (const q of ['quokka', 'quok', 'qokka freight', '袋鼠货运', 'marmalade']) {
      const r = await search({ q });
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(0);
      expect(JSON.stringify([r.body.hits, r.body.suggestions])).not.toMatch(/quokka|袋鼠/i);
    }

    expect((await server.api.post(`/organizations/${slug}/verify`, {}, admin)).status).toBe(200);
    const found = await search({ q: 'quokka' });
    expect(found.body.hits[0]).toMatchObject({ type: 'organization', title: 'Quokka Freight Academy', url: `/organizations/${slug}` });
    expect((await search({ q: '袋鼠货运' })).body.hits.map((h: any) => h.title)).toContain('Quokka Freight Academy');
    expect((await search({ q: 'marmalade' })).body.total).toBe(1);

    const edited = await server.api.patch(`/organizations/${slug}`, { descriptionMd: 'We now teach **pineapple** customs.' }, owner);
    expect(edited.status).toBe(200);
    expect((await search({ q: 'pineapple' })).body.hits.map((h: any) => h.title)).toEqual(['Quokka Freight Academy']);
    expect((await search({ q: 'marmalade' })).body.total).toBe(0);

    expect((await server.api.post(`/organizations/${slug}/reject`, { reason: 'Not a real school.' }, admin)).status).toBe(200);
    expect((await search({ q: 'quokka' })).body.total).toBe(0);
    expect((await search({ q: 'pineapple' })).body.total).toBe(0);
  });
});

describe('facets', () => {
  // An oracle independent of the engine: which fixtures mention logistics (logistics ↔ 物流 are synonyms).
  const mentions = FIXTURES.filter((d) => /logistic|物流/i.test([d.title, d.titleZh, d.summary, d.body, d.organizationName].join(' ')));
  const countBy = (docs: typeof FIXTURES, key: (d: (typeof FIXTURES)[number]) => string | number | null | undefined) => {
    const out: Record<string, number> = {};
    for (const d of docs) {
      const k = key(d);
      if (k !== null && k !== undefined) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };

  it('counts every document that matches, by type, organization type and year', async () => {
    const r = await search({ q: 'logistics' });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(mentions.length);
    expect(r.body.facets.type).toEqual(countBy(mentions, (d) => d.kind));
    expect(r.body.facets.organizationType).toEqual(countBy(mentions, (d) => d.organizationType));
    expect(r.body.facets.year).toEqual(countBy(mentions, (d) => d.year));
  });

  it('combines: values of one facet widen (OR), different facets narrow (AND); a facet keeps its own other values', async () => {
    const r = await search({ q: 'logistics', type: 'course,project' });
    const wanted = mentions.filter((d) => d.kind === 'course' || d.kind === 'project');
    expect(r.body.total).toBe(wanted.length);
    expect(new Set(r.body.hits.map((h: any) => h.type))).toEqual(new Set(['course', 'project']));
    expect(r.body.facets.type).toEqual(countBy(mentions, (d) => d.kind));
    expect(r.body.facets.year).toEqual(countBy(wanted, (d) => d.year));

    const narrowed = await search({ q: 'logistics', type: 'course,project', year: '2026' });
    const both = wanted.filter((d) => d.year === 2026);
    expect(narrowed.body.total).toBe(both.length);
    expect(narrowed.body.hits.every((h: any) => ['course', 'project'].includes(h.type))).toBe(true);
  });

  it('filters by content language', async () => {
    const en = await search({ q: 'logistics', lang: 'en' });
    expect(en.body.total).toBeGreaterThan(0);
    expect(en.body.hits.every((h: any) => h.lang === 'en' || h.lang === 'mul')).toBe(true);
    expect(en.body.total + (await search({ q: 'logistics', lang: 'zh-cn' })).body.total).toBeGreaterThanOrEqual(mentions.length);
  });
});

describe('pagination', () => {
  it('pages through the same total without repeating a hit', async () => {
    const p1 = await search({ q: '跨境', perPage: '3', page: '1' });
    const p2 = await search({ q: '跨境', perPage: '3', page: '2' });
    expect(p1.body.total).toBeGreaterThan(6);
    expect(p2.body.total).toBe(p1.body.total);
    expect(p1.body.hits).toHaveLength(3);
    expect(ids(p1.body).filter((id: string) => ids(p2.body).includes(id))).toEqual([]);
  });

  it('refuses impossible pages with a message', async () => {
    for (const params of [{ q: 'x', page: '0' }, { q: 'x', page: 'abc' }, { q: 'x', perPage: '1000' }, { q: 'x', type: 'secret' }] as Record<string, string>[]) {
      const r = await search(params);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBeTruthy();
    }
  });
});

describe('answers', () => {
  it('shows matched words in <mark> and escapes everything else', async () => {
    const r = await search({ q: 'overseas warehouse' });
    expect(r.body.hits[0].snippet).toMatch(/<mark>/);
    expect(r.body.hits[0].snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(typeof r.body.tookMs).toBe('number');
  });

  it('suggests the nearest terms when nothing matches', async () => {
    const r = await search({ q: 'logxzztics' });
    expect(r.body.total).toBe(0);
    expect(r.body.suggestions).toContain('logistics');
  });

  it('completes what is being typed', async () => {
    const r = await server.api.get('/search/suggest?q=logi');
    expect(r.status).toBe(200);
    expect(r.body.suggestions).toContain('logistics');
    const zh = await server.api.get(`/search/suggest?q=${encodeURIComponent('跨境电')}`);
    expect(zh.body.suggestions).toContain('跨境电商');
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await server.api.get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/search', '/search/suggest', '/health']));
  });
});

describe('hostile queries', () => {
  const HOSTILE = [
    '"', '""', '"unbalanced', '*', '**', 'NEAR(', 'NEAR(a b', 'title:', 'title:secret', '-', '- -', '^', '(', ')', 'a OR', 'AND', 'NOT NOT',
    'logistics"* OR "', "'; DROP TABLE search_documents; --", '1=1 UNION SELECT * FROM users', '\u0000\u0001\u0007', '\u202e\u200b',
    'x'.repeat(500), '跨境'.repeat(200), '{"$ne":null}', '<script>alert(1)</script>', '%', '\\', 'a'.repeat(60) + ' ' + 'b*'.repeat(50),
  ];

  it.each(HOSTILE.map((q) => [q.slice(0, 40), q]))('%s → 200 or 400, never 500', async (_label, q) => {
    const r = await search({ q });
    expect([200, 400]).toContain(r.status);
    if (r.status === 400) expect(r.body.error.message).toBeTruthy();
    else expect(Array.isArray(r.body.hits)).toBe(true);
    const s = await server.api.get(`/search/suggest?q=${encodeURIComponent(q)}`);
    expect([200, 400]).toContain(s.status);
  });

  it('answers a 1,000-character query with a message, quickly', async () => {
    const started = Date.now();
    const r = await search({ q: 'logistics '.repeat(100) });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.q).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never reveals a pending organization, whatever the query', async () => {
    const created = await server.api.post('/organizations', { name: 'Zebulon Hidden Traders', type: 'company', descriptionMd: 'secretword' }, owner);
    expect(created.status).toBe(201);
    for (const q of ['zebulon', 'zebulo', 'zebulonn', 'secretword', 'hidden traders', '*', 'title:zebulon', 'NEAR(zebulon']) {
      const r = await search({ q });
      expect(JSON.stringify([r.body.hits, r.body.suggestions, r.body.facets])).not.toMatch(/zebulon|secretword/i);
      const s = await server.api.get(`/search/suggest?q=${encodeURIComponent(q)}`);
      expect(JSON.stringify(s.body.suggestions ?? [])).not.toMatch(/zebulon|secretword/i);
    }
  });
});
