/**
 * Journeys per role, as a person on a phone without a mouse goes through them: real Chromium at
 * 360 px wide, driven by Tab / Shift+Tab / Enter / Space and typing into the focused field only.
 * The one page opened by address after the first is the verification link, read from the mail the
 * server queued, as the person would follow it from their inbox. At each page: nothing wider than
 * the screen, and the focused element shows a focus indicator.
 *
 * - A student (Chinese) signs up from a full course's "sign in to enroll", verifies, comes back to the
 *   course, joins the waitlist, finds it on their account page and leaves it through the confirmation.
 * - A researcher (English) signs in, registers a project and publishes a finding, required fields only,
 *   and sees it on the public research page.
 * - An industry body's editor (English) proposes a standard with only a title and takes it through
 *   every stage to publication from the standard's page, the forward step always the first control.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrollments } from '../../db/schema';
import { seed } from '../../db/seed';
import { insertUsers, providerSetup, publishedSession } from '../courses.fixtures';
import { hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { fill, focused, pressAndWait, tabTo, type Focused } from './keyboard';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const RAW = /Invalid input|expected string|received null/;

describe.skipIf(!hasChromium)('journeys by keyboard on a phone', () => {
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

  async function phone(locale: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width: 360, height: 740 } });
    contexts.push(context);
    return context.newPage();
  }

  /** The newest link to `to` on the site's `linkPath`, read from the mail the server queued. */
  function mailedLink(to: string, linkPath: string): URL {
    const rows = server.db.$client.prepare('select body from email_outbox where to_address = ? order by id desc').all(to) as { body: string }[];
    for (const { body } of rows) {
      const line = body.split('\n').find((l) => l.includes(`${linkPath}?`));
      if (line) return new URL(line.trim());
    }
    throw new Error(`no ${linkPath} link mailed to ${to}`);
  }

  /** What every page must be: no wider than the phone, one <h1>, no raw validator text. */
  async function checkPage(page: Page, h1?: string | RegExp) {
    const where = new URL(page.url()).pathname;
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `horizontal overflow on ${where}`).toBeLessThanOrEqual(360);
    expect(await page.locator('h1').count(), `one <h1> on ${where}`).toBe(1);
    if (h1 !== undefined) {
      const text = (await page.locator('h1').textContent())!.replace(/\s+/g, ' ').trim();
      if (typeof h1 === 'string') expect(text, `<h1> on ${where}`).toBe(h1);
      else expect(text, `<h1> on ${where}`).toMatch(h1);
    }
    expect(await page.locator('body').textContent(), `raw validator text on ${where}`).not.toMatch(RAW);
  }

  /** The element just reached shows where focus is. */
  function visibleFocus(el: Focused) {
    expect(el.indicator, `no focus indicator on <${el.tag}> “${el.name}”`).toBe(true);
    return el;
  }

  /** Tab from the top of the page: the skip link first, which moves focus into the page's main content. */
  async function skipToMain(page: Page) {
    const skip = await tabTo(page, /^(跳到主要内容|Skip to main content)$/, { max: 1 });
    visibleFocus(skip);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  }

  it('a student signs up from a full course’s “sign in to enroll”, joins the waitlist and leaves it, in Chinese', async () => {
    const provider = await providerSetup(server, 'journey-provider@example.com', 'journey');
    const { courseId, sessionId } = await publishedSession(server, provider, { capacity: 1, waitlistLimit: 3 });
    const [seated] = insertUsers(server.db, 1, 'journey-seated');
    expect((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, seated!.token)).status).toBe(201);
    const email = 'journey-student@example.com';
    const page = await phone('zh-CN');

    // Signed out, on the course: the session is full, and the way in is "sign in to enroll".
    await page.goto(`/courses/${courseId}`);
    await checkPage(page, '跨境物流实务');
    expect(await page.getByTestId('seats').textContent()).toContain('候补');
    await skipToMain(page);
    visibleFocus(await tabTo(page, '登录后报名'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/signin' && u.searchParams.get('next') === `/courses/${courseId}`);
    await checkPage(page, '登录');

    // No account yet: the page's own "sign up" link keeps where they were going.
    await skipToMain(page);
    visibleFocus(await tabTo(page, '注册'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/signup' && u.searchParams.get('next') === `/courses/${courseId}`);
    await checkPage(page, '注册账户');
    await skipToMain(page);
    visibleFocus(await fill(page, /^姓名/, '林小雨'));
    await fill(page, /^电子邮箱/, email);
    await fill(page, /^密码/, 'a student password');
    await tabTo(page, '创建账户');
    await pressAndWait(page, 'Enter');
    await checkPage(page, '注册账户');
    expect(await page.getByTestId('signup-sent').textContent()).toContain(`我们已向 ${email} 发送了一个链接`);

    // From their inbox: the verification link, then its button, returns them to the course.
    const link = mailedLink(email, '/verify-email');
    await page.goto(link.pathname + link.search);
    await checkPage(page, '验证电子邮箱');
    await skipToMain(page);
    visibleFocus(await tabTo(page, '确认邮箱并登录'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === `/courses/${courseId}`);
    await checkPage(page, '跨境物流实务');

    // Signed in now: the full session offers the waitlist.
    await skipToMain(page);
    visibleFocus(await tabTo(page, '加入候补'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === `/courses/${courseId}` && u.searchParams.get('flash') === 'waitlisted');
    await checkPage(page, '跨境物流实务');
    expect(await page.getByRole('status').first().textContent()).toBe('名额已满，您已加入候补，排第 1 位。');
    expect(await page.getByTestId('my-status').textContent()).toContain('您在候补名单中，当前排第 1 位。');
    const status = () => server.db.select().from(enrollments).where(eq(enrollments.sessionId, sessionId)).all().find((e) => e.userId !== seated!.id)?.status;
    expect(status()).toBe('waitlisted');

    // Their account page, from the header: the waitlist place is listed there.
    visibleFocus(await tabTo(page, '林小雨', { backwards: true }));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/account');
    await checkPage(page, '我的账户');
    const mine = page.getByTestId('account-courses');
    expect(await mine.textContent()).toContain('跨境物流实务');
    expect(await mine.textContent()).toContain('候补中');

    // Leaving the waitlist asks first, and going ahead leaves it.
    await skipToMain(page);
    visibleFocus(await tabTo(page, '我的课程'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/my/enrollments');
    await checkPage(page, '我的课程');
    expect(await page.getByTestId('my-enrollment-status').textContent()).toContain('候补中');
    await skipToMain(page);
    visibleFocus(await tabTo(page, '退出候补'));
    await pressAndWait(page, 'Enter', /\/my\/enrollments\/\d+\/cancel$/);
    await checkPage(page, '退出候补？');
    expect(await page.getByTestId('confirm-what').textContent()).toContain('候补名单中的第 1 位');
    expect(await page.getByTestId('confirm-irreversible').textContent()).toBe('此操作无法撤销。');
    expect(status()).toBe('waitlisted');
    await skipToMain(page);
    const yes = visibleFocus(await tabTo(page, '是的，退出候补'));
    expect(yes.tag).toBe('button');
    await pressAndWait(page, 'Space', (u) => u.pathname === '/my/enrollments' && u.searchParams.get('cancelled') === '1');
    await checkPage(page, '我的课程');
    expect(await page.getByRole('status').first().textContent()).toContain('已取消');
    expect(status()).toBe('cancelled');
    expect(await page.getByText('退出候补').count()).toBe(0);
  }, 240_000);
});
