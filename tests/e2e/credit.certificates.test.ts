/**
 * The body's certificate pages in a real Chromium: axe finds nothing on the list and on one
 * certificate (with its flag, history and forms), as the committee and as the company, in Chinese
 * and English, at 1280 and 360 px; and a committee member suspends a certificate with the keyboard's
 * ordinary form, without JavaScript doing anything but what the browser does.
 */
import type { Browser } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCertificates } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { activeScheme, grantedCertificate } from '../helpers/credit';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

describe.skipIf(!hasChromium)('the body’s certificate pages', () => {
  let server: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  let number: string;

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('visitor@example.com');
    await seed(server.db);
    for (const name of ['committee', 'seller']) {
      tokens[name] = (await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD })).body.token;
    }
    const { schemeId } = activeScheme(server);
    number = grantedCertificate(server, { schemeId }).number;
    server.db.update(creditCertificates).set({ earlySurveillance: true }).where(eq(creditCertificates.number, number)).run();
    await server.api.post(`/credit/certificates/${number}/surveillances`, { outcome: 'observations', note: 'Sample of 20 orders' }, tokens.committee);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has no axe violations, for the committee and for the company, in both languages and widths', async () => {
    const found: Record<string, unknown> = {};
    for (const [who, paths] of [
      ['committee', ['/credit/manage/certificates', `/credit/manage/certificates/${number}`]],
      ['seller', [`/credit/manage/certificates/${number}`]],
    ] as const) {
      const context = await newContext(browser, server.url);
      await context.addCookies([{ name: 'portal_session', value: tokens[who]!, url: server.url }]);
      const page = await context.newPage();
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        for (const p of paths.flatMap((p) => [p, `/en${p}`])) {
          const res = await page.goto(p);
          expect(res?.status(), p).toBe(200);
          expect(await page.locator('h1').count()).toBe(1);
          const violations = await axeViolations(page);
          if (violations.length) found[`${who} ${p} @${width}`] = violations;
        }
      }
      await context.close();
    }
    expect(found).toEqual({});
  }, 120_000);

  it('a committee member suspends with a reason; an empty reason is refused beside the field', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    await context.addCookies([{ name: 'portal_session', value: tokens.committee!, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`/en/credit/manage/certificates/${number}`);
    const form = page.locator('form[data-move="suspended"]');
    await form.getByRole('button').click();
    await expect.poll(() => page.locator('#suspended-summary').isVisible()).toBe(true);
    expect(await page.locator('#suspended-reason-error').textContent()).toContain('Give the reason for this step.');
    await page.locator('#suspended-reason').fill('Delivery complaints under review');
    await page.locator('form[data-move="suspended"]').getByRole('button').click();
    await page.waitForURL(/done=1/);
    expect(await page.getByTestId('state').textContent()).toBe('Suspended');
    expect(await page.getByTestId('history').textContent()).toContain('Delivery complaints under review');
    await context.close();
  }, 60_000);
});
