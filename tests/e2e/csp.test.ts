/**
 * The Content-Security-Policy without 'unsafe-inline' in a real Chromium: every kind of page
 * loads with no violation reported (Astro's hashes cover its inline scripts and styles; JSON-LD
 * data blocks are not scripts to CSP), the search page's script still suggests as you type, and
 * a script or style injected into a page is blocked.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

describe.skipIf(!hasChromium)('the Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  let visitor: BrowserContext;
  let admin: BrowserContext;
  const ids: Record<string, string | number> = {};

  /** A context that records every CSP violation (an init script runs before the page's own and is not subject to its CSP). */
  async function watchedContext(token?: string) {
    const context = await newContext(browser, server.url, 'en-GB');
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`), true);
    });
    if (token) await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    return context;
  }

  /** Opens `path` and returns the violations the page and the console reported. */
  async function visit(context: BrowserContext, path: string): Promise<{ page: Page; violations: string[] }> {
    const page = await context.newPage();
    const console: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) console.push(m.text());
    });
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    expect(res?.headers()['content-security-policy'], path).not.toContain('unsafe-inline');
    await page.waitForLoadState('networkidle');
    const violations = [...(await page.evaluate(() => window.__cspViolations)), ...console];
    return { page, violations };
  }

  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/organizations'); // the server migrates its database on first use
    await seed(server.db);
    ids.course = (await server.api.get('/courses?perPage=1')).body.items[0].id;
    ids.project = (await server.api.get('/research/projects?perPage=1')).body.items[0].id;
    ids.standard = (await server.api.get('/standards?perPage=1')).body.items[0].id;
    const login = await server.api.post('/auth/login', { email: DEMO_ACCOUNTS.admin.email, password: DEMO_PASSWORD });
    browser = await launchBrowser();
    visitor = await watchedContext();
    admin = await watchedContext(login.body.token);
  });
  afterAll(async () => {
    await visitor?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  it('reports no violation on public pages, those with inline styles and JSON-LD included', async () => {
    const paths = [
      '/',
      '/en/',
      '/en/search?q=logistics',
      '/courses',
      `/en/courses/${ids.course}`,
      '/research',
      `/en/research/projects/${ids.project}`,
      '/standards',
      `/en/standards/${ids.standard}`,
      '/organizations',
      '/policies',
      '/settlement',
      '/en/signin',
      '/en/signup',
      '/en/policies/shanghai-cross-border-ecommerce-views',
    ];
    let jsonLd = 0;
    for (const path of paths) {
      const { page, violations } = await visit(visitor, path);
      expect(violations, path).toEqual([]);
      jsonLd += await page.locator('script[type="application/ld+json"]').count();
      await page.close();
    }
    expect(jsonLd).toBeGreaterThan(0);
  });

  it('reports no violation on signed-in pages', async () => {
    for (const path of ['/en/account', '/en/notifications', '/en/admin', '/en/admin/audit', '/en/admin/users', '/en/admin/outbox', '/en/admin/organizations', '/en/organizations/new', '/en/my/enrollments']) {
      const { page, violations } = await visit(admin, path);
      expect(violations, path).toEqual([]);
      await page.close();
    }
  });

  it('applies the inline styles and runs the search page script, which suggests as you type', async () => {
    const { page, violations } = await visit(visitor, '/en/search');
    // A rule from the page's own inlined <style> block applies.
    expect(await page.locator('.search-form').evaluate((el) => getComputedStyle(el).marginBottom)).not.toBe('0px');
    await page.locator('#search-q').pressSequentially('logi');
    await expect.poll(() => page.locator('#search-suggestions option').count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('blocks a script and a style that were not part of the page', async () => {
    const { page } = await visit(visitor, '/en/');
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      const style = document.createElement('style');
      style.textContent = 'body { letter-spacing: 7px }';
      document.head.append(style);
      await new Promise((r) => setTimeout(r, 100));
      return { script: 'injected' in window, letterSpacing: getComputedStyle(document.body).letterSpacing };
    });
    expect(ran).toEqual({ script: false, letterSpacing: 'normal' });
    const violations = await page.evaluate(() => window.__cspViolations);
    expect(violations.map((v) => v.split(' ')[0])).toEqual(['script-src-elem', 'style-src-elem']);
    await page.close();
  });
});
