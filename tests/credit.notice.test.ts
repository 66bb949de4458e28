/**
 * Public notice (公示), objections and appeals over the real server: objections only while a notice
 * is open, the grant gate until every objection is disposed of, objectors never named in public,
 * the notice list and its Atom feed, appeals within 15 days decided by a committee member who took
 * no part in the decision, and 404 for anyone an appeal or a notice is not for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import sax from 'sax';
import { creditAssessmentEvents, creditAssessments, creditCertificateEvents, creditCertificates, creditConflicts, creditRoles, notifications, users } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { grantBlocker, undisposedObjections } from '../src/lib/credit/notice';
import { getPage, postForm, userId } from './helpers/accounts';
import { activeScheme, assessmentOnNotice, BODY_SLUG, nameCreditRole, orgId, SELLER_SLUGS } from './helpers/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
const DAY = 86_400_000;
const OBJECTOR = 'quillon.objector@example.com';

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

const assessment = (id: number) => server.db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get()!;
const noticesOf = (email: string) => server.db.select().from(notifications).where(eq(notifications.userId, userId(server, email))).all();

beforeAll(async () => {
  server = await startServer();
  tokens.objector = await server.api.signUp(OBJECTOR, 'Quillon Objector');
  await seed(server.db);
  for (const name of ['seller', 'committee', 'assessor', 'standards', 'provider']) tokens[name] = await login(name);
  // the objector reads the site in English; the seller in Chinese (the default)
  server.db.update(users).set({ locale: 'en' }).where(eq(users.id, userId(server, OBJECTOR))).run();
}, 180_000);
afterAll(() => server?.stop());

describe('objections', () => {
  it('are taken from anyone signed in only while the notice is open', async () => {
    const { schemeId } = activeScheme(server);
    const open = assessmentOnNotice(server, { schemeId });
    expect((await server.api.post('/credit/objections', { assessment: open, text: 'They ship counterfeit goods.' })).status).toBe(401);
    const filed = await server.api.post('/credit/objections', { assessment: open, text: 'They ship counterfeit goods.' }, tokens.objector);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ assessment: open });
    // the committee hears of it; nobody is told who objected
    expect(noticesOf('committee@demo.portal.test').some((n) => n.url === `/credit/notices/${open}#objections`)).toBe(true);

    const { schemeId: s2 } = activeScheme(server);
    const closed = assessmentOnNotice(server, { schemeId: s2, noticeOpensAt: new Date(Date.now() - 8 * DAY), noticeClosesAt: new Date(Date.now() - DAY) });
    const late = await server.api.post('/credit/objections', { assessment: closed, text: 'Too late?' }, tokens.objector);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'notice_closed', message: 'The public notice has closed: objections are no longer taken.' });

    const { schemeId: s3 } = activeScheme(server);
    const undecided = assessmentOnNotice(server, { schemeId: s3, state: 'decision', noticeOpensAt: null, noticeClosesAt: null });
    expect((await server.api.post('/credit/objections', { assessment: undecided, text: 'Early.' }, tokens.objector)).status).toBe(404);
    expect((await server.api.post('/credit/objections', { assessment: open, text: '   ' }, tokens.objector)).status).toBe(400);
  });

  it('are filed through the notice page’s form, and a visitor is offered sign-in that returns there', async () => {
    const { schemeId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId });
    const anonymous = await (await getPage(server, `/en/credit/notices/${id}`)).text();
    expect(anonymous).toContain(`/en/signin?next=${encodeURIComponent(`/en/credit/notices/${id}`)}`);
    expect(anonymous).not.toContain('data-testid="objection-form"');
    const res = await postForm(server, `/en/credit/notices/${id}`, 'creditNotice.object', { assessment: String(id), text: 'Their returns policy is not honoured.' }, tokens.objector);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/en/credit/notices/${id}?done=objection#objections`);
    expect(undisposedObjections(server.db, id)).toBe(1);
    const empty = await postForm(server, `/credit/notices/${id}`, 'creditNotice.object', { assessment: String(id), text: '' }, tokens.objector);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('请说明异议理由。');
  });
});

describe('the grant gate', () => {
  it('stays shut while the notice runs and while an objection has no disposition, and opens once all are disposed of', async () => {
    const { schemeId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId });
    const filed = await server.api.post('/credit/objections', { assessment: id, text: 'The fulfilment score ignores last month’s strike.' }, tokens.objector);
    expect(grantBlocker(server.db, assessment(id), new Date())).toBe('The public notice is still open: a grade is granted only after its last day.');
    const afterNotice = new Date(Date.now() + 7 * DAY);
    expect(undisposedObjections(server.db, id)).toBe(1);
    expect(grantBlocker(server.db, assessment(id), afterNotice)).toBe('An objection has no disposition yet: the committee disposes of every objection before a grade is granted.');

    // only the body's committee disposes of objections
    const byAssessor = await server.api.post(`/credit/objections/${filed.body.id}/disposition`, { decision: 'not_upheld', reason: 'Checked.' }, tokens.assessor);
    expect(byAssessor.status).toBe(403);
    expect(byAssessor.body.error.message).toBe('Only committee members of the industry body dispose of objections.');
    // nor a committee member with a declared conflict of interest on the company
    nameCreditRole(server, 'standards@demo.portal.test', 'committee');
    server.db.insert(creditConflicts).values({ userId: userId(server, 'standards@demo.portal.test'), entityId: orgId(server, SELLER_SLUGS[0]), reason: 'Advised them in 2025.' }).run();
    const byConflicted = await server.api.post(`/credit/objections/${filed.body.id}/disposition`, { decision: 'upheld', reason: 'Yes.' }, tokens.standards);
    server.db.delete(creditConflicts).where(eq(creditConflicts.userId, userId(server, 'standards@demo.portal.test'))).run();
    expect(byConflicted.status).toBe(403);
    expect(undisposedObjections(server.db, id)).toBe(1);
    const disposed = await server.api.post(`/credit/objections/${filed.body.id}/disposition`, { decision: 'not_upheld', reason: 'The strike fell outside the assessment period.' }, tokens.committee);
    expect(disposed.status).toBe(200);
    expect(disposed.body).toMatchObject({ id: filed.body.id, decision: 'not_upheld', reason: 'The strike fell outside the assessment period.' });
    expect(undisposedObjections(server.db, id)).toBe(0);
    expect(grantBlocker(server.db, assessment(id), afterNotice)).toBeNull();

    // the objector is told in English, the company's owner in Chinese
    const toObjector = noticesOf(OBJECTOR).find((n) => n.kind === 'credit.objection.disposed');
    expect(toObjector?.title).toBe('Objection to the credit grade of Hongqiao Silk Road Trading Co., Ltd.: Not upheld');
    expect(toObjector?.body).toContain('The strike fell outside the assessment period.');
    const toSeller = noticesOf('seller@demo.portal.test').filter((n) => n.kind === 'credit.objection.disposed').at(-1);
    expect(toSeller?.title).toMatch(/^关于 .+ 信用等级公示的异议：异议不成立$/);
  });

  it('refuses a disposition once the notice is over', async () => {
    const { schemeId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId });
    const filed = await server.api.post('/credit/objections', { assessment: id, text: 'Objection.' }, tokens.objector);
    server.db.update(creditAssessments).set({ state: 'granted' }).where(eq(creditAssessments.id, id)).run();
    const res = await server.api.post(`/credit/objections/${filed.body.id}/disposition`, { decision: 'upheld', reason: 'Late.' }, tokens.committee);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('notice_over');
  });
});

describe('public notice pages', () => {
  it('show counts and dispositions, never the objector nor the objection’s words', async () => {
    const { schemeId, standardId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId, entitySlug: SELLER_SLUGS[1], grade: 'A' });
    const first = await server.api.post('/credit/objections', { assessment: id, text: 'Quillon saw fake invoices at their warehouse.' }, tokens.objector);
    await server.api.post('/credit/objections', { assessment: id, text: 'A second objection with secret details.' }, tokens.provider);
    await server.api.post(`/credit/objections/${first.body.id}/disposition`, { decision: 'upheld', reason: 'Grade lowered to A after review of the invoices.' }, tokens.committee);

    for (const token of [undefined, tokens.seller, tokens.provider]) {
      const html = await (await getPage(server, `/en/credit/notices/${id}`, token)).text();
      expect(html).toContain('2 objections, 1 disposed of');
      expect(html).toContain('Grade lowered to A after review of the invoices.');
      expect(html).toContain('adjusted by the committee');
      for (const secret of ['Quillon', 'quillon', 'fake invoices', 'secret details', 'provider@demo']) expect(html).not.toContain(secret);
      // every indicator links to the clause it rests on
      expect(html).toContain(`href="/en/standards/${standardId}#clause-4.1"`);
      expect(html).toContain(`href="/en/standards/${standardId}#clause-4.3"`);
    }
    const api = await server.api.get(`/credit/notices/${id}`);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ grade: 'A', adjusted: true, objections: { total: 2, disposed: 1 }, score: 86, maxScore: 100 });
    expect(api.body.dispositions).toEqual([expect.objectContaining({ decision: 'upheld', reason: 'Grade lowered to A after review of the invoices.' })]);
    expect(JSON.stringify(api.body)).not.toMatch(/Quillon|quillon|fake invoices/);

    // the committee sees the objections' words to dispose of them, still without their authors
    const committeePage = await (await getPage(server, `/en/credit/notices/${id}`, tokens.committee)).text();
    expect(committeePage).toContain('A second objection with secret details.');
    expect(committeePage).not.toMatch(/Quillon Objector|quillon\.objector|provider@demo/);
  });

  it('list current notices (API and page), and the Atom feed parses and links to each', async () => {
    const { schemeId } = activeScheme(server);
    const adjusted = assessmentOnNotice(server, { schemeId, entitySlug: SELLER_SLUGS[1], grade: 'B' });
    const { schemeId: s2 } = activeScheme(server);
    const granted = assessmentOnNotice(server, { schemeId: s2, state: 'granted' });

    const list = await server.api.get('/credit/notices');
    expect(list.status).toBe(200);
    const mine = list.body.items.find((n: { id: number }) => n.id === adjusted);
    expect(mine).toMatchObject({ grade: 'B', adjusted: true, company: { slug: SELLER_SLUGS[1] }, objections: { total: 0, disposed: 0 } });
    expect(mine.company.creditCode).toMatch(/^[0-9A-Z]{18}$/);
    expect(list.body.items.some((n: { id: number }) => n.id === granted)).toBe(false);

    const page = await (await getPage(server, '/en/credit/notices')).text();
    expect(page).toContain(`href="/en/credit/notices/${adjusted}"`);
    expect(page).toContain(mine.company.creditCode);
    expect(page).toContain('adjusted by the committee');
    expect((await getPage(server, '/credit/notices?page=2')).status).toBe(200);

    const res = await fetch(`${server.url}/credit/notices.atom?lang=en`);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const feed = parseXml(await res.text());
    expect(feed.root).toBe('feed');
    expect(feed.namespace).toBe('http://www.w3.org/2005/Atom');
    expect(feed.text.get('feed/id')?.[0]).toBe(`${server.url}/credit/notices.atom?lang=en`);
    expect(Number.isNaN(Date.parse(feed.text.get('feed/updated')?.[0] ?? ''))).toBe(false);
    expect(feed.entryLinks).toContain(`${server.url}/en/credit/notices/${adjusted}`);
    expect(feed.entryLinks).not.toContain(`${server.url}/en/credit/notices/${granted}`);
    expect(feed.text.get('feed/entry/id')?.length).toBe(feed.entryLinks.length);
  });

  it('page the list 20 at a time, latest notice first', async () => {
    for (let i = 0; i < 11; i++) {
      const { schemeId } = activeScheme(server);
      for (const slug of SELLER_SLUGS) assessmentOnNotice(server, { schemeId, entitySlug: slug, noticeOpensAt: new Date(Date.now() - (i + 2) * DAY) });
    }
    const first = await server.api.get('/credit/notices');
    expect(first.body.total).toBeGreaterThanOrEqual(22);
    expect(first.body.items).toHaveLength(20);
    const second = await server.api.get('/credit/notices?page=2');
    expect(second.body.page).toBe(2);
    expect(second.body.items.length).toBe(Math.min(20, first.body.total - 20));
    const ids = new Set(first.body.items.map((n: { id: number }) => n.id));
    expect(second.body.items.some((n: { id: number }) => ids.has(n.id))).toBe(false);
    const opened = [...first.body.items, ...second.body.items].map((n: { noticeOpensAt: string }) => n.noticeOpensAt);
    expect(opened).toEqual([...opened].sort().reverse());
    const html = await (await getPage(server, '/en/credit/notices?page=2')).text();
    expect(html).toContain('href="/en/credit/notices"'); // back to page 1
    expect(html).toContain(`href="/en/credit/notices/${second.body.items[0].id}"`);
  });

  it('answer 404 for an assessment never on notice, and keep a granted one’s page', async () => {
    const { schemeId } = activeScheme(server);
    const undecided = assessmentOnNotice(server, { schemeId, state: 'decision', noticeOpensAt: null, noticeClosesAt: null });
    const { schemeId: s2 } = activeScheme(server);
    const refused = assessmentOnNotice(server, { schemeId: s2, state: 'refused', noticeOpensAt: null, noticeClosesAt: null });
    for (const id of [undecided, refused, 999_999]) {
      expect((await getPage(server, `/en/credit/notices/${id}`, tokens.seller)).status).toBe(404);
      expect((await server.api.get(`/credit/notices/${id}`)).status).toBe(404);
    }
    const { schemeId: s3 } = activeScheme(server);
    const granted = assessmentOnNotice(server, { schemeId: s3, state: 'granted' });
    expect((await getPage(server, `/credit/notices/${granted}`)).status).toBe(200);
  });
});

/** Parses strictly (a malformed document throws) and collects element texts by path and the entries' links. */
function parseXml(text: string) {
  const parser = sax.parser(true, { xmlns: true });
  const stack: string[] = [];
  const result = { root: '', namespace: '', text: new Map<string, string[]>(), entryLinks: [] as string[] };
  let buffer = '';
  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    if (!stack.length) {
      result.root = t.local;
      result.namespace = t.uri;
    }
    stack.push(t.local);
    buffer = '';
    if (t.local === 'link' && stack.join('/') === 'feed/entry/link') result.entryLinks.push(String(t.attributes.href?.value));
  };
  parser.ontext = (s) => (buffer += s);
  parser.onclosetag = () => {
    const key = stack.join('/');
    result.text.set(key, [...(result.text.get(key) ?? []), buffer.trim()]);
    stack.pop();
    buffer = '';
  };
  parser.write(text).close();
  return result;
}

describe('appeals', () => {
  const certificateOf = (id: number) => server.db.select().from(creditCertificates).where(eq(creditCertificates.id, id)).get()!;
  let sequence = 90_000;

  /** A certificate of a seller in a suspended or withdrawn state since `daysAgo`, by `actorEmail`. */
  function certificateIn(state: 'suspended' | 'withdrawn', daysAgo: number, actorEmail = 'committee@demo.portal.test') {
    const { schemeId } = activeScheme(server);
    const assessmentId = assessmentOnNotice(server, { schemeId, state: 'granted' });
    const at = new Date(Date.now() - daysAgo * DAY);
    sequence += 1;
    const cert = server.db
      .insert(creditCertificates)
      .values({
        number: `SCBEA-XY-2026-${sequence}`,
        organizationId: orgId(server, BODY_SLUG),
        numberYear: 2026,
        numberSequence: sequence,
        schemeId,
        entityId: orgId(server, SELLER_SLUGS[0]),
        assessmentId,
        grade: 'AA',
        score: 86,
        maxScore: 100,
        standardNumber: 'T/SCBEA 900—2026',
        standardVersion: 1,
        validFrom: '2026-01-10',
        validUntil: '2029-01-09',
        nextSurveillance: '2027-01-10',
        state,
        suspendedAt: state === 'suspended' ? at : new Date(at.getTime() - 30 * DAY),
        endedAt: state === 'withdrawn' ? at : null,
        stateReason: 'Missed surveillance.',
      })
      .returning()
      .get();
    server.db.insert(creditCertificateEvents).values({ certificateId: cert.id, kind: state, actorId: userId(server, actorEmail), reason: 'Missed surveillance.', at }).run();
    return cert.id;
  }

  beforeAll(() => {
    // a second committee member, who took no part in the decisions appealed below
    nameCreditRole(server, 'standards@demo.portal.test', 'committee');
  });

  it('a refusal: the company appeals within 15 days, once; the decider may not decide it; upheld, the assessment goes back to decision', async () => {
    const { schemeId } = activeScheme(server);
    const id = assessmentOnNotice(server, { schemeId, state: 'refused', noticeOpensAt: null, noticeClosesAt: null, decidedAt: new Date(Date.now() - 14 * DAY) });
    // not the company's: the refusal does not exist for them
    expect((await server.api.post('/credit/appeals', { assessment: id, grounds: 'Unfair.' }, tokens.provider)).status).toBe(404);
    const filed = await server.api.post('/credit/appeals', { assessment: id, grounds: 'The assessor ignored our 2025 audit report.' }, tokens.seller);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ subject: 'refusal', assessment: id, certificate: null, state: 'open' });
    const again = await server.api.post('/credit/appeals', { assessment: id, grounds: 'Again.' }, tokens.seller);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('appeal_open');

    const byDecider = await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'upheld', reason: 'I agree.' }, tokens.committee);
    expect(byDecider.status).toBe(403);
    expect(byDecider.body.error.message).toBe('You took part in the decision appealed: another committee member decides the appeal.');
    // nor may the assessor who scored it, even as a committee member
    nameCreditRole(server, 'assessor@demo.portal.test', 'committee');
    const byAssessor = await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'upheld', reason: 'I agree.' }, tokens.assessor);
    server.db.delete(creditRoles).where(and(eq(creditRoles.userId, userId(server, 'assessor@demo.portal.test')), eq(creditRoles.role, 'committee'))).run();
    expect(byAssessor.status).toBe(403);
    // not on the committee: the appeal is not theirs to see
    expect((await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'upheld', reason: 'x' }, tokens.assessor)).status).toBe(404);
    const page = await (await getPage(server, `/en/credit/appeals/${filed.body.id}`, tokens.committee)).text();
    expect(page).not.toContain('data-testid="appeal-decision-form"');

    const upheld = await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'upheld', reason: 'The audit report was in the evidence.' }, tokens.standards);
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ state: 'upheld', decisionReason: 'The audit report was in the evidence.' });
    expect(assessment(id).state).toBe('decision');
    const event = server.db.select().from(creditAssessmentEvents).where(eq(creditAssessmentEvents.assessmentId, id)).all().at(-1);
    expect(event).toMatchObject({ fromState: 'refused', toState: 'decision', actorId: userId(server, 'standards@demo.portal.test') });
    expect(noticesOf('seller@demo.portal.test').some((n) => n.kind === 'credit.appeal.upheld' && n.url === `/credit/appeals/${filed.body.id}`)).toBe(true);
    const twice = await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'dismissed', reason: 'x' }, tokens.standards);
    expect(twice.status).toBe(409);
  });

  it('a refusal more than 15 days ago, or an assessment not refused, cannot be appealed', async () => {
    const { schemeId } = activeScheme(server);
    const old = assessmentOnNotice(server, { schemeId, state: 'refused', noticeOpensAt: null, noticeClosesAt: null, decidedAt: new Date(Date.now() - 16 * DAY) });
    const late = await server.api.post('/credit/appeals', { assessment: old, grounds: 'Late grounds.' }, tokens.seller);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'appeal_late', message: 'The 15 days for an appeal have passed.' });
    const zh = await (await getPage(server, `/credit/appeals/new?assessment=${old}`, tokens.seller)).text();
    expect(zh).toContain('已超过 15 日的申诉期限。');
    const { schemeId: s2 } = activeScheme(server);
    const onNotice = assessmentOnNotice(server, { schemeId: s2 });
    expect((await server.api.post('/credit/appeals', { assessment: onNotice, grounds: 'Why not.' }, tokens.seller)).body.error.code).toBe('not_appealable');
    expect((await server.api.post('/credit/appeals', { grounds: 'Nothing named.' }, tokens.seller)).status).toBe(400);
  });

  it('a suspension: appealed through the form, decided through the page by another committee member; upheld, the certificate is active again', async () => {
    const cert = certificateIn('suspended', 3);
    expect((await server.api.post('/credit/appeals', { certificate: cert, grounds: 'x' }, tokens.provider)).status).toBe(403);
    const form = await getPage(server, `/en/credit/appeals/new?certificate=${cert}`, tokens.seller);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('appeals the suspension of its certificate');
    const posted = await postForm(server, `/en/credit/appeals/new?certificate=${cert}`, 'creditNotice.appeal', { certificate: String(cert), grounds: 'The surveillance visit was postponed by the body itself.' }, tokens.seller);
    expect(posted.status).toBe(303);
    const appealId = Number(/\/en\/credit\/appeals\/(\d+)$/.exec(posted.headers.get('location') ?? '')![1]);

    // the suspension's actor (committee@) may not decide; the page offers the form only to standards@
    expect(await (await getPage(server, `/en/credit/appeals/${appealId}`, tokens.standards)).text()).toContain('data-testid="appeal-decision-form"');
    const list = await (await getPage(server, '/en/credit/manage/appeals', tokens.standards)).text();
    expect(list).toContain(`/en/credit/appeals/${appealId}`);
    const decided = await postForm(server, `/en/credit/appeals/${appealId}`, 'creditNotice.decideAppeal', { appealId: String(appealId), decision: 'upheld', reason: 'Postponed by us.' }, tokens.standards);
    expect(decided.status).toBe(303);
    expect(certificateOf(cert)).toMatchObject({ state: 'active', suspendedAt: null });
    const events = server.db.select().from(creditCertificateEvents).where(and(eq(creditCertificateEvents.certificateId, cert), eq(creditCertificateEvents.kind, 'appeal_upheld'))).all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'Postponed by us.', actorId: userId(server, 'standards@demo.portal.test') });
  });

  it('a withdrawal: within 15 days of its end; dismissed, the certificate stays withdrawn; after 15 days, refused', async () => {
    const late = certificateIn('withdrawn', 20);
    expect((await server.api.post('/credit/appeals', { certificate: late, grounds: 'Late.' }, tokens.seller)).body.error.code).toBe('appeal_late');
    const cert = certificateIn('withdrawn', 2, 'assessor@demo.portal.test');
    const filed = await server.api.post('/credit/appeals', { certificate: cert, grounds: 'We had paid the fee.' }, tokens.seller);
    expect(filed.body).toMatchObject({ subject: 'withdrawal', certificate: cert });
    // committee@ took no part in this withdrawal, so may decide it
    const dismissed = await server.api.post(`/credit/appeals/${filed.body.id}/decision`, { decision: 'dismissed', reason: 'Six months without surveillance.' }, tokens.committee);
    expect(dismissed.status).toBe(200);
    expect(certificateOf(cert).state).toBe('withdrawn');
    expect(noticesOf('seller@demo.portal.test').some((n) => n.kind === 'credit.appeal.dismissed' && n.url === `/credit/appeals/${filed.body.id}`)).toBe(true);
    // a new appeal may follow once none is open
    expect((await server.api.post('/credit/appeals', { certificate: cert, grounds: 'New facts.' }, tokens.seller)).status).toBe(201);
  });

  it('an appeal is the company’s and the committee’s business: 404 to everyone else, in pages and API', async () => {
    const cert = certificateIn('suspended', 1);
    const filed = await server.api.post('/credit/appeals', { certificate: cert, grounds: 'Private grounds.' }, tokens.seller);
    for (const token of [tokens.seller, tokens.committee, tokens.standards]) {
      expect((await getPage(server, `/en/credit/appeals/${filed.body.id}`, token)).status).toBe(200);
      expect((await server.api.get(`/credit/appeals/${filed.body.id}`, token)).status).toBe(200);
    }
    for (const token of [tokens.provider, tokens.assessor, tokens.objector]) {
      expect((await getPage(server, `/en/credit/appeals/${filed.body.id}`, token)).status).toBe(404);
      expect((await server.api.get(`/credit/appeals/${filed.body.id}`, token)).status).toBe(404);
    }
    expect((await getPage(server, `/en/credit/appeals/${filed.body.id}`)).status).toBe(303);
    expect((await getPage(server, '/en/credit/manage/appeals', tokens.seller)).status).toBe(404);
  });
});
