/**
 * Organizations and the policy library in a real Chromium without scripts of our own: register an
 * organization through the form (fixing a mistake), manage members, verify it as an admin, find it
 * in the directory; every page type is checked with axe-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { userRoles } from '../../db/schema';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

if (!hasChromium) console.warn(`organizations browser test skipped: ${noChromiumReason}`);

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A browser context signed in as a fresh account (the session cookie the sign-in form would set). */
async function signedIn(email: string, admin = false): Promise<BrowserContext> {
  const token = await server.api.signUp(email);
  if (admin) server.db.insert(userRoles).values({ userId: (await server.api.get('/me', token)).body.id, role: 'admin' }).run();
  const context = await newContext(browser, server.url, 'en-GB');
  await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
  return context;
}

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

describe.skipIf(!hasChromium)('organizations in the browser', () => {
  it('registers, manages members, is verified and appears in the directory', async () => {
    const owner = await signedIn('browser-owner@example.com');
    const page = await owner.newPage();

    await page.goto('/en/organizations/new');
    await expectAccessible(page);
    await page.getByLabel('Name (English)').fill('Hongqiao Trade School');
    await page.getByLabel('Name (Chinese)').fill('虹桥贸易学校');
    await page.getByLabel('ROR id').fill('03yrm5c27');
    await page.getByRole('button', { name: 'Register' }).click();
    // The mistakes are explained next to their fields and nothing typed is lost.
    await expect.poll(() => page.locator('#f-rorId-error').textContent()).toContain('checksum');
    expect(await page.locator('#f-type-error').textContent()).toContain('Choose the kind of organization.');
    expect(await page.getByLabel('Name (Chinese)').inputValue()).toBe('虹桥贸易学校');
    expect(await page.getByLabel('ROR id').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page.getByLabel('Type').selectOption('training_agency');
    await page.getByLabel('ROR id').fill('https://ror.org/03yrm5c26');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.waitForURL('**/en/organizations/hongqiao-trade-school');
    expect(await page.getByTestId('org-status').textContent()).toBe('Pending verification');
    expect(await page.getByTestId('ror-link').getAttribute('href')).toBe('https://ror.org/03yrm5c26');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Manage members' }).click();
    await page.getByLabel('Email').fill('future.teacher@example.com');
    await page.locator('#f-role').selectOption('editor');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('An invitation was sent to future.teacher@example.com; they become a member once they accept it.');
    expect(await page.getByTestId('invitation-list').textContent()).toContain('future.teacher@example.com');
    await expectAccessible(page);

    const admin = await signedIn('browser-admin@example.com', true);
    const adminPage = await admin.newPage();
    await adminPage.goto('/en/admin/organizations');
    await expectAccessible(adminPage);
    const card = adminPage.locator('[data-slug="hongqiao-trade-school"]');
    await card.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => adminPage.getByRole('status').first().textContent()).toContain('Hongqiao Trade School is verified.');

    const visitor = await browser.newContext({ baseURL: server.url, locale: 'zh-CN' });
    const publicPage = await visitor.newPage();
    await publicPage.goto('/organizations?type=training_agency');
    await expectAccessible(publicPage);
    await publicPage.getByRole('link', { name: '虹桥贸易学校' }).click();
    expect(await publicPage.locator('h1').textContent()).toBe('虹桥贸易学校');
    expect(await publicPage.getByTestId('member-list').count()).toBe(0);
    await expectAccessible(publicPage);

    await Promise.all([owner.close(), admin.close(), visitor.close()]);
  });

  it('shows the policy library accessibly in both languages', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    for (const path of ['/policies', '/en/policies', '/policies/views-sections-10-12-summary-zh', '/en/policies/shanghai-cross-border-ecommerce-views']) {
      await page.goto(path);
      await expectAccessible(page);
    }
    await context.close();
  });
});
