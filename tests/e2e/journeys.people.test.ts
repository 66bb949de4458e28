/**
 * Journeys per role, as a person on a phone without a mouse goes through them: real Chromium at
 * 360 px wide, driven by Tab / Shift+Tab / Enter / Space and typing into the focused field only.
 * The one page opened by address after the first is the verification link, read from the mail the
 * server queued, as the person would follow it from their inbox. At each page: nothing wider than
 * the screen, and the focused element shows a focus indicator.
 *
 * - A student (in Chinese, and again in English) signs up from a full course's "sign in to enroll", verifies, comes back to the
 *   course, joins the waitlist, finds it on their account page and leaves it through the confirmation.
 * - A researcher (English) signs in, registers a project and publishes a finding, required fields only,
 *   and sees it on the public research page.
 * - An industry body's editor (English) proposes a standard with only a title and takes it through
 *   every stage to publication from the standard's page, the forward step always the first control.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrollments, standards } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
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

  /** The element just reached shows where focus is, in a colour that stands out from what is behind it (WCAG 1.4.11: 3:1). */
  function visibleFocus(el: Focused) {
    expect(el.indicator, `no focus indicator on <${el.tag}> “${el.name}”`).toBe(true);
    if (el.indicatorContrast !== null) expect(el.indicatorContrast, `focus outline contrast on <${el.tag}> “${el.name}”`).toBeGreaterThanOrEqual(3);
    return el;
  }

  /**
   * The skip link, which moves focus into the page's main content: the first Tab on a fresh page, or
   * back up the page with Shift+Tab when the page opened at a fragment (after a form low on the page).
   */
  async function skipToMain(page: Page) {
    const atFragment = new URL(page.url()).hash !== '';
    const skip = await tabTo(page, /^(跳到主要内容|Skip to main content)$/, atFragment ? { backwards: true, max: 300 } : { max: 1 });
    visibleFocus(skip);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  }

  const studentTexts = {
    zh: {
      locale: 'zh-CN', prefix: '', name: '林小雨', course: '跨境物流实务', seats: '剩余名额：0 / 1 · 候补：0 / 3 人', skip: '跳到主要内容',
      signinToEnroll: '登录后报名', signinTitle: '登录', signup: '注册', signupTitle: '注册账户', nameField: /^姓名/, emailField: /^电子邮箱/, passwordField: /^密码/,
      create: '创建账户', sent: (email: string) => `我们已向 ${email} 发送了一个链接`, verifyTitle: '验证电子邮箱', verify: '确认邮箱并登录',
      join: '加入候补', joined: '名额已满，您已加入候补，排第 1 位。', onList: '您在候补名单中，当前排第 1 位。', accountTitle: '我的账户',
      myCourses: '我的课程', waitlisted: '候补中', leave: '退出候补', leaveTitle: '退出候补？', leaveWhat: '候补名单中的第 1 位',
      irreversible: '此操作无法撤销。', leaveYes: '是的，退出候补', cancelled: '已取消',
    },
    en: {
      locale: 'en-GB', prefix: '/en', name: 'Lin Xiaoyu', course: 'Cross-border logistics in practice', seats: 'Seats left: 0 of 1 · Waitlist: 0 of 3', skip: 'Skip to main content',
      signinToEnroll: 'Sign in to enroll', signinTitle: 'Sign in', signup: 'Sign up', signupTitle: 'Create an account', nameField: /^Name/, emailField: /^Email/, passwordField: /^Password/,
      create: 'Create account', sent: (email: string) => `we sent a link to ${email}`, verifyTitle: 'Verify your email address', verify: 'Confirm address and sign in',
      join: 'Join the waitlist', joined: 'The session is full; you are on the waitlist, number 1 in line.', onList: 'You are on the waitlist, number 1 in line.', accountTitle: 'My account',
      myCourses: 'My courses', waitlisted: 'Waitlisted', leave: 'Leave the waitlist', leaveTitle: 'Leave the waitlist?', leaveWhat: 'You will lose your place, number 1, on the waitlist',
      irreversible: 'This cannot be undone.', leaveYes: 'Yes, leave the waitlist', cancelled: 'Cancelled.',
    },
  };

  for (const [lang, x] of Object.entries(studentTexts)) {
    it(`a student signs up from a full course’s “sign in to enroll”, joins the waitlist and leaves it (${lang})`, async () => {
      const provider = await providerSetup(server, `journey-provider-${lang}@example.com`, `journey-${lang}`);
      const { courseId, sessionId } = await publishedSession(server, provider, { capacity: 1, waitlistLimit: 3 });
      const [seated] = insertUsers(server.db, 1, `journey-seated-${lang}`);
      expect((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, seated!.token)).status).toBe(201);
      const email = `journey-student-${lang}@example.com`;
      const coursePath = `${x.prefix}/courses/${courseId}`;
      const page = await phone(x.locale);

      // Signed out, on the course: the session is full, and the way in is "sign in to enroll".
      await page.goto(coursePath);
      await checkPage(page, x.course);
      expect(await page.getByTestId('seats').textContent()).toBe(x.seats);
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.signinToEnroll));
      await pressAndWait(page, 'Enter', (u) => u.pathname === `${x.prefix}/signin` && u.searchParams.get('next') === coursePath);
      await checkPage(page, x.signinTitle);

      // No account yet: the page's own "sign up" link (not the header's) keeps where they were going.
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.signup));
      await pressAndWait(page, 'Enter', (u) => u.pathname === `${x.prefix}/signup` && u.searchParams.get('next') === coursePath);
      await checkPage(page, x.signupTitle);
      await skipToMain(page);
      visibleFocus(await fill(page, x.nameField, x.name));
      await fill(page, x.emailField, email);
      await fill(page, x.passwordField, 'a student password');
      await tabTo(page, x.create);
      await pressAndWait(page, 'Enter');
      await checkPage(page, x.signupTitle);
      expect(await page.getByTestId('signup-sent').textContent()).toContain(x.sent(email));

      // From their inbox: the verification link, then its button, returns them to the course.
      const link = mailedLink(email, `${x.prefix}/verify-email`);
      await page.goto(link.pathname + link.search);
      await checkPage(page, x.verifyTitle);
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.verify));
      await pressAndWait(page, 'Enter', (u) => u.pathname === coursePath);
      await checkPage(page, x.course);

      // Signed in now: the full session offers the waitlist.
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.join));
      await pressAndWait(page, 'Enter', (u) => u.pathname === coursePath && u.searchParams.get('flash') === 'waitlisted');
      await checkPage(page, x.course);
      expect(await page.getByRole('status').first().textContent()).toBe(x.joined);
      expect(await page.getByTestId('my-status').textContent()).toContain(x.onList);
      const status = () => server.db.select().from(enrollments).where(eq(enrollments.sessionId, sessionId)).all().find((e) => e.userId !== seated!.id)?.status;
      expect(status()).toBe('waitlisted');

      // Their account page, from the header: the waitlist place is listed there.
      visibleFocus(await tabTo(page, x.name, { backwards: true }));
      await pressAndWait(page, 'Enter', (u) => u.pathname === `${x.prefix}/account`);
      await checkPage(page, x.accountTitle);
      expect(await page.getByTestId('account-courses').count()).toBe(1);
      expect((await page.getByTestId('account-courses').textContent())!.replace(/\s+/g, ' ')).toContain(`${x.course} · ${x.waitlisted}`);

      // Leaving the waitlist asks first, and going ahead leaves it.
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.myCourses));
      await pressAndWait(page, 'Enter', (u) => u.pathname === `${x.prefix}/my/enrollments`);
      await checkPage(page, x.myCourses);
      expect(await page.getByTestId('my-enrollment-status').textContent()).toContain(x.waitlisted);
      await skipToMain(page);
      visibleFocus(await tabTo(page, x.leave));
      await pressAndWait(page, 'Enter', /\/my\/enrollments\/\d+\/cancel$/);
      await checkPage(page, x.leaveTitle);
      expect(await page.getByTestId('confirm-what').textContent()).toContain(x.leaveWhat);
      expect(await page.getByTestId('confirm-irreversible').textContent()).toBe(x.irreversible);
      expect(status()).toBe('waitlisted');
      await skipToMain(page);
      const yes = visibleFocus(await tabTo(page, x.leaveYes));
      expect(yes.tag).toBe('button');
      await pressAndWait(page, 'Space', (u) => u.pathname === `${x.prefix}/my/enrollments` && u.searchParams.get('cancelled') === '1');
      await checkPage(page, x.myCourses);
      expect(await page.getByRole('status').first().textContent()).toContain(x.cancelled);
      expect(status()).toBe('cancelled');
      expect(await page.getByText(x.leave, { exact: true }).count()).toBe(0);
    }, 240_000);
  }

  it('a researcher registers a project and publishes a finding with only the required fields, and the public sees it, in English', async () => {
    const page = await phone('en-GB');
    const project = 'Returns logistics for cross-border parcels';
    const finding = 'Why parcels come back';

    await page.goto('/en/signin');
    await checkPage(page, 'Sign in');
    await skipToMain(page);
    visibleFocus(await fill(page, /^Email/, DEMO_ACCOUNTS.researcher.email));
    await fill(page, /^Password/, DEMO_PASSWORD);
    visibleFocus(await tabTo(page, 'Sign in'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/account');
    await checkPage(page, 'My account');

    // From the main menu to the research projects, and the form to register one.
    visibleFocus(await tabTo(page, 'Research'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/research');
    await checkPage(page, 'Research projects');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Register a research project'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/research/projects/new');
    await checkPage(page, 'Register a research project');
    await skipToMain(page);
    await fill(page, /^Title \(English\)/, project);
    visibleFocus(await fill(page, /^Abstract/, 'Which parcels come back, and why.\n\nA survey of three bonded warehouses.'));
    const start = await tabTo(page, /^Start date/);
    expect(start.type).toBe('date');
    await page.keyboard.type('03032026'); // day and month alike: the same date whichever order the phone's date field asks for
    await tabTo(page, 'Register project');
    await pressAndWait(page, 'Enter', /\/en\/research\/projects\/\d+$/);
    await checkPage(page, project);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('3 Mar 2026 to ongoing');

    // A finding on it: the title, then the text of its first version, then publish.
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Add a finding'));
    await pressAndWait(page, 'Enter', /\/en\/research\/projects\/\d+\/findings\/new$/);
    await checkPage(page, 'Add a finding');
    await skipToMain(page);
    await fill(page, /^Title \(English\)/, finding);
    await tabTo(page, 'Add finding');
    await pressAndWait(page, 'Enter', /\/en\/research\/findings\/\d+\/versions\/new$/);
    await checkPage(page, 'Add version 1');
    await skipToMain(page);
    await fill(page, /^Text/, '## Findings\n\nMost returns are wrong sizes.');
    await tabTo(page, 'Save draft');
    await pressAndWait(page, 'Enter', /\/en\/research\/findings\/\d+\?v=1&done=saved$/);
    await checkPage(page, finding);
    expect(await page.getByTestId('done').textContent()).toBe('Version 1 is saved as a draft: only the project’s people see it until it is published.');
    expect(await page.locator('main').textContent()).toContain('Not published');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Publish version 1'));
    await pressAndWait(page, 'Enter', /\/en\/research\/findings\/\d+\?v=1&done=published$/);
    await checkPage(page, finding);
    expect(await page.getByTestId('done').textContent()).toBe('Version 1 is published: everyone can now read and cite it.');
    expect(await page.locator('main').textContent()).not.toContain('Not published');
    expect(await page.getByRole('button', { name: 'Publish version 1' }).count()).toBe(0);

    // Signed out, the public finds it from the main menu.
    visibleFocus(await tabTo(page, 'Sign out', { backwards: true }));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await tabTo(page, 'Research');
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/research');
    await skipToMain(page);
    visibleFocus(await tabTo(page, project));
    await pressAndWait(page, 'Enter', /\/en\/research\/projects\/\d+$/);
    await checkPage(page, project);
    expect(await page.getByTestId('finding-list').textContent()).not.toContain('Not published');
    await skipToMain(page);
    await tabTo(page, finding);
    await pressAndWait(page, 'Enter', /\/en\/research\/findings\/\d+$/);
    await checkPage(page, finding);
    expect(await page.getByTestId('finding-body').textContent()).toContain('Most returns are wrong sizes.');
    expect(await page.locator('main').textContent()).not.toContain('Not published');
  }, 240_000);

  it('an industry body proposes a standard with only a title and takes it to publication from its page, in English', async () => {
    const page = await phone('en-GB');
    const title = 'Cross-border seller returns handling';
    const voter = (await server.api.post('/auth/login', { email: DEMO_ACCOUNTS.researcher.email, password: DEMO_PASSWORD })).body.token as string;

    await page.goto('/en/signin');
    await skipToMain(page);
    await fill(page, /^Email/, DEMO_ACCOUNTS.standards.email);
    await fill(page, /^Password/, DEMO_PASSWORD);
    await tabTo(page, 'Sign in');
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/account');
    visibleFocus(await tabTo(page, 'Standards'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/standards');
    await checkPage(page, 'Group standards');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Propose a standard'));
    await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/standards/new');
    await checkPage(page, 'Propose a standard');
    await skipToMain(page);
    visibleFocus(await fill(page, /^Title \(English\)/, title));
    await tabTo(page, 'Propose');
    const at = await pressAndWait(page, 'Enter', /\/en\/standards\/\d+$/);
    const id = Number(at.pathname.split('/').at(-1));
    const stateOf = () => server.db.select().from(standards).where(eq(standards.id, id)).get()!.state;
    await checkPage(page, title);
    expect(stateOf()).toBe('proposed');

    /**
     * The panel's forward step is the first control of the workflow that Tab reaches (never a step
     * back under "Other actions", which stays closed); its button moves the standard on.
     */
    const stateNames: Record<string, string> = {
      project_approved: 'Project approved', drafting: 'Drafting', member_consultation: 'Member consultation', public_comment: 'Public comment',
      comment_resolution: 'Comment resolution', review_ballot: 'Review ballot', approved: 'Approved', published: 'Published',
    };
    async function firstWorkflowControl() {
      await skipToMain(page);
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate(() => {
          const el = document.activeElement;
          return !el?.closest('[data-testid="next-steps"]') ? null : el.closest('[data-testid="other-actions"]') ? 'other-actions' : el.closest('[data-testid="forward-step"]') ? 'forward-step' : 'panel';
        });
        if (where) return where;
      }
      throw new Error('Tab never reached the “what is needed next” panel');
    }
    async function forward(to: string) {
      expect(await page.getByTestId('forward-step').getAttribute('data-to')).toBe(to);
      expect(await page.getByTestId('other-actions').getAttribute('open')).toBeNull();
      expect(await firstWorkflowControl(), `the first control in the panel, moving to ${to}`).toBe('forward-step');
      visibleFocus(await tabTo(page, `Move to “${stateNames[to]}”`, { max: 10 }));
      await pressAndWait(page, 'Enter', (u) => u.pathname === `/en/standards/${id}` && u.searchParams.get('done') === 'transition');
      await checkPage(page, new RegExp(`${title}$`)); // once published, after its number
      expect(await page.getByTestId('error-summary').count(), `moving to ${to}`).toBe(0);
      expect(await page.getByTestId('done').textContent()).toBe('The state was changed.');
      expect(await page.getByTestId('standard-state').getAttribute('data-state')).toBe(to);
      expect(stateOf()).toBe(to);
    }

    /** Back to the list of standards by its link at the top of the page, and into the standard again. */
    async function reopenFromList() {
      await tabTo(page, 'Group standards', { backwards: true, max: 300 });
      await pressAndWait(page, 'Enter', (u) => u.pathname === '/en/standards');
      await checkPage(page, 'Group standards');
      await skipToMain(page);
      await tabTo(page, title, { max: 200 });
      await pressAndWait(page, 'Enter', (u) => u.pathname === `/en/standards/${id}`);
      await checkPage(page, title);
    }

    await forward('project_approved');
    await forward('drafting');

    // Drafting needs a version first: the panel says so, and the "add a new version" form opens with Enter.
    expect(await page.getByTestId('blocker').textContent()).toBe('Add a version of the draft first.');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Add a new version'));
    await page.keyboard.press('Enter');
    await fill(page, /^Full text of the draft/, '## 1 Scope\n\nReturns of parcels sold across borders.\n\n## 2 Handling\n\nSellers accept returns within 7 days.');
    await tabTo(page, 'Save as a new version');
    await pressAndWait(page, 'Enter', (u) => u.searchParams.get('done') === 'version');
    await checkPage(page, title);
    expect(await page.getByTestId('done').textContent()).toBe('The new version was saved.');

    // Consulting the members first is a side step, under "Other actions", which opens with Enter.
    expect(await page.getByTestId('forward-step').getAttribute('data-to')).toBe('public_comment');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Other actions', { max: 30 }));
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('other-actions').getAttribute('open')).toBe('');
    await tabTo(page, 'Move to “Member consultation”', { max: 30 });
    await pressAndWait(page, 'Enter', (u) => u.searchParams.get('done') === 'transition');
    expect(stateOf()).toBe('member_consultation');

    await forward('public_comment'); // the period's 30 days are filled in

    // A comment on clause 2, without a proposed change.
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Comment on 2', { max: 200 }));
    await page.keyboard.press('Space');
    await fill(page, /^Comment/, 'Say who pays for the return postage.');
    await tabTo(page, 'Submit comment');
    await pressAndWait(page, 'Enter', (u) => u.searchParams.get('done') === 'comment' && /^#comment-\d+$/.test(u.hash));
    await checkPage(page, title);
    expect(await page.getByTestId('done').textContent()).toBe('Your comment was submitted. Thank you.');
    expect(await page.locator('#clause-2 [data-testid="comment"]').textContent()).toContain('Say who pays for the return postage.');

    // A month later the comment period is over; they come back to the standard from the list.
    server.db.update(standards).set({ commentClosesAt: new Date(Date.now() - 60_000) }).where(eq(standards.id, id)).run();
    await reopenFromList();
    await forward('comment_resolution');

    // The ballot waits for the comment's disposition: a reason, nothing else.
    expect(await page.getByTestId('blocker').textContent()).toContain('Respond to 1 comment first');
    await skipToMain(page);
    visibleFocus(await tabTo(page, 'Dispose of this comment', { max: 200 }));
    await page.keyboard.press('Enter');
    await fill(page, /^Reason/, 'Accepted: the seller pays within the first 7 days.');
    await tabTo(page, 'Save disposition');
    await pressAndWait(page, 'Enter', (u) => u.searchParams.get('done') === 'dispose');
    await checkPage(page, title);
    expect(await page.getByTestId('disposition').textContent()).toContain('Accepted: the seller pays within the first 7 days.');

    await forward('review_ballot');

    expect(await page.getByTestId('blocker').textContent()).toContain('Quorum not met');

    // A voting member (not one of its drafters) opens the standard from their sign-in and approves, without a reason.
    const member = await phone('en-GB');
    await member.goto(`/en/signin?next=${encodeURIComponent(`/en/standards/${id}`)}`);
    await skipToMain(member);
    await fill(member, /^Email/, DEMO_ACCOUNTS.provider.email);
    await fill(member, /^Password/, DEMO_PASSWORD);
    await tabTo(member, 'Sign in');
    await pressAndWait(member, 'Enter', (u) => u.pathname === `/en/standards/${id}`);
    await checkPage(member, title);
    expect(await member.getByTestId('next-steps').count()).toBe(0); // no workflow controls for a member who is not an editor
    await skipToMain(member);
    const approve = visibleFocus(await tabTo(member, 'Approve', { max: 200 }));
    expect(approve.type).toBe('radio');
    await member.keyboard.press('Space');
    await tabTo(member, 'Vote');
    await pressAndWait(member, 'Enter', (u) => u.searchParams.get('done') === 'vote' && u.hash === '#ballot');
    await checkPage(member, title);
    expect(await member.getByTestId('done').textContent()).toContain('Your vote was recorded');
    expect(await member.getByTestId('ballot').textContent()).toContain('Your vote: Approve');
    // The other voting member votes too (by the API: their part is not this journey).
    expect((await server.api.post(`/standards/${id}/ballot/votes`, { position: 'approve' }, voter)).status).toBe(200);

    // The editor comes back to the standard from the list: the ballot passes, and it moves on to publication.
    await reopenFromList();
    await forward('approved');
    await forward('published'); // no effective date: 30 days after publication
    expect(await page.locator('h1').textContent()).toMatch(new RegExp(`^T/SCBEA \\d{3}—\\d{4} ${title}$`));
    expect(await page.getByTestId('forward-step').getAttribute('data-to')).not.toBe('published');
  }, 300_000);
});
