/**
 * In a real Chromium: an applicant estimates points, completes the multi-step form (an error
 * keeps what was typed), uploads the checklist documents and submits; an officer finds the case
 * in the queue, accepts it, takes it and requests information; the applicant sees the request.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoundation } from '../../db/seed/foundation';
import { seedSettlement } from '../../db/seed/settlement';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { PDF, submittedApplication } from '../helpers/settlement';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);


describe.skipIf(!hasChromium)('settlement in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/settlement/routes'); // migrate
    await seedFoundation(server.db);
    seedSettlement(server.db);
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

  it('estimates points without JavaScript and shows the rules it used', async () => {
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto('/en/settlement/estimate');
    await page.getByLabel('Age (years)').fill('44');
    await page.getByLabel('Highest education').selectOption('master');
    await page.getByLabel('Years of Shanghai social insurance').fill('2');
    await page.getByRole('button', { name: 'Estimate points' }).click();
    expect(await page.getByTestId('estimate-total').textContent()).toBe('Total 135 points (standard 120)'); // 29 + 100 + 6
    expect(await page.getByTestId('indicative').textContent()).toContain('not a decision');
    expect(await page.getByTestId('estimate-result').textContent()).toContain('as of');
    expect(await page.getByTestId('estimate-changes').textContent()).toContain('+15 points');
    // The result leads the page; the form waits behind "Change your answers", which keeps every answer.
    expect(await page.locator('form#answers').count()).toBe(0);
    expect(await page.locator('main h1 ~ section').first().getAttribute('data-testid')).toBe('estimate-result');
    const resultUrl = page.url();
    await page.getByRole('link', { name: 'Change your answers' }).click();
    expect(await page.getByLabel('Age (years)').inputValue()).toBe('44');
    expect(await page.getByLabel('Highest education').inputValue()).toBe('master');
    expect(await page.getByLabel('Years of Shanghai social insurance').inputValue()).toBe('2');
    expect(await page.getByTestId('estimate-result').count()).toBe(0);
    await page.getByLabel('Years of Shanghai social insurance').fill('4');
    await page.getByRole('button', { name: 'Estimate points' }).click();
    expect(await page.getByTestId('estimate-total').textContent()).toBe('Total 141 points (standard 120)'); // 29 + 100 + 12
    await context.close();
    // axe needs JavaScript: check the same result page in an ordinary context.
    const withJs = await newContext(browser, server.url, 'en-GB');
    const again = await withJs.newPage();
    await again.goto(resultUrl);
    expect(await axeViolations(again)).toEqual([]);
    await withJs.close();
  });

  it('an applicant completes the form and an officer requests information', async () => {
    const { context: applicantContext, page } = await signIn(DEMO_ACCOUNTS.entrepreneur.email);
    await page.goto('/en/settlement/routes/entrepreneur-talent');
    await page.getByRole('button', { name: 'Start an application' }).click();
    await page.waitForURL(/\/en\/settlement\/applications\/\d+$/);
    const caseUrl = new URL(page.url()).pathname;
    const id = caseUrl.split('/').pop();
    expect(await page.getByTestId('task-list').textContent()).toContain('Personal details');

    // Personal details: a wrong document number is explained next to the field, and nothing typed is lost.
    await page.getByRole('link', { name: 'Personal details' }).click();
    await page.getByLabel('Full name (as on your document)').fill('Amir Rahman');
    await page.getByLabel('Nationality').fill('Malaysia');
    await page.getByLabel('Document number').fill('A1');
    await page.getByLabel('Date of birth').fill('1990-04-02');
    await page.getByLabel('Phone').fill('+86 21 5555 0101');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#f-idNumber-error').textContent()).toContain('5 to 30');
    expect(await page.getByLabel('Document number').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Full name (as on your document)').inputValue()).toBe('Amir Rahman');
    expect(await page.getByLabel('Phone').inputValue()).toBe('+86 21 5555 0101');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Document number').fill('A12345678');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(`**/applications/${id}/criteria`);

    await page.getByLabel('I am a founder or major shareholder of the company').selectOption('yes');
    await page.getByLabel('Investment raised (CNY)').fill('3000000');
    await page.getByLabel('What the company does').fill('Cross-border logistics software');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(`**/applications/${id}/company`);

    await page.getByLabel('Company name').fill('Bund Bridge Trading Co., Ltd.');
    await page.getByLabel('Unified social credit code').fill('91310000MA1FL1234Q');
    await page.getByLabel('Your role in the company').fill('Founder');
    await page.getByLabel('Number of employees').fill('12');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(`**/applications/${id}/documents`);

    // The saved steps survive leaving and coming back.
    await page.goto(`/en/settlement/applications/${id}/personal`);
    expect(await page.getByLabel('Document number').inputValue()).toBe('A12345678');
    await page.goto(`/en/settlement/applications/${id}/documents`);

    for (const key of ['identity', 'degree', 'business_licence', 'investment_proof']) {
      await page.locator(`#file-${key}`).setInputFiles({ name: `${key}-文件.pdf`, mimeType: 'application/pdf', buffer: PDF });
      await page.locator(`li[data-item="${key}"] button[type="submit"]`).click();
      await page.waitForURL(/uploaded=/);
    }
    // A renamed HTML file is refused, with the reason next to the item.
    await page.locator('#file-tax_records').setInputFiles({ name: 'tax.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>not a pdf</body></html>') });
    await page.locator('li[data-item="tax_records"] button[type="submit"]').click();
    await page.waitForURL(/error=/);
    expect(await page.locator('#file-tax_records-error').textContent()).toContain('not one of them');
    expect(await page.locator('li[data-item="investment_proof"]').textContent()).toContain('investment_proof-文件.pdf');

    await page.getByRole('link', { name: 'Save and continue' }).click();
    await page.waitForURL(`**/applications/${id}/declaration`);
    await page.getByLabel('I confirm the declaration above').check();
    await page.getByLabel('Signature (type your full name)').fill('Amir Rahman');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(`**/applications/${id}/check`);
    expect(await page.locator('main').textContent()).toContain('91310000MA1FL1234Q');
    await page.getByRole('button', { name: 'Submit the application' }).click();
    // The confirmation page: the reference in a panel, what happens next, and no lone "Withdraw".
    await page.waitForURL((u) => u.pathname === `${caseUrl}/submitted`);
    const panel = page.getByTestId('confirmation-panel');
    expect(await panel.locator('h1').textContent()).toBe('Application submitted');
    const reference = await panel.getByTestId('reference').textContent();
    expect(reference).toMatch(/^SH-TS-\d{4}-\d{6}$/);
    expect(await page.getByTestId('next-steps').textContent()).toContain('usually within 5 working days');
    expect(await page.getByRole('button').filter({ hasText: /withdraw/i }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /withdraw/i }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'View your application' }).click();
    await page.waitForURL((u) => u.pathname === caseUrl);
    expect(await page.getByTestId('reference').textContent()).toBe(reference);
    expect(await page.getByTestId('state').textContent()).toBe('Submitted');

    // The officer: queue → case → accept → take it → request information with a due date.
    const { context: officerContext, page: officer } = await signIn(DEMO_ACCOUNTS.officer.email);
    await officer.goto('/en/settlement/queue?state=submitted');
    const row = officer.getByTestId('queue').locator('tr', { hasText: reference! });
    expect(await row.textContent()).toContain('A1•••••78');
    expect(await row.textContent()).not.toContain('A12345678');
    expect(await axeViolations(officer)).toEqual([]);
    await row.getByRole('link', { name: reference! }).click();
    await officer.getByRole('button', { name: 'Accept' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByTestId('state').textContent()).toBe('Accepted');
    await officer.getByRole('button', { name: 'Assign and start the review' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByTestId('state').textContent()).toBe('In review');

    const due = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    const request = officer.getByTestId('request-form');
    await request.getByRole('button', { name: 'Send the request' }).click(); // nothing listed yet
    await officer.waitForLoadState();
    expect(await officer.getByTestId('request-form').textContent()).toContain('List every missing item.');
    await officer.getByTestId('request-form').getByLabel('Proof of investment received').check();
    await officer.getByTestId('request-form').getByLabel('Anything else that is needed (one per line)').fill('Bank statement showing the investment');
    await officer.getByTestId('request-form').getByLabel('Due date').fill(due);
    await officer.getByTestId('request-form').getByRole('button', { name: 'Send the request' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByTestId('state').textContent()).toBe('Information requested');
    expect(await axeViolations(officer)).toEqual([]);

    await page.reload();
    expect(await page.getByTestId('state').textContent()).toBe('Information requested');
    const asked = await page.getByTestId('request').textContent();
    expect(asked).toContain('Proof of investment received');
    expect(asked).toContain('Bank statement showing the investment');
    await officerContext.close();
    await applicantContext.close();
  });

  it('an approver decides with reasons and the applicant reads a printable letter', async () => {
    // Arrange a recommended case over the API, as officer and applicant would have.
    const login = async (email: string) => (await server.api.post('/auth/login', { email, password: DEMO_PASSWORD })).body.token as string;
    const applicant = await server.api.signUp('letter-reader@example.com', 'Lena Fischer', 'a long enough secret');
    const officer = await login(DEMO_ACCOUNTS.officer.email);
    const { id, reference } = await submittedApplication(server, applicant, 'Lena Fischer');
    const move = (to: string, extra: Record<string, unknown> = {}) => server.api.post(`/settlement/applications/${id}/transitions`, { to, ...extra }, officer);
    await move('accepted');
    await move('in_review');
    expect((await move('recommended_approve', { reasons: ['criteria_met', 'documents_verified'], text: 'Degree verified; company active.' })).status).toBe(200);

    const { context: approverContext, page: approver } = await signIn(DEMO_ACCOUNTS.approver.email);
    await approver.goto(`/en/settlement/cases/${id}`);
    const form = approver.getByTestId('approved-form');
    await form.getByRole('button', { name: 'Approve' }).click(); // no reasons yet
    await approver.waitForLoadState();
    expect(await approver.getByTestId('approved-form').textContent()).toContain('Choose at least one reason.');
    await approver.getByTestId('approved-form').getByLabel('The route’s eligibility criteria are met').check();
    await approver.getByTestId('approved-form').getByLabel('Explanation').fill('The overseas degree is verified and the company is active in Shanghai.');
    await approver.getByTestId('approved-form').getByRole('button', { name: 'Approve' }).click();
    await approver.waitForLoadState();
    expect(await approver.getByTestId('state').textContent()).toBe('Approved');
    await approverContext.close();

    const readerContext = await newContext(browser, server.url, 'en-GB');
    const reader = await readerContext.newPage();
    await reader.goto('/en/signin');
    await reader.getByLabel('Email').fill('letter-reader@example.com');
    await reader.getByLabel('Password').fill('a long enough secret');
    await reader.getByRole('button', { name: 'Sign in' }).click();
    await reader.waitForURL((u) => !u.pathname.endsWith('/signin'));
    await reader.goto(`/en/settlement/applications/${id}`);
    await reader.getByRole('link', { name: 'Read the decision letter' }).click();
    const letter = reader.getByTestId('decision-letter');
    expect(await letter.textContent()).toContain(reference);
    expect(await reader.getByTestId('decision').textContent()).toContain('has been approved');
    expect(await letter.textContent()).toContain('Rule: Route eligibility criteria');
    expect(await letter.textContent()).toContain('The overseas degree is verified');
    expect(await axeViolations(reader)).toEqual([]);
    await reader.emulateMedia({ media: 'print' });
    expect(await reader.locator('.site-header').isVisible()).toBe(false);
    expect(await reader.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await letter.isVisible()).toBe(true);
    await readerContext.close();
  });
});
