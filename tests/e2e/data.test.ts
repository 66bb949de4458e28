/**
 * The open-data pages (issue 18) in a real Chromium at 360 px and 1280 px, Chinese and English:
 * axe finds nothing, the page does not scroll sideways, every chart is an image with a name, and
 * withheld cells read "< 10".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedSettlementCases } from '../data.fixtures';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

if (!hasChromium) console.warn(`data browser test skipped: ${noChromiumReason}`);

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer();
  seedSettlementCases(server.db);
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PAGES = ['/data', '/data/talent', '/data/research', '/data/standards', '/data/settlement', '/data/organizations', '/data/datasets/settlement-outcome-rates', '/data/datasets/research-trade-corridors'];

describe.skipIf(!hasChromium)('open data in the browser', () => {
  for (const prefix of ['', '/en']) {
    it(`${prefix || '/'}: accessible and without sideways scroll at 360 px and 1280 px`, async () => {
      const context = await newContext(browser, server.url, prefix ? 'en-GB' : 'zh-CN');
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of PAGES) {
          const url = `${prefix}${path}`;
          const res = await page.goto(url);
          expect(res?.status(), url).toBe(200);
          expect(await axeViolations(page), `${url} at ${width}`).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${url} fits ${width} px`).toBeLessThanOrEqual(width);
          expect(await page.locator('h1').count()).toBe(1);
        }
      }
      await page.goto(`${prefix}/data/settlement`);
      const charts = page.getByRole('img');
      expect(await charts.count()).toBe(3);
      const name = await charts.first().evaluate((svg) => svg.getAttribute('aria-labelledby')!.split(' ').map((id) => document.getElementById(id)!.textContent).join(' '));
      expect(name).toContain(prefix ? 'Settlement applications by route and state' : '各落户渠道按状态统计的申请数');
      // the charts are wide enough to read at 360 px: they fill the column rather than shrinking
      await page.setViewportSize({ width: 360, height: 900 });
      expect((await charts.first().boundingBox())!.width).toBeGreaterThan(300);
      const rates = page.getByTestId('dataset-settlement-outcome-rates');
      const small = rates.getByRole('row', { name: prefix ? 'Overseas returnee entrepreneur' : '留学回国人员创业' });
      expect(await small.getByRole('cell').allTextContents()).toEqual(['< 10', '< 10', '< 10']);
      expect(scripts).toEqual([]); // no client JS
      await context.close();
    });
  }
});
