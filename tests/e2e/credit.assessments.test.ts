/**
 * A credit application as the company fills it in, in Chromium: from the company page's link to a
 * submitted case, with a wrong value explained next to its field (what was typed kept), evidence
 * uploaded by the page's form, axe on every page, and a 360 px phone with nothing wider than it.
 * Then the assessor takes it into screening from the same page, in English.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditAssessments, creditEvidence } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { activeScheme, SELLER_SLUGS } from '../helpers/credit';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe.skipIf(!hasChromium)('a credit application in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let schemeId: number;
  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/openapi.json'); // migrate
    await seed(server.db);
    ({ schemeId } = activeScheme(server));
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function signIn(email: string, locale: string, width = 1280): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(locale === 'zh-CN' ? '/signin' : '/en/signin');
    await page.locator('[name="email"]').fill(email);
    await page.locator('[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/signin'));
    return page;
  }

  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('the company applies, answers, uploads, signs and submits on a phone; the assessor screens it', async () => {
    const slug = SELLER_SLUGS[1];
    const page = await signIn('seller@demo.portal.test', 'zh-CN', 360);
    await page.goto(`/organizations/${slug}`);
    await page.locator(`a[href="/credit/apply?entity=${slug}"]`).click();
    await page.waitForURL((u) => u.pathname === '/credit/apply');
    expect(await axeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    // the seed's own SCBEA scheme comes first, and this company is on public notice under it (db/seed/credit-ratings.ts)
    await page.locator('#f-scheme').selectOption(String(schemeId));
    await page.locator('[data-testid="apply-form"] button[type="submit"]').click();
    await page.waitForURL((u) => /^\/credit\/assessments\/\d+$/.test(u.pathname));
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await axeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);

    // a point too many: the summary takes the focus and links to the field, which keeps what was typed
    await page.locator('#f-answers-i1-points').fill('41');
    await page.locator('#f-answers-i1-statement').fill('营业执照、进出口资质齐全');
    await page.locator('[data-testid="answers-form"] button[type="submit"]').click();
    await page.waitForLoadState();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await page.locator('[data-testid="error-summary"] a[href="#f-answers-i1-points"]').textContent()).toContain('请输入不大于 40 的数字。');
    expect(await page.locator('#f-answers-i1-points').inputValue()).toBe('41');
    expect(await page.locator('#f-answers-i1-statement').inputValue()).toBe('营业执照、进出口资质齐全');
    expect(await axeViolations(page)).toEqual([]);

    const answers = { i1: ['38', '营业执照、进出口资质齐全'], i2: ['31', '近 12 个月准时发货率 97%'], i3: ['21', '7 天内处理退货'] };
    for (const [key, [points, statement]] of Object.entries(answers)) {
      await page.locator(`#f-answers-${key}-points`).fill(points!);
      await page.locator(`#f-answers-${key}-statement`).fill(statement!);
    }
    await page.locator('#f-commitment').check();
    await page.locator('[data-testid="answers-form"] button[type="submit"]').click();
    await page.waitForURL((u) => u.search === '?done=saved');
    expect(server.db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get()!.commitmentSignedAt).not.toBeNull();

    await page.locator('#f-indicator').selectOption('i2');
    await page.locator('#f-file').setInputFiles({ name: '发货统计.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.locator('[data-testid="upload-form"] button[type="submit"]').click();
    await page.waitForURL((u) => u.search === '?done=uploaded');
    expect(await page.locator('[data-testid="evidence-i2"]').textContent()).toContain('发货统计.pdf');
    expect(server.db.select().from(creditEvidence).where(eq(creditEvidence.assessmentId, id)).all()).toHaveLength(1);

    await page.locator('form[data-transition="submitted"] button').click();
    await page.waitForURL((u) => u.search === '?done=submitted');
    expect(await page.locator('[data-testid="state"]').textContent()).toBe('已提交');
    expect(await fitsWidth(page)).toBe(true);

    const assessor = await signIn('assessor@demo.portal.test', 'en-GB');
    await assessor.goto(`/en/credit/manage`);
    await assessor.locator(`a[href="/en/credit/assessments/${id}"]`).click();
    expect(await axeViolations(assessor)).toEqual([]);
    await assessor.locator('form[data-transition="screening"] button').click();
    await assessor.waitForURL((u) => u.search === '?done=screening');
    expect(await assessor.locator('[data-testid="state"]').textContent()).toBe('Screening');
    expect(await assessor.locator('form[data-transition="incomplete"]').count()).toBe(1);
    expect(await axeViolations(assessor)).toEqual([]);
  });
});
