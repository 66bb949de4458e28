/**
 * The HTTP server (src/cli/serve.mjs): the build's static files from a list made at start,
 * everything else to Astro, and no request answered with a 500 for its address alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('static files', () => {
  it('serves the hashed stylesheet a page links to, cached for good, and answers a revalidation with 304', async () => {
    const page = await (await fetch(`${server.url}/en/search`)).text();
    const href = page.match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    expect(href, 'a page links a built stylesheet').toBeTruthy();
    const res = await fetch(server.url + href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await res.text()).length).toBeGreaterThan(100);
    // (fetch adds `cache-control: no-cache` to a conditional request unless one is given)
    const again = await fetch(server.url + href, { headers: { 'if-none-match': res.headers.get('etag')!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
    const head = await fetch(server.url + href, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('serves public/ files such as the favicon', async () => {
    const res = await fetch(`${server.url}/favicon.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  });
});

describe('everything else', () => {
  it('goes to the portal: an unknown address gets its 404 page, with the security headers', async () => {
    const res = await fetch(`${server.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the list, however the path is spelled', async () => {
    for (const p of ['/_astro/../../server/entry.mjs', '/%2e%2e/server/entry.mjs', '/../package.json', '/.build-hash']) {
      const res = await fetch(server.url + p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
      expect(await res.text(), p).not.toMatch(/import |"dependencies"/);
    }
  });

  it('answers an address that is not valid UTF-8 with 400', async () => {
    const res = await fetch(`${server.url}/search?q=%E0%A4%A`);
    expect(res.status).toBe(400);
  });
});
