/**
 * The HTTP server (src/cli/serve.mjs): the build's static files from a list made at start, the
 * direct routes without Astro's pipeline, everything else to Astro, and no request answered with
 * a 500 for its address alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/cli/serve.mjs';
import { SECURITY_HEADERS } from '../src/lib/http/security-headers';
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

  it('does not ship the benchmarks\' trivial page: /bench-trivial is a 404 in the production build', async () => {
    for (const p of ['/bench-trivial', '/en/bench-trivial']) {
      const res = await fetch(server.url + p);
      expect(res.status, p).toBe(404);
    }
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

describe('direct routes', () => {
  /** Status, body (without the timing) and the headers a client acts on. */
  async function comparable(res: Response) {
    const names = ['content-type', 'cache-control', ...Object.keys(SECURITY_HEADERS)];
    return {
      status: res.status,
      body: (await res.text()).replace(/"tookMs":[\d.]+/, '"tookMs":0'),
      headers: Object.fromEntries(names.map((n) => [n, res.headers.get(n)])),
    };
  }

  it('answer the search API exactly as its Astro route does', async () => {
    const calls = [
      ['/api/v1/search', 'q=cross%20border%20e-commerce&perPage=3'],
      ['/api/v1/search', 'q=%E8%B7%A8%E5%A2%83%E7%94%B5%E5%95%86&type=policy,organization'],
      ['/api/v1/search', 'q=polcy'],
      ['/api/v1/search', 'q=x&page=0'],
      ['/api/v1/search', `q=${'a'.repeat(501)}`],
      ['/api/v1/search', 'q=%22NEAR(%20title:%20-&type=nonsense'],
      ['/api/v1/search/suggest', 'q=cro'],
    ];
    const statuses = new Set<number>();
    for (const [route, query] of calls) {
      // A trailing slash is not in the direct list, so it reaches the Astro route.
      const direct = await comparable(await fetch(`${server.url}${route}?${query}`));
      const astro = await comparable(await fetch(`${server.url}${route}/?${query}`));
      expect(direct, `${route}?${query}`).toEqual(astro);
      statuses.add(direct.status);
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });
});

describe('serve() with a build of its own', () => {
  // A build-shaped folder whose "Astro" handler names what reached it, to check the dispatch alone.
  let dir: string;
  let app: Server;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-serve-'));
    mkdirSync(path.join(dir, 'server'));
    mkdirSync(path.join(dir, 'client'));
    writeFileSync(
      path.join(dir, 'server', 'entry.mjs'),
      [
        'export const handler = async (req, res) => {',
        // what the adapter does when rendering fails: a bare 500
        "  if (req.url === '/adapter-500') { res.statusCode = 500; return res.end('Internal Server Error'); }",
        "  if (req.url === '/rejects') throw new Error('a bug in a page');",
        '  res.end(`astro ${req.method} ${req.url}`);',
        '};',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'server', 'direct-routes.mjs'),
      [
        "export const securityHeaders = { 'x-test': 'secure' };",
        'export function startMailDelivery() {}',
        'export function startEmbargoSchedule() {}',
        'export function startCreditSchedule() {}',
        'export function keptPage() { return null; }',
        'export const routes = {',
        "  '/echo': async (params) => ({ status: 200, body: JSON.stringify(Object.fromEntries(params)), headers: { 'content-type': 'application/json' } }),",
        "  '/gone': async () => ({ status: 204, body: null, headers: {} }),",
        "  '/broken': async () => { throw new Error('a bug in a direct route'); },",
        '};',
      ].join('\n'),
    );
    const port = process.env.PORT;
    process.env.PORT = '0';
    app = await serve(path.join(dir, 'server', 'entry.mjs'));
    process.env.PORT = port;
    url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a GET to a direct route itself, with the security headers and a length', async () => {
    const res = await fetch(`${url}/echo?q=%E8%B7%A8%E5%A2%83+e&page=2#top`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-test')).toBe('secure');
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toEqual({ q: '跨境 e', page: '2' });
    const empty = await fetch(`${url}/gone`);
    expect(empty.status).toBe(204);
  });

  it('hands every other method, address and inherited name to Astro', async () => {
    for (const [method, p] of [
      ['POST', '/echo'],
      ['HEAD', '/echo'],
      ['GET', '/echo/'],
      ['GET', '/constructor'],
      ['GET', '/__proto__'],
      ['GET', '/toString?x=1'],
    ] as const) {
      const res = await fetch(url + p, { method });
      expect(res.status, `${method} ${p}`).toBe(200);
      if (method !== 'HEAD') expect(await res.text(), `${method} ${p}`).toBe(`astro ${method} ${p}`);
    }
  });

  it('puts the security headers on the adapter’s bare 500 and answers a handler that fails with a 500', async () => {
    for (const p of ['/adapter-500', '/rejects']) {
      const res = await fetch(url + p);
      expect(res.status, p).toBe(500);
      expect(res.headers.get('x-test'), p).toBe('secure');
    }
    expect((await fetch(`${url}/echo?a=1`)).status).toBe(200);
  });

  it('answers a direct route that throws with a 500 and goes on serving', async () => {
    const res = await fetch(`${url}/broken`);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-test')).toBe('secure');
    expect(await res.text()).toBe('Internal Server Error');
    expect((await fetch(`${url}/echo?a=1`)).status).toBe(200);
  });
});
