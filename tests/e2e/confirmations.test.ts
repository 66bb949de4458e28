/**
 * Irreversible actions ask first, in a real Chromium: cancelling an enrollment, leaving a waitlist,
 * removing someone from a roster, withdrawing a settlement application and abandoning a standard each
 * go through a confirmation page that works without JavaScript. The first click changes nothing,
 * "No, go back" returns, "Yes, …" does it. Some of it with the keyboard only, at 360 px wide.
 * Also: the standards page's "what is needed next" panel, for the body's editors and for the public.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrollments, settlementApplications, standards } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { insertUsers, providerSetup, publishedSession } from '../courses.fixtures';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { submittedApplication } from '../helpers/settlement';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);


describe.skipIf(!hasChromium)('irreversible actions ask first', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('first-visitor@example.com'); // migrates the database
    await seed(server.db);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  /** A browser context signed in with a session token; optionally a phone's width and no JavaScript. */
  async function contextWith(token: string | null, options: { locale?: string; phone?: boolean; javaScript?: boolean } = {}) {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: options.locale ?? 'en-GB',
      viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
      javaScriptEnabled: options.javaScript ?? true,
    });
    if (token) await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    contexts.push(context);
    return context;
  }
  const login = async (email: string, password = DEMO_PASSWORD) => (await server.api.post('/auth/login', { email, password })).body.token as string;

  /** Presses Tab until the focused element's text (or label) matches, then returns; fails after 80 presses. */
  async function tabTo(page: Page, name: RegExp) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''}`.trim() : '';
      });
      if (name.test(focused)) return;
    }
    throw new Error(`Tab never reached ${name}`);
  }

  it('cancelling an enrollment asks first, with the keyboard at 360 px: going back changes nothing, confirming cancels', async () => {
    const p = await providerSetup(server, 'confirm-provider@example.com', 'confirm');
    const { courseId, sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 1 });
    const [student] = insertUsers(server.db, 1, 'confirm-student');
    expect((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, student!.token)).status).toBe(201);
    const status = () => server.db.select().from(enrollments).where(eq(enrollments.userId, student!.id)).get()!.status;

    const page = await (await contextWith(student!.token, { phone: true })).newPage();
    await page.goto(`/en/courses/${courseId}`);
    await tabTo(page, /^Cancel my enrollment$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/en\/my\/enrollments\/\d+\/cancel\?from=course$/);
    expect(await page.locator('h1').textContent()).toBe('Cancel your enrollment?');
    expect(await page.getByTestId('confirm-what').textContent()).toContain('You will give up your seat on “Cross-border logistics in practice”');
    expect(await page.getByTestId('confirm-irreversible').textContent()).toBe('This cannot be undone.');
    expect(status()).toBe('enrolled'); // the first click changed nothing
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);

    await tabTo(page, /^No, go back$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/en/courses/${courseId}#session-${sessionId}$`));
    expect(status()).toBe('enrolled');

    await tabTo(page, /^Cancel my enrollment$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cancel\?from=course$/);
    await tabTo(page, /^Yes, cancel my enrollment$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/en/courses/${courseId}\\?flash=cancelled$`));
    expect(await page.getByRole('status').first().textContent()).toContain('Cancelled.');
    expect(status()).toBe('cancelled');
  }, 120_000);

  it('leaving a waitlist asks first, in Chinese and without JavaScript, from “my courses”', async () => {
    const p = await providerSetup(server, 'waitlist-provider@example.com', 'waitlist');
    const { sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 2 });
    const [seated, waiting] = insertUsers(server.db, 2, 'confirm-wait');
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, seated!.token);
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, waiting!.token);
    const status = () => server.db.select().from(enrollments).where(eq(enrollments.userId, waiting!.id)).get()!.status;

    const page = await (await contextWith(waiting!.token, { locale: 'zh-CN', javaScript: false })).newPage();
    await page.goto('/my/enrollments');
    await page.getByRole('link', { name: '退出候补' }).click();
    await page.waitForURL(/\/my\/enrollments\/\d+\/cancel$/);
    expect(await page.locator('h1').textContent()).toBe('退出候补？');
    expect(await page.getByTestId('confirm-what').textContent()).toContain('候补名单中的第 1 位');
    expect(await page.getByTestId('confirm-irreversible').textContent()).toBe('此操作无法撤销。');
    expect(status()).toBe('waitlisted');
    await page.getByRole('link', { name: '不，返回' }).click();
    await page.waitForURL((u) => u.pathname === '/my/enrollments');
    expect(status()).toBe('waitlisted');

    await page.getByRole('link', { name: '退出候补' }).click();
    await page.getByRole('button', { name: '是的，退出候补' }).click();
    await page.waitForURL(/\/my\/enrollments\?cancelled=1$/);
    expect(await page.getByRole('status').first().textContent()).toContain('已取消');
    expect(status()).toBe('cancelled');
    expect(await page.getByRole('link', { name: '退出候补' }).count()).toBe(0);
  }, 120_000);

  it('removing someone from a roster asks the provider first', async () => {
    const p = await providerSetup(server, 'roster-provider@example.com', 'roster');
    const { courseId, sessionId } = await publishedSession(server, p, { capacity: 2, waitlistLimit: 1 });
    const [student] = insertUsers(server.db, 1, 'confirm-roster');
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, student!.token);
    const status = () => server.db.select().from(enrollments).where(eq(enrollments.userId, student!.id)).get()!.status;
    const roster = `/en/courses/${courseId}/sessions/${sessionId}/roster`;

    const page = await (await contextWith(p.token)).newPage();
    await page.goto(roster);
    await page.getByRole('link', { name: 'Remove from roster: 学员 confirm-roster 0' }).click();
    await page.waitForURL(/\/roster\/\d+\/remove$/);
    expect(await page.locator('h1').textContent()).toBe('Remove 学员 confirm-roster 0 from the roster?');
    expect(await page.getByTestId('confirm-what').textContent()).toContain('confirm-roster-0@example.com');
    expect(status()).toBe('enrolled');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'No, go back' }).click();
    await page.waitForURL((u) => u.pathname === roster);
    expect(status()).toBe('enrolled');

    await page.getByRole('link', { name: 'Remove from roster: 学员 confirm-roster 0' }).click();
    await page.getByRole('button', { name: 'Yes, remove them from the roster' }).click();
    await page.waitForURL(/\/roster\?removed=1$/);
    expect(await page.getByRole('status').first().textContent()).toContain('Removed from the roster');
    expect(status()).toBe('removed');

    // Someone else's enrollment, or a student asking for the provider's page, is not found.
    const stranger = await (await contextWith(student!.token)).newPage();
    const res = await stranger.goto(`${roster}/1/remove`);
    expect(res?.status()).toBe(404);
  }, 120_000);

  it('withdrawing a settlement application asks first; the application page has no lone withdraw button', async () => {
    const token = await server.api.signUp('withdrawer@example.com', 'Wei Drawer');
    const { id, reference } = await submittedApplication(server, token, 'Wei Drawer');
    const state = () => server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.state;

    const page = await (await contextWith(token, { phone: true })).newPage();
    await page.goto(`/en/settlement/applications/${id}`);
    expect(await page.getByRole('button', { name: /withdraw/i }).count()).toBe(0);
    await tabTo(page, /^Withdraw the application$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/en/settlement/applications/${id}/withdraw$`));
    expect(await page.locator('h1').textContent()).toBe(`Withdraw application ${reference}?`);
    expect(await page.getByTestId('confirm-irreversible').textContent()).toBe('This cannot be undone.');
    expect(state()).toBe('submitted');
    expect(await axeViolations(page)).toEqual([]);
    await tabTo(page, /^No, go back$/);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `/en/settlement/applications/${id}`);
    expect(state()).toBe('submitted');

    await page.goto(`/en/settlement/applications/${id}/withdraw`);
    await page.getByLabel('Why are you withdrawing? (optional)').fill('I found another route.');
    await page.getByRole('button', { name: 'Yes, withdraw my application' }).click();
    await page.waitForURL((u) => u.pathname === `/en/settlement/applications/${id}`);
    expect(await page.getByTestId('state').textContent()).toBe('Withdrawn');
    expect(state()).toBe('withdrawn');
    expect(await page.getByRole('link', { name: 'Withdraw the application' }).count()).toBe(0);
    // Once withdrawn, the confirmation page sends the applicant back to the application.
    await page.goto(`/en/settlement/applications/${id}/withdraw`);
    expect(new URL(page.url()).pathname).toBe(`/en/settlement/applications/${id}`);
  }, 120_000);

  it('the standards panel: the public sees the stage and how to comment, an editor the forward step first and “abandon” behind a confirmation', async () => {
    const editorToken = await login(DEMO_ACCOUNTS.standards.email);
    const { body: created } = await server.api.post('/standards', { organizationSlug: 'shanghai-cross-border-e-commerce-association', title: 'Panel sample' }, editorToken);
    const id = created.id as number;
    await server.api.post(`/standards/${id}/transitions`, { to: 'project_approved' }, editorToken);
    await server.api.post(`/standards/${id}/transitions`, { to: 'drafting' }, editorToken);
    await server.api.post(`/standards/${id}/versions`, { bodyMd: '## 1 Scope\n\nSellers.' }, editorToken);
    await server.api.post(`/standards/${id}/transitions`, { to: 'public_comment', commentPeriodDays: 30 }, editorToken);
    const stateOf = () => server.db.select().from(standards).where(eq(standards.id, id)).get()!.state;

    // The public: the stage, the closing date and how to comment; no workflow controls.
    const visitor = await (await contextWith(null)).newPage();
    await visitor.goto(`/en/standards/${id}`);
    expect(await visitor.getByTestId('next-steps').count()).toBe(0);
    const takePart = await visitor.getByTestId('take-part').textContent();
    expect(takePart).toContain('Comments are open until');
    expect(takePart).toContain('Sign in to comment');
    expect(await visitor.locator('form[action*="standards.transition"]').count()).toBe(0);
    expect(await visitor.getByRole('link', { name: /Abandon/ }).count()).toBe(0);
    expect(await visitor.goto(`/en/standards/${id}/stop/abandoned`).then((r) => r?.url())).toContain('/signin');
    expect(await axeViolations(visitor)).toEqual([]);
    // A signed-in stranger may not reach the confirmation page either.
    const stranger = await (await contextWith(await server.api.signUp('panel-stranger@example.com'))).newPage();
    expect((await stranger.goto(`/en/standards/${id}/stop/abandoned`))?.status()).toBe(404);

    // The editor: the forward step leads, with what blocks it; abandon sits under "Other actions".
    const page = await (await contextWith(editorToken, { phone: true })).newPage();
    await page.goto(`/en/standards/${id}`);
    const forward = page.getByTestId('forward-step');
    expect(await forward.textContent()).toContain('Next: move to “Comment resolution”');
    expect(await forward.getByTestId('blocker').textContent()).toMatch(/public comment period runs until .* \(30 more days\)/);
    const other = page.getByTestId('other-actions');
    expect(await other.getAttribute('open')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await other.locator('summary').click();
    await other.getByRole('link', { name: 'Abandon this project…' }).click();
    await page.waitForURL(new RegExp(`/en/standards/${id}/stop/abandoned$`));
    expect(await page.locator('h1').textContent()).toBe('Abandon the project “Panel sample”?');
    expect(await page.getByTestId('confirm-what').textContent()).toContain('ends at the “Public comment” stage');
    expect(stateOf()).toBe('public_comment');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'No, go back' }).click();
    await page.waitForURL((u) => u.pathname === `/en/standards/${id}`);
    expect(stateOf()).toBe('public_comment');
  }, 120_000);

  // The last step posts the standards transition form without the fields an abandon does not use: it
  // needs the one form conversion (an absent optional field is "not given") from the forms work of issue 14.
  it('confirming “Yes, abandon the project” abandons it, with the reason in the timeline', async () => {
    const editorToken = await login(DEMO_ACCOUNTS.standards.email);
    const { body: created } = await server.api.post('/standards', { organizationSlug: 'shanghai-cross-border-e-commerce-association', title: 'Abandon sample' }, editorToken);
    const id = created.id as number;
    const stateOf = () => server.db.select().from(standards).where(eq(standards.id, id)).get()!.state;
    const page = await (await contextWith(editorToken)).newPage();
    await page.goto(`/en/standards/${id}`);
    await page.getByTestId('other-actions').locator('summary').click();
    await page.getByRole('link', { name: 'Abandon this project…' }).click();
    await page.getByLabel('Reason (required)').fill('Merged into the credit grading project.');
    await page.getByRole('button', { name: 'Yes, abandon the project' }).click();
    await page.waitForURL(/\?done=transition$/);
    expect(stateOf()).toBe('abandoned');
    expect(await page.getByTestId('timeline').textContent()).toContain('Merged into the credit grading project.');
  }, 120_000);

  it('the blocker counts comments with the right plural, in both languages', async () => {
    const editorToken = await login(DEMO_ACCOUNTS.standards.email);
    const { body: created } = await server.api.post('/standards', { organizationSlug: 'shanghai-cross-border-e-commerce-association', title: 'Plural sample' }, editorToken);
    const id = created.id as number;
    await server.api.post(`/standards/${id}/transitions`, { to: 'project_approved' }, editorToken);
    await server.api.post(`/standards/${id}/transitions`, { to: 'drafting' }, editorToken);
    await server.api.post(`/standards/${id}/versions`, { bodyMd: '## 1 Scope\n\nSellers.' }, editorToken);
    await server.api.post(`/standards/${id}/transitions`, { to: 'public_comment', commentPeriodDays: 30 }, editorToken);
    const commenter = await server.api.signUp('plural-commenter@example.com');
    for (const text of ['First remark.', 'Second remark.']) {
      expect((await server.api.post(`/standards/${id}/comments`, { clause: '1', type: 'general', text }, commenter)).status).toBe(201);
    }
    // The comment period is over: move it on to comment resolution.
    server.db.update(standards).set({ commentClosesAt: new Date(Date.now() - 1000) }).where(eq(standards.id, id)).run();
    expect((await server.api.post(`/standards/${id}/transitions`, { to: 'comment_resolution' }, editorToken)).status).toBe(200);

    const page = await (await contextWith(editorToken)).newPage();
    await page.goto(`/en/standards/${id}`);
    expect(await page.getByTestId('blocker').textContent()).toContain('Respond to 2 comments first');
    const zh = await (await contextWith(editorToken, { locale: 'zh-CN' })).newPage();
    await zh.goto(`/standards/${id}`);
    expect(await zh.getByTestId('blocker').textContent()).toContain('请先处理 2 条意见');

    const comments = (await server.api.get(`/standards/${id}/comments`, editorToken)).body.items as { id: number }[];
    expect((await server.api.post(`/standards/comments/${comments[0]!.id}/disposition`, { decision: 'noted', reason: 'Thanks.' }, editorToken)).status).toBe(200);
    await page.goto(`/en/standards/${id}`);
    expect(await page.getByTestId('blocker').textContent()).toContain('Respond to 1 comment first');
  }, 120_000);
});
