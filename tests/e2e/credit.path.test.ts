/**
 * The whole credit path in Chromium, by people using only the pages: a company applies under the
 * demo's SCBEA scheme, answers every indicator with a PDF each and signs the commitment; the
 * assessor screens, takes and scores it; a committee member decides, and the grade goes on public
 * notice; a signed-in outsider objects; the committee disposes of the objection; once the notice
 * has closed (the server's clock moved on, tests/helpers/clock.mjs) the committee grants; and anyone
 * finds the certificate in the directory, sees the grade with its indicator breakdown linked to the
 * standard's clauses, and the badge loads. axe on every page; the seller's pages at 360 px.
 *
 * The seed rates all three demo companies (db/seed/credit-ratings.ts), so the arrangement adds a
 * fourth verified company owned by seller@, with a valid credit code and nothing under the scheme.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditAssessments, creditCertificates, creditEvidence, memberships, organizations } from '../../db/schema';
import { seed } from '../../db/seed';
import { seededScheme } from '../../db/seed/credit';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { userId } from '../helpers/accounts';
import { startServer, type TestServer } from '../helpers/server';
import { pageWidth } from './keyboard';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PDF = (title: string) => Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Title (${title}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
const SLUG = 'yangshan-harbour-goods';
const DAY = 86_400_000;
const clockFile = path.join(mkdtempSync(path.join(tmpdir(), 'portal-clock-')), 'offset');

describe.skipIf(!hasChromium)('the credit path, from application to a verified certificate', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    writeFileSync(clockFile, '0');
    server = await startServer({
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(import.meta.dirname, '../helpers/clock.mjs')).href}`.trim(),
      TEST_CLOCK_FILE: clockFile,
    });
    await seed(server.db);
    const company = server.db
      .insert(organizations)
      .values({ slug: SLUG, name: 'Yangshan Harbour Goods', nameZh: '洋山港优品', type: 'company', creditCode: '91330100799655058B', descriptionMd: 'A cross-border seller in Lingang.', status: 'verified', verifiedAt: new Date() })
      .returning()
      .get();
    server.db.insert(memberships).values({ organizationId: company.id, userId: userId(server, 'seller@demo.portal.test'), role: 'owner' }).run();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function visitor(locale: string, width = 1280): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width, height: 800 } });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(email: string, locale: string, width = 1280): Promise<Page> {
    const page = await visitor(locale, width);
    await page.goto(locale === 'zh-CN' ? '/signin' : '/en/signin');
    await page.locator('[name="email"]').fill(email);
    await page.locator('[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/signin'));
    return page;
  }

  /** axe finds nothing, and on a phone nothing is wider than the screen. */
  async function checked(page: Page, phone = false) {
    expect(await axeViolations(page), page.url()).toEqual([]);
    if (phone) expect(await pageWidth(page), page.url()).toBeLessThanOrEqual(360);
  }

  async function move(page: Page, to: string) {
    await page.locator(`form[data-transition="${to}"] button[type="submit"]`).click();
    await page.waitForURL((u) => u.search === `?done=${to}`);
    await checked(page, (page.viewportSize()?.width ?? 0) <= 360);
  }

  it('a company applies, the body assesses and decides, an objection is disposed of, the grade is granted and anyone verifies it', async () => {
    const scheme = seededScheme(server.db)!;
    const indicators = scheme.indicators;

    // ---- the seller, on a phone, in Chinese: from the company page to a submitted application
    const seller = await signIn('seller@demo.portal.test', 'zh-CN', 360);
    await seller.goto(`/organizations/${SLUG}`);
    await seller.locator(`a[href="/credit/apply?entity=${SLUG}"]`).click();
    await seller.waitForURL((u) => u.pathname === '/credit/apply');
    await checked(seller, true);
    await seller.locator('#f-scheme').selectOption(String(scheme.id));
    expect(await seller.locator('#f-entity').inputValue()).toBe(SLUG);
    await seller.locator('[data-testid="apply-form"] button[type="submit"]').click();
    await seller.waitForURL((u) => /^\/credit\/assessments\/\d+$/.test(u.pathname));
    const id = Number(new URL(seller.url()).pathname.split('/').pop());
    await checked(seller, true);

    const claimed = [38, 33, 23];
    for (const [n, i] of indicators.entries()) {
      await seller.locator(`#f-answers-${i.key}-points`).fill(String(claimed[n]));
      await seller.locator(`#f-answers-${i.key}-statement`).fill(`${i.labelZh}：证明材料见附件。`);
    }
    await seller.locator('#f-commitment').check();
    await seller.locator('[data-testid="answers-form"] button[type="submit"]').click();
    await seller.waitForURL((u) => u.search === '?done=saved');
    await checked(seller, true);

    for (const i of indicators) {
      await seller.locator('#f-indicator').selectOption(i.key);
      await seller.locator('#f-file').setInputFiles({ name: `${i.key}-证明.pdf`, mimeType: 'application/pdf', buffer: PDF(i.label) });
      await seller.locator('[data-testid="upload-form"] button[type="submit"]').click();
      await seller.waitForURL((u) => u.search === '?done=uploaded');
      expect(await seller.locator(`[data-testid="evidence-${i.key}"]`).textContent()).toContain(`${i.key}-证明.pdf`);
    }
    expect(server.db.select().from(creditEvidence).where(eq(creditEvidence.assessmentId, id)).all()).toHaveLength(indicators.length);
    await checked(seller, true);
    await move(seller, 'submitted');
    expect(await seller.locator('[data-testid="state"]').textContent()).toBe('已提交');

    // ---- the assessor, in English: from the queue, screening, taking the case, scoring it
    const assessor = await signIn('assessor@demo.portal.test', 'en-GB');
    await assessor.goto('/en/credit/manage');
    await checked(assessor);
    await assessor.locator(`a[href="/en/credit/assessments/${id}"]`).click();
    await assessor.waitForURL((u) => u.pathname === `/en/credit/assessments/${id}`);
    await checked(assessor);
    await move(assessor, 'screening');
    await move(assessor, 'scoring');
    const scored = [38, 32, 22]; // 92: AAA
    for (const [n, i] of indicators.entries()) {
      await assessor.locator(`#decision-scores-${i.key}-points`).fill(String(scored[n]));
      await assessor.locator(`#decision-scores-${i.key}-rationale`).fill(`Checked the ${i.label.toLowerCase()} evidence against clause ${i.clause}.`);
    }
    await move(assessor, 'decision');
    expect(await assessor.locator('[data-testid="computed-grade"]').textContent()).toBe('AAA');

    // ---- a committee member who did not score it: the computed grade goes on public notice
    const committee = await signIn('committee@demo.portal.test', 'en-GB');
    await committee.goto(`/en/credit/assessments/${id}`);
    await checked(committee);
    expect(await committee.locator('#public_notice-grade').inputValue()).toBe('AAA');
    await move(committee, 'public_notice');
    expect(await committee.locator('[data-testid="grade"]').textContent()).toContain('AAA');

    // ---- a signed-in outsider finds the notice and objects
    const outsider = await signIn('researcher@demo.portal.test', 'en-GB');
    await outsider.goto('/en/credit/notices');
    await checked(outsider);
    await outsider.locator(`a[href="/en/credit/notices/${id}"]`).first().click();
    await outsider.waitForURL((u) => u.pathname === `/en/credit/notices/${id}`);
    await checked(outsider);
    await outsider.locator('#objection-text').fill('The shop’s return policy on its platform page gives 3 days, not the 7 days the application states.');
    await outsider.locator('[data-testid="objection-form"] button[type="submit"]').click();
    await outsider.waitForURL((u) => u.search === '?done=objection');
    expect(await outsider.locator('[data-testid="objection-counts"]').textContent()).toMatch(/1/);
    await checked(outsider);

    // ---- the committee disposes of it, from the case page's link to the notice
    await committee.goto(`/en/credit/assessments/${id}`);
    await committee.locator('[data-testid="notice-link"]').click();
    await committee.waitForURL((u) => u.pathname === `/en/credit/notices/${id}`);
    await checked(committee);
    const dispose = committee.locator('form[data-testid^="dispose-form-"]');
    expect(await dispose.count()).toBe(1);
    await dispose.locator('select[name="decision"]').selectOption('not_upheld');
    await dispose.locator('textarea[name="reason"]').fill('The platform page was updated on the day of the application; the 7-day policy is in force.');
    await dispose.locator('button[type="submit"]').click();
    await committee.waitForURL((u) => u.search === '?done=disposed');
    expect(await committee.locator('[data-testid="committee-objections"]').textContent()).toContain('7-day policy');
    await checked(committee);
    // the public sees the disposition, never who objected
    await outsider.reload();
    expect(await outsider.locator('[data-testid="dispositions"]').textContent()).toContain('7-day policy');
    expect(await outsider.content()).not.toContain('researcher@');

    // ---- no grant while the notice is open; eight days on, the grant
    await committee.goto(`/en/credit/assessments/${id}`);
    await committee.locator('form[data-transition="granted"] button[type="submit"]').click();
    await committee.waitForLoadState();
    expect(server.db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get()!.state).toBe('public_notice');
    writeFileSync(clockFile, String(8 * DAY));
    const later = await signIn('committee@demo.portal.test', 'en-GB');
    await later.goto(`/en/credit/assessments/${id}`);
    await move(later, 'granted');
    const number = (await later.locator('[data-testid="certificate"] a').textContent())!.trim();
    expect(number).toMatch(/^SCBEA-XY-\d{4}-\d{5}$/);
    expect(server.db.select().from(creditCertificates).where(eq(creditCertificates.number, number)).get()).toMatchObject({ state: 'active', grade: 'AAA', score: 92 });

    // ---- anyone: the directory, the verification page, the badge
    const anyone = await visitor('en-GB');
    await anyone.goto('/en/credit');
    await checked(anyone);
    await anyone.locator('#filter-grade').selectOption('AAA');
    await anyone.locator('#filter-status').selectOption('active');
    await anyone.locator('[data-testid="credit-filters"] button[type="submit"]').click();
    await anyone.waitForURL((u) => u.searchParams.get('grade') === 'AAA');
    await checked(anyone);
    await anyone.locator(`li.card[data-number="${number}"] a[href="/en/credit/${number}"]`).first().click();
    await anyone.waitForURL((u) => u.pathname === `/en/credit/${number}`);
    await checked(anyone);
    expect(await anyone.locator('[data-testid="credit-banner"]').getAttribute('data-state')).toBe('active');
    expect(await anyone.locator('[data-testid="credit-grade"]').textContent()).toBe('AAA');
    expect(await anyone.locator('[data-testid="credit-score"]').textContent()).toContain('92');
    const clauseLinks = await anyone.locator('[data-testid="credit-breakdown"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(clauseLinks).toEqual(indicators.map((i) => `/en/standards/${scheme.standardId}#clause-${i.clause}`));
    const badge = anyone.locator('img[src*="/badge.svg"]').first();
    await expect.poll(() => badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const svg = await anyone.request.get(`/credit/${number}/badge.svg`);
    expect(svg.status()).toBe(200);
    expect(svg.headers()['content-type']).toContain('image/svg+xml');
    expect(await svg.text()).toContain('AAA');
  });
});
