/**
 * Whole answers kept for anonymous readers (src/lib/http/page-cache.ts) are never stale: a write
 * through this server, or a commit by another connection (another worker, the CLI), shows on the
 * very next request; signed-in readers never get the anonymous copy, nor anyone else's.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, settlementRoutes } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let seller: string;
const page = '/en/organizations/hongqiao-silk-road-trading';
const anonymous = async (p = page) => {
  const res = await fetch(server.url + p);
  expect(res.status).toBe(200);
  return res.text();
};

beforeAll(async () => {
  // A long lifetime, so that only the invalidation can explain a fresh page.
  server = await startServer({ PAGE_CACHE_TTL_MS: '600000' });
  await seed(server.db);
  const login = await server.api.post('/auth/login', { email: 'seller@demo.portal.test', password: DEMO_PASSWORD });
  seller = login.body.token;
});
afterAll(() => server?.stop());

describe('anonymous page cache', () => {
  it('shows a write made through the server on the next anonymous request', async () => {
    await anonymous();
    await anonymous(); // now from the cache
    const edit = await server.api.patch('/organizations/hongqiao-silk-road-trading', { descriptionMd: 'Now **selling** tea through the bonded zone.' }, seller);
    expect(edit.status).toBe(200);
    expect(await anonymous()).toContain('<strong>selling</strong> tea through the bonded zone');
    const api = await (await fetch(`${server.url}/api/v1/organizations/hongqiao-silk-road-trading`)).json();
    expect(api.descriptionMd).toContain('tea through the bonded zone');
  });

  it('shows a commit by another connection (another process) on the next anonymous request', async () => {
    expect(await anonymous()).not.toContain('written by another process');
    server.db.update(organizations).set({ descriptionMd: 'Text written by another process.' }).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).run();
    expect(await anonymous()).toContain('Text written by another process.');
  });

  it('never gives a signed-in reader the anonymous copy, and keeps no signed-in page for others', async () => {
    const before = await anonymous('/en/courses');
    expect(before).not.toContain('Huang Lei');
    const session = await fetch(`${server.url}/en/courses`, { headers: { authorization: `Bearer ${seller}` } });
    const signedIn = await session.text();
    expect(session.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn).toContain('Huang Lei (seller)');
    expect(await anonymous('/en/courses')).toBe(before);
  });

  it('gives requests that arrive together one answer, made after the latest write', async () => {
    await anonymous();
    server.db.update(organizations).set({ descriptionMd: 'Written just before a burst.' }).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).run();
    const burst = await Promise.all(Array.from({ length: 16 }, () => anonymous()));
    for (const html of burst) expect(html).toContain('Written just before a burst.');
    server.db.update(organizations).set({ descriptionMd: 'Written after the burst.' }).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).run();
    const second = await Promise.all(Array.from({ length: 16 }, () => anonymous()));
    for (const html of second) expect(html).toContain('Written after the burst.');
  });

  it('keeps the public settlement reference (routes, rules, the empty estimator) but never an estimate with answers', async () => {
    const routes = async () => {
      const res = await fetch(`${server.url}/api/v1/settlement/routes`);
      expect(res.headers.get('cache-control')).not.toBe('private, no-store');
      return (await res.json()) as { items: { slug: string; name: string }[] };
    };
    const slug = (await routes()).items[0]!.slug;
    server.db.update(settlementRoutes).set({ name: 'Renamed by another process' }).where(eq(settlementRoutes.slug, slug)).run();
    expect((await routes()).items.find((r) => r.slug === slug)!.name).toBe('Renamed by another process');
    expect((await fetch(`${server.url}/api/v1/settlement/rules`)).headers.get('cache-control')).not.toBe('private, no-store');
    expect((await fetch(`${server.url}/en/settlement/estimate`)).headers.get('cache-control')).not.toBe('private, no-store');
    const answered = await fetch(`${server.url}/en/settlement/estimate?age=30&education=master`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('cache-control')).toBe('private, no-store');
    expect((await fetch(`${server.url}/api/v1/settlement/applications`)).headers.get('cache-control')).toBe('private, no-store');
  });
});
