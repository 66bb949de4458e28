import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ SITE_URL: 'https://portal.example.cn/' });
});
afterAll(() => server?.stop());

it('uses SITE_URL, not the Host header, for links that leave the page', async () => {
  await server.api.signUp('mail@example.com');
  const res = await fetch(`${server.url}/forgot-password?_action=accounts.requestReset`, {
    method: 'POST',
    headers: { origin: 'https://portal.example.cn', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=mail%40example.com',
    redirect: 'manual',
  });
  expect(res.status).toBeLessThan(400);
  const mail = server.db.$client.prepare("SELECT body FROM email_outbox WHERE to_address = 'mail@example.com' ORDER BY id DESC").pluck().get() as string;
  expect(mail).toContain('https://portal.example.cn/reset-password?token=');
  expect(mail).not.toContain('127.0.0.1');

  const robots = await (await fetch(`${server.url}/robots.txt`)).text();
  expect(robots).toContain('Sitemap: https://portal.example.cn/sitemap.xml');
  const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
  expect(sitemap).toContain('<loc>https://portal.example.cn/courses</loc>');
});
