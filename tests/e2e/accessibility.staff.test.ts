/**
 * axe-core on the page types the sweep in accessibility.test.ts does not reach, because they need a
 * history first: a certificate's page (issued by the provider marking a student completed), the
 * settlement decision letter, the officer's case while they review it and the approver's case
 * awaiting a decision. Chinese and English, 1280 and 360 px: zero violations and one <h1>.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { courseSessions } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { insertUsers, providerSetup, publishedSession } from '../courses.fixtures';
import { axeViolations, hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { submittedApplication } from '../helpers/settlement';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const WIDTHS = [1280, 360];

describe.skipIf(!hasChromium)('accessibility of the pages behind a history', () => {
  let server: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  let certificate = '';
  const cases = { review: 0, recommended: 0, decided: 0 };

  const login = async (email: string) => (await server.api.post('/auth/login', { email, password: DEMO_PASSWORD })).body.token as string;

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('first-visitor@example.com'); // migrates the database
    await seed(server.db);
    tokens.officer = await login(DEMO_ACCOUNTS.officer.email);
    tokens.approver = await login(DEMO_ACCOUNTS.approver.email);
    tokens.applicant = await server.api.signUp('axe-applicant@example.com', 'Lena Fischer');

    // A certificate, issued the way a provider issues one: the session has begun, they mark the student completed.
    const provider = await providerSetup(server, 'axe-provider@example.com', 'axe');
    const { sessionId } = await publishedSession(server, provider, { capacity: 2, waitlistLimit: 0 });
    const [student] = insertUsers(server.db, 1, 'axe-student');
    const enrollment = (await server.api.post(`/sessions/${sessionId}/enrollments`, {}, student!.token)).body;
    server.db.update(courseSessions).set({ startsAt: new Date(Date.now() - 3600_000), enrollmentOpensAt: new Date(Date.now() - 7200_000), enrollmentClosesAt: new Date(Date.now() - 3600_000) }).where(eq(courseSessions.id, sessionId)).run();
    const done = await server.api.post(`/enrollments/${enrollment.id}/completion`, { completed: true }, provider.token);
    expect(done.status).toBe(200);
    certificate = done.body.certificateCode;

    // Three cases: one the officer is reviewing, one recommended and awaiting the approver, one decided.
    const move = (id: number, to: string, token: string, extra: Record<string, unknown> = {}) =>
      server.api.post(`/settlement/applications/${id}/transitions`, { to, ...extra }, token).then((r) => expect(r.status, `${id} → ${to}`).toBe(200));
    for (const key of ['review', 'recommended', 'decided'] as const) {
      const { id } = await submittedApplication(server, tokens.applicant, 'Lena Fischer');
      await move(id, 'accepted', tokens.officer);
      await move(id, 'in_review', tokens.officer);
      if (key !== 'review') await move(id, 'recommended_approve', tokens.officer, { reasons: ['criteria_met', 'documents_verified'], text: 'Degree verified; company active.' });
      if (key === 'decided') await move(id, 'approved', tokens.approver, { reasons: ['criteria_met'], text: 'The criteria are met.\nEvery document was verified.' });
      cases[key] = id;
    }
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Visits each path in Chinese and English at both widths; collects axe's violations by page. */
  async function sweep(token: string | null, paths: string[]) {
    const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN' });
    if (token) await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    const page = await context.newPage();
    const found: Record<string, unknown> = {};
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of paths.flatMap((p) => [p, `/en${p}`])) {
        const res = await page.goto(p);
        expect(res?.status(), p).toBe(200);
        expect(new URL(page.url()).pathname, `${p} was not redirected`).toBe(p);
        expect(await page.locator('h1').count(), `one h1 on ${p}`).toBe(1);
        if (width === 360) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${p} fits 360 px`).toBeLessThanOrEqual(360);
        const violations = await axeViolations(page);
        if (violations.length) found[`${p} @${width}`] = violations;
      }
    }
    await context.close();
    return found;
  }

  it('a certificate\'s page, as anyone who checks it', async () => {
    expect(await sweep(null, [`/certificates/${certificate}`])).toEqual({});
  }, 180_000);

  it('the decision letter, as the applicant', async () => {
    expect(await sweep(tokens.applicant!, [`/settlement/applications/${cases.decided}/letter`])).toEqual({});
  }, 180_000);

  it('the officer\'s case while they review it, and the decided case', async () => {
    expect(await sweep(tokens.officer!, [`/settlement/cases/${cases.review}`, `/settlement/cases/${cases.decided}`])).toEqual({});
  }, 180_000);

  it('the approver\'s queue and a case awaiting their decision', async () => {
    expect(await sweep(tokens.approver!, ['/settlement/queue', `/settlement/cases/${cases.recommended}`])).toEqual({});
  }, 180_000);
});
