/**
 * The credit scheme pages in Chromium with axe: the public scheme page, and the body's workspace
 * (list, create form with a clause that does not parse, confirmation, roles and conflicts), in
 * Chinese and English, on a desktop and a phone. Zero violations, and the create form works
 * without script from choosing the standard to activation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { seededScheme } from '../../db/seed/credit';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;
let token: string;
let schemeId: number;

beforeAll(async () => {
  server = await startServer();
  await seed(server.db);
  token = (await server.api.post('/auth/login', { email: 'standards@demo.portal.test', password: DEMO_PASSWORD })).body.token;
  schemeId = seededScheme(server.db)!.id;
  if (hasChromium) browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasChromium)('credit scheme pages', () => {
  it('have no axe violations in either language, on a desktop and a phone', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    const page = await context.newPage();
    const check = async (path: string) => {
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        const res = await page.goto(path);
        expect(res?.status(), path).toBeLessThan(500);
        expect(await axeViolations(page), `${path} at ${width}px`).toEqual([]);
      }
    };
    for (const prefix of ['', '/en']) {
      await check(`${prefix}/credit/schemes/${schemeId}`);
      await check(`${prefix}/credit/manage/schemes`);
      await check(`${prefix}/credit/manage/schemes/roles`);
      await check(`${prefix}/credit/manage/schemes/${schemeId}`);
    }
    await context.close();
  }, 240_000);

  it('lets a body editor create and activate a scheme without script', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    const page = await context.newPage();

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/en/credit/manage/schemes');
    await page.getByRole('link', { name: 'New credit scheme' }).click();
    await page.getByLabel('Indicator clause').selectOption('4.1');
    await page.getByLabel('Scheme name (English)').fill('Seller grading, trial');
    await page.locator('#f-commitmentText').fill('We declare that what we provide is true.');
    await page.getByRole('button', { name: 'Parse and save as draft' }).click();
    await expect.poll(() => page.locator('#f-indicatorClause-error').textContent()).toContain('Clause 4.1 has no table of indicators');
    expect(await page.getByLabel('Scheme name (English)').inputValue()).toBe('Seller grading, trial');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Indicator clause').selectOption('A.1');
    await page.getByRole('button', { name: 'Parse and save as draft' }).click();
    await page.waitForURL(/\/en\/credit\/manage\/schemes\/\d+\?done=created/);
    expect(await page.getByTestId('indicators').textContent()).toContain('Consumer protection');
    await page.getByRole('button', { name: 'Confirm and activate' }).click();
    await page.waitForURL(/done=active/);
    expect(await page.getByTestId('scheme-state').textContent()).toBe('Active');
    await context.close();
  }, 120_000);
});
