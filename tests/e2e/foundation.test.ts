/**
 * The newcomer's walk in a real Chromium: sign up, verify the address from the mailed link, sign
 * out, sign in, switch language on the same page, register an organization, sign out; and
 * axe-core on the pages everyone sees first.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { grantRoles } from '../helpers/accounts';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

describe.skipIf(!hasChromium)('foundation in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const path = (page: Page) => new URL(page.url()).pathname;
  /** The newest link to `to` that starts with the site's `path`, read from the outbox. */
  const mailedLink = (to: string, linkPath: string) => {
    const rows = server.db.$client.prepare('select body from email_outbox where to_address = ? order by id desc').all(to) as { body: string }[];
    for (const { body } of rows) {
      const line = body.split('\n').find((l) => l.includes(`${linkPath}?token=`));
      if (line) return line.trim();
    }
    throw new Error(`no ${linkPath} link mailed to ${to}`);
  };

  it('signs up, out and in, switches language, registers an organization, signs out', async () => {
    const context = await newContext(browser, server.url, 'zh-CN');
    const page = await context.newPage();
    const email = 'newcomer@example.com';
    const password = 'a newcomer password';

    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('link', { name: '注册' }).first().click();
    expect(path(page)).toBe('/signup');

    await page.getByLabel('姓名').fill('新来的 Newcomer');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '创建账户' }).click();
    // Nobody is signed in yet: the page asks to open the link mailed to the address.
    await expect.poll(() => page.getByTestId('signup-sent').textContent()).toContain(`我们已向 ${email} 发送了一个链接`);
    expect(await page.getByRole('button', { name: '退出' }).count()).toBe(0);

    const link = new URL(mailedLink(email, '/verify-email'));
    // Opening the link (as a mail scanner would) only shows the button.
    await page.goto(link.pathname + link.search);
    expect(await page.textContent('h1')).toBe('验证电子邮箱');
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('button', { name: '确认邮箱并登录' }).click();
    await page.waitForURL((u) => u.pathname === '/account');
    expect(await page.textContent('h1')).toBe('我的账户');
    expect(await page.getByTestId('account-notice').textContent()).toBe('邮箱已验证，欢迎！');
    expect(await page.getByTestId('unverified-notice').count()).toBe(0);
    expect(await page.textContent('[data-testid="account-email"]')).toBe(email);

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect(page.getByRole('link', { name: '登录' }).count()).resolves.toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: '退出' }).count()).toBe(0);

    await page.goto('/signin');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill('not my password');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('邮箱或密码不正确');
    expect(await page.getByLabel('电子邮箱').inputValue()).toBe(email);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/account');

    await page.getByTestId('lang-switch').click();
    await page.waitForURL('**/en/account');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('My account');
    await page.getByTestId('lang-switch').click();
    await page.waitForURL((u) => u.pathname === '/account');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByTestId('lang-switch').click();
    await page.waitForURL('**/en/account');

    await page.getByRole('link', { name: 'Register an organization' }).click();
    await page.waitForURL('**/en/organizations/new');
    await page.locator('[name="name"]').fill('Newcomer Trade Academy');
    await page.locator('[name="nameZh"]').fill('新人贸易学院');
    await page.locator('select[name="type"]').selectOption('training_agency');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => /^\/en\/organizations\/[a-z0-9-]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    expect(await page.textContent('h1')).toContain('Newcomer Trade Academy');
    expect(await page.textContent('main')).toContain('Pending verification');

    await page.goto('/en/account');
    expect(await page.textContent('main')).toContain('Newcomer Trade Academy');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/en/');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await page.goto('/en/account');
    expect(path(page)).toBe('/en/signin');
    await context.close();
  });

  it('has no axe-core violations on the home, sign-in and sign-up pages in both languages', async () => {
    const context = await newContext(browser, server.url, 'zh-CN');
    const page = await context.newPage();
    const found: Record<string, unknown> = {};
    for (const p of ['/', '/signin', '/signup', '/en/', '/en/signin', '/en/signup']) {
      const res = await page.goto(p);
      expect(res?.status(), p).toBe(200);
      const violations = await axeViolations(page);
      if (violations.length) found[p] = violations;
    }
    expect(found).toEqual({});
    // The checker itself works: an unlabelled image and input are reported.
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>');
    expect((await axeViolations(page)).map((v: { id: string }) => v.id)).toEqual(expect.arrayContaining(['image-alt', 'label']));
    await context.close();
  });

  it('has no axe-core violations on the account, notification, password and admin pages', async () => {
    const token = await server.api.signUp('axe-admin@example.com', 'Axe Admin');
    grantRoles(server, 'axe-admin@example.com', ['admin']);
    const context = await newContext(browser, server.url, 'zh-CN');
    await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    const page = await context.newPage();
    const found: Record<string, unknown> = {};
    const pages: [string, number][] = [
      ['/account', 200], ['/notifications', 200], ['/forgot-password', 200], ['/reset-password?token=0123456789abcdef', 200],
      ['/admin', 200], ['/admin/users', 200], ['/admin/audit', 200], ['/admin/outbox', 200],
      ['/en/admin/users', 200], ['/en/no-such-page', 404],
    ];
    for (const [p, status] of pages) {
      const res = await page.goto(p);
      expect(res?.status(), p).toBe(status);
      const violations = await axeViolations(page);
      if (violations.length) found[p] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  });
});
