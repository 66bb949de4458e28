/**
 * The settlement forms as people fill them in, in Chromium, in Chinese and in English: each step
 * form, case move and route edit goes through with only its required fields, and a wrong value
 * brings the error summary (focused, linking to the field), the message next to the field in the
 * page's language, and keeps what was typed. The browser's own validation never speaks first.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settlementApplications, settlementRoutes } from '../../db/schema';
import { seedFoundation } from '../../db/seed/foundation';
import { seedSettlement } from '../../db/seed/settlement';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const answers = {
  personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
  criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
  company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 12 },
  declaration: { agreed: true, signedName: 'Amir Rahman' },
};
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

const LANGS = [
  {
    lang: 'zh',
    prefix: '',
    locale: 'zh-CN',
    problem: '出现问题',
    idNumber: '请输入证件号码：5 到 30 位字母、数字或连字符。',
    agreed: '请确认声明后继续。',
    assignee: '请输入经办人员的邮箱地址。',
    reasons: '请至少选择一项理由。',
    items: '请列出所有缺少的内容。',
    json: '不是有效的 JSON。',
  },
  {
    lang: 'en',
    prefix: '/en',
    locale: 'en-GB',
    problem: 'There is a problem',
    idNumber: 'Enter the document number: 5 to 30 letters, digits or hyphens.',
    agreed: 'Confirm the declaration to continue.',
    assignee: 'Enter the officer’s email address.',
    reasons: 'Choose at least one reason.',
    items: 'List every missing item.',
    json: 'This is not valid JSON.',
  },
] as const;

describe.skipIf(!hasChromium)('settlement forms in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/settlement/routes'); // migrate
    await seedFoundation(server.db);
    seedSettlement(server.db);
    for (const role of ['officer', 'approver', 'entrepreneur'] as const) {
      tokens[role] = (await server.api.post('/auth/login', { email: DEMO_ACCOUNTS[role].email, password: DEMO_PASSWORD })).body.token;
    }
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function signIn(email: string, locale: string): Promise<Page> {
    const context = await newContext(browser, server.url, locale);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(locale === 'zh-CN' ? '/signin' : '/en/signin');
    await page.locator('[name="email"]').fill(email);
    await page.locator('[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/signin'));
    return page;
  }

  /** A submitted application by the demo entrepreneur, moved over the API by the officer to `until`. */
  async function caseIn(until: 'draft' | 'submitted' | 'in_review' | 'information_requested' | 'recommended_approve'): Promise<number> {
    const me = tokens.entrepreneur!;
    const created = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, me);
    const id = created.body.id as number;
    if (until === 'draft') return id;
    expect((await server.api.patch(`/settlement/applications/${id}`, { answers }, me)).status).toBe(200);
    for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) {
      const form = new FormData();
      form.set('item', item);
      form.set('file', new Blob([PDF], { type: 'application/pdf' }), `${item}.pdf`);
      const res = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${me}` }, body: form });
      expect(res.status).toBe(201);
    }
    expect((await server.api.post(`/settlement/applications/${id}/submit`, {}, me)).status).toBe(200);
    const move = async (body: Record<string, unknown>) => expect((await server.api.post(`/settlement/applications/${id}/transitions`, body, tokens.officer)).status).toBe(200);
    if (until === 'submitted') return id;
    await move({ to: 'accepted' });
    await move({ to: 'in_review' });
    if (until === 'in_review') return id;
    if (until === 'information_requested') {
      await move({ to: 'information_requested', items: ['degree'], dueDate: inDays(10) });
      return id;
    }
    await move({ to: 'recommended_approve', reasons: ['criteria_met'], text: 'The founder criteria are met.' });
    return id;
  }

  const stateOf = (id: number) => server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!;

  /** The error summary that took the focus: its title, and the message it links to `#fieldId`. */
  async function expectSummary(page: Page, problem: string, fieldId: string, message: string) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(focused).toBe('error-summary');
    const summary = page.locator('[data-testid="error-summary"]:focus');
    expect(await summary.locator('h2').textContent()).toBe(problem);
    expect(await summary.locator(`a[href="#${fieldId}"]`).textContent()).toContain(message);
    expect(await page.locator(`#${fieldId}`).count()).toBe(1);
  }

  for (const L of LANGS) {
    describe(L.lang, () => {
      it('saves a step with only what it asks for, and explains a wrong value next to the field, keeping what was typed', async () => {
        const id = await caseIn('draft');
        const page = await signIn(DEMO_ACCOUNTS.entrepreneur.email, L.locale);
        await page.goto(`${L.prefix}/settlement/applications/${id}/personal`);
        expect(await page.locator('form[novalidate] input[name="step"]').count()).toBe(1);
        await page.locator('[name="fullName"]').fill('Amir Rahman');
        await page.locator('[name="nationality"]').fill('Malaysia');
        await page.locator('[name="idNumber"]').fill('A1');
        await page.locator('[name="dateOfBirth"]').fill('1990-04-02');
        await page.locator('[name="phone"]').fill('+86 21 5555 0101');
        await page.locator('form:has(input[name="step"]) button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, 'f-idNumber', L.idNumber);
        expect(await page.locator('#f-idNumber-error').textContent()).toBe(L.idNumber);
        expect(await page.locator('#f-idNumber').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('#f-fullName').inputValue()).toBe('Amir Rahman');
        expect(await page.locator('#f-idNumber').inputValue()).toBe('A1');
        expect(await page.title()).toMatch(L.lang === 'zh' ? /^错误：/ : /^Error: /);

        await page.locator('#f-idNumber').fill('A12345678');
        await page.locator('form:has(input[name="step"]) button[type="submit"]').click();
        await page.waitForURL(`**/applications/${id}/criteria`);
        expect(stateOf(id).answers.personal).toMatchObject({ idNumber: 'A12345678', fullName: 'Amir Rahman' });

        // The declaration unticked: the summary links to the checkbox itself.
        await page.goto(`${L.prefix}/settlement/applications/${id}/declaration`);
        await page.locator('[name="signedName"]').fill('Amir Rahman');
        await page.locator('form:has(input[name="step"]) button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, 'f-agreed', L.agreed);
        expect(await page.locator('#f-signedName').inputValue()).toBe('Amir Rahman');
      });

      it('lets the applicant reply without a message and withdraw without a reason', async () => {
        const replied = await caseIn('information_requested');
        const page = await signIn(DEMO_ACCOUNTS.entrepreneur.email, L.locale);
        await page.goto(`${L.prefix}/settlement/applications/${replied}`);
        const reply = page.locator('form[data-transition="in_review"]');
        expect(await reply.getAttribute('novalidate')).not.toBeNull();
        await reply.locator('button[type="submit"]').click();
        await page.waitForLoadState();
        expect(stateOf(replied).state).toBe('in_review');
        expect(await page.getByTestId('error-summary').count()).toBe(0);

        const withdrawn = await caseIn('submitted');
        await page.goto(`${L.prefix}/settlement/applications/${withdrawn}/withdraw`);
        expect(await page.locator('form[novalidate] input[name="to"][value="withdrawn"]').count()).toBe(1);
        await page.locator('form:has(input[name="to"]) button[type="submit"]').click();
        await page.waitForLoadState();
        expect(stateOf(withdrawn).state).toBe('withdrawn');
      });

      it('takes the officer’s moves with only their required fields, and explains a wrong one where the form is', async () => {
        const id = await caseIn('submitted');
        const page = await signIn(DEMO_ACCOUNTS.officer.email, L.locale);
        await page.goto(`${L.prefix}/settlement/cases/${id}`);
        for (const form of await page.locator('form[data-transition]').all()) expect(await form.getAttribute('novalidate')).not.toBeNull();
        await page.locator('form[data-transition="accepted"] button').click();
        await page.waitForLoadState();
        expect(stateOf(id).state).toBe('accepted');

        // A wrong email: the summary inside the form, focused, links to the field; the message is next to it.
        const assign = page.getByTestId('assign-form');
        await assign.locator('[name="assignee"]').fill('not-an-email');
        await assign.locator('button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, 'f-assignee', L.assignee);
        expect(await page.getByTestId('assign-form').locator('[data-testid="error-summary"]').count()).toBe(1);
        expect(await page.locator('#f-assignee-error').textContent()).toBe(L.assignee);
        expect(await page.locator('#f-assignee').inputValue()).toBe('not-an-email');
        expect(await axeViolations(page)).toEqual([]);
        // Only what is required: an empty email means "take it myself".
        await page.locator('#f-assignee').fill('');
        await page.getByTestId('assign-form').locator('button[type="submit"]').click();
        await page.waitForLoadState();
        expect(stateOf(id)).toMatchObject({ state: 'in_review' });

        // A request with nothing listed, then with one item and a due date only.
        const request = page.getByTestId('request-form');
        await request.locator('[name="dueDate"]').fill(inDays(10));
        await request.locator('button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, 'information_requested-items', L.items);
        expect(await page.locator('#information_requested-items-error').textContent()).toBe(L.items);
        expect(await page.getByTestId('request-form').locator('[name="dueDate"]').inputValue()).toBe(inDays(10));
        await page.getByTestId('request-form').locator('input[name="itemKeys"][value="degree"]').check();
        await page.getByTestId('request-form').locator('button[type="submit"]').click();
        await page.waitForLoadState();
        expect(stateOf(id)).toMatchObject({ state: 'information_requested', requestItems: [{ key: 'degree' }], requestMessage: null });
      });

      it('refuses a decision without reasons, showing the message next to the reasons, and keeps the explanation', async () => {
        const id = await caseIn('recommended_approve');
        const page = await signIn(DEMO_ACCOUNTS.approver.email, L.locale);
        await page.goto(`${L.prefix}/settlement/cases/${id}`);
        const form = page.getByTestId('approved-form');
        expect(await form.getAttribute('novalidate')).not.toBeNull();
        await form.locator('textarea[name="text"]').fill('The founder criteria are met on the evidence.');
        await form.locator('button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, 'approved-reasons', L.reasons);
        expect(await page.locator('#approved-reasons-error').textContent()).toBe(L.reasons);
        expect(await page.locator('#approved-text').inputValue()).toBe('The founder criteria are met on the evidence.');
        // every field on the page has its own id (the two decision forms do not share `f-text`)
        const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
        expect(ids.length).toBe(new Set(ids).size);
        expect(await axeViolations(page)).toEqual([]);
        await page.locator('#approved-reasons').check();
        await page.getByTestId('approved-form').locator('button[type="submit"]').click();
        await page.waitForLoadState();
        expect(stateOf(id).state).toBe('approved');
      });

      it('saves a route with its optional summary emptied, and explains broken JSON next to its box', async () => {
        const page = await signIn(DEMO_ACCOUNTS.admin.email, L.locale);
        await page.goto(`${L.prefix}/settlement/manage`);
        const slug = 'residence-permit-points';
        const form = page.getByTestId(`route-form-${slug}`);
        await page.locator(`details:has([data-testid="route-form-${slug}"]) summary`).click();
        expect(await form.getAttribute('novalidate')).not.toBeNull();
        await form.locator('[name="criteria"]').fill('[{"key": "broken"');
        await form.locator('button[type="submit"]').click();
        await page.waitForLoadState();
        await expectSummary(page, L.problem, `route-${slug}-criteria`, L.json);
        expect(await page.locator(`#route-${slug}-criteria-error`).textContent()).toBe(L.json);
        expect(await page.locator(`#route-${slug}-criteria`).inputValue()).toBe('[{"key": "broken"');
        expect(await axeViolations(page)).toEqual([]);

        const before = server.db.select().from(settlementRoutes).where(eq(settlementRoutes.slug, slug)).get()!;
        await page.goto(`${L.prefix}/settlement/manage`);
        await page.locator(`details:has([data-testid="route-form-${slug}"]) summary`).click();
        await page.getByTestId(`route-form-${slug}`).locator('[name="summary"]').fill('');
        await page.getByTestId(`route-form-${slug}`).locator('button[type="submit"]').click();
        await page.waitForURL(/saved=1/);
        const after = server.db.select().from(settlementRoutes).where(eq(settlementRoutes.slug, slug)).get()!;
        expect(after.summary).toBe('');
        expect(after.criteria).toEqual(before.criteria);
        expect(after.active).toBe(before.active);
        // put the summary back for the other language's run
        server.db.update(settlementRoutes).set({ summary: before.summary }).where(eq(settlementRoutes.slug, slug)).run();
      });
    });
  }
});
