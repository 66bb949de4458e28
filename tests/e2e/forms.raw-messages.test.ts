/**
 * Every form on the portal's form pages, submitted in a real Chromium the way a hurried person
 * does: the required fields get a plausible value, the optional fields stay as the page gave them
 * (a new record's are empty), and the
 * browser's own checks are off so the server sees whatever was typed. Whatever the outcome, the
 * page never shows a validator's developer message ("Invalid input: expected string, received
 * null"), an empty optional field is never what is wrong, and a form said to have invalid fields
 * marks one.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const RAW = /Invalid input|expected \w+, received|Invalid option|Too small|Too big/;
const SCBEA = 'shanghai-cross-border-e-commerce-association';

describe.skipIf(!hasChromium)('every form with its optional fields left empty', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts = new Map<string, BrowserContext>();
  let standardId: number;
  let applicationId: number;

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('reader@example.com');
    await seed(server.db);
    browser = await launchBrowser();
    for (const who of ['admin', 'standards', 'provider', 'researcher', 'entrepreneur', 'signed-out']) {
      const context = await newContext(browser, server.url, 'zh-CN');
      if (who !== 'signed-out') {
        const res = await server.api.post('/auth/login', { email: `${who}@demo.portal.test`, password: DEMO_PASSWORD });
        expect(res.status).toBe(200);
        await context.addCookies([{ name: 'portal_session', value: res.body.token, url: server.url }]);
      }
      contexts.set(who, context);
      if (who === 'entrepreneur') {
        const res = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, (await server.api.post('/auth/login', { email: 'entrepreneur@demo.portal.test', password: DEMO_PASSWORD })).body.token);
        expect(res.status).toBe(201);
        applicationId = res.body.id;
      }
    }
    const list = await server.api.get('/standards?stage=public_comment');
    standardId = list.body.items.find((s: { organization: { code: string } }) => s.organization.code === 'SCBEA').id;
  });
  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
    await browser?.close();
    await server?.stop();
  });

  /** Fills form `index` of the page with only what it requires, and submits it with the browser's checks off. */
  async function submitRequiredOnly(page: Page, index: number) {
    await page.evaluate((i) => {
      const form = [...document.querySelectorAll<HTMLFormElement>('form')].filter((f) => (f.getAttribute('action') ?? '').includes('_action='))[i]!;
      form.noValidate = true;
      for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')) {
        if (field.type === 'hidden' || field.type === 'submit' || field instanceof HTMLSelectElement) continue;
        if (field.type === 'checkbox' || field.type === 'radio') {
          if (field.required && !form.querySelector(`[name="${field.name}"]:checked`)) (field as HTMLInputElement).checked = true;
          continue;
        }
        if (!field.required || field.value) continue; // optional fields stay as the page gave them: mostly empty
        field.value =
          field.type === 'email' ? 'someone@example.com'
          : field.type === 'number' ? String((field as HTMLInputElement).min || 1)
          : field.type === 'date' ? '2027-03-01'
          : field.type === 'datetime-local' ? '2027-03-01T09:00'
          : field.type === 'url' ? 'https://example.com'
          : field.type === 'password' ? 'wrong password 1234'
          : 'Plain text 填写内容';
      }
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"], button:not([type])');
      form.requestSubmit(button ?? undefined);
    }, index);
    await page.waitForLoadState('load');
  }

  const pages: [who: string, path: string][] = [
    ['standards', '/standards/new'],
    ['standards', '/standards/{standard}'],
    ['standards', `/standards/rules/${SCBEA}`],
    ['standards', `/organizations/${SCBEA}/edit`],
    ['standards', `/organizations/${SCBEA}/members`],
    ['admin', '/organizations/new'],
    ['admin', '/admin/users'],
    ['admin', '/admin/synonyms'],
    ['admin', '/settlement/manage'],
    ['provider', '/courses/new'],
    ['researcher', '/research/projects/new'],
    ['entrepreneur', '/settlement/routes/entrepreneur-talent'],
    ['entrepreneur', '/settlement/estimate'],
    ['entrepreneur', '/settlement/applications/{application}/personal'],
    ['entrepreneur', '/settlement/applications/{application}/criteria'],
    ['entrepreneur', '/settlement/applications/{application}/company'],
    ['entrepreneur', '/account'],
    ['entrepreneur', '/notifications'],
    ['signed-out', '/signup'],
    ['signed-out', '/signin'],
    ['signed-out', '/forgot-password'],
    ['standards', '/en/standards/new'],
    ['standards', '/en/standards/{standard}'],
  ];

  for (const [who, template] of pages) {
    it(`${template} (${who})`, async () => {
      const path = () => template.replace('{standard}', String(standardId)).replace('{application}', String(applicationId));
      const page = await contexts.get(who)!.newPage();
      const res = await page.goto(path());
      expect(res?.status(), path()).toBe(200);
      const count = await page.evaluate(() => [...document.querySelectorAll<HTMLFormElement>('form')].filter((f) => (f.getAttribute('action') ?? '').includes('_action=')).length);
      const seen = new Set<string>();
      for (let i = 0; i < count; i++) {
        await page.goto(path());
        const action = await page.evaluate((n) => [...document.querySelectorAll<HTMLFormElement>('form')].filter((f) => (f.getAttribute('action') ?? '').includes('_action='))[n]?.getAttribute('action'), i);
        if (!action || seen.has(action.split('#')[0]!)) continue; // one of each kind: a page of clauses has one comment form per clause
        seen.add(action.split('#')[0]!);
        await submitRequiredOnly(page, i);
        const text = (await page.locator('body').textContent()) ?? '';
        expect(text, `${path()} ${action}`).not.toMatch(RAW);
        // An empty optional field is never the problem.
        const flagged = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[aria-invalid="true"]')].filter((f) => !(f as HTMLInputElement).required && !(f as HTMLInputElement).value).map((f) => f.getAttribute('name')),
        );
        expect(flagged, `${path()} ${action}`).toEqual([]);
        // "Some fields are not valid" always points at a field the person can see.
        if (/部分内容填写有误|Some fields are not valid/.test(text)) expect(await page.locator('[aria-invalid="true"], .field .error').count(), `${path()} ${action}`).toBeGreaterThan(0);
      }
    });
  }
});
