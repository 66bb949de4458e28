import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, courseSessions, enrollments, notifications, organizations } from '../db/schema';
import { addMembership, addOrganization, courseBody, inHours, insertUsers, providerSetup, publishedSession, userId, type ProviderSetup } from './courses.fixtures';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let p: ProviderSetup;
beforeAll(async () => {
  server = await startServer();
  p = await providerSetup(server, 'provider@example.com', 'main');
});
afterAll(() => server?.stop());

const students = (n: number, prefix: string) => insertUsers(server.db, n, prefix);

describe('providers', () => {
  it('create a draft co-offered by a partner, publish it, and see both credited', async () => {
    const created = await server.api.post('/courses', courseBody(p.university.slug, { partnerSlugs: [p.company.slug] }), p.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', title: 'Cross-border logistics in practice', titleZh: '跨境物流实务' });
    expect(created.body.providers.map((o: any) => [o.slug, o.role])).toEqual([[p.university.slug, 'lead'], [p.company.slug, 'partner']]);
    expect((await server.api.get(`/courses/${created.body.id}`)).status).toBe(404); // a draft is not public
    const published = await server.api.post(`/courses/${created.body.id}/publish`, {}, p.token);
    expect(published.body.status).toBe('published');
    expect((await server.api.get(`/courses/${created.body.id}`)).status).toBe(200);
    const audit = server.db.select().from(auditLog).where(eq(auditLog.subjectId, String(created.body.id))).all().map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['course.created', 'course.published']));
  });

  it('refuses partners that are pending or not providers, naming the field', async () => {
    const pending = addOrganization(server.db, 'pending-school', 'training_agency', 'pending');
    const government = addOrganization(server.db, 'some-bureau', 'government');
    for (const slug of [pending.slug, government.slug]) {
      const res = await server.api.post('/courses', courseBody(p.university.slug, { partnerSlugs: [slug] }), p.token);
      expect(res.status).toBe(400);
      expect(res.body.error.fields.partnerSlugs).toBeDefined();
    }
    addMembership(server.db, government.id, p.userId);
    const lead = await server.api.post('/courses', courseBody(government.slug), p.token);
    expect(lead.status).toBe(400);
    expect(lead.body.error.fields.organizationSlug).toEqual(['That organization is not one that offers courses.']);
  });

  it('lets an editor of a partner edit, but not an editor of another organization (403), nor anyone on a draft (404)', async () => {
    const { courseId } = await publishedSession(server, p, {}, { partnerSlugs: [p.company.slug] });
    const partnerEditor = await server.api.signUp('partner-editor@example.com');
    addMembership(server.db, p.company.id, await userId(server, partnerEditor));
    const ok = await server.api.patch(`/courses/${courseId}`, { priceCny: 99 }, partnerEditor);
    expect(ok.status).toBe(200);
    expect(ok.body.priceCny).toBe(99);

    const outsider = await server.api.signUp('outsider@example.com');
    const other = addOrganization(server.db, 'other-uni', 'university');
    addMembership(server.db, other.id, await userId(server, outsider));
    expect((await server.api.patch(`/courses/${courseId}`, { title: 'Hijacked title' }, outsider)).status).toBe(403);
    expect((await server.api.post(`/courses/${courseId}/sessions`, { startsAt: inHours(50), endsAt: inHours(52), timezone: 'Asia/Shanghai', capacity: 5, waitlistLimit: 0 }, outsider)).status).toBe(403);
    expect((await server.api.get(`/courses/${courseId}`)).body.title).toBe('Cross-border logistics in practice');

    const draft = await server.api.post('/courses', courseBody(p.university.slug), p.token);
    expect((await server.api.patch(`/courses/${draft.body.id}`, { title: 'Hijacked title' }, outsider)).status).toBe(404);
    expect((await server.api.post('/courses', courseBody(p.university.slug), outsider)).status).toBe(403);
  });

  it('refuses a title with a bidi override and keeps a Markdown description’s line breaks', async () => {
    const spoofed = await server.api.post('/courses', courseBody(p.university.slug, { title: 'Free course \u202Efdp.exe' }), p.token);
    expect(spoofed.status).toBe(400);
    expect(spoofed.body.error.fields).toEqual({ title: ['This field must be a single line without control characters.'] });
    const created = await server.api.post('/courses', courseBody(p.university.slug, { descriptionMd: '## Outline\n\n- customs\r\n- tax' }), p.token);
    expect(created.status).toBe(201);
    expect(created.body.descriptionMd).toBe('## Outline\n\n- customs\r\n- tax');
    const renamed = await server.api.patch(`/courses/${created.body.id}`, { titleZh: '物流\r\n课程' }, p.token);
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.fields.titleZh).toEqual(['This field must be a single line without control characters.']);
    // A catalog filter is never refused: a provider filter with a control character is ignored.
    expect((await server.api.get('/courses?provider=%0Buni')).status).toBe(200);
    expect((await fetch(`${server.url}/en/courses?provider=%0Buni`)).status).toBe(200);
  });

  it('applies the default windows: enrollment until the start, cancellation until 24 hours before', async () => {
    const { sessionId } = await publishedSession(server, p, { startsAt: '2031-05-01T09:00:00+08:00', endsAt: '2031-05-01T12:00:00+08:00' });
    const s = (await server.api.get(`/sessions/${sessionId}`)).body;
    expect(s.enrollmentClosesAt).toBe('2031-05-01T01:00:00.000Z');
    expect(s.cancellationDeadline).toBe('2031-04-30T01:00:00.000Z');
    expect(Math.abs(Date.parse(s.enrollmentOpensAt) - Date.now())).toBeLessThan(60_000);
  });

  it('explains invalid session times field by field', async () => {
    const { courseId } = await publishedSession(server, p);
    const res = await server.api.post(`/courses/${courseId}/sessions`, { startsAt: inHours(30), endsAt: inHours(29), timezone: 'Mars/Olympus', capacity: 0, waitlistLimit: -1 }, p.token);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['capacity', 'timezone', 'waitlistLimit']);
    const order = await server.api.post(`/courses/${courseId}/sessions`, { startsAt: inHours(30), endsAt: inHours(29), timezone: 'Asia/Shanghai', capacity: 3, waitlistLimit: 0 }, p.token);
    expect(order.status).toBe(400);
    expect(order.body.error.fields.endsAt).toEqual(['The end must be after the start.']);
  });
});

describe('students', () => {
  it('get a seat, then a waitlist place, then "full"; cannot enroll twice', async () => {
    const { sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 1 });
    const [a, b, c] = students(3, 'seq');
    const first = await server.api.post(`/sessions/${sessionId}/enrollments`, {}, a!.token);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'enrolled', position: null });
    expect((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, a!.token)).body.error.code).toBe('already_enrolled');
    const second = await server.api.post(`/sessions/${sessionId}/enrollments`, {}, b!.token);
    expect(second.body).toMatchObject({ status: 'waitlisted', position: 1 });
    const again = await server.api.post(`/sessions/${sessionId}/enrollments`, {}, b!.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_enrolled');
    const third = await server.api.post(`/sessions/${sessionId}/enrollments`, {}, c!.token);
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'full', message: 'This session is full and so is its waitlist.' });
    const s = (await server.api.get(`/sessions/${sessionId}`)).body;
    expect(s).toMatchObject({ seatsLeft: 0, waitlistLength: 1 });
  });

  it('cannot enroll before the window opens or after it closes', async () => {
    const early = await publishedSession(server, p, { enrollmentOpensAt: inHours(48) });
    const [u] = students(1, 'window');
    const res = await server.api.post(`/sessions/${early.sessionId}/enrollments`, {}, u!.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('enrollment_not_open');
    const late = await publishedSession(server, p);
    server.db.update(courseSessions).set({ enrollmentOpensAt: new Date(Date.now() - 7200_000), enrollmentClosesAt: new Date(Date.now() - 3600_000) }).where(eq(courseSessions.id, late.sessionId)).run();
    const closed = await server.api.post(`/sessions/${late.sessionId}/enrollments`, {}, u!.token);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('enrollment_closed');
  });

  it('cancel before the deadline (the next in line is promoted and told), not after it', async () => {
    const { sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 5 });
    const [a, b, c] = students(3, 'cancel');
    const ea = (await server.api.post(`/sessions/${sessionId}/enrollments`, {}, a!.token)).body;
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, b!.token);
    const ec = (await server.api.post(`/sessions/${sessionId}/enrollments`, {}, c!.token)).body;
    expect(ec.position).toBe(2);
    const cancelled = await server.api.delete(`/enrollments/${ea.id}`, a!.token);
    expect(cancelled.status).toBe(200);
    const mineB = (await server.api.get('/me/enrollments', b!.token)).body.items[0];
    expect(mineB.status).toBe('enrolled');
    expect((await server.api.get('/me/enrollments', c!.token)).body.items[0]).toMatchObject({ status: 'waitlisted', position: 1 });
    const told = server.db.select().from(notifications).where(eq(notifications.userId, b!.id)).all();
    expect(told.map((n) => n.kind)).toContain('course.promoted');

    // Past the deadline, the seat holder cannot cancel; someone merely waiting still can.
    server.db.update(courseSessions).set({ cancellationDeadline: new Date(Date.now() - 1000) }).where(eq(courseSessions.id, sessionId)).run();
    const late = await server.api.delete(`/enrollments/${mineB.id}`, b!.token);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('deadline_passed');
    expect(late.body.error.message).toBe('The cancellation deadline for this session has passed; please contact the provider.');
    expect((await server.api.delete(`/enrollments/${ec.id}`, c!.token)).status).toBe(200);
    // Someone else's enrollment is not found.
    expect((await server.api.delete(`/enrollments/${mineB.id}`, c!.token)).status).toBe(404);
  });

  it('raising capacity promotes in order; lowering below the seats taken is refused', async () => {
    const { sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 5 });
    const list = students(4, 'cap');
    for (const s of list) await server.api.post(`/sessions/${sessionId}/enrollments`, {}, s.token);
    const raised = await server.api.patch(`/sessions/${sessionId}`, { capacity: 3 }, p.token);
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ capacity: 3, seatsTaken: 3, waitlistLength: 1 });
    const statuses = server.db.select().from(enrollments).where(eq(enrollments.sessionId, sessionId)).all();
    expect(statuses.map((e) => [e.userId, e.status])).toEqual([
      [list[0]!.id, 'enrolled'],
      [list[1]!.id, 'enrolled'],
      [list[2]!.id, 'enrolled'],
      [list[3]!.id, 'waitlisted'],
    ]);
    const lowered = await server.api.patch(`/sessions/${sessionId}`, { capacity: 2 }, p.token);
    expect(lowered.status).toBe(409);
    expect(lowered.body.error).toMatchObject({ code: 'capacity_below_taken', fields: { capacity: ['The capacity cannot go below the number of seats already taken.'] } });
    // The CHECK constraint backs the code: even a direct write cannot overbook.
    expect(() => server.db.update(courseSessions).set({ capacity: 2 }).where(eq(courseSessions.id, sessionId)).run()).toThrow(/CHECK constraint failed/);
  });

  it('cancelling a session tells everyone on it', async () => {
    const { sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 1 });
    const [a, b] = students(2, 'sesscancel');
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, a!.token);
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, b!.token);
    const res = await server.api.patch(`/sessions/${sessionId}`, { cancelled: true, cancelReason: 'Teacher ill' }, p.token);
    expect(res.body.status).toBe('cancelled');
    for (const s of [a!, b!]) {
      expect((await server.api.get('/me/enrollments', s.token)).body.items[0].status).toBe('session_cancelled');
      expect(server.db.select().from(notifications).where(eq(notifications.userId, s.id)).all().map((n) => n.kind)).toContain('course.session_cancelled');
    }
  });
});

/** Posts a form like a browser on our own site would: session cookie and the page's Origin. */
function postForm(path: string, fields: Record<string, string>, token: string) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, cookie: `portal_session=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const noticesOf = (userId: string, kind: string) => server.db.select().from(notifications).where(eq(notifications.userId, userId)).all().filter((n) => n.kind === kind);
const mailsTo = (address: string) => server.db.$client.prepare('select subject, body from email_outbox where to_address = ? order by id').all(address) as { subject: string; body: string }[];

describe('students hear of changes to their session', () => {
  it('a new time, zone, place or link tells everyone enrolled or waiting, once, saying what changed; other edits tell nobody', async () => {
    const { courseId, sessionId } = await publishedSession(server, p, { startsAt: '2031-09-01T09:00:00+08:00', endsAt: '2031-09-01T12:00:00+08:00', capacity: 1, waitlistLimit: 3, location: 'Room 101' });
    const [a, b, c] = students(3, 'change');
    for (const s of [a!, b!, c!]) await server.api.post(`/sessions/${sessionId}/enrollments`, {}, s.token);
    const ec = (await server.api.get('/me/enrollments', c!.token)).body.items[0];
    expect((await server.api.delete(`/enrollments/${ec.id}`, c!.token)).status).toBe(200); // c left before the changes
    const patch = async (body: Record<string, unknown>) => {
      const res = await server.api.patch(`/sessions/${sessionId}`, body, p.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const changed = (u: { id: string }) => noticesOf(u.id, 'course.session_changed');

    // Capacity, the waitlist, and the same time and place sent again (as the edit form does): nothing a student sees.
    await patch({ waitlistLimit: 4, startsAt: '2031-09-01T01:00:00Z', endsAt: '2031-09-01T04:00:00.000Z', timezone: 'Asia/Shanghai', location: 'Room 101' });
    for (const u of [a!, b!, c!]) expect(changed(u)).toEqual([]);

    await patch({ startsAt: '2031-09-01T10:00:00+08:00', endsAt: '2031-09-01T13:00:00+08:00', location: 'Room 202' });
    for (const u of [a!, b!]) {
      const got = changed(u);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({
        title: '班次有变更：跨境物流实务',
        body: '时间：2031年9月1日 09:00–12:00（Asia/Shanghai） → 2031年9月1日 10:00–13:00（Asia/Shanghai）\n地点：Room 101 → Room 202',
        url: `/courses/${courseId}`,
      });
    }
    expect(mailsTo('change-1@example.com').filter((m) => m.subject.startsWith('班次有变更'))).toHaveLength(1);
    expect(mailsTo('change-1@example.com').at(-1)!.body).toContain('Room 101 → Room 202');
    expect(changed(c!)).toEqual([]); // no longer on the session
    expect(changed({ id: p.userId })).toEqual([]); // the editor made the change

    await patch({ timezone: 'Europe/Berlin' });
    expect(changed(a!).at(-1)!.body).toBe('时间：2031年9月1日 10:00–13:00（Asia/Shanghai） → 2031年9月1日 04:00–07:00（Europe/Berlin）');
    await patch({ onlineUrl: 'https://meet.example.cn/room-202' });
    expect(changed(b!).at(-1)!.body).toBe('在线链接：— → https://meet.example.cn/room-202');
    expect(changed(a!)).toHaveLength(3);
    expect(changed(b!)).toHaveLength(3);

    // A refused edit tells nobody: the notices are written in the edit's transaction.
    const refused = await server.api.patch(`/sessions/${sessionId}`, { location: 'Room 303', capacity: 0 }, p.token);
    expect(refused.status).toBe(400);
    const badDates = await server.api.patch(`/sessions/${sessionId}`, { startsAt: '2031-09-02T10:00:00+08:00', endsAt: '2031-09-02T13:00:00+08:00', location: 'Room 303', enrollmentClosesAt: '2031-09-03T00:00:00+08:00' }, p.token);
    expect(badDates.status).toBe(400);
    expect(changed(a!)).toHaveLength(3);
  });

  it('a provider removes someone from the roster (the roster form or the API): they are told, and the next in line gets the seat', async () => {
    const { courseId, sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 2 });
    const [a, b, c] = students(3, 'remove');
    const ids: number[] = [];
    for (const s of [a!, b!, c!]) ids.push((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, s.token)).body.id);
    const rosterPath = `/en/courses/${courseId}/sessions/${sessionId}/roster`;
    const statusOf = (id: number) => server.db.select().from(enrollments).where(eq(enrollments.id, id)).get()!.status;

    // Students cannot use the roster's button, not even on their own enrollment.
    await postForm(`${rosterPath}?_action=courses.removeFromRoster`, { enrollmentId: String(ids[0]) }, a!.token);
    await postForm(`${rosterPath}?_action=courses.removeFromRoster`, { enrollmentId: String(ids[0]) }, b!.token);
    expect(statusOf(ids[0]!)).toBe('enrolled');

    const page = await (await fetch(`${server.url}${rosterPath}`, { headers: { cookie: `portal_session=${p.token}` } })).text();
    expect(page).toContain('aria-label="Remove from roster: 学员 remove 0"');
    // The roster's "Remove" leads to a confirmation page; its "Yes, remove them" posts the form there.
    const removed = await postForm(`${rosterPath}/${ids[0]}/remove?_action=courses.removeFromRoster`, { enrollmentId: String(ids[0]) }, p.token);
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toContain('removed=1');
    expect([statusOf(ids[0]!), statusOf(ids[1]!), statusOf(ids[2]!)]).toEqual(['removed', 'enrolled', 'waitlisted']);
    const told = noticesOf(a!.id, 'course.removed');
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe('您已被移出“跨境物流实务”的班次');
    expect(told[0]!.url).toBe(`/courses/${courseId}`);
    expect(mailsTo('remove-0@example.com').map((m) => m.subject)).toEqual([told[0]!.title]);
    expect(noticesOf(b!.id, 'course.promoted')).toHaveLength(1);
    const after = await (await fetch(`${server.url}${rosterPath}?removed=1`, { headers: { cookie: `portal_session=${p.token}` } })).text();
    expect(after).toContain('Removed from the roster and told so');
    expect(after).not.toContain('Remove from roster: 学员 remove 0');

    // Someone waiting can be removed through the API too, and is told.
    const viaApi = await server.api.delete(`/enrollments/${ids[2]}`, p.token);
    expect(viaApi.body).toMatchObject({ status: 'removed', promoted: [] });
    expect(noticesOf(c!.id, 'course.removed')[0]!.body).toContain('（您当时在候补名单上）');
  });
});

describe('rosters and certificates', () => {
  it('roster for providers only; completion issues a verifiable certificate; not completed revokes it', async () => {
    const { sessionId } = await publishedSession(server, p, { capacity: 2, waitlistLimit: 0 });
    const [a, b] = students(2, 'cert');
    const ea = (await server.api.post(`/sessions/${sessionId}/enrollments`, {}, a!.token)).body;
    const eb = (await server.api.post(`/sessions/${sessionId}/enrollments`, {}, b!.token)).body;
    expect((await server.api.get(`/sessions/${sessionId}/roster`, a!.token)).status).toBe(404);
    const roster = await server.api.get(`/sessions/${sessionId}/roster`, p.token);
    expect(roster.body.entries.map((e: any) => e.name)).toEqual([`学员 cert 0`, `学员 cert 1`]);

    const csv = await fetch(`${server.url}/api/v1/sessions/${sessionId}/roster?format=csv`, { headers: { authorization: `Bearer ${p.token}` } });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('学员 cert 0');

    const { courseId } = (await server.api.get(`/sessions/${sessionId}`)).body;
    const pageCsv = await fetch(`${server.url}/en/courses/${courseId}/sessions/${sessionId}/roster.csv`, { headers: { cookie: `portal_session=${p.token}` } });
    expect(pageCsv.headers.get('content-disposition')).toMatch(/attachment/);
    expect([...new Uint8Array(await pageCsv.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await fetch(`${server.url}/en/courses/${courseId}/sessions/${sessionId}/roster.csv`, { headers: { cookie: `portal_session=${a!.token}` } })).status).toBe(404);

    const early = await server.api.post(`/enrollments/${ea.id}/completion`, { completed: true }, p.token);
    expect(early.status).toBe(409);
    server.db.update(courseSessions).set({ startsAt: new Date(Date.now() - 3600_000), enrollmentOpensAt: new Date(Date.now() - 7200_000), enrollmentClosesAt: new Date(Date.now() - 3600_000) }).where(eq(courseSessions.id, sessionId)).run();
    expect((await server.api.post(`/enrollments/${ea.id}/completion`, { completed: true }, a!.token)).status).toBe(404);
    const done = await server.api.post(`/enrollments/${ea.id}/completion`, { completed: true }, p.token);
    expect(done.status).toBe(200);
    expect(done.body.certificateCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const notDone = await server.api.post(`/enrollments/${eb.id}/completion`, { completed: false }, p.token);
    expect(notDone.body).toMatchObject({ status: 'not_completed', certificateCode: null });

    const verified = await server.api.get(`/certificates/${done.body.certificateCode.toLowerCase()}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, recipientName: '学员 cert 0', courseTitle: 'Cross-border logistics in practice' });
    expect(verified.body.providers[0].slug).toBe(p.university.slug);
    expect((await server.api.get('/certificates/AAAA-BBBB-CCCC-DDDD')).status).toBe(404);

    const page = await fetch(`${server.url}/en/certificates/${done.body.certificateCode}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('学员 cert 0');

    await server.api.post(`/enrollments/${ea.id}/completion`, { completed: false }, p.token);
    expect((await server.api.get(`/certificates/${done.body.certificateCode}`)).status).toBe(404);
  });
});

describe('the catalog', () => {
  it('filters by category, language, mode, provider, price and start, and sorts', async () => {
    const other = await providerSetup(server, 'catalog-provider@example.com', 'cat');
    const free = await publishedSession(server, other, { startsAt: inHours(24 * 3), endsAt: inHours(24 * 3 + 2) }, { title: 'Catalog free payments', category: 'payments_finance', languages: ['en'], mode: 'online', priceCny: 0 });
    const paid = await publishedSession(server, other, { startsAt: inHours(24 * 40), endsAt: inHours(24 * 40 + 2) }, { title: 'Catalog paid data', category: 'data', languages: ['zh-cn'], mode: 'in_person', priceCny: 800, partnerSlugs: [other.company.slug] });
    const ids = async (query: string) => (await server.api.get(`/courses?${query}&provider=${other.university.slug}&perPage=100`)).body.items.map((c: any) => c.id);
    expect(await ids('category=payments_finance')).toEqual([free.courseId]);
    expect(await ids('language=zh-cn')).toEqual([paid.courseId]);
    expect(await ids('mode=online')).toEqual([free.courseId]);
    expect(await ids('price=paid')).toEqual([paid.courseId]);
    expect(await ids('price=free')).toEqual([free.courseId]);
    expect(await ids('startsWithin=7')).toEqual([free.courseId]);
    expect(await ids('sort=soonest')).toEqual([free.courseId, paid.courseId]);
    expect(await ids('sort=price')).toEqual([free.courseId, paid.courseId]);
    const byPartner = (await server.api.get(`/courses?provider=${other.company.slug}`)).body.items.map((c: any) => c.id);
    expect(byPartner).toEqual([paid.courseId]);
    const page2 = await server.api.get(`/courses?provider=${other.university.slug}&perPage=1&page=2&sort=soonest`);
    expect(page2.body).toMatchObject({ total: 2, page: 2, perPage: 1 });
    expect(page2.body.items.map((c: any) => c.id)).toEqual([paid.courseId]);
  });

  it('renders the catalog page with the filters applied, titles escaped, and fresh after an edit', async () => {
    const { courseId } = await publishedSession(server, p, {}, { title: 'Marketing <script>alert(1)</script> & more', category: 'marketing', priceCny: 50 });
    const html = async (q: string) => (await fetch(`${server.url}/en/courses?${q}`)).text();
    const page = await html(`category=marketing&provider=${p.university.slug}`);
    expect(page).toContain('Marketing &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toMatch(/<option value="marketing" selected>Marketing<\/option>/);
    expect(page).toContain('CNY 50');
    await server.api.patch(`/courses/${courseId}`, { title: 'Marketing renamed course' }, p.token);
    expect(await html(`category=marketing&provider=${p.university.slug}`)).toContain('Marketing renamed course');
    expect(await html('category=compliance_tax&price=free')).toContain('No course matches these filters.');
  });

  it('filters the catalog page by a provider typed in a search box (slug or part of a name), without listing every provider', async () => {
    const { courseId } = await publishedSession(server, p, {}, { title: 'Provider-filtered course', category: 'logistics' });
    const org = server.db.select().from(organizations).where(eq(organizations.slug, p.university.slug)).get()!;
    const html = async (q: string) => (await fetch(`${server.url}/en/courses?${q}`)).text();
    const bySlug = await html(`provider=${p.university.slug}`);
    expect(bySlug).toContain('Provider-filtered course');
    expect(bySlug).not.toContain(`<option value="${p.university.slug}"`);
    expect(bySlug).toContain(`name="provider" type="search" maxlength="100" value="${org.name}"`);
    expect(await html(`provider=${encodeURIComponent(org.name.slice(2, -2).toUpperCase())}`)).toContain('Provider-filtered course');
    expect(await html('provider=no-such-provider-anywhere')).not.toContain('Provider-filtered course');
    expect(await html('provider=%25')).not.toContain('Provider-filtered course');
    expect(courseId).toBeGreaterThan(0);
  });

  it('search finds a published course in Chinese and English, and loses it on unpublish', async () => {
    const { courseId } = await publishedSession(server, p, {}, { title: 'Tariff engineering workshop', titleZh: '关税筹划工作坊' });
    const find = async (q: string) => (await server.api.get(`/search?q=${encodeURIComponent(q)}&type=course`)).body.hits?.map((h: any) => h.id) ?? [];
    expect(await find('tariff engineering')).toContain(String(courseId));
    expect(await find('关税筹划')).toContain(String(courseId));
    await server.api.post(`/courses/${courseId}/unpublish`, {}, p.token);
    expect(await find('tariff engineering')).not.toContain(String(courseId));
    expect((await server.api.get(`/courses/${courseId}`)).status).toBe(404);
  });

  it('serves an iCalendar file per session and a personal feed behind a secret token', async () => {
    const { sessionId } = await publishedSession(server, p, { location: 'Room 3, 100 Zhongshan Rd; Shanghai' });
    const [u] = students(1, 'ics');
    await server.api.post(`/sessions/${sessionId}/enrollments`, {}, u!.token);
    const ics = await fetch(`${server.url}/calendar/sessions/${sessionId}.ics`);
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    const text = await ics.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('LOCATION:Room 3\\, 100 Zhongshan Rd\\; Shanghai');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const feedUrl = (await server.api.get('/me/enrollments', u!.token)).body.calendarFeedUrl as string;
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(`UID:course-session-${sessionId}@`);
    expect((await fetch(feedUrl.replace(/[^/]{6}\.ics$/, 'xxxxxx.ics'))).status).toBe(404);
  });
});
