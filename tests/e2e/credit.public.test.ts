/**
 * axe-core on the public credit pages (the directory, verification pages in each kind of state,
 * the verify form's 404, a company's profile) on a phone (360 px) in Chinese and English: zero
 * violations, one h1, and nothing wider than the screen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { activeScheme, publicCertificate } from '../helpers/credit';
import { axeViolations, hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

describe.skipIf(!hasChromium)('the public credit pages on a phone', () => {
  let server: TestServer;
  let browser: Browser;
  const numbers: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/health'); // the server migrates its database on first use
    await seed(server.db);
    const { schemeId } = activeScheme(server);
    numbers.push(publicCertificate(server, { entitySlug: 'hongqiao-silk-road-trading', schemeId, scores: { i1: 36, i2: 30, i3: 20 }, grade: 'A' }).number);
    numbers.push(publicCertificate(server, { entitySlug: 'pujiang-bridge-logistics', schemeId, scores: { i1: 30, i2: 25, i3: 18 }, state: 'suspended', reason: 'Surveillance audit missed' }).number);
    numbers.push(publicCertificate(server, { entitySlug: 'lingang-digital-goods', schemeId, scores: { i1: 20, i2: 20, i3: 10 }, state: 'withdrawn', reason: 'Six months suspended' }).number);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has no axe violations at 360 px, in Chinese and English', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    const found: Record<string, unknown> = {};
    const paths = ['/credit', '/credit?status=suspended', ...numbers.map((n) => `/credit/${n}`), '/credit/companies/hongqiao-silk-road-trading'];
    for (const p of paths.flatMap((p) => [p, `/en${p}`])) {
      const res = await page.goto(p);
      expect(res?.status(), p).toBe(200);
      expect(await page.locator('h1').count(), `one h1 on ${p}`).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${p} fits the phone`).toBeLessThanOrEqual(360);
      const violations = await axeViolations(page);
      if (violations.length) found[p] = violations;
    }
    for (const p of ['/credit/SCBEA-XY-2026-99999', '/en/credit/verify?number=nope']) {
      expect((await page.goto(p))?.status(), p).toBe(404);
      const violations = await axeViolations(page);
      if (violations.length) found[p] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  }, 300_000);

  it('shows the badge and the QR code on the verification page, and the verify form leads to it', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    await page.goto('/en/credit/verify');
    await page.getByLabel('Certificate number').fill(numbers[0]!.toLowerCase());
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/en/credit/${numbers[0]}`);
    const badge = page.locator('img[src$="badge.svg?lang=en"]');
    await expect.poll(() => badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(200);
    expect(await page.getByRole('img', { name: `QR code of the verification page of certificate ${numbers[0]}` }).count()).toBe(1);
    await context.close();
  }, 120_000);
});
