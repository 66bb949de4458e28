/**
 * Research pages in a real Chromium: hostile Markdown in a finding renders harmlessly (no dialog,
 * no script element, no event handler, no javascript: link), in the body and in the diff; the
 * project form keeps what was typed and shows an ORCID error on its row; axe finds nothing.
 */
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, users } from '../../db/schema';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PAYLOADS = [
  '<script>alert("script")</script>',
  '<img src=x onerror="alert(\'img\')">',
  '<svg onload="alert(\'svg\')"></svg>',
  '<iframe src="javascript:alert(\'iframe\')"></iframe>',
  '[click me](javascript:alert(\'link\'))',
  '<a href="javascript:alert(\'a\')">a</a>',
  '<details open ontoggle="alert(\'details\')">x</details>',
  '<style>body{display:none}</style>',
  '"><script>alert("attr")</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert("mxss")>',
].join('\n\n');

describe.skipIf(!hasChromium)('research pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let token: string;
  let findingId: number;
  let projectId: number;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    token = await server.api.signUp('researcher@uni.test', 'Researcher');
    const org = server.db.insert(organizations).values({ slug: 'uni', name: 'Uni', nameZh: '大学', type: 'university', status: 'verified' }).returning().get();
    const user = server.db.select().from(users).where(eq(users.email, 'researcher@uni.test')).get()!;
    server.db.insert(memberships).values({ organizationId: org.id, userId: user.id, role: 'editor' }).run();
    const project = await server.api.post('/research/projects', { organizationSlug: 'uni', title: 'Hostile input project', titleZh: '恶意输入测试项目', abstractMd: `Abstract ${PAYLOADS}`, status: 'active', startDate: '2026-01-01', people: [{ name: '<b>Mallory</b>', role: 'pi' }] }, token);
    projectId = project.body.id;
    const finding = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'report', title: 'Report <script>alert("title")</script>', licence: 'CC-BY-4.0', access: 'open' }, token);
    findingId = finding.body.id;
    await server.api.post(`/research/findings/${findingId}/versions`, { bodyMd: `# Results\n\nSafe paragraph.\n\n${PAYLOADS}` }, token);
    await server.api.post(`/research/findings/${findingId}/publish`, {}, token);
    await server.api.post(`/research/findings/${findingId}/versions`, { bodyMd: `# Results\n\nSafer paragraph.\n\n${PAYLOADS}\n\n<script>alert("v2")</script>`, changelog: '<img src=x onerror=alert("changelog")>' }, token);
    await server.api.post(`/research/findings/${findingId}/publish`, {}, token);
    context = await newContext(browser, server.url, 'en-GB');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  async function visit(path: string) {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(path);
    await page.waitForLoadState('load');
    await page.waitForTimeout(300); // give any injected handler the chance to fire
    return { page, dialogs, status: res?.status() };
  }

  /** Scripts other than JSON-LD, inline handlers, and javascript: URLs anywhere in the document. */
  const hostile = (page: import('playwright-core').Page) =>
    page.evaluate(() => ({
      scripts: [...document.querySelectorAll('script')].filter((s) => s.type !== 'application/ld+json').map((s) => s.outerHTML),
      bodyScripts: document.body.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName}[${a.name}]`)),
      jsUrls: [...document.querySelectorAll('[href],[src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '').filter((u) => /^\s*javascript:/i.test(u)),
      frames: document.querySelectorAll('iframe, svg, math, style:not(head style)').length,
    }));

  it('renders the hostile body and metadata as harmless text', async () => {
    const { page, dialogs, status } = await visit(`/en/research/findings/${findingId}?v=1`);
    expect(status).toBe(200);
    expect(await page.textContent('h1')).toBe('Report <script>alert("title")</script>');
    expect(await page.textContent('[data-testid="finding-body"]')).toContain('Safe paragraph.');
    expect(dialogs).toEqual([]);
    const found = await hostile(page);
    expect(found.bodyScripts).toBe(0);
    expect(found.scripts.filter((s) => !s.includes('type="module"') && !s.includes('astro'))).toEqual([]);
    expect(found.handlers).toEqual([]);
    expect(found.jsUrls).toEqual([]);
    expect(await page.locator('[data-testid="finding-body"] img').count()).toBeLessThanOrEqual(2);
    expect(await page.locator('[data-testid="finding-body"] iframe, [data-testid="finding-body"] svg').count()).toBe(0);
    expect(await page.isVisible('body')).toBe(true);
    await page.close();
  });

  it('shows the diff between the two versions escaped, with no dialog', async () => {
    const { page, dialogs } = await visit(`/en/research/findings/${findingId}?from=1&to=2`);
    const diff = page.locator('[data-testid="diff"]');
    expect(await diff.locator('ins').count()).toBeGreaterThan(0);
    expect(await diff.locator('del').count()).toBeGreaterThan(0);
    expect(await diff.textContent()).toContain('<script>alert("v2")</script>');
    expect(await diff.locator('script, img, iframe, svg, a').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect((await hostile(page)).bodyScripts).toBe(0);
    await page.close();
  });

  it('renders the project page and the browse page harmlessly, and axe finds no violations', async () => {
    for (const path of [`/en/research/projects/${projectId}`, `/research/projects/${projectId}`, '/en/research', `/en/research/findings/${findingId}`]) {
      const { page, dialogs, status } = await visit(path);
      expect(status, path).toBe(200);
      expect(dialogs, path).toEqual([]);
      const found = await hostile(page);
      expect(found.bodyScripts, path).toBe(0);
      expect(found.handlers, path).toEqual([]);
      // The hostile Markdown deliberately has images without alt text; axe judges the page, not it.
      await page.evaluate(() => document.querySelectorAll('.prose').forEach((el) => el.remove()));
      expect(await axeViolations(page), path).toEqual([]);
      await page.close();
    }
  });

  it('serves an Atom feed that parses as XML, with the hostile title as text', async () => {
    const xml = await (await fetch(`${server.url}/research/feed.atom?lang=en`)).text();
    const page = await context.newPage();
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.namespaceURI,
        titles: [...doc.getElementsByTagNameNS(ns, 'entry')].map((e) => e.getElementsByTagNameNS(ns, 'title')[0]?.textContent),
        scripts: doc.getElementsByTagName('script').length,
      };
    }, xml);
    expect(parsed).toEqual({ error: 0, root: 'http://www.w3.org/2005/Atom', titles: ['Report <script>alert("title")</script>'], scripts: 0 });
    await page.close();
  });

  it('keeps what was typed in the project form and shows an ORCID error on its row', async () => {
    await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    const { page } = await visit('/en/research/projects/new');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Title (English)').fill('Cross-border returns logistics');
    await page.getByLabel('Title (Chinese)').fill('跨境退货物流研究');
    await page.getByLabel('Abstract').fill('How returns flow back across borders.');
    await page.getByLabel('Start date').fill('2026-02-01');
    await page.getByLabel('Person 2: name').fill('Li Lei');
    await page.getByLabel('Person 2: ORCID iD').fill('0000-0002-1825-0098');
    await page.getByRole('button', { name: 'Register project' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').first().textContent()).toContain('Some fields are not valid');
    expect(await page.locator('#f-personOrcid-1-error').textContent()).toMatch(/check digit/);
    expect(await page.getByLabel('Title (Chinese)').inputValue()).toBe('跨境退货物流研究');
    await page.getByLabel('Person 2: ORCID iD').fill('https://orcid.org/0000-0002-1825-0097');
    await page.getByRole('button', { name: 'Register project' }).click();
    await page.waitForURL(/\/en\/research\/projects\/\d+$/);
    expect(await page.textContent('h1')).toContain('Cross-border returns logistics');
    expect(await page.locator('a[href="https://orcid.org/0000-0002-1825-0097"]').count()).toBe(1);
    await page.close();
  });
});
