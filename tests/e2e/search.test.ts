/**
 * The search page in a real Chromium: highlighted results rendered safely (a document titled with
 * <script> and <img onerror> shows as text and runs nothing), facets that combine, pagination,
 * "did you mean" help, a page that works without JavaScript, suggestions with it, and no axe violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { write } from '../../db/client';
import { seedSearch } from '../../db/seed/search';
import { searchIndex } from '../../src/lib/search';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { loadFixtures } from '../search.fixtures';

let server: TestServer;
let browser: Browser;

if (!hasChromium) console.warn(`search browser test skipped: ${noChromiumReason}`);

const HOSTILE_TITLE = '<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'"> Quagga Logistics';

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer();
  await server.api.get('/search?q=warmup'); // the server migrates its database on first use
  seedSearch(server.db);
  loadFixtures(server.db);
  write(server.db, (tx) =>
    searchIndex.upsert(tx, { kind: 'organization', id: 'hostile', url: '/organizations/hostile', lang: 'en', title: HOSTILE_TITLE, body: 'Quagga <b>bold</b> & "quoted" logistics <script>alert(1)</script>', organizationType: 'company', year: 2026 }),
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

describe.skipIf(!hasChromium)('the search page', () => {
  it('shows a hostile title as text, with the match highlighted, and runs none of it', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto('/en/search?q=quagga');
    const hit = page.locator('.search-hit', { hasText: 'Quagga Logistics' });
    await expect.poll(() => hit.count()).toBe(1);
    const title = hit.locator('h3 a');
    expect(await title.innerText()).toBe('<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'"> Quagga Logistics');
    expect(await title.locator('mark').allInnerTexts()).toEqual(['Quagga']);
    expect(await hit.locator('script, img, b').count()).toBe(0);
    expect(await hit.locator('.snippet mark').first().innerText()).toBe('Quagga');
    expect(await hit.locator('.snippet').innerText()).toContain('<b>bold</b> & "quoted"');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await expectAccessible(page);
    await context.close();
  });

  it('combines facets, pages through results, and helps when nothing matches', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    const page = await context.newPage();
    await page.goto('/en/search?q=logistics&perPage=2');
    const total = async () => Number((await page.locator('#results-heading').innerText()).match(/\d+/)![0]);
    const all = await total();
    expect(all).toBeGreaterThan(3);

    const filters = page.locator('details.search-filters');
    expect(await filters.getAttribute('open')).not.toBeNull(); // wide screen: open beside the results
    await page.locator('[data-facet="type"]').getByLabel(/^Course/).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/type=course/);
    const courses = await total();
    expect(courses).toBeLessThan(all);
    expect(new Set(await page.locator('.search-hit .badge').allInnerTexts())).toEqual(new Set(['Course']));
    await page.locator('[data-facet="type"]').getByLabel(/^Research project/).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/type=project/);
    expect(await total()).toBeGreaterThan(courses);
    expect(await page.locator('[data-facet="type"] input:checked').count()).toBe(2);
    expect(await page.locator('[data-facet="type"] legend').innerText()).toBe('Type');

    await page.goto('/en/search?q=logistics&perPage=2');
    const first = await page.locator('.search-hit h3').allInnerTexts();
    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    const second = await page.locator('.search-hit h3').allInnerTexts();
    expect(second.filter((t) => first.includes(t))).toEqual([]);
    await expectAccessible(page);

    // a misspelt word: the results of the corrected one, and a way back to what was typed
    await page.goto('/en/search?q=logxzztics&perPage=2');
    expect(await page.getByTestId('correction').innerText()).toContain('Showing results for logistics');
    expect(await total()).toBe(all);
    expect(await page.locator('#search-q').inputValue()).toBe('logistics');
    await page.getByRole('link', { name: 'Search instead for logxzztics' }).click();
    await page.waitForURL(/asTyped=1/);
    await expect.poll(() => page.getByTestId('no-results').innerText()).toContain('Did you mean');
    await page.getByTestId('no-results').getByRole('link', { name: 'logistics' }).click();
    await page.waitForURL(/q=logistics/);
    expect(await total()).toBe(all);
    await context.close();
  });

  it('says the correction in Chinese too, and never shows how long a search took', async () => {
    const context = await newContext(browser, server.url, 'zh-CN');
    const page = await context.newPage();
    await page.goto('/search?q=logxzztics');
    expect(await page.getByTestId('correction').innerText()).toContain('显示的是“logistics”的结果');
    expect(await page.getByRole('link', { name: '仍然搜索“logxzztics”' }).count()).toBe(1);
    for (const p of ['/search?q=logistics', '/en/search?q=logistics', '/en/search?q=quagga']) {
      await page.goto(p);
      const text = await page.locator('main').innerText();
      expect(text, p).not.toMatch(/\d\s*ms\b|毫秒|用时/);
    }
    // English plurals: one result, many results
    await page.goto('/en/search?q=quagga');
    expect(await page.locator('#results-heading').innerText()).toBe('1 result');
    await page.goto('/en/search?q=logistics');
    expect(await page.locator('#results-heading').innerText()).toMatch(/^\d+ results$/);
    await context.close();
  });

  it('on a phone, puts the results before the filters, which open from the Filter control', async () => {
    for (const [locale, path, control] of [['en-GB', '/en/search?q=logistics', 'Filter'], ['zh-CN', '/search?q=logistics', '筛选']] as const) {
      const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(path);
      // reading order: the first result precedes the filters in the document
      const order = await page.evaluate(() => {
        const hit = document.querySelector('.search-hit')!;
        const filters = document.querySelector('.search-filters')!;
        return hit.compareDocumentPosition(filters) & Node.DOCUMENT_POSITION_FOLLOWING ? 'results first' : 'filters first';
      });
      expect(order).toBe('results first');
      // and on screen: the first result is above the fold, the folded filters below it
      const hitBox = (await page.locator('.search-hit').first().boundingBox())!;
      expect(hitBox.y).toBeLessThan(740);
      const checkbox = page.locator('[data-facet="type"] input[type="checkbox"]').first();
      expect(await checkbox.isVisible()).toBe(false);
      const summary = page.locator('summary', { hasText: control });
      await summary.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => checkbox.isVisible()).toBe(true);
      expect(await page.locator('.search-filters fieldset legend').count()).toBeGreaterThan(0);
      await expectAccessible(page);
      await context.close();
    }
  });

  it('works without JavaScript, in Chinese', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/search');
    await page.getByLabel('搜索全站公开内容').fill('跨境电商');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    expect(await page.locator('.search-hit').count()).toBeGreaterThan(0);
    expect(await page.locator('.search-hit mark').count()).toBeGreaterThan(0);
    // the filters fold away without JavaScript too, open from their control, and apply by submitting
    await page.locator('summary', { hasText: '筛选' }).click();
    await page.locator('[data-facet="type"]').getByLabel(/^课程/).check();
    await page.getByRole('button', { name: '应用筛选' }).click();
    await page.waitForURL(/type=course/);
    expect(new Set(await page.locator('.search-hit .badge').allInnerTexts())).toEqual(new Set(['课程']));
    const url = page.url();
    await context.close();
    // axe needs JavaScript: check the same Chinese results page in a normal context
    const withJs = await newContext(browser, server.url, 'zh-CN');
    const again = await withJs.newPage();
    await again.goto(url);
    await expectAccessible(again);
    await withJs.close();
  });

  it('suggests completions as you type, with JavaScript', async () => {
    const context = await newContext(browser, server.url, 'en-GB');
    const page = await context.newPage();
    await page.goto('/en/search');
    await page.locator('#search-q').pressSequentially('logi', { delay: 30 });
    await expect.poll(() => page.locator('#search-suggestions option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), { timeout: 5000 }).toContain('logistics');
    await context.close();
  });
});
