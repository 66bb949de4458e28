/**
 * axe-core on every page type, as the people who use them see them: anonymous visitors, a
 * student, a researcher, an industry body's editor, an entrepreneur, a settlement officer and an
 * admin; in Chinese and in English; on a desktop (1280 px) and a phone (360 px). Zero violations.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoRole } from '../../db/seed/demo-accounts';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const WIDTHS = [1280, 360];

/** Markdown with what makes pages hard to use: its own h1, a long code line and a wide table. */
const FINDING_MD = [
  '# Results 结果',
  '',
  'Financing costs fell by 5 percent.',
  '',
  '```json',
  `{"corridor": "CN-DE", "series": [${Array.from({ length: 40 }, (_, i) => i * 13).join(', ')}]}`,
  '```',
  '',
  `| ${Array.from({ length: 12 }, (_, i) => `Quarter ${i + 1}`).join(' | ')} |`,
  `|${'---|'.repeat(12)}`,
  `| ${Array.from({ length: 12 }, (_, i) => `${100 + i * 7}`).join(' | ')} |`,
].join('\n');

/** A draft as bodies write them: its own `#` title above numbered clauses, and a code block. */
const DRAFT_MD = [
  '# 跨境电商包裹标签规范 Parcel labelling for cross-border e-commerce',
  '',
  '## 1 范围 Scope',
  '',
  'Labels on parcels that leave Shanghai.',
  '',
  '## 2 标签格式 Label format',
  '',
  '### 说明 Notes',
  '',
  '```',
  `LABEL ${'X'.repeat(200)}`,
  '```',
].join('\n');

describe.skipIf(!hasChromium)('accessibility of every page type', () => {
  let server: TestServer;
  let browser: Browser;
  const tokens = {} as Record<DemoRole, string>;
  const ids = {} as Record<string, string | number>;

  const one = <T>(sql: string, ...args: unknown[]) => server.db.$client.prepare(sql).pluck().get(...args) as T;

  async function uploadDocument(id: number, item: string, token: string) {
    const boundary = 'axe-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\n${item}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
      body,
    });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    server = await startServer();
    await server.api.get('/settlement/routes'); // the server migrates its database on first use
    await seed(server.db);
    for (const role of Object.keys(DEMO_ACCOUNTS) as DemoRole[]) {
      const res = await server.api.post('/auth/login', { email: DEMO_ACCOUNTS[role].email, password: DEMO_PASSWORD });
      expect(res.status, role).toBe(200);
      tokens[role] = res.body.token;
    }

    // an application submitted (for the officer's case page) and one still a draft (for a step)
    const answers = {
      personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
      criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
      company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder and CEO', employees: 12 },
      declaration: { agreed: true, signedName: 'Amir Rahman' },
    };
    const submitted = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, tokens.entrepreneur)).body.id as number;
    expect((await server.api.patch(`/settlement/applications/${submitted}`, { answers }, tokens.entrepreneur)).status).toBe(200);
    for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) await uploadDocument(submitted, item, tokens.entrepreneur);
    expect((await server.api.post(`/settlement/applications/${submitted}/submit`, {}, tokens.entrepreneur)).status).toBe(200);
    ids.submitted = submitted;
    ids.draft = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, tokens.entrepreneur)).body.id;

    // a finding with two versions, its own h1, a code block and a wide table
    ids.project = one<number>(`select p.id from research_projects p join research_project_people pp on pp.project_id = p.id join users u on u.id = pp.user_id where u.email = ? limit 1`, DEMO_ACCOUNTS.researcher.email);
    const finding = await server.api.post(`/research/projects/${ids.project}/findings`, { type: 'working_paper', title: 'Inventory finance on the CN-DE corridor', licence: 'CC-BY-4.0', access: 'open' }, tokens.researcher);
    expect(finding.status).toBe(201);
    ids.finding = finding.body.id;
    await server.api.post(`/research/findings/${ids.finding}/versions`, { bodyMd: FINDING_MD }, tokens.researcher);
    await server.api.post(`/research/findings/${ids.finding}/publish`, {}, tokens.researcher);
    await server.api.post(`/research/findings/${ids.finding}/versions`, { bodyMd: FINDING_MD.replace('5 percent', '7 percent'), changelog: 'Corrected the figure' }, tokens.researcher);
    await server.api.post(`/research/findings/${ids.finding}/publish`, {}, tokens.researcher);

    // a standard drafted in two versions, for its page and the diff between them
    const body = one<string>(`select slug from organizations where code = 'SCBEA'`);
    const std = await server.api.post('/standards', { organizationSlug: body, title: 'Parcel labelling', titleZh: '包裹标签规范' }, tokens.standards);
    expect(std.status).toBe(201);
    ids.draftStandard = std.body.id;
    for (const to of ['project_approved', 'drafting']) expect((await server.api.post(`/standards/${ids.draftStandard}/transitions`, { to }, tokens.standards)).status).toBe(200);
    expect((await server.api.post(`/standards/${ids.draftStandard}/versions`, { bodyMd: DRAFT_MD, note: 'First draft' }, tokens.standards)).status).toBe(201);
    expect((await server.api.post(`/standards/${ids.draftStandard}/versions`, { bodyMd: DRAFT_MD.replace('leave Shanghai', 'leave Shanghai by air'), note: 'Air parcels' }, tokens.standards)).status).toBe(201);
    expect((await server.api.post(`/standards/${ids.draftStandard}/transitions`, { to: 'public_comment', commentPeriodDays: 30 }, tokens.standards)).status).toBe(200);

    ids.course = one<number>(`select course_id from course_sessions order by id limit 1`);
    ids.session = one<number>(`select id from course_sessions where course_id = ? order by id limit 1`, ids.course);
    ids.standard = one<number>(`select s.id from standards s join standard_comments c on c.standard_id = s.id order by s.id limit 1`);
    ids.org = one<string>(`select slug from organizations where status = 'verified' order by id limit 1`);
    ids.policy = 'shanghai-cross-border-ecommerce-views';
    const memberOf = (role: DemoRole) => `select m.organization_id from memberships m join users u on u.id = m.user_id where u.email = '${DEMO_ACCOUNTS[role].email}'`;
    ids.providerCourse = one<number>(`select c.id from courses c join course_sessions s on s.course_id = c.id where c.organization_id in (${memberOf('provider')}) order by c.id limit 1`);
    ids.providerSession = one<number>(`select id from course_sessions where course_id = ? order by id limit 1`, ids.providerCourse);
    ids.body = body;
    ids.bodyOwner = one<string>(`select id from users where email = ?`, DEMO_ACCOUNTS.standards.email);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Visits each path in Chinese and English at both widths and collects axe's violations by page. */
  async function sweep(role: DemoRole | null, paths: string[]) {
    const context: BrowserContext = await newContext(browser, server.url, 'zh-CN');
    if (role) await context.addCookies([{ name: 'portal_session', value: tokens[role], url: server.url }]);
    const page = await context.newPage();
    const found: Record<string, unknown> = {};
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of paths.flatMap((p) => [p, p === '/' ? '/en/' : `/en${p}`])) {
        const res = await page.goto(p);
        expect(res?.status(), `${p} as ${role ?? 'a visitor'}`).toBe(200);
        expect(await page.locator('h1').count(), `one h1 on ${p}`).toBe(1);
        const violations = await axeViolations(page);
        if (violations.length) found[`${p} @${width}`] = violations;
      }
    }
    await context.close();
    return found;
  }

  it('a draft\'s own # heading does not become a second h1 on the standard\'s page', async () => {
    for (const p of [`/standards/${ids.draftStandard}`, `/en/standards/${ids.draftStandard}`]) {
      const html = await (await fetch(`${server.url}${p}`)).text();
      expect(html.match(/<h1[\s>]/g), p).toHaveLength(1);
      expect(html).toMatch(/<h[2-6][^>]*>跨境电商包裹标签规范 Parcel labelling for cross-border e-commerce<\/h[2-6]>/);
      // clauses keep their numbers and anchors
      expect(html).toContain('id="clause-2"');
      expect(html).toMatch(/<pre tabindex="0" role="region" aria-label="(代码块|Code block)">/);
    }
  });

  it('on a phone, a finding\'s wide code and table scroll inside their own regions, not the page', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`/en/research/findings/${ids.finding}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const region of [page.getByRole('region', { name: 'Code block' }), page.getByRole('region', { name: 'Table' })]) {
      expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await region.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    }
    await context.close();
  });

  it('home, courses, organizations and policies, as a visitor', async () => {
    expect(await sweep(null, ['/', '/courses', `/courses/${ids.course}`, `/courses/${ids.course}/sessions/${ids.session}`, '/organizations', `/organizations/${ids.org}`, '/policies', `/policies/${ids.policy}`, '/signin', '/signup', '/forgot-password'])).toEqual({});
  }, 300_000);

  it('research and standards, as a visitor', async () => {
    expect(await sweep(null, ['/research', `/research/projects/${ids.project}`, `/research/findings/${ids.finding}`, `/research/findings/${ids.finding}?from=1&to=2`, '/standards', `/standards/${ids.standard}`, `/standards/${ids.standard}/resolution`, `/standards/${ids.draftStandard}`, `/standards/${ids.draftStandard}/diff?from=1&to=2`])).toEqual({});
  }, 300_000);

  it('standards, as the body\'s editor, and search with results', async () => {
    expect(await sweep('standards', [`/standards/${ids.standard}`, '/standards/new', '/search?q=logistics', '/search?q=logxzztics'])).toEqual({});
  }, 300_000);

  it('settlement, as a visitor and as the applicant', async () => {
    expect(await sweep('entrepreneur', ['/settlement', '/settlement/estimate', '/settlement/estimate?age=44&education=master&socialInsuranceYears=2', '/settlement/routes/entrepreneur-talent', `/settlement/applications/${ids.draft}`, `/settlement/applications/${ids.draft}/personal`, `/settlement/applications/${ids.submitted}`])).toEqual({});
  }, 300_000);

  it('settlement, as an officer: the queue and a case', async () => {
    expect(await sweep('officer', ['/settlement/queue', `/settlement/cases/${ids.submitted}`])).toEqual({});
  }, 300_000);

  it('account pages, as a student', async () => {
    expect(await sweep('student', ['/account', '/my/enrollments', '/notifications', '/certificates'])).toEqual({});
  }, 300_000);

  it('forms that create and edit, as the people who use them', async () => {
    const found = {
      ...(await sweep('provider', ['/courses/new', `/courses/${ids.providerCourse}/edit`, `/courses/${ids.providerCourse}/sessions/${ids.providerSession}/roster`, '/organizations/new'])),
      ...(await sweep('researcher', ['/research/projects/new', `/research/projects/${ids.project}/edit`, `/research/projects/${ids.project}/findings/new`, `/research/findings/${ids.finding}/edit`, `/research/findings/${ids.finding}/versions/new`])),
      ...(await sweep('standards', [`/organizations/${ids.body}/edit`, `/organizations/${ids.body}/members`, `/organizations/${ids.body}/members/${ids.bodyOwner}/remove`, `/standards/rules/${ids.body}`])),
      ...(await sweep('entrepreneur', ['criteria', 'company', 'documents', 'declaration', 'check'].map((step) => `/settlement/applications/${ids.draft}/${step}`))),
      ...(await sweep('admin', ['/settlement/manage'])),
      ...(await sweep(null, ['/search', '/reset-password?token=0123456789abcdef'])),
    };
    expect(found).toEqual({});
  }, 600_000);

  it('admin pages, as an admin', async () => {
    expect(await sweep('admin', ['/admin', '/admin/users', '/admin/audit', '/admin/outbox', '/admin/organizations', '/admin/synonyms', '/notifications'])).toEqual({});
  }, 300_000);
});
