/**
 * Courses in a real Chromium: a provider creates a course through the forms (fixing a mistake),
 * publishes it and adds a one-seat session; one student enrolls, a second (another browser context)
 * joins the waitlist, the first cancels and the second finds the seat is theirs; after the session the
 * provider marks completion and a visitor verifies the certificate. A second course: session edits through the
 * form (students told only of real changes) and removal from the roster. axe on every page type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { courseSessions, enrollments, notifications } from '../../db/schema';
import { addMembership, addOrganization, courseBody, insertUsers } from '../courses.fixtures';
import { axeViolations, hasChromium, launchBrowser, newContext, noChromiumReason } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;

if (!hasChromium) console.warn(`courses browser test skipped: ${noChromiumReason}`);

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(email: string, name: string): Promise<{ context: BrowserContext; userId: string }> {
  const token = await server.api.signUp(email, name);
  const context = await newContext(browser, server.url, 'en-GB');
  await context.addCookies([{ name: 'portal_session', value: token, url: server.url }]);
  return { context, userId: (await server.api.get('/me', token)).body.id };
}

async function expectAccessible(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([]);
}

describe.skipIf(!hasChromium)('courses in the browser', () => {
  it('publishes a course, enrolls one student, waitlists another, promotes them when the first cancels, and certifies them', async () => {
    const provider = await signedIn('teacher@example.com', 'Teacher Wang');
    const uni = addOrganization(server.db, 'bund-university', 'university', 'verified', '外滩大学');
    const company = addOrganization(server.db, 'lujiazui-logistics', 'company', 'verified', '陆家嘴物流');
    addMembership(server.db, uni.id, provider.userId);
    const p = await provider.context.newPage();

    await p.goto('/en/courses/new');
    await expectAccessible(p);
    await p.getByLabel('Title (English)').fill('Customs clearance basics');
    await p.getByLabel('Title (Chinese)').fill('通关基础');
    await p.getByLabel('Summary (English)').fill('Too short');
    await p.getByLabel('lujiazui logistics').check();
    await p.getByRole('button', { name: 'Save course' }).click();
    await expect.poll(() => p.locator('#f-summary-error').textContent()).toContain('at least 10 characters');
    expect(await p.getByLabel('Title (Chinese)').inputValue()).toBe('通关基础');
    expect(await p.getByLabel('lujiazui logistics').isChecked()).toBe(true);
    await expectAccessible(p);

    await p.getByLabel('Summary (English)').fill('Declarations, inspections and duties for cross-border parcels.');
    await p.getByRole('button', { name: 'Save course' }).click();
    await p.waitForURL(/\/en\/courses\/\d+\/edit/);
    await p.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => p.textContent('body')).toContain('Status: Published');

    await p.getByLabel('Starts').fill('2031-03-02T09:00');
    await p.getByLabel('Ends').fill('2031-03-02T12:00');
    await p.getByLabel('Seats').fill('1');
    await p.getByLabel('Waitlist places (0 for no waitlist)').fill('1');
    await p.getByRole('button', { name: 'Add a session' }).click();
    await expect.poll(() => p.locator('#sessions + ul li').count()).toBe(1);
    await expectAccessible(p);
    const courseUrl = p.url().replace(/\/edit.*$/, '');

    const first = await signedIn('first@example.com', 'First Student');
    const a = await first.context.newPage();
    await a.goto('/en/courses?category=entrepreneurship');
    await expectAccessible(a);
    await a.goto(courseUrl);
    expect(await a.getByTestId('providers').textContent()).toContain('lujiazui logistics');
    expect(await a.getByTestId('seats').textContent()).toContain('Seats left: 1 of 1');
    const ld = JSON.parse((await a.locator('script[type="application/ld+json"]').textContent())!);
    expect(ld).toMatchObject({ '@type': 'Course', name: 'Customs clearance basics', hasCourseInstance: [{ '@type': 'CourseInstance', startDate: '2031-03-02T01:00:00.000Z' }] });
    await expectAccessible(a);
    await a.getByRole('button', { name: 'Enroll' }).click();
    await expect.poll(() => a.getByTestId('my-status').textContent()).toContain('You are enrolled');

    const second = await signedIn('second@example.com', 'Second Student');
    const b = await second.context.newPage();
    await b.goto(courseUrl);
    expect(await b.getByTestId('seats').textContent()).toContain('Seats left: 0 of 1');
    await b.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect.poll(() => b.getByTestId('my-status').textContent()).toContain('number 1 in line');
    await expectAccessible(b);

    await a.getByRole('link', { name: 'Cancel my enrollment' }).click();
    await a.getByRole('button', { name: 'Yes, cancel my enrollment' }).click();
    await expect.poll(() => a.getByRole('status').first().textContent()).toContain('Cancelled.');

    await b.goto('/en/my/enrollments');
    expect(await b.getByTestId('my-enrollment-status').textContent()).toContain('Enrolled');
    await expectAccessible(b);
    await b.goto(courseUrl);
    expect(await b.getByTestId('my-status').textContent()).toContain('You are enrolled');

    // Once the session has run (moved into the past: it is this server's only session), the provider
    // marks the student completed on the roster; the certificate is public and anyone can verify its code.
    server.db
      .update(courseSessions)
      .set({ startsAt: new Date(Date.now() - 7_200_000), endsAt: new Date(Date.now() - 3_600_000), enrollmentOpensAt: new Date(Date.now() - 9_000_000), enrollmentClosesAt: new Date(Date.now() - 7_200_000), cancellationDeadline: new Date(Date.now() - 8_000_000) })
      .run();
    await p.goto(courseUrl);
    await p.getByRole('link', { name: 'Roster' }).click();
    expect(await p.locator('table').textContent()).toContain('Second Student');
    await expectAccessible(p);
    await p.getByRole('button', { name: 'Mark completed: Second Student' }).click();
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('Updated.');
    const code = (await p.locator('table tbody tr', { hasText: 'Second Student' }).getByRole('link').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

    await b.goto('/en/my/enrollments');
    await b.getByRole('link', { name: 'View certificate' }).click();
    expect(await b.getByTestId('cert-name').textContent()).toBe('Second Student');
    expect(await b.textContent('main')).toContain('bund university');
    await expectAccessible(b);

    const visitor = await newContext(browser, server.url, 'en-GB');
    const v = await visitor.newPage();
    await v.goto('/en/certificates');
    await v.getByLabel('Certificate code').fill('ABCD-EFGH-JKLM-NPQR');
    await v.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => v.getByTestId('cert-not-found').textContent()).toContain('No valid certificate');
    await expectAccessible(v);
    await v.getByLabel('Certificate code').fill(code.toLowerCase());
    await v.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => v.getByTestId('cert-valid').textContent()).toContain('This certificate is valid.');
    expect(await v.getByTestId('cert-name').textContent()).toBe('Second Student');
  }, 120_000);

  it('edits a session through the form: a capacity below the seats taken is refused next to the field, raising it promotes, a new place and time are news to the students; the roster removes someone', async () => {
    const provider = await signedIn('session-editor@example.com', 'Editor Li');
    const uni = addOrganization(server.db, 'xuhui-college', 'university', 'verified', '徐汇学院');
    addMembership(server.db, uni.id, provider.userId);
    const token = (await server.api.post('/auth/login', { email: 'session-editor@example.com', password: 'correct horse battery' })).body.token;
    const course = await server.api.post('/courses', courseBody(uni.slug, { title: 'Payments compliance', titleZh: '支付合规' }), token);
    await server.api.post(`/courses/${course.body.id}/publish`, {}, token);
    const session = await server.api.post(`/courses/${course.body.id}/sessions`, { startsAt: '2031-06-01T09:00:00+08:00', endsAt: '2031-06-01T12:00:00+08:00', timezone: 'Asia/Shanghai', capacity: 2, waitlistLimit: 2 }, token);
    const students = insertUsers(server.db, 3, 'form');
    for (const s of students) await server.api.post(`/sessions/${session.body.id}/enrollments`, {}, s.token);

    const p = await provider.context.newPage();
    await p.goto(`/en/courses/${course.body.id}/sessions/${session.body.id}`);
    expect(await p.getByLabel('Starts').inputValue()).toBe('2031-06-01T09:00');
    await expectAccessible(p);
    await p.getByLabel('Seats').fill('1');
    await p.getByRole('button', { name: 'Save session' }).click();
    await expect.poll(() => p.locator('#f-capacity-error').textContent()).toContain('cannot go below the number of seats already taken');
    expect(await p.getByLabel('Seats').inputValue()).toBe('1');
    await expectAccessible(p);
    await p.getByLabel('Seats').fill('3');
    await p.getByRole('button', { name: 'Save session' }).click();
    await p.waitForURL(/\/edit\?saved=1/);
    const waiting = students[2]!;
    expect((await server.api.get('/me/enrollments', waiting.token)).body.items[0].status).toBe('enrolled');
    const notices = (userId: string, kind: string) => server.db.select().from(notifications).where(eq(notifications.userId, userId)).all().filter((n) => n.kind === kind);
    // The form posted every field again, unchanged but for the seats: nobody is told of a change.
    for (const s of students) expect(notices(s.id, 'course.session_changed')).toEqual([]);

    // A new place and start are news to everyone on the session.
    await p.goto(`/en/courses/${course.body.id}/sessions/${session.body.id}`);
    expect(await p.getByTestId('change-notice').textContent()).toContain('everyone enrolled or waiting is told');
    await p.getByLabel('Location').fill('Xuhui campus, room 5');
    await p.getByLabel('Starts').fill('2031-06-01T09:30');
    await p.getByRole('button', { name: 'Save session' }).click();
    await p.waitForURL(/\/edit\?saved=1/);
    for (const s of students) {
      const told = notices(s.id, 'course.session_changed');
      expect(told).toHaveLength(1);
      // The students use the Chinese pages: they are told in Chinese.
      expect(told[0]!.body).toContain('时间：2031年6月1日 09:00–12:00（Asia/Shanghai） → 2031年6月1日 09:30–12:00（Asia/Shanghai）');
      expect(told[0]!.body).toContain('地点：— → Xuhui campus, room 5');
    }

    // The provider removes the first student from the roster; they are told.
    await p.goto(`/en/courses/${course.body.id}/sessions/${session.body.id}/roster`);
    await expectAccessible(p);
    await p.getByRole('link', { name: 'Remove from roster: 学员 form 0' }).click();
    await p.getByRole('button', { name: 'Yes, remove them from the roster' }).click();
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('Removed from the roster');
    expect(await p.locator('table tbody tr', { hasText: '学员 form 0' }).textContent()).toContain('Removed');
    expect(await p.getByRole('link', { name: 'Remove from roster: 学员 form 0' }).count()).toBe(0);
    await expectAccessible(p);
    expect(server.db.select().from(enrollments).where(eq(enrollments.userId, students[0]!.id)).get()!.status).toBe('removed');
    expect(notices(students[0]!.id, 'course.removed')).toHaveLength(1);

    // The Chinese pages are accessible too.
    const zh = await browser.newContext({ baseURL: server.url, locale: 'zh-CN' });
    const z = await zh.newPage();
    await z.goto('/courses');
    expect(await z.locator('h1').textContent()).toBe('课程目录');
    await expectAccessible(z);
    await z.goto(`/courses/${course.body.id}`);
    expect(await z.locator('h1').textContent()).toBe('支付合规');
    await expectAccessible(z);
    await zh.close();
  }, 120_000);
});
