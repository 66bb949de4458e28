/**
 * The policy library: the pages (Astro content collection) and the search/CLI reader (library.ts)
 * read the same files the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPolicies } from '../src/lib/policies/library';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const page = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, html: await res.text() };
};

describe('the policy library', () => {
  it('lists every entry library.ts reads, with the same titles, in both languages', async () => {
    const policies = listPolicies();
    expect(policies.map((p) => p.slug)).toEqual(['shanghai-cross-border-ecommerce-views', 'views-sections-10-12-summary-zh']);
    const en = await page('/en/policies');
    const zh = await page('/policies');
    expect(en.status).toBe(200);
    expect(zh.html).toContain('<html lang="zh-CN"');
    for (const p of policies) {
      expect(en.html).toContain(`href="/en/policies/${p.slug}"`);
      expect(en.html).toContain(p.title.replaceAll("'", '&#39;'));
      expect(zh.html).toContain(`href="/policies/${p.slug}"`);
      expect(zh.html).toContain(p.titleZh!);
    }
  });

  it('renders the Views with its source named', async () => {
    const { status, html } = await page('/en/policies/shanghai-cross-border-ecommerce-views');
    expect(status).toBe(200);
    expect(html).toContain('<h2>11). Channeling more resources to research efforts and cultivating more talents</h2>');
    expect(html).toMatch(/data-testid="policy-source"[^>]*>\s*Source: <span lang="en">Shanghai Municipal People(&#39;|')s Government/);
    expect(html).toContain('href="/en/policies/views-sections-10-12-summary-zh"');
  });

  it('labels the Chinese summary as ours, not the official text, and links the original', async () => {
    const { status, html } = await page('/policies/views-sections-10-12-summary-zh');
    expect(status).toBe(200);
    expect(html).toMatch(/data-testid="summary-notice"[\s\S]*不是官方文本[\s\S]*href="\/policies\/shanghai-cross-border-ecommerce-views"/);
    expect(html).toContain('<div lang="zh-CN">');
    expect(html).toContain('第十一条');
    const summary = listPolicies().find((p) => p.slug === 'views-sections-10-12-summary-zh')!;
    expect(summary).toMatchObject({ lang: 'zh-cn', kind: 'summary', summaryOf: 'shanghai-cross-border-ecommerce-views' });
  });

  it('answers 404 for an unknown entry', async () => {
    expect((await page('/en/policies/no-such-policy')).status).toBe(404);
  });
});
