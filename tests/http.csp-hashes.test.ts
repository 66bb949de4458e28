/**
 * The pages name, in their Content-Security-Policy, the hash of every inline style they carry,
 * request after request and page after page (the CSP Astro computes per request; issue 17 measured
 * keeping it per build and left it to Astro).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  await server.api.get('/health'); // the server migrates its database on first use
  await seed(server.db);
}, 180_000);
afterAll(() => server?.stop());

/** A page on a connection of its own: a kept-alive one left idle while the database was seeded may be closed as it is reused. */
function get(p: string): Promise<{ status: number; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(server.url + p, { agent: false, headers: { cookie: 'portal_lang_seen=seen' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, csp: String(res.headers['content-security-policy']), body }));
      })
      .on('error', reject);
  });
}

describe('the Content-Security-Policy of a page', () => {
  it('names the hash of every inline style of a page in its CSP, the same on every request', async () => {
    const paths = ['/credit', '/en/credit', '/', '/en/', '/credit', '/'];
    const seen = new Map<string, string>();
    let styles = 0;
    for (const p of paths) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      const csp = res.csp;
      const html = res.body;
      for (const [, css] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) {
        styles++;
        const hash = `'sha256-${createHash('sha256').update(css!).digest('base64')}'`;
        expect(csp, p).toContain(hash);
      }
      if (seen.has(p)) expect(csp, p).toBe(seen.get(p));
      seen.set(p, csp);
    }
    expect(styles).toBeGreaterThan(0); // the pages chosen do inline a style
  });
});
