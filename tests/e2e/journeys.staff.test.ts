/**
 * Each role's journey on a phone (360 px wide), with the keyboard only: after the journey's first
 * page nothing is clicked and no address is typed. Tab and Shift+Tab move, Enter and Space act, and
 * a person types into the focused field (and picks a file for a focused file input, as the system's
 * file picker does). On every page nothing may scroll sideways.
 *  - an entrepreneur, in Chinese: estimate → sign in → apply with only what is required → submit;
 *  - an officer and an approver, in English: queue → accept → request information (the applicant replies)
 *    → recommend → decide; the applicant reads the letter;
 *  - an admin, in Chinese: verify a pending organization, then find it in the audit log.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { organizations, settlementApplications } from '../../db/schema';
import { seed } from '../../db/seed';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts';
import { hasChromium, launchBrowser, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { PDF, submittedApplication } from '../helpers/settlement';
import { fill, focusedName, pageWidth, pressAndWait, tabTo, typeDate } from './keyboard';

if (!hasChromium) console.warn(`SKIPPED browser tests: ${noChromiumReason}`);

// A 1×1 PNG: the upload checks the file's first bytes, not its name.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(!hasChromium)('journeys by keyboard on a phone', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('first-visitor@example.com'); // migrates the database
    await seed(server.db);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function phone(locale: 'zh-CN' | 'en-GB', token?: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width: 360, height: 740 } });
    if (token) await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
    contexts.push(context);
    return context.newPage();
  }

  /** What every page of a journey must give a phone: nothing wider than the screen, one h1. */
  async function fitsPhone(page: Page) {
    expect(await pageWidth(page), `width of ${page.url()}`).toBeLessThanOrEqual(360);
    expect(await page.locator('h1').count(), `h1 on ${page.url()}`).toBe(1);
  }
  const path = (page: Page) => new URL(page.url()).pathname;

  /** Signs in on the sign-in page the journey was sent to, and waits to be sent back. */
  async function signIn(page: Page, email: string, labels: { email: string; password: string }) {
    expect(path(page)).toMatch(/\/signin$/);
    await fitsPhone(page);
    await fill(page, labels.email, email);
    await fill(page, labels.password, DEMO_PASSWORD);
    await pressAndWait(page, 'Enter'); // Enter in a field submits its form
    expect(path(page)).not.toMatch(/\/signin$/);
  }

  it('an entrepreneur estimates, signs in, applies with only what is required and submits, in Chinese', async () => {
    const page = await phone('zh-CN');
    await page.goto('/settlement/estimate');
    await fitsPhone(page);

    // The estimator: the result leads the page; "change your answers" keeps them.
    await fill(page, '年龄（周岁）', '44');
    await tabTo(page, '最高学历');
    await page.keyboard.press('ArrowDown'); // 本科 → 硕士
    expect(await page.locator('#f-education').inputValue()).toBe('master');
    await fill(page, '在本市缴纳社保年限', '2');
    await tabTo(page, '估算积分');
    await pressAndWait(page, 'Enter');
    expect(await page.getByTestId('estimate-total').textContent()).toBe('合计 135 分（标准值 120 分）');
    expect(await page.locator('form#answers').count()).toBe(0);
    expect(await page.locator('main h1 ~ section').first().getAttribute('data-testid')).toBe('estimate-result');
    await fitsPhone(page);
    await tabTo(page, '修改您的答案');
    await pressAndWait(page, 'Enter');
    expect(await page.locator('#f-age').inputValue()).toBe('44');
    expect(await page.locator('#f-education').inputValue()).toBe('master');
    expect(await page.locator('#f-socialInsuranceYears').inputValue()).toBe('2');
    await fitsPhone(page);
    await tabTo(page, '估算积分');
    await pressAndWait(page, 'Enter');
    expect(await page.getByTestId('estimate-total').textContent()).toBe('合计 135 分（标准值 120 分）');

    // The route, then signing in brings the applicant back to it.
    await tabTo(page, '申请途径');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe('/settlement/routes/residence-permit-points');
    await fitsPhone(page);
    await tabTo(page, '登录后即可申请。');
    await pressAndWait(page, 'Enter');
    await signIn(page, DEMO_ACCOUNTS.entrepreneur.email, { email: '电子邮箱', password: '密码' });
    expect(path(page)).toBe('/settlement/routes/residence-permit-points');
    await tabTo(page, '开始申请');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toMatch(/^\/settlement\/applications\/\d+$/);
    const id = Number(path(page).split('/').pop());
    await fitsPhone(page);

    // Each step with only its required fields.
    await tabTo(page, '个人信息');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/personal`);
    await fitsPhone(page);
    await fill(page, '姓名（与证件一致）', 'Amir Rahman');
    await fill(page, '国籍', '马来西亚');
    await fill(page, '证件号码', 'A12345678');
    await tabTo(page, '出生日期');
    await typeDate(page, '1990-04-02');
    expect(await page.locator('#f-dateOfBirth').inputValue()).toBe('1990-04-02');
    await fill(page, '联系电话', '+86 21 5555 0101');
    await tabTo(page, '保存并继续');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/criteria`);
    await fitsPhone(page);

    await tabTo(page, '持有有效的上海市居住证');
    await page.keyboard.press('ArrowDown'); // — → 是
    await fill(page, '积分估算结果', '135');
    await tabTo(page, '保存并继续');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/company`);
    await fitsPhone(page);

    await fill(page, '企业名称', '外滩桥贸易有限公司');
    await fill(page, '统一社会信用代码', '91310000MA1FL1234Q');
    await fill(page, '您在企业的职务', '创始人');
    await fill(page, '员工人数', '12');
    await tabTo(page, '保存并继续');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/documents`);
    await fitsPhone(page);

    // Each required document: focus its file input, pick the file, then the upload button after it.
    for (const [label, file] of [
      ['护照或身份证', { name: '护照.png', mimeType: 'image/png', buffer: PNG }],
      ['学历学位证书及认证报告', { name: '学位证书.pdf', mimeType: 'application/pdf', buffer: PDF }],
      ['劳动合同或任职证明', { name: '劳动合同.pdf', mimeType: 'application/pdf', buffer: PDF }],
      ['社会保险缴费记录', { name: '社保记录.pdf', mimeType: 'application/pdf', buffer: PDF }],
    ] as const) {
      await tabTo(page, `${label} 必需`);
      await page.locator(':focus').setInputFiles(file);
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('上传');
      await pressAndWait(page, 'Enter');
      expect(page.url()).toContain('uploaded=');
      expect(await page.getByRole('status').first().textContent()).toContain('材料已上传。');
      await fitsPhone(page);
    }
    await tabTo(page, '保存并继续');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/declaration`);
    await fitsPhone(page);

    await tabTo(page, '我确认以上声明');
    await page.keyboard.press('Space');
    expect(await page.locator('input[name="agreed"]').isChecked()).toBe(true);
    await fill(page, '签名（输入您的姓名）', 'Amir Rahman');
    await tabTo(page, '保存并继续');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/check`);
    await fitsPhone(page);
    expect(await page.getByTestId('check-missing').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('社保记录.pdf');

    await tabTo(page, '提交申请');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe(`/settlement/applications/${id}/submitted`);
    await fitsPhone(page);
    const panel = page.getByTestId('confirmation-panel');
    expect(await panel.locator('h1').textContent()).toBe('申请已提交');
    const reference = await panel.getByTestId('reference').textContent();
    expect(reference).toMatch(/^SH-[A-Z]+-\d{4}-\d{6}$/);
    expect(server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.reference).toBe(reference);
    await tabTo(page, '查看您的申请');
    await pressAndWait(page, 'Enter');
    expect(await page.getByTestId('state').textContent()).toBe('已提交');
    await fitsPhone(page);
  }, 240_000);

  it('an officer accepts, asks for information and recommends, an approver decides, and the applicant reads the letter, in English', async () => {
    // An application submitted over the API, as the applicant would have.
    const applicant = await server.api.signUp('journey-applicant@example.com', 'Lena Fischer');
    const { id, reference } = await submittedApplication(server, applicant, 'Lena Fischer');
    const state = () => server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.state;
    const english = { email: 'Email', password: 'Password' };

    // The officer: the queue asks them to sign in first, then the case.
    const officer = await phone('en-GB');
    await officer.goto('/en/settlement/queue');
    await signIn(officer, DEMO_ACCOUNTS.officer.email, english);
    expect(path(officer)).toBe('/en/settlement/queue');
    await fitsPhone(officer);
    await tabTo(officer, reference);
    await pressAndWait(officer, 'Enter');
    expect(path(officer)).toBe(`/en/settlement/cases/${id}`);
    expect(await officer.locator('h1').textContent()).toBe(`Case ${reference}`);
    await fitsPhone(officer);
    await tabTo(officer, 'Accept');
    await pressAndWait(officer, 'Enter');
    expect(await officer.getByTestId('state').textContent()).toBe('Accepted');
    await fitsPhone(officer);
    await tabTo(officer, 'Assign and start the review'); // an empty email takes the case
    await pressAndWait(officer, 'Enter');
    expect(await officer.getByTestId('state').textContent()).toBe('In review');
    await fitsPhone(officer);

    // The officer asks for one more document and an explanation, by a date.
    await tabTo(officer, 'Company tax records for the last 3 years');
    await officer.keyboard.press('Space');
    await fill(officer, 'Anything else that is needed (one per line)', 'When the company started trading');
    await tabTo(officer, 'Due date');
    const due = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    await typeDate(officer, due);
    expect(await officer.getByTestId('request-form').getByLabel('Due date').inputValue()).toBe(due);
    await tabTo(officer, 'Send the request');
    await pressAndWait(officer, 'Enter');
    expect(await officer.getByTestId('state').textContent()).toBe('Information requested');
    await fitsPhone(officer);

    // The applicant reads the request on their application and replies.
    const reader = await phone('en-GB', applicant);
    await reader.goto(`/en/settlement/applications/${id}`);
    expect(await reader.getByTestId('request').textContent()).toContain('Company tax records for the last 3 years');
    expect(await reader.getByTestId('request').textContent()).toContain('When the company started trading');
    await fitsPhone(reader);
    await fill(reader, 'Your reply', 'Trading since March 2024; the tax records are uploaded.');
    await tabTo(reader, 'Send my reply');
    await pressAndWait(reader, 'Enter');
    expect(await reader.getByTestId('request').count()).toBe(0);
    expect(state()).toBe('in_review');
    await fitsPhone(reader);

    // Back to the case from the queue: the reply is in its history.
    await tabTo(officer, 'Review queue');
    await pressAndWait(officer, 'Enter');
    await tabTo(officer, reference);
    await pressAndWait(officer, 'Enter');
    expect(await officer.getByTestId('state').textContent()).toBe('In review');
    expect(await officer.locator('main').textContent()).toContain('Trading since March 2024');

    await tabTo(officer, 'The route’s eligibility criteria are met');
    await officer.keyboard.press('Space');
    await tabTo(officer, 'All required documents were verified');
    await officer.keyboard.press('Space');
    await fill(officer, 'Explanation', 'The overseas degree is verified; the company is active in Jing’an.');
    await tabTo(officer, 'Recommend approval');
    await pressAndWait(officer, 'Enter');
    expect(state()).toBe('recommended_approve');
    await fitsPhone(officer);

    // The approver, a different account, decides.
    const approver = await phone('en-GB');
    await approver.goto('/en/settlement/queue');
    await signIn(approver, DEMO_ACCOUNTS.approver.email, english);
    await fitsPhone(approver);
    await tabTo(approver, reference);
    await pressAndWait(approver, 'Enter');
    expect(path(approver)).toBe(`/en/settlement/cases/${id}`);
    expect(await approver.getByTestId('state').textContent()).toBe('Awaiting decision (recommended: approve)');
    expect(await approver.locator('main').textContent()).toContain('The overseas degree is verified');
    await fitsPhone(approver);
    await tabTo(approver, 'The route’s eligibility criteria are met');
    await approver.keyboard.press('Space');
    await fill(approver, 'Explanation', 'The criteria are met and every document was verified.');
    await tabTo(approver, 'Approve');
    await pressAndWait(approver, 'Enter');
    expect(await approver.getByTestId('state').textContent()).toBe('Approved');
    expect(state()).toBe('approved');
    await fitsPhone(approver);

    // The applicant finds the decided application under "My applications" and reads the letter.
    await tabTo(reader, 'Settlement');
    await pressAndWait(reader, 'Enter');
    await fitsPhone(reader);
    await tabTo(reader, reference);
    await pressAndWait(reader, 'Enter');
    expect(path(reader)).toBe(`/en/settlement/applications/${id}`);
    expect(await reader.getByTestId('state').textContent()).toBe('Approved');
    await fitsPhone(reader);
    await tabTo(reader, 'Read the decision letter');
    await pressAndWait(reader, 'Enter');
    expect(path(reader)).toBe(`/en/settlement/applications/${id}/letter`);
    const letter = await reader.getByTestId('decision-letter').textContent();
    expect(letter).toContain(reference);
    expect(letter).toContain('has been approved');
    expect(letter).toContain('The criteria are met and every document was verified.');
    await fitsPhone(reader);
    // "Print" is a button the keyboard reaches, wired by a script the CSP allows (no inline onclick, which it blocks).
    expect(await reader.locator('[onclick]').count()).toBe(0);
    await tabTo(reader, 'Print');
  }, 240_000);

  it('an admin verifies a pending organization and finds the entry in the audit log, in Chinese', async () => {
    const studio = () => server.db.select().from(organizations).where(eq(organizations.nameZh, '青浦跨境创业工作室')).get()!;
    expect(studio().status).toBe('pending');

    const page = await phone('zh-CN');
    await page.goto('/admin');
    await signIn(page, DEMO_ACCOUNTS.admin.email, { email: '电子邮箱', password: '密码' });
    expect(path(page)).toBe('/admin');
    await fitsPhone(page);

    // Users and roles, and the outbox, are one Tab stop each in the admin navigation.
    await tabTo(page, '用户与角色');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe('/admin/users');
    await fitsPhone(page);
    await tabTo(page, '邮件发件箱');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe('/admin/outbox');
    await fitsPhone(page);

    await tabTo(page, '机构审核');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe('/admin/organizations');
    await fitsPhone(page);
    await tabTo(page, '认证通过：青浦跨境创业工作室');
    await pressAndWait(page, 'Enter');
    expect(await page.getByRole('status').first().textContent()).toContain('已认证 青浦跨境创业工作室。');
    expect(studio().status).toBe('verified');
    await fitsPhone(page);

    // The audit log, narrowed to what was just done.
    await tabTo(page, '审计日志');
    await pressAndWait(page, 'Enter');
    expect(path(page)).toBe('/admin/audit');
    await fitsPhone(page);
    await fill(page, '操作', 'organization.verified');
    await tabTo(page, '筛选');
    await pressAndWait(page, 'Enter');
    await fitsPhone(page);
    const row = page.getByTestId('audit-table').locator('tbody tr').first();
    const text = await row.textContent();
    expect(text).toContain('机构通过认证');
    expect(text).toContain(DEMO_ACCOUNTS.admin.email);
    expect(text).toContain(`机构 ${studio().id}`);
  }, 240_000);
});
