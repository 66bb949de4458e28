/**
 * Every public page type is one the anonymous page cache (src/lib/http/page-cache.ts) can keep:
 * asked twice in the same state of the database, the second answer comes from the cache
 * (`x-page-cache: hit`, reported with PAGE_CACHE_REPORT=1). A page that wrote to the database
 * while being made, set a cookie or answered other than 200 would say `not kept: <why>` instead,
 * and would be made again for every reader (issue 17: the pages that stayed slow).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCertificates, organizations, researchFindings, researchFindingVersions, standards, standardVersions } from '../db/schema';
import { seed } from '../db/seed';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  // a long lifetime: the second request must find the first's answer however busy the machine is
  server = await startServer({ PAGE_CACHE_REPORT: '1', PAGE_CACHE_TTL_MS: '600000' });
  await server.api.get('/health'); // the server migrates its database on first use
  await seed(server.db);
  // The first search on a connection brings an index built by an older analyzer up to date (a
  // write, once per database: src/lib/search/fts5.ts ensureCurrentIndex), as on any fresh install.
  await fetch(`${server.url}/api/v1/search?q=warmup`);
}, 180_000);
afterAll(() => server?.stop());

/** Headers that differ between two sendings of the same answer, whoever sends it. */
const PER_SENDING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'x-page-cache']);
const lasting = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => !PER_SENDING.has(name)));

/**
 * What the cache did with each of two requests for `path`, as an anonymous browser asks (language
 * cookie already set). The second, served from the cache by src/cli/serve.mjs without Astro, must be
 * the first one's answer byte for byte, with the same headers (security headers and CSP included).
 */
async function twice(path: string) {
  const said: string[] = [];
  const sent: { body: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(server.url + path, { headers: { accept: 'text/html', cookie: 'portal_lang_seen=seen' } });
    expect(res.status, path).toBe(200);
    sent.push({ body: await res.text(), headers: lasting(res) });
    said.push(res.headers.get('x-page-cache') ?? '(none)');
  }
  expect(sent[1], path).toEqual(sent[0]);
  return said;
}

function addresses() {
  const db = server.db;
  const inComment = db.select({ id: standards.id }).from(standards).where(eq(standards.state, 'public_comment')).get()!.id;
  // a second version written directly, so the comparison of versions has two to compare
  const revised = db.select({ id: standards.id }).from(standards).where(eq(standards.state, 'published')).get()!.id;
  const [first] = db.select().from(standardVersions).where(eq(standardVersions.standardId, revised)).orderBy(desc(standardVersions.number)).all();
  db.insert(standardVersions).values({ standardId: revised, number: first!.number + 1, bodyMd: `${first!.bodyMd}\n\nA revised closing sentence.`, note: 'Revised.' }).run();
  const diff = `from=${first!.number}&to=${first!.number + 1}`;
  const finding = db
    .select({ id: researchFindingVersions.findingId })
    .from(researchFindingVersions)
    .innerJoin(researchFindings, eq(researchFindings.id, researchFindingVersions.findingId))
    .where(and(eq(researchFindings.status, 'published'), eq(researchFindings.access, 'open')))
    .groupBy(researchFindingVersions.findingId)
    .having(sql`count(*) >= 2`)
    .get()!.id;
  const org = db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).get()!.slug;
  const certificate = db.select({ number: creditCertificates.number }).from(creditCertificates).where(eq(creditCertificates.state, 'active')).orderBy(desc(creditCertificates.id)).get()!.number;
  return [
    `/standards/${inComment}`,
    `/en/standards/${inComment}`,
    `/standards/${inComment}/resolution`,
    `/en/standards/${revised}/diff?${diff}`,
    `/research/findings/${finding}`,
    `/en/research/findings/${finding}?v=1`,
    `/research/findings/${finding}?from=1&to=2`,
    `/api/v1/research/findings/${finding}`,
    `/api/v1/research/findings/${finding}/diff?from=1&to=2`,
    `/organizations/${org}`,
    `/en/organizations/${org}`,
    '/search?q=logistics',
    '/en/search?q=%E8%B7%A8%E5%A2%83',
    '/settlement/estimate',
    '/en/settlement/estimate',
    '/api/v1/courses',
    '/credit',
    '/en/credit',
    `/credit/${certificate}`,
    `/en/credit/${certificate}`,
  ];
}

describe('anonymous page cache keeps every public page type', () => {
  it('serves the second request for each slow page type from the cache (the credit pages included)', async () => {
    const outcome: Record<string, string> = {};
    for (const path of addresses()) outcome[path] = (await twice(path))[1]!;
    expect(outcome).toEqual(Object.fromEntries(Object.keys(outcome).map((p) => [p, 'hit'])));
  });

  it('still sends a browser’s first visit to a kept Chinese page to the English one when it prefers English', async () => {
    expect((await twice('/courses'))[1]).toBe('hit');
    const first = await fetch(`${server.url}/courses`, { headers: { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' }, redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/en/courses');
    expect(first.headers.get('set-cookie')).toContain('portal_lang_seen=');
  });

  it('never serves the kept copy to a request with a session cookie or a bearer token', async () => {
    expect((await twice('/en/courses'))[1]).toBe('hit');
    const withSession = await fetch(`${server.url}/en/courses`, { headers: { cookie: 'portal_lang_seen=seen; portal_session=not-a-session' } });
    expect(withSession.headers.get('x-page-cache')).toMatch(/^not kept/);
    const withBearer = await fetch(`${server.url}/en/courses`, { headers: { authorization: 'Bearer 0123456789abcdef' } });
    expect(withBearer.headers.get('x-page-cache')).toMatch(/^not kept/);
  });
});

describe('a kept answer past half its lifetime', () => {
  let short: TestServer;
  const ask = async (path: string) => {
    const res = await fetch(short.url + path);
    expect(res.status).toBe(200);
    return { html: await res.text(), cache: res.headers.get('x-page-cache') };
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  beforeAll(async () => {
    short = await startServer({ PAGE_CACHE_REPORT: '1', PAGE_CACHE_TTL_MS: '3000' });
    await short.api.get('/health');
    await seed(short.db);
  }, 180_000);
  afterAll(() => short?.stop());

  it('is renewed by one request while the others are still served it, and is never served past its lifetime', async () => {
    const page = '/en/organizations/hongqiao-silk-road-trading';
    expect((await ask(page)).cache).toBe('kept');
    expect((await ask(page)).cache).toBe('hit');
    await sleep(1600);
    const together = await Promise.all(Array.from({ length: 6 }, () => ask(page)));
    expect(together.map((a) => a.cache).sort()).toEqual(['hit', 'hit', 'hit', 'hit', 'hit', 'renewed']);
    expect(new Set(together.map((a) => a.html)).size).toBe(1);
    // nobody asks for longer than the lifetime: the kept answer ends, it is made again
    await sleep(3100);
    expect((await ask(page)).cache).toBe('kept');
  });

  it('still shows a write on the very next request while an answer is being renewed', async () => {
    const page = '/en/organizations/lingang-digital-goods';
    await ask(page);
    await sleep(1600);
    const renewal = ask(page);
    short.db.update(organizations).set({ descriptionMd: 'Written during a renewal.' }).where(eq(organizations.slug, 'lingang-digital-goods')).run();
    await renewal;
    expect((await ask(page)).html).toContain('Written during a renewal.');
  });
});

/**
 * A kept answer with an ETag (the open-data API's) is answered 304 when If-None-Match names it, by
 * src/cli/serve.mjs from the cache (`x-page-cache: hit`) and by the middleware when the answer is made
 * (`kept`): the same ETag and cache headers as the full answer, and no body.
 */
describe('conditional requests for kept answers', () => {
  const dataset = '/api/v1/data/organizations-by-type';
  const get = (path: string, ifNoneMatch?: string) => fetch(server.url + path, { headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });
  /** The headers that say how the answer may be kept and revalidated, which a 304 must repeat. */
  const validators = (res: Response) => Object.fromEntries(['etag', 'cache-control', 'last-modified', 'access-control-allow-origin', 'content-security-policy', 'x-content-type-options'].map((h) => [h, res.headers.get(h)]));

  it('answers 304 with the same ETag and cache headers and no body, from the cache and through the middleware', async () => {
    await get(dataset);
    const full = await get(dataset);
    expect(full.headers.get('x-page-cache')).toBe('hit');
    const etag = full.headers.get('etag')!;
    expect(etag).toMatch(/^"organizations-by-type-api-[0-9a-z]+"$/);
    const body = await full.text();
    expect(body.length).toBeGreaterThan(0);

    const direct = await get(dataset, etag);
    expect(direct.status).toBe(304);
    expect(direct.headers.get('x-page-cache')).toBe('hit');
    expect(validators(direct)).toEqual(validators(full));
    expect(direct.headers.get('content-type')).toBeNull();
    expect(await direct.text()).toBe('');

    // an address not kept yet: made by Astro, and the middleware answers 304 (weak comparison: W/ matches)
    const fresh = `${dataset}?first=revalidation`;
    const made = await get(fresh, `W/${etag}`);
    expect(made.headers.get('x-page-cache')).toBe('kept');
    expect(made.status).toBe(304);
    expect(validators(made)).toEqual(validators(full));
    expect(await made.text()).toBe('');
    // …and what it kept is the full answer, for readers without the tag
    const after = await get(fresh);
    expect(after.headers.get('x-page-cache')).toBe('hit');
    expect([after.status, await after.text()]).toEqual([200, body]);
  });

  it('matches a tag among several, weak or strong, and `*`; answers in full when none matches', async () => {
    await get(dataset);
    const etag = (await get(dataset)).headers.get('etag')!;
    for (const header of [`"elsewhere", ${etag}`, `W/"elsewhere",W/${etag}`, `W/${etag}`, '*']) {
      const res = await get(dataset, header);
      expect([header, res.status, await res.text()]).toEqual([header, 304, '']);
    }
    for (const header of ['"elsewhere"', `"${etag.slice(1, -1)}x"`, etag.slice(1, -1)]) {
      const res = await get(dataset, header);
      expect([header, res.status, res.headers.get('etag')]).toEqual([header, 200, etag]);
      expect((await res.text()).length).toBeGreaterThan(0);
    }
  });

  it('answers a kept page without an ETag in full, whatever If-None-Match says', async () => {
    const page = '/en/organizations';
    await get(page);
    const res = await fetch(server.url + page, { headers: { 'if-none-match': '*' } });
    expect(res.headers.get('x-page-cache')).toBe('hit');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html');
  });

  it('never answers 304 from a kept answer that a write has ended', async () => {
    await get(dataset);
    const etag = (await get(dataset)).headers.get('etag')!;
    expect((await get(dataset, etag)).status).toBe(304);
    server.db.update(organizations).set({ descriptionMd: 'Changed after the tag was sent.' }).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).run();
    // the figures are kept a minute (RECOMPUTE_MIN_MS), so the tag may still be current: then 304 is right, but it
    // must come from an answer made in the new state of the database, not from the ended one
    const res = await get(dataset, etag);
    expect(res.headers.get('x-page-cache')).not.toBe('hit');
    expect(res.headers.get('etag')).toBe(etag);
  });
});
