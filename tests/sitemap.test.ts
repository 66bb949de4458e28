import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await seed(server.db);
});
afterAll(() => server?.stop());

describe('sitemap.xml', () => {
  it('lists section pages and public documents in both languages, and nothing private', async () => {
    const res = await fetch(`${server.url}/sitemap.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/xml');
    const xml = await res.text();
    expect(xml).toContain(`<loc>${server.url}/courses</loc>`);
    expect(xml).toContain(`<loc>${server.url}/en/courses</loc>`);
    // A verified demo organization is public; the pending one is not.
    expect(xml).toContain(`${server.url}/organizations/huangpu-university-of-commerce`);
    expect(xml).not.toMatch(/qingpu/i);
    // The seeded course, research project and public standard are all there.
    expect(xml).toMatch(/\/courses\/\d+</);
    expect(xml).toMatch(/\/research\/projects\/\d+</);
    expect(xml).toMatch(/\/standards\/\d+</);
    // Settlement cases never appear; their figures in aggregate (open data) do.
    expect(xml).not.toMatch(/\/settlement\/(applications|cases)/);
    expect(xml).toContain(`<loc>${server.url}/en/data/settlement</loc>`);
    expect(xml).toContain(`<loc>${server.url}/data/datasets/settlement-applications-by-state</loc>`);
    expect(xml).toContain('hreflang="zh-CN"');
  });

  it('robots.txt points at the sitemap and keeps crawlers out of private areas', async () => {
    const text = await (await fetch(`${server.url}/robots.txt`)).text();
    expect(text).toContain(`Sitemap: ${server.url}/sitemap.xml`);
    expect(text).toContain('Disallow: /admin');
    expect(text).toContain('Disallow: /settlement/cases');
  });
});
