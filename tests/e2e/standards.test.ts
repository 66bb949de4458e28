/**
 * The seeded SCBEA credit grading draft in a real Chromium: a signed-in member of the public
 * comments on clause 4.2, the body's editor is told and follows the notice to the clause, disposes of
 * it on the same page, and the commenter
 * sees the disposition and the resolution table; axe finds nothing on the draft, diff and table.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

describe.skipIf(!hasChromium)('commenting on a clause and disposing of it', () => {
  let server: TestServer;
  let browser: Browser;
  let commenter: BrowserContext;
  let editor: BrowserContext;
  let id: number;

  async function signIn(context: BrowserContext, email: string, password: string) {
    const res = await server.api.post('/auth/login', { email, password });
    expect(res.status).toBe(200);
    await context.addCookies([{ name: 'portal_session', value: res.body.token, url: server.url }]);
  }

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('seller@example.com', '卖家 Seller'); // also makes the server migrate its database
    await seed(server.db);
    const list = await server.api.get('/standards?stage=public_comment');
    id = list.body.items.find((s: { organization: { code: string } }) => s.organization.code === 'SCBEA').id;
    browser = await launchBrowser();
    commenter = await newContext(browser, server.url, 'en-GB');
    editor = await newContext(browser, server.url, 'zh-CN');
    await signIn(commenter, 'seller@example.com', 'correct horse battery');
    await signIn(editor, 'standards@demo.portal.test', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await commenter?.close();
    await editor?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a comment on clause 4.2 is disposed of by the editor and the commenter sees why', async () => {
    const page: Page = await commenter.newPage();
    await page.goto(`/en/standards/${id}`);
    await expect(page.locator('[data-testid="standard-state"]').getAttribute('data-state')).resolves.toBe('public_comment');
    expect(await page.locator('#clause-5\\.1 table').count()).toBe(1); // the grading table renders inside its clause
    expect(await page.locator('nav.toc a[href="#clause-A.1"]').textContent()).toContain('A.1');
    expect(await page.locator('nav.toc li', { hasText: '5.1' }).textContent()).toMatch(/ 1 comment$/); // the seeded comment, in the singular
    const lastNotice = (server.db.$client.prepare('select coalesce(max(id), 0) as id from notifications').get() as { id: number }).id;
    const clause = page.locator('#clause-4\\.2');
    await clause.locator('summary', { hasText: 'Comment on 4.2' }).click();
    const form = clause.locator('[data-testid="comment-form-4.2"]');
    await form.getByLabel('Type of comment').selectOption('technical');
    await form.locator('textarea[name="text"]').fill('Twelve months is too short for seasonal sellers.');
    await form.getByLabel('Proposed change').fill('Use 24 months of data.');
    await form.getByRole('button', { name: 'Submit comment' }).click();
    await page.waitForURL(/done=comment/);
    await expect(page.getByTestId('done').textContent()).resolves.toContain('Your comment was submitted');
    const mine = page.locator('#clause-4\\.2 [data-testid="comment"]', { hasText: 'Twelve months is too short' });
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Awaiting disposition');
    const commentId = Number((await mine.getAttribute('id'))!.replace('comment-', ''));
    expect(await axeViolations(page)).toEqual([]);

    // Each of the body's editors and owners is told once, the commenter not at all; the notice leads to the clause.
    const received = server.db.$client
      .prepare(
        `select u.email, m.role, count(n.id) as n from memberships m join users u on u.id = m.user_id
         left join notifications n on n.user_id = m.user_id and n.kind = 'standard.comment.received' and n.url = ? and n.id > ?
         where m.organization_id = (select organization_id from standards where id = ?) group by u.email, m.role`,
      )
      .all(`/standards/${id}#clause-4.2`, lastNotice, id) as { email: string; role: string; n: number }[];
    expect(received.some((r) => r.email === 'standards@demo.portal.test')).toBe(true);
    for (const r of received) expect(r.n, r.email).toBe(r.role === 'member' ? 0 : 1);
    const sellerNotices = server.db.$client
      .prepare("select count(*) as n from notifications n join users u on u.id = n.user_id where u.email = 'seller@example.com' and n.kind = 'standard.comment.received'")
      .get() as { n: number };
    expect(sellerNotices.n).toBe(0);

    const ed = await editor.newPage();
    await ed.goto('/notifications');
    await ed.getByRole('link', { name: /第 4\.2 条收到新的技术意见/ }).click(); // the editor reads Chinese pages: the notice is Chinese
    await ed.waitForURL(new RegExp(`/standards/${id}#clause-4\\.2$`));
    expect(await ed.locator('#clause-4\\.2 [data-testid="comment"]', { hasText: 'Twelve months is too short' }).count()).toBe(1);
    await ed.goto(`/standards/${id}#comment-${commentId}`);
    await ed.locator(`#comment-${commentId} summary`, { hasText: '处理此意见' }).click();
    const dispose = ed.locator(`[data-testid="dispose-form-${commentId}"]`);
    await dispose.getByLabel('处理结果').selectOption('accepted');
    await dispose.locator('textarea[name="reason"]').fill('采纳：改为近 24 个月数据。 Accepted: 24 months.');
    await dispose.getByRole('button', { name: '保存处理意见' }).click();
    await ed.waitForURL(/done=dispose/);
    expect(await ed.locator(`#comment-${commentId} [data-testid="disposition"]`).textContent()).toContain('采纳');

    await page.reload();
    const disposed = page.locator(`#comment-${commentId} [data-testid="disposition"]`);
    expect(await disposed.textContent()).toContain('Accepted');
    expect(await disposed.textContent()).toContain('24 months');
    expect(await page.locator(`[data-testid="dispose-form-${commentId}"]`).count()).toBe(0); // the public cannot dispose

    await page.goto(`/en/standards/${id}/resolution`);
    const row = page.locator(`#comment-${commentId}`);
    expect(await row.textContent()).toContain('Use 24 months of data.');
    expect(await row.textContent()).toContain('Accepted');
    expect(await axeViolations(page)).toEqual([]);
    const notice = server.db.$client
      .prepare("select n.title from notifications n join users u on u.id = n.user_id where u.email = 'seller@example.com' and n.kind = 'standard.comment.disposed'")
      .all() as { title: string }[];
    expect(notice.map((n) => n.title)).toEqual([expect.stringContaining('clause 4.2')]);
  });

  it('the editor sees what is needed next and cannot skip the comment period', async () => {
    const ed = await editor.newPage();
    await ed.goto(`/en/standards/${id}`);
    const next = ed.getByTestId('next-steps');
    expect(await next.getByTestId('forward-step').textContent()).toMatch(/public comment period runs until/i);
    expect(await next.locator('form').count()).toBe(0); // only "abandon" is possible now, behind its confirmation page
    expect(await next.getByTestId('other-actions').locator('a', { hasText: 'Abandon this project…' }).count()).toBe(1);
    expect(await axeViolations(ed)).toEqual([]);
  });

  it('the list, proposal form, diff and ballot rules pages have no axe violations', async () => {
    const token = (await server.api.post('/auth/login', { email: 'standards@demo.portal.test', password: DEMO_PASSWORD })).body.token;
    const { body: c } = await server.api.post('/standards', { organizationSlug: 'shanghai-cross-border-e-commerce-association', title: 'Axe sample' }, token);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' }, token);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'drafting' }, token);
    const md = '## 1 Scope\n\nSellers.\n\n## 2 Grades\n\n| Grade | Score |\n|---|---|\n| A | 90 |\n| B | 80 |';
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: md }, token);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: md.replace('| A | 90 |', '| A | 92 |').replace('Sellers.', 'Cross-border sellers.') }, token);
    const ed = await editor.newPage();
    for (const path of ['/en/standards', '/standards', '/en/standards/new', `/en/standards/${c.id}/diff?from=1&to=2`, `/standards/${c.id}`, '/en/standards/rules/shanghai-cross-border-e-commerce-association']) {
      const res = await ed.goto(path);
      expect(res?.status(), path).toBe(200);
      expect(await axeViolations(ed), path).toEqual([]);
    }
    await ed.goto(`/en/standards/${c.id}/diff?from=1&to=2`);
    expect(await ed.locator('[data-clause="2"] td[data-cell="changed"]').textContent()).toContain('92');
    expect(await ed.locator('[data-clause="1"] ins').textContent()).toContain('Cross-border');
  });
});
