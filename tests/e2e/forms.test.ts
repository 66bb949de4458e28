/**
 * Forms as a person fills them in, in a real Chromium: only the required fields, the optional
 * ones left empty. The industry body's editor takes a standard from a proposal with only a
 * title to publication and review entirely from the Chinese page; a wrong value brings up the
 * error summary (titled, linked to the field, focused), "错误：" / "Error: " in the page title and
 * the message beside the field, in each language, and a comment low on the page has its summary
 * inside its own form.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const DRAFT = '## 1 范围 Scope\n\n本文件规定卖家信用评价。\n\n## 4 评价指标 Indicators\n\n### 4.1 履约 Fulfilment\n\n按时发货率。\n\n### 4.2 信用等级 Grades\n\n分为 AAA、AA、A 三级。';
const RAW = /Invalid input|expected string|received null/;

describe.skipIf(!hasChromium)('forms filled with only what is required', () => {
  let server: TestServer;
  let browser: Browser;
  let editor: BrowserContext;
  let english: BrowserContext;
  const tokens: Record<string, string> = {};

  async function login(email: string) {
    const res = await server.api.post('/auth/login', { email, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('reader@example.com'); // also makes the server migrate its database
    await seed(server.db);
    for (const who of ['standards', 'provider', 'researcher']) tokens[who] = await login(`${who}@demo.portal.test`);
    browser = await launchBrowser();
    editor = await newContext(browser, server.url, 'zh-CN');
    english = await newContext(browser, server.url, 'en-GB');
    for (const context of [editor, english]) await context.addCookies([{ name: 'portal_session', value: tokens.standards!, url: server.url }]);
  });
  afterAll(async () => {
    await editor?.close();
    await english?.close();
    await browser?.close();
    await server?.stop();
  });

  const state = (page: Page) => page.getByTestId('standard-state').getAttribute('data-state');
  async function noRawMessages(page: Page) {
    expect(await page.locator('body').textContent()).not.toMatch(RAW);
  }

  /**
   * Presses the one button of the step to `to`, with its optional fields left as they are: the
   * panel's forward step, or a side step under its closed "Other actions".
   */
  async function move(page: Page, to: string) {
    const form = page.locator(`[data-testid="next-steps"] [data-testid="transition-${to}"]`);
    if (!(await form.isVisible())) await page.locator('[data-testid="other-actions"] > summary').click();
    await form.locator('button[type="submit"]').click();
    await page.waitForLoadState('load');
    await noRawMessages(page);
    expect(await page.getByTestId('error-summary').count(), `moving to ${to}`).toBe(0);
    await expect(state(page)).resolves.toBe(to);
  }

  it('an industry body takes a standard from a title alone through every stage on the Chinese pages', async () => {
    const page = await editor.newPage();
    await page.goto('/standards/new');
    await page.locator('#f-title').fill('跨境电商卖家信用评价规范 Seller credit grading');
    await page.getByRole('button', { name: /提交|提出/ }).click();
    await page.waitForURL(/\/standards\/\d+$/);
    await noRawMessages(page);
    await expect(state(page)).resolves.toBe('proposed');
    const id = Number(/\/standards\/(\d+)$/.exec(page.url())![1]);

    await move(page, 'project_approved');
    await move(page, 'drafting');

    // A version without a note.
    await page.locator('summary', { hasText: '添加新版本' }).click();
    await page.locator('#version-body').fill(DRAFT);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.waitForURL(/done=version/);
    await noRawMessages(page);

    await move(page, 'member_consultation');
    await move(page, 'drafting');
    await move(page, 'member_consultation');
    await move(page, 'public_comment'); // the period's 30 days are already filled in

    // A comment on clause 4.2 without a proposed change.
    const clause = page.locator('#clause-4\\.2');
    await clause.locator('summary', { hasText: '对 4.2 提出意见' }).click();
    await clause.locator('textarea[name="text"]').fill('等级划分需要说明评分来源。');
    await clause.getByRole('button', { name: '提交意见' }).click();
    await page.waitForURL(/done=comment/);
    await noRawMessages(page);
    const comment = page.locator('#clause-4\\.2 [data-testid="comment"]');
    expect(await comment.count()).toBe(1);
    const commentId = Number((await comment.getAttribute('id'))!.replace('comment-', ''));

    // The comment period is over.
    server.db.$client.prepare('update standards set comment_closes_at = ? where id = ?').run(Date.now() - 60_000, id);
    await page.reload();
    await move(page, 'comment_resolution');

    // A disposition without "resolved in version".
    await page.locator(`#comment-${commentId} summary`, { hasText: '处理此意见' }).click();
    const dispose = page.locator(`[data-testid="dispose-form-${commentId}"]`);
    await dispose.locator('textarea[name="reason"]').fill('采纳，已补充评分方法。');
    await dispose.getByRole('button', { name: '保存处理意见' }).click();
    await page.waitForURL(/done=dispose/);
    await noRawMessages(page);

    await move(page, 'review_ballot');
    // A voting member approves without a reason, from the page; the other one by the API.
    const voter = await newContext(browser, server.url, 'zh-CN');
    await voter.addCookies([{ name: 'portal_session', value: tokens.provider!, url: server.url }]);
    const ballot = await voter.newPage();
    await ballot.goto(`/standards/${id}`);
    await ballot.locator('#vote-approve').check();
    await ballot.getByRole('button', { name: '提交投票' }).click();
    await ballot.waitForURL(/done=vote/);
    await noRawMessages(ballot);
    expect(await ballot.getByTestId('ballot').textContent()).toContain('赞成');
    await voter.close();
    expect((await server.api.post(`/standards/${id}/ballot/votes`, { position: 'approve' }, tokens.researcher)).status).toBe(200);
    await page.reload();

    await move(page, 'approved');
    await move(page, 'published'); // without an effective date: 30 days after publication
    expect(await page.getByTestId('standard-number').count()).toBe(1);
    await move(page, 'under_review');
    await move(page, 'confirmed');
  });

  it('a wrong value brings up the error summary in Chinese, focused, with 错误： in the title', async () => {
    const page = await editor.newPage();
    await page.goto('/standards/new');
    await page.locator('#f-title').fill('A');
    await page.locator('#f-titleZh').fill('卖家评价');
    await page.getByRole('button', { name: /提交|提出/ }).click();
    await page.waitForLoadState('load');
    const summary = page.getByTestId('error-summary');
    expect(await summary.locator('h2').textContent()).toBe('出现问题');
    expect(await summary.locator('a[href="#f-title"]').textContent()).toBe('请填写标题。');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('error-summary');
    expect(await page.title()).toMatch(/^错误：/);
    expect(await page.locator('#f-title-error').textContent()).toBe('请填写标题。');
    expect(await page.locator('#f-title').inputValue()).toBe('A');
    expect(await page.locator('#f-titleZh').inputValue()).toBe('卖家评价');
    expect(await page.locator('.field .error').count()).toBe(1); // the message is shown once, beside its field
    await noRawMessages(page);
    expect(await axeViolations(page)).toEqual([]);
    await summary.locator('a[href="#f-title"]').click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-title');
  });

  it('and in English on /en/', async () => {
    const page = await english.newPage();
    await page.goto('/en/standards/new');
    await page.locator('#f-title').fill('A');
    await page.getByRole('button', { name: /Propose|Submit/ }).click();
    await page.waitForLoadState('load');
    const summary = page.getByTestId('error-summary');
    expect(await summary.locator('h2').textContent()).toBe('There is a problem');
    expect(await summary.locator('a[href="#f-title"]').textContent()).toBe('Enter a title.');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('error-summary');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('#f-title-error').textContent()).toBe('Enter a title.');
    await noRawMessages(page);
  });

  it('a comment on clause 4.2 that fails shows its summary inside its own form, focused, in both languages', async () => {
    const { body: s } = await server.api.post('/standards', { organizationSlug: 'shanghai-cross-border-e-commerce-association', title: 'Comment form sample' }, tokens.standards);
    for (const to of ['project_approved', 'drafting']) await server.api.post(`/standards/${s.id}/transitions`, { to }, tokens.standards);
    await server.api.post(`/standards/${s.id}/versions`, { bodyMd: DRAFT }, tokens.standards);
    expect((await server.api.post(`/standards/${s.id}/transitions`, { to: 'public_comment', commentPeriodDays: 30 }, tokens.standards)).status).toBe(200);
    for (const [context, open, submit, lang] of [[editor, '对 4.2 提出意见', '提交意见', 'zh'], [english, 'Comment on 4.2', 'Submit comment', 'en']] as const) {
      const page = await context.newPage();
      await page.goto(lang === 'en' ? `/en/standards/${s.id}` : `/standards/${s.id}`);
      const clause = page.locator('#clause-4\\.2');
      await clause.locator('summary', { hasText: open }).click();
      await clause.locator('textarea[name="proposedChange"]').fill('分为五级。');
      await clause.locator('textarea[name="text"]').fill('   '); // passes the browser's "required", not ours
      await clause.getByRole('button', { name: submit }).click();
      await page.waitForLoadState('load');
      const form = page.locator('[data-testid="comment-form-4.2"]');
      const summary = form.getByTestId('error-summary');
      expect(await summary.count()).toBe(1);
      expect(await page.getByTestId('error-summary').count()).toBe(1); // not repeated at the top
      await expect(page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('data-testid'))).resolves.toBe('comment-form-4.2');
      expect(await summary.locator('a').getAttribute('href')).toBe('#cf-4-2-text');
      expect(await form.locator('#cf-4-2-text-error').textContent()).toBe(lang === 'en' ? 'Write your comment.' : await translated('Write your comment.'));
      expect(await form.locator('textarea[name="proposedChange"]').inputValue()).toBe('分为五级。');
      expect(await page.title()).toMatch(lang === 'en' ? /^Error: / : /^错误：/);
      await noRawMessages(page);
      expect(await axeViolations(page)).toEqual([]);
    }
  });
});

async function translated(message: string) {
  const { dictionaries } = await import('../../src/i18n/dict');
  return dictionaries['zh-cn'][`err:${message}`];
}
