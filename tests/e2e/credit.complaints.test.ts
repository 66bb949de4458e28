/**
 * In a real Chromium (the pages have no script of their own): a customer files a complaint against a rated company (an
 * error keeps what was typed) and adds a receipt; the company answers without learning who
 * complained; the committee finds it in its queue and closes it. Every page passes axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoundation } from '../../db/seed/foundation';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { activeScheme, ratedCompany } from '../helpers/credit';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe.skipIf(!hasChromium)('complaints in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await seedFoundation(server.db);
    ratedCompany(server, 'hongqiao-silk-road-trading', activeScheme(server).schemeId);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, server.url, 'en-GB');
    const page = await context.newPage();
    await page.goto('/en/signin');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/signin'));
    return { context, page };
  }

  it('files, answers and closes a complaint, each page accessible', async () => {
    const customer = await signIn(DEMO_ACCOUNTS.student.email);
    let page = customer.page;
    await page.goto('/en/credit/complaints/new?entity=hongqiao-silk-road-trading');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('What happened').fill('Broken parcel');
    await page.getByRole('button', { name: 'File the complaint' }).click();
    expect(await page.getByTestId('error-summary').textContent()).toContain('Choose what the complaint is about.');
    expect(await page.getByLabel('What happened').inputValue()).toBe('Broken parcel');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Category').selectOption('delivery');
    await page.getByLabel('What happened').fill('The parcel of 3 November arrived broken; two messages went unanswered.');
    await page.getByRole('button', { name: 'File the complaint' }).click();
    await page.waitForURL(/\/en\/credit\/complaints\/\d+\?done=filed/);
    const url = new URL(page.url()).pathname;
    await page.getByLabel('Evidence file').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Upload' }).click();
    expect(await page.getByTestId('evidence').textContent()).toContain('receipt.pdf');
    expect(await axeViolations(page)).toEqual([]);
    await customer.context.close();

    const seller = await signIn(DEMO_ACCOUNTS.seller.email);
    page = seller.page;
    await page.goto(url);
    expect(await page.content()).not.toContain(DEMO_ACCOUNTS.student.displayName);
    await page.getByLabel('Your answer').fill('We sent a replacement on 10 November.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    expect(await page.getByTestId('answer').textContent()).toContain('We sent a replacement');
    expect(await axeViolations(page)).toEqual([]);
    await seller.context.close();

    const committee = await signIn(DEMO_ACCOUNTS.committee.email);
    page = committee.page;
    await page.goto('/en/credit/manage/complaints?show=answered');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Read and close/ }).first().click();
    expect(await page.getByTestId('complainant').textContent()).toContain(DEMO_ACCOUNTS.student.email);
    await page.getByLabel('Outcome').selectOption('resolved');
    await page.getByLabel('Reason').fill('A replacement was sent within the response days.');
    await page.getByRole('button', { name: 'Close the complaint' }).click();
    expect(await page.getByTestId('closure').textContent()).toContain('Resolved');
    expect(await page.getByTestId('state').textContent()).toBe('Closed');
    await page.goto('/en/credit/complaints');
    expect(await axeViolations(page)).toEqual([]);
    await committee.context.close();
  }, 180_000);
});
