/**
 * Every form of the portal, from a table, in a real Chromium and in both languages:
 *
 * - every field filled with a valid value: the form succeeds (its page's success state or
 *   redirect) and shows what was saved;
 * - every field filled but one wrong: the error summary titled "出现问题" / "There is a problem"
 *   takes the focus and links to the field (`href="#id"`, and the field has that id), the
 *   message beside the field is in the page's language, the page title starts with "错误：" /
 *   "Error: ", and everything typed is still in the form (passwords are never echoed).
 *
 * The table also checks that it lists every field its form has, so a field added to a form later
 * fails here until it has a valid value. The browser's own checks are turned off, so the server
 * sees what was typed. Forms with only required fields are covered by forms.raw-messages.test.ts;
 * the standards workflow forms by forms.test.ts; the settlement application's own forms (steps,
 * transitions, routes) are tested where they are converted.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { mailedToken, postForm } from '../helpers/accounts';
import { hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { usccCheckCharacter } from '../../src/lib/identifiers/uscc';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

type Lang = 'zh' | 'en';
type Who = 'admin' | 'standards' | 'provider' | 'researcher' | 'entrepreneur' | 'guest' | 'fresh';

/** Values the cases share: ids of what an earlier case or `reach` made, a fresh account's address. */
type Ctx = Record<string, string>;

interface FormCase {
  name: string;
  /** Signed in as a demo role, signed out (guest), or as an account made for this run (fresh). */
  who: Who;
  /** The page, without the language prefix; `{key}` is filled from the context. */
  path: string;
  /** Arranges what the form needs (a mailed token, a record to edit) before the page is opened. */
  reach?: (ctx: Ctx, lang: Lang) => Promise<void>;
  /** Which form of the page. */
  form: string;
  /** Every field of the form (a CSS selector inside it) with a valid value; `true` ticks a box. `{n}` makes it unique. */
  fields: Record<string, string | true>;
  /** After the valid submission: where the page is, and what it shows of the saved values. */
  success: {
    url: RegExp;
    shows: (values: Record<string, string>) => string[];
    after?: (page: Page, ctx: Ctx) => void;
    /** A page whose form shows the saved values again (the form's own page when it returns there)… */
    reopen?: string;
    /** …and that form, when it is not the one submitted. */
    reopenForm?: string;
  };
  /** Ids of the blank rows a form offers to add more (people, partners…): left empty. */
  spare?: RegExp;
  /** One field (its id) with a wrong value and the message the page gives beside it; none for a form of only tick boxes. */
  wrong?: { id: string; value: string; zh: string; en: string };
}

const SCBEA = 'shanghai-cross-border-e-commerce-association';
const RAW = /Invalid input|expected \w+, received|Invalid option|Too small|Too big/;
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A valid ROR id (its check digits computed) for 6 characters of Crockford base32. */
function ror(six: string) {
  let n = 0n;
  for (const ch of `0${six}`) n = n * 32n + BigInt(CROCKFORD.indexOf(ch));
  return `0${six}${String(98n - ((n * 100n) % 97n)).padStart(2, '0')}`;
}

let unique = 0;

/** A unified social credit code no other organization has, with its GB 32100 check character. */
function uscc(): string {
  const first17 = `91310115MA1${String(100000 + ++unique).slice(-6)}`;
  return first17 + usccCheckCharacter(first17)!;
}

const cases: FormCase[] = [
  {
    name: 'sign up',
    who: 'guest',
    path: '/signup',
    form: 'form[action*="accounts.signUp"]',
    fields: { '#f-displayName': '新用户 {n}', '#f-email': 'new-{n}@example.com', '#f-password': 'correct horse battery staple' },
    success: { url: /\/signup/, shows: (v) => [v['#f-email']!] },
    wrong: { id: 'f-email', value: 'not-an-address', zh: '请输入有效的电子邮箱，例如 name@example.com。', en: 'Enter an email address like name@example.com.' },
  },
  {
    name: 'sign in',
    who: 'guest',
    path: '/signin',
    reach: async (ctx) => {
      ctx.signinEmail = `signin-${++unique}@example.com`;
      await server.api.signUp(ctx.signinEmail, 'Sign in');
    },
    form: 'form[action*="accounts.signIn"]',
    fields: { '#f-email': '{signinEmail}', '#f-password': 'correct horse battery' },
    success: { url: /\/account$/, shows: (v) => [v['#f-email']!] },
    wrong: { id: 'f-email', value: 'not-an-address', zh: '请输入有效的电子邮箱，例如 name@example.com。', en: 'Enter an email address like name@example.com.' },
  },
  {
    name: 'forgot password',
    who: 'guest',
    path: '/forgot-password',
    form: 'form[action*="accounts.requestReset"]',
    fields: { '#f-email': 'forgot-{n}@example.com' },
    success: { url: /\/forgot-password\?sent=1$/, shows: () => [] },
    wrong: { id: 'f-email', value: 'not-an-address', zh: '请输入有效的电子邮箱，例如 name@example.com。', en: 'Enter an email address like name@example.com.' },
  },
  {
    name: 'reset password',
    who: 'guest',
    path: '/reset-password?token={resetToken}',
    reach: async (ctx) => {
      const email = `reset-${++unique}@example.com`;
      await server.api.signUp(email, 'Reset');
      expect((await postForm(server, '/forgot-password', 'accounts.requestReset', { email })).status).toBe(303);
      ctx.resetToken = mailedToken(server, email, '/reset-password');
    },
    form: 'form[action*="accounts.resetPassword"]',
    fields: { '#f-newPassword': 'another horse battery staple' },
    success: { url: /\/reset-password\?done=1$/, shows: () => [] },
    wrong: { id: 'f-newPassword', value: 'short', zh: '至少需要 10 个字符。', en: 'Use at least 10 characters.' },
  },
  {
    name: 'change password',
    who: 'fresh',
    path: '/account',
    form: 'form[action*="accounts.changePassword"]',
    fields: { '#f-currentPassword': 'correct horse battery', '#f-newPassword': 'another horse battery staple' },
    success: { url: /\/account\?changed=1#password$/, shows: () => [] },
    wrong: { id: 'f-newPassword', value: 'short', zh: '至少需要 10 个字符。', en: 'Use at least 10 characters.' },
  },
  {
    name: 'create an organization',
    who: 'researcher',
    path: '/organizations/new',
    form: 'form[action*="organizations.create"]',
    fields: {
      '#f-name': 'Cross-border Lab {n}',
      '#f-nameZh': '跨境实验室 {n}',
      '#f-type': 'industry_body', // the one kind with a standards code
      '#f-descriptionMd': '研究跨境物流。 Studies logistics {n}.',
      '#f-website': 'https://lab-{n}.example.cn',
      '#f-rorId': '{ror}',
      '#f-code': 'LAB{n}',
      '#f-creditCode': '{uscc}',
    },
    reach: async (ctx) => {
      ctx.ror = ror(`ab${String(++unique).padStart(4, '0')}`);
      ctx.uscc = uscc();
    },
    success: {
      url: /\/organizations\/[a-z0-9-]+$/,
      shows: (v) => [v['#f-name']!, v['#f-nameZh']!, `Studies logistics`],
      after: (page, ctx) => {
        ctx.org = /\/organizations\/([a-z0-9-]+)$/.exec(page.url())![1]!;
      },
    },
    wrong: { id: 'f-website', value: 'ftp://lab.example.cn', zh: '请输入以 https:// 开头的网址。', en: 'Enter a web address starting with https://.' },
  },
  {
    name: 'edit an organization',
    who: 'researcher',
    path: '/organizations/{org}/edit',
    form: 'form[action*="organizations.update"]',
    fields: {
      '#f-name': 'Cross-border Lab renamed {n}',
      '#f-nameZh': '跨境实验室改名 {n}',
      '#f-type': 'industry_body',
      '#f-descriptionMd': '改为研究支付。 Now studies payments {n}.',
      '#f-website': 'https://renamed-{n}.example.cn',
      '#f-rorId': '{ror}',
      '#f-code': 'REN{n}',
      '#f-creditCode': '{uscc}',
    },
    reach: async (ctx) => {
      ctx.ror = ror(`cd${String(++unique).padStart(4, '0')}`);
      ctx.uscc = uscc();
    },
    success: { url: /\/organizations\/[a-z0-9-]+$/, shows: (v) => [v['#f-name']!, v['#f-nameZh']!, 'Now studies payments'] },
    wrong: {
      id: 'f-creditCode',
      value: '91310115MA1K4B2C3T',
      zh: '统一社会信用代码的最后一位（校验码）与前 17 位不符，请对照营业执照核对。',
      en: 'The last character of this unified social credit code does not match the others; check the code against the business licence.',
    },
  },
  {
    name: 'invite a member',
    who: 'standards',
    path: `/organizations/${SCBEA}/members`,
    form: 'form[aria-labelledby="add-heading"]',
    fields: { '#f-email': 'invitee-{n}@example.com', '#f-role': 'editor', '[name="votingMember"]': true },
    success: { url: /\/members\?done=invited/, shows: (v) => [v['#f-email']!] },
    wrong: { id: 'f-email', value: 'not-an-address', zh: '请输入有效的电子邮箱，例如 name@example.com。', en: 'Enter an email address like name@example.com.' },
  },
  {
    name: 'create a course',
    who: 'provider',
    path: '/courses/new',
    form: 'form[action*="courses.create"]',
    fields: {
      '#f-organizationSlug': '{providerOrg}',
      '#f-title': 'Customs clearance basics {n}',
      '#f-titleZh': '通关基础 {n}',
      '#f-summary': 'How a parcel clears customs in Shanghai.',
      '#f-summaryZh': '包裹在上海如何通关。',
      '#f-descriptionMd': '## 内容\n\n申报、查验、放行。',
      '#f-category': 'logistics',
      '[name="languages"][value="zh-cn"]': true,
      '[name="languages"][value="en"]': true,
      '#f-mode': 'online',
      '#f-level': 'beginner',
      '#f-prerequisites': '无 None',
      '#f-priceCny': '300',
      '#f-tags': '通关, customs',
      '[name="partnerSlugs"]': true,
    },
    reach: async (ctx, lang) => {
      void lang;
      ctx.providerOrg ??= (server.db.$client.prepare(`SELECT o.slug FROM organizations o JOIN memberships m ON m.organization_id = o.id JOIN users u ON u.id = m.user_id WHERE u.email = 'provider@demo.portal.test' AND m.role = 'owner'`).get() as { slug: string }).slug;
    },
    success: {
      url: /\/courses\/\d+\/edit$/,
      shows: () => [],
      after: (page, ctx) => {
        ctx.course = /\/courses\/(\d+)\/edit/.exec(page.url())![1]!;
      },
    },
    wrong: { id: 'f-priceCny', value: '12.5', zh: '请输入整数元。', en: 'Enter whole yuan.' },
  },
  {
    name: 'edit a course',
    who: 'provider',
    path: '/courses/{course}/edit',
    form: 'form[action*="courses.update"]',
    fields: {
      '#f-title': 'Customs clearance in practice {n}',
      '#f-titleZh': '通关实务 {n}',
      '#f-summary': 'Declaring, inspecting and releasing parcels.',
      '#f-summaryZh': '申报、查验与放行。',
      '#f-descriptionMd': '## 大纲\n\n三个单元 {n}。',
      '#f-category': 'compliance_tax',
      '[name="languages"][value="zh-cn"]': true,
      '[name="languages"][value="en"]': true,
      '#f-mode': 'blended',
      '#f-level': 'intermediate',
      '#f-prerequisites': '了解报关 Know customs basics',
      '#f-priceCny': '450',
      '#f-tags': '报关, declaration',
      '[name="partnerSlugs"]': true,
    },
    success: { url: /\/courses\/\d+\/edit\?saved=1$/, shows: () => [], reopen: '/courses/{course}/edit' },
    wrong: { id: 'f-summary', value: 'Too short', zh: '简介至少 10 个字符。', en: 'Enter a summary of at least 10 characters.' },
  },
  {
    name: 'add a session to a course',
    who: 'provider',
    path: '/courses/{course}/edit',
    form: 'form[action*="courses.createSession"]',
    fields: {
      '#f-timezone': 'Asia/Shanghai',
      '#f-startsAt': '2027-03-01T09:00',
      '#f-endsAt': '2027-03-01T17:00',
      '#f-location': '上海市浦东新区 {n} 号',
      '#f-onlineUrl': 'https://meet.example.cn/{n}',
      '#f-capacity': '30',
      '#f-waitlistLimit': '5',
      '#f-enrollmentOpensAt': '2027-01-01T09:00',
      '#f-enrollmentClosesAt': '2027-02-20T18:00',
      '#f-cancellationDeadline': '2027-02-25T18:00',
    },
    success: {
      url: /\/courses\/\d+\/edit\?saved=1#sessions$/,
      shows: () => [],
      after: (_page, ctx) => {
        ctx.session = String((server.db.$client.prepare('SELECT id FROM course_sessions WHERE course_id = ? ORDER BY id DESC').get(Number(ctx.course)) as { id: number }).id);
      },
      reopen: '/courses/{course}/sessions/{session}',
      reopenForm: 'form[action*="courses.updateSession"]:not(:has([name="cancelled"]))',
    },
    wrong: { id: 'f-capacity', value: '0', zh: '至少提供 1 个名额。', en: 'Offer at least one seat.' },
  },
  {
    name: 'change a session',
    who: 'provider',
    path: '/courses/{course}/sessions/{session}',
    form: 'form[action*="courses.updateSession"]:not(:has([name="cancelled"]))',
    fields: {
      '#f-timezone': 'Asia/Shanghai',
      '#f-startsAt': '2027-04-01T09:30',
      '#f-endsAt': '2027-04-01T16:30',
      '#f-location': '上海市徐汇区 {n} 号',
      '#f-onlineUrl': 'https://meet.example.cn/changed-{n}',
      '#f-capacity': '40',
      '#f-waitlistLimit': '10',
      '#f-enrollmentOpensAt': '2027-01-05T09:00',
      '#f-enrollmentClosesAt': '2027-03-20T18:00',
      '#f-cancellationDeadline': '2027-03-25T18:00',
    },
    success: { url: /\/courses\/\d+\/edit\?saved=1#sessions$/, shows: () => [], reopen: '/courses/{course}/sessions/{session}' },
    wrong: { id: 'f-capacity', value: '0', zh: '至少提供 1 个名额。', en: 'Offer at least one seat.' },
  },
  {
    name: 'create a research project',
    who: 'researcher',
    path: '/research/projects/new',
    form: 'form[action*="research.createProject"]',
    fields: {
      '#f-organizationSlug': 'huangpu-university-of-commerce',
      '#f-title': 'Parcel returns in cross-border trade {n}',
      '#f-titleZh': '跨境退货研究 {n}',
      '#f-acronym': 'PR{n}',
      '#f-abstractMd': '我们研究退货。 We study returns.',
      '#f-status': 'active',
      '#f-startDate': '2026-01-01',
      '#f-endDate': '2027-12-31',
      '#f-keywords': '退货, returns',
      '[name="topics"]': true,
      '#f-personName-0': '孙悦 Sun Yue',
      '#f-personRole-0': 'pi',
      '#f-personOrcid-0': '0000-0002-1825-0097',
      '#f-personEmail-0': 'researcher@demo.portal.test',
      '#f-partnerSlug-0': SCBEA,
      '#f-partnerRole-0': 'partner',
      '#f-funder-0': '上海市科学技术委员会 STCSM',
      '#f-awardNumber-0': 'STC-{n}',
      '#f-amount-0': '500000.00',
      '#f-currency-0': 'CNY',
      '#f-corridorOrigin-0': 'CN',
      '#f-corridorDestination-0': 'DE',
    },
    spare: /^f-(person\w+|partner\w+|funder|awardNumber|amount|currency|corridor\w+)-[12]$/,
    success: {
      url: /\/research\/projects\/\d+$/,
      shows: (v) => [v['#f-title']!, v['#f-titleZh']!, 'We study returns.'],
      after: (page, ctx) => {
        ctx.project = /\/research\/projects\/(\d+)/.exec(page.url())![1]!;
      },
    },
    wrong: { id: 'f-endDate', value: '2025-12-31', zh: '结束日期不能早于开始日期。', en: 'The end date cannot be before the start date.' },
  },
  {
    name: 'edit a research project',
    who: 'researcher',
    path: '/research/projects/{project}/edit',
    form: 'form[action*="research.updateProject"]',
    fields: {
      '#f-title': 'Parcel returns, second phase {n}',
      '#f-titleZh': '跨境退货研究二期 {n}',
      '#f-acronym': 'PRB{n}',
      '#f-abstractMd': '第二期研究退款。 Phase two studies refunds.',
      '#f-status': 'completed',
      '#f-startDate': '2026-02-01',
      '#f-endDate': '2026-11-30',
      '#f-keywords': '退款, refunds',
      '[name="topics"]': true,
      '#f-personName-0': '孙悦 Sun Yue',
      '#f-personRole-0': 'co_investigator',
      '#f-personOrcid-0': '0000-0002-1825-0097',
      '#f-personEmail-0': 'researcher@demo.portal.test',
      '#f-partnerSlug-0': 'pujiang-bridge-logistics',
      '#f-partnerRole-0': 'partner',
      '#f-funder-0': '国家自然科学基金 NSFC',
      '#f-awardNumber-0': 'NSFC-{n}',
      '#f-amount-0': '800000.00',
      '#f-currency-0': 'CNY',
      '#f-corridorOrigin-0': 'CN',
      '#f-corridorDestination-0': 'US',
    },
    spare: /^f-(person\w+|partner\w+|funder|awardNumber|amount|currency|corridor\w+)-[12]$/,
    success: { url: /\/research\/projects\/\d+$/, shows: (v) => [v['#f-title']!, v['#f-titleZh']!, 'Phase two studies refunds.'] },
    wrong: { id: 'f-currency-0', value: 'XX1', zh: '请填写 ISO 4217 币种代码，如 CNY、USD、EUR。', en: 'Enter an ISO 4217 currency code such as CNY, USD or EUR.' },
  },
  {
    name: 'add a finding to a project',
    who: 'researcher',
    path: '/research/projects/{project}/findings/new',
    form: 'form[action*="research.createFinding"]',
    fields: {
      '#f-type': 'dataset',
      '#f-title': 'Returns data {n}',
      '#f-titleZh': '退货数据 {n}',
      '#f-licence': 'CC-BY-4.0',
      '#f-access': 'embargoed',
      '#f-embargoUntil': '2027-06-30',
      '#f-doi': '10.1000/returns-{n}',
    },
    success: {
      url: /\/research\/findings\/\d+\/versions\/new$/,
      shows: () => [],
      after: (page, ctx) => {
        ctx.finding = /\/research\/findings\/(\d+)/.exec(page.url())![1]!;
      },
    },
    wrong: { id: 'f-doi', value: 'not a doi', zh: '请按 10.1000/xyz123、doi:10.1000/xyz123 或 https://doi.org/10.1000/xyz123 的格式填写 DOI。', en: 'Enter a DOI like 10.1000/xyz123, doi:10.1000/xyz123 or https://doi.org/10.1000/xyz123.' },
  },
  {
    name: 'write a version of a finding',
    who: 'researcher',
    path: '/research/findings/{finding}/versions/new',
    form: 'form[action*="research.saveVersion"]',
    fields: { '#f-bodyMd': '## 方法 Method\n\n问卷 {n}。' }, // a first version has no changelog
    success: { url: /\/research\/findings\/\d+\?v=\d+&done=(saved|published)$/, shows: (v) => [`问卷`] },
    wrong: { id: 'f-bodyMd', value: '', zh: '请填写正文。', en: 'Write the text.' },
  },
  {
    name: 'edit a finding',
    who: 'researcher',
    path: '/research/findings/{finding}/edit',
    form: 'form[action*="research.updateFinding"]',
    fields: {
      '#f-type': 'report',
      '#f-title': 'Returns report {n}',
      '#f-titleZh': '退货报告 {n}',
      '#f-licence': 'CC-BY-4.0',
      '#f-access': 'embargoed',
      '#f-embargoUntil': '2027-09-30',
      '#f-doi': '10.1000/report-{n}',
    },
    success: { url: /\/research\/findings\/\d+$/, shows: (v) => [v['#f-title']!] },
    wrong: { id: 'f-doi', value: 'doi 10', zh: '请按 10.1000/xyz123、doi:10.1000/xyz123 或 https://doi.org/10.1000/xyz123 的格式填写 DOI。', en: 'Enter a DOI like 10.1000/xyz123, doi:10.1000/xyz123 or https://doi.org/10.1000/xyz123.' },
  },
  {
    name: 'ballot rules of an industry body',
    who: 'standards',
    path: `/standards/rules/${SCBEA}`,
    form: 'form[action*="standards.ballotRules"]',
    fields: { '#f-quorumNumerator': '1', '#f-quorumDenominator': '2', '#f-passNumerator': '2', '#f-passDenominator': '3' },
    success: { url: /\?saved=1$/, shows: () => [] },
    wrong: { id: 'f-passNumerator', value: '4', zh: '分子不能大于分母。', en: 'A share cannot exceed the whole.' },
  },
  {
    name: 'propose a standard',
    who: 'standards',
    path: '/standards/new',
    form: 'form[action*="standards.propose"]',
    fields: {
      '#f-organizationSlug': SCBEA,
      '#f-title': 'Returns handling for cross-border parcels {n}',
      '#f-titleZh': '跨境包裹退货处理规范 {n}',
      '#f-scopeMd': '本文件规定退货流程。 Covers the returns process {n}.',
    },
    success: { url: /\/standards\/\d+$/, shows: (v) => [v['#f-titleZh']!, 'Covers the returns process'] },
    wrong: { id: 'f-title', value: 'A', zh: '请填写标题。', en: 'Enter a title.' },
  },
  {
    // only tick boxes: nothing a person types can be wrong
    name: 'platform roles (admin)',
    who: 'admin',
    path: '/admin/users?email={rolesEmail}',
    reach: async (ctx) => {
      ctx.rolesEmail = `roles-${++unique}@example.com`;
      await server.api.signUp(ctx.rolesEmail, 'Roles');
    },
    form: 'tr[data-email="{rolesEmail}"] form',
    fields: { '[name="roles"][value="settlement_officer"]': true, '[name="roles"][value="settlement_approver"]': true, '[name="roles"]': true },
    success: { url: /\/admin\/users\?.*saved=/, shows: () => [], reopen: '/admin/users?email={rolesEmail}' },
  },
  {
    name: 'synonyms (admin)',
    who: 'admin',
    path: '/admin/synonyms',
    form: 'form[action*="search.addSynonyms"]',
    fields: { '#f-terms': '海外仓{n}, overseas warehouse {n}' },
    success: { url: /\/admin\/synonyms\?saved=1$/, shows: (v) => [`overseas warehouse`] },
    wrong: { id: 'f-terms', value: '海外仓', zh: '请至少填写两个词。', en: 'Give at least two terms.' },
  },
  {
    name: 'settlement estimator',
    who: 'guest',
    path: '/settlement/estimate',
    form: 'form#answers',
    fields: {
      '#f-age': '32',
      '#f-education': 'master',
      '#f-title': 'intermediate',
      '#f-socialInsuranceBase': '2',
      '#f-socialInsuranceYears': '3',
      '#f-annualTax': '150000',
      '#f-localEmployees': '12',
    },
    success: { url: /\/settlement\/estimate\?/, shows: () => [] },
    wrong: { id: 'f-age', value: '12', zh: '请输入年龄（16 至 100 周岁）。', en: 'Enter your age in years (16 to 100).' },
  },
];

let server: TestServer;

describe.skipIf(!hasChromium)('every form, every field and one wrong value, in both languages', () => {
  let browser: Browser;
  const tokens = new Map<Who, string>();
  const ctx: Ctx = {};

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('reader@example.com');
    await seed(server.db);
    for (const who of ['admin', 'standards', 'provider', 'researcher', 'entrepreneur'] as const) {
      const res = await server.api.post('/auth/login', { email: `${who}@demo.portal.test`, password: DEMO_PASSWORD });
      expect(res.status).toBe(200);
      tokens.set(who, res.body.token);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A browser context for the case's person, in the language's locale. */
  async function contextFor(who: Who, lang: Lang): Promise<BrowserContext> {
    const context = await newContext(browser, server.url, lang === 'en' ? 'en-GB' : 'zh-CN');
    context.setDefaultTimeout(5_000);
    let token = tokens.get(who);
    if (who === 'fresh') token = await server.api.signUp(`fresh-${++unique}@example.com`, 'Fresh');
    if (token) await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    return context;
  }

  const fill = (template: string, n: string) => template.replace(/\{n\}/g, n).replace(/\{(\w+)\}/g, (_, key: string) => ctx[key] ?? `{${key}}`);

  /** Opens the form, checks the table names each of its fields, fills them, and submits with the browser's checks off. */
  async function submit(c: FormCase, lang: Lang, wrong: boolean) {
    await c.reach?.(ctx, lang);
    const context = await contextFor(c.who, lang);
    const page = await context.newPage();
    const path = `${lang === 'en' ? '/en' : ''}${fill(c.path, '')}`;
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const form = page.locator(fill(c.form, ''));
    expect(await form.count(), `${path}: ${c.form}`).toBe(1);
    const unlisted = await form.evaluate((f, keys) => {
      const fields = [...f.querySelectorAll<HTMLInputElement>('input, select, textarea')].filter((el) => el.type !== 'hidden' && el.type !== 'submit');
      return fields.filter((el) => !keys.some((k) => el.matches(k))).map((el) => (el.type === 'checkbox' || !el.id ? `${el.name}=${el.value}` : el.id));
    }, Object.keys(c.fields));
    // a checkbox group is listed once: its first box stands for the group
    const groups = Object.keys(c.fields).filter((k) => /^\[name="\w+"\]$/.test(k)).map((k) => /"(\w+)"/.exec(k)![1]!);
    expect(unlisted.filter((u) => !groups.some((g) => u.startsWith(`${g}=`)) && !c.spare?.test(u)), `${c.name}: fields the table does not fill`).toEqual([]);

    const n = `${++unique}`;
    const values: Record<string, string> = {};
    for (const [selector, value] of Object.entries(c.fields)) {
      const field = form.locator(selector).first();
      if (value === true) {
        await field.check();
        continue;
      }
      const typed = fill(wrong && selector === `#${c.wrong!.id}` ? c.wrong!.value : value, n);
      values[selector] = typed;
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(typed);
      else await field.fill(typed);
    }
    await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
    await form.locator('button[type="submit"], button:not([type])').first().click();
    await page.waitForLoadState('load');
    expect(await page.locator('body').textContent(), `${c.name} (${lang})`).not.toMatch(RAW);
    return { page, context, values };
  }

  for (const c of cases) {
    for (const lang of ['zh', 'en'] as const) {
      it(`${c.name} (${lang}): every field filled is saved and shown`, async () => {
        const { page, context, values } = await submit(c, lang, false);
        try {
          expect(await page.getByTestId('error-summary').count(), `${c.name}: ${await page.getByTestId('error-summary').first().textContent().catch(() => '')}`).toBe(0);
          expect(page.url()).toMatch(c.success.url);
          if (lang === 'en') expect(new URL(page.url()).pathname).toMatch(/^\/en\//);
          const text = (await page.locator('body').textContent()) ?? '';
          for (const shown of c.success.shows(values)) expect(text).toContain(shown);
          c.success.after?.(page, ctx);
          if (c.success.reopen) {
            await page.goto(`${lang === 'en' ? '/en' : ''}${fill(c.success.reopen, '')}`);
            for (const [selector, value] of Object.entries(c.fields)) {
              const field = page.locator(fill(c.success.reopenForm ?? c.form, '')).locator(selector).first();
              if (value === true) expect(await field.isChecked(), selector).toBe(true);
              else if (!/password/i.test(selector)) expect(await field.inputValue(), selector).toBe(values[selector]);
            }
          }
        } finally {
          await context.close();
        }
      });

      if (!c.wrong) continue;
      const wrong = c.wrong;
      it(`${c.name} (${lang}): a wrong value brings the summary, focus and the message beside the field`, async () => {
        const { page, context, values } = await submit(c, lang, true);
        try {
          const message = wrong[lang];
          const summary = page.getByTestId('error-summary');
          expect(await summary.count()).toBe(1);
          expect(await summary.locator('h2').textContent()).toBe(lang === 'en' ? 'There is a problem' : '出现问题');
          await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('error-summary');
          expect(await summary.locator(`a[href="#${wrong.id}"]`).textContent()).toContain(message);
          expect(await page.locator(`#${wrong.id}`).count()).toBe(1);
          expect(await page.locator(`#${wrong.id}-error`).textContent()).toBe(message);
          expect(await page.title()).toMatch(lang === 'en' ? /^Error: / : /^错误：/);
          for (const [selector, value] of Object.entries(c.fields)) {
            const field = page.locator(fill(c.form, '')).locator(selector).first();
            if (value === true) expect(await field.isChecked(), selector).toBe(true);
            else if (!/password/i.test(selector)) expect(await field.inputValue(), selector).toBe(values[selector]);
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});
