/**
 * A grade on public notice in a real Chromium: a member of the public reads the notice (English),
 * follows the clause links, objects through the form; the committee member (Chinese pages) disposes
 * of it on the same page; the public then sees the count and the disposition without the objector.
 * The company appeals a suspension through its form. axe finds nothing on any of these pages.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { creditCertificateEvents, creditCertificates } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { userId } from '../helpers/accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { activeScheme, assessmentOnNotice, BODY_SLUG, orgId, SELLER_SLUGS } from '../helpers/credit';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

describe.skipIf(!hasChromium)('a grade on public notice', () => {
  let server: TestServer;
  let browser: Browser;
  let publicUser: BrowserContext;
  let committee: BrowserContext;
  let seller: BrowserContext;

  async function signIn(context: BrowserContext, email: string, password: string) {
    const res = await server.api.post('/auth/login', { email, password });
    expect(res.status).toBe(200);
    await context.addCookies([{ name: 'portal_session', value: res.body.token, url: server.url }]);
  }

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('marguerite.reader@example.com', 'Marguerite Reader');
    await seed(server.db);
    browser = await launchBrowser();
    publicUser = await newContext(browser, server.url, 'en-GB');
    committee = await newContext(browser, server.url, 'zh-CN');
    seller = await newContext(browser, server.url, 'en-GB');
    await signIn(publicUser, 'marguerite.reader@example.com', 'correct horse battery');
    await signIn(committee, 'committee@demo.portal.test', DEMO_PASSWORD);
    await signIn(seller, 'seller@demo.portal.test', DEMO_PASSWORD);
  });
  afterAll(async () => {
    for (const c of [publicUser, committee, seller]) await c?.close();
    await browser?.close();
    await server?.stop();
  });

  it('is objected to, disposed of by the committee, and shows the disposition without the objector', async () => {
    const { schemeId, standardId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId, grade: 'A' });

    const page = await publicUser.newPage();
    await page.goto('/en/credit/notices');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Hongqiao Silk Road Trading Co., Ltd.' }).click();
    await page.waitForURL(new RegExp(`/en/credit/notices/${id}$`));
    expect(await page.getByTestId('proposed-grade').textContent()).toContain('adjusted by the committee');
    expect(await page.getByTestId('indicator-breakdown').getByRole('link', { name: '4.2' }).getAttribute('href')).toBe(`/en/standards/${standardId}#clause-4.2`);
    expect(await axeViolations(page)).toEqual([]);
    const form = page.getByTestId('objection-form');
    await form.getByLabel('Reasons for your objection').fill('Marguerite saw parcels held for weeks at customs.');
    await form.getByRole('button', { name: 'Object' }).click();
    await page.waitForURL(/done=objection/);
    expect(await page.getByTestId('objection-counts').textContent()).toBe('1 objection, 0 disposed of');

    const ed = await committee.newPage();
    await ed.goto(`/credit/notices/${id}`);
    const objection = ed.getByTestId('committee-objections').locator('li', { hasText: 'parcels held for weeks' });
    await objection.getByLabel('处理结果').selectOption('not_upheld');
    await objection.getByLabel('处理理由').fill('海关延误不属于企业履约责任。 Customs delays are not the seller’s.');
    await objection.getByRole('button', { name: '保存处理意见' }).click();
    await ed.waitForURL(/done=disposed/);
    expect(await axeViolations(ed)).toEqual([]);

    // anyone, signed in or not, sees the count and the disposition, never who objected nor their words
    const visitor = await newContext(browser, server.url, 'en-GB');
    const pub = await visitor.newPage();
    await pub.goto(`/en/credit/notices/${id}`);
    expect(await pub.getByTestId('objection-counts').textContent()).toBe('1 objection, 1 disposed of');
    const dispositions = await pub.getByTestId('dispositions').textContent();
    expect(dispositions).toContain('Not upheld');
    expect(dispositions).toContain('Customs delays are not the seller’s.');
    expect(await pub.content()).not.toMatch(/Marguerite|parcels held/);
    expect(await pub.getByTestId('objection-signin').getAttribute('href')).toBe(`/en/signin?next=${encodeURIComponent(`/en/credit/notices/${id}`)}`);
    await visitor.close();
  });

  it('the company appeals a suspension through its form', async () => {
    const { schemeId } = activeScheme(server);
    const assessmentId = assessmentOnNotice(server, { schemeId, state: 'granted' });
    const cert = server.db
      .insert(creditCertificates)
      .values({
        number: 'SCBEA-XY-2026-88001',
        organizationId: orgId(server, BODY_SLUG),
        numberYear: 2026,
        numberSequence: 88001,
        schemeId,
        entityId: orgId(server, SELLER_SLUGS[0]),
        assessmentId,
        grade: 'AA',
        score: 86,
        maxScore: 100,
        standardNumber: 'T/SCBEA 900—2026',
        standardVersion: 1,
        validFrom: '2026-01-10',
        validUntil: '2029-01-09',
        nextSurveillance: '2027-01-10',
        state: 'suspended',
        suspendedAt: new Date(Date.now() - 86_400_000),
        stateReason: 'Missed surveillance.',
      })
      .returning()
      .get();
    server.db.insert(creditCertificateEvents).values({ certificateId: cert.id, kind: 'suspended', actorId: userId(server, 'committee@demo.portal.test'), at: cert.suspendedAt! }).run();

    const page = await seller.newPage();
    await page.goto(`/en/credit/appeals/new?certificate=${cert.id}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Grounds of the appeal').fill('The body postponed the surveillance visit itself.');
    await page.getByRole('button', { name: 'File the appeal' }).click();
    await page.waitForURL(/\/en\/credit\/appeals\/\d+$/);
    expect(await page.getByTestId('appeal-state').textContent()).toContain('Open');
    expect(await axeViolations(page)).toEqual([]);
    expect(server.db.select().from(creditCertificates).where(eq(creditCertificates.id, cert.id)).get()!.state).toBe('suspended');
  });
});
