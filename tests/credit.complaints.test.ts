/**
 * Complaints against rated companies over real HTTP: who may file one and against whom, every legal
 * and illegal move, 'unanswered' only after the response date, who may see a complaint (404 for
 * everyone else, in pages and the API), the company never learning who complained, the public
 * counts, and evidence files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, creditComplaints, creditConflicts, notifications } from '../db/schema';
import { seedFoundation } from '../db/seed/foundation';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { complaintCounts } from '../src/lib/credit/complaint-counts';
import { getPage, postForm, userId } from './helpers/accounts';
import { activeScheme, orgId, ratedCompany } from './helpers/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
let schemeId: number;
let otherSchemeId: number;

const HONGQIAO = 'hongqiao-silk-road-trading';
const LINGANG = 'lingang-digital-goods';
const PUJIANG = 'pujiang-bridge-logistics';
const TEXT = 'The parcel ordered on 3 November arrived broken and the seller ignored two messages.';
const LONG_ENOUGH = 'We have refunded the order in full.';

async function login(email: string) {
  const res = await server.api.post('/auth/login', { email, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startServer();
  await seedFoundation(server.db);
  ({ schemeId } = activeScheme(server));
  ({ schemeId: otherSchemeId } = activeScheme(server, { name: 'SCBEA platform seller grading', complaintResponseDays: 10 }));
  ratedCompany(server, HONGQIAO, schemeId);
  ratedCompany(server, LINGANG, schemeId);
  ratedCompany(server, LINGANG, otherSchemeId);
  for (const role of ['seller', 'committee', 'assessor', 'student', 'entrepreneur', 'standards', 'provider', 'researcher'] as const) tokens[role] = await login(DEMO_ACCOUNTS[role].email);
}, 180_000);
afterAll(() => server?.stop());

const file = (body: Record<string, unknown>, token = tokens.student) => server.api.post('/credit/complaints', body, token);
const move = (id: number, body: Record<string, unknown>, token: string) => server.api.post(`/credit/complaints/${id}/transitions`, body, token);

async function filed(entity = HONGQIAO, token = tokens.student, extra: Record<string, unknown> = {}) {
  const res = await file({ entity, category: 'delivery', text: TEXT, ...extra }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
}

const noticesOf = (email: string, kind: string) =>
  server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email)), eq(notifications.kind, kind))).all();

describe('filing', () => {
  it('a signed-in person files against a rated company; the answer is due after the scheme’s response days; the company and the committee are told', async () => {
    const before = Date.now();
    const res = await file({ entity: HONGQIAO, category: 'product_quality', text: TEXT });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'open', role: 'complainant', category: 'product_quality', text: TEXT, entity: { slug: HONGQIAO }, scheme: { id: schemeId }, answer: null, overdue: false });
    expect(res.body.complainant.email).toBe(DEMO_ACCOUNTS.student.email);
    const due = Date.parse(res.body.responseDueAt);
    expect(due - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 1000);
    expect(due - Date.now()).toBeLessThanOrEqual(14 * 86_400_000);
    const sellerNotice = noticesOf(DEMO_ACCOUNTS.seller.email, 'credit.complaint.filed').find((n) => n.url === `/credit/complaints/${res.body.id}`);
    expect(sellerNotice).toBeDefined();
    // the seller reads Chinese; the notice never names the complainant
    expect(sellerNotice!.title).toContain('投诉');
    expect(sellerNotice!.body).not.toContain(DEMO_ACCOUNTS.student.displayName);
    expect(noticesOf(DEMO_ACCOUNTS.committee.email, 'credit.complaint.filed').some((n) => n.url === `/credit/complaints/${res.body.id}`)).toBe(true);
    const audit = server.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'credit_complaint'), eq(auditLog.subjectId, String(res.body.id)))).all();
    expect(audit.map((a) => a.action)).toEqual(['credit.complaint_filed']);
  });

  it('refuses a company without an active or suspended certificate (400) and an unknown one (404)', async () => {
    const unrated = await file({ entity: PUJIANG, category: 'delivery', text: TEXT });
    expect(unrated.status).toBe(400);
    expect(unrated.body.error.fields.entity[0]).toMatch(/active or suspended certificate/);
    expect((await file({ entity: 'no-such-company', category: 'delivery', text: TEXT })).status).toBe(404);
    // a withdrawn certificate no longer makes a company complainable
    server.db.$client.prepare("update credit_certificates set state = 'withdrawn' where entity_id = ?").run(orgId(server, HONGQIAO));
    try {
      expect((await file({ entity: HONGQIAO, category: 'delivery', text: TEXT })).status).toBe(400);
    } finally {
      server.db.$client.prepare("update credit_certificates set state = 'active' where entity_id = ? and state = 'withdrawn'").run(orgId(server, HONGQIAO));
    }
    server.db.$client.prepare("update credit_certificates set state = 'suspended' where entity_id = ?").run(orgId(server, HONGQIAO));
    try {
      expect((await file({ entity: HONGQIAO, category: 'delivery', text: TEXT })).status).toBe(201);
    } finally {
      server.db.$client.prepare("update credit_certificates set state = 'active' where entity_id = ?").run(orgId(server, HONGQIAO));
    }
  });

  it('asks for the scheme when the company is rated under several, and takes the one chosen', async () => {
    const unchosen = await file({ entity: LINGANG, category: 'delivery', text: TEXT });
    expect(unchosen.status).toBe(400);
    expect(unchosen.body.error.fields.scheme[0]).toMatch(/several schemes/);
    const wrong = await file({ entity: HONGQIAO, scheme: otherSchemeId, category: 'delivery', text: TEXT });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.scheme[0]).toMatch(/no certificate under that scheme/);
    const chosen = await file({ entity: LINGANG, scheme: otherSchemeId, category: 'contract', text: TEXT });
    expect(chosen.status).toBe(201);
    expect(chosen.body.scheme.id).toBe(otherSchemeId);
    expect(Date.parse(chosen.body.responseDueAt) - Date.parse(chosen.body.filedAt)).toBe(10 * 86_400_000);
  });

  it('refuses an unverified address (403), a stranger (401), the company’s own people (409) and bad fields (400)', async () => {
    const fresh = await server.api.signUp('complainer@example.com', 'Unverified Complainer');
    const unverified = await file({ entity: HONGQIAO, category: 'delivery', text: TEXT }, fresh);
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.message).toMatch(/Verify your email/);
    const page = await (await getPage(server, `/en/credit/complaints/new?entity=${HONGQIAO}`, fresh)).text();
    expect(page).toContain('data-testid="unverified"');
    expect(page).not.toContain('data-testid="complaint-form"');
    expect((await server.api.post('/credit/complaints', { entity: HONGQIAO, category: 'delivery', text: TEXT })).status).toBe(401);
    const own = await file({ entity: HONGQIAO, category: 'delivery', text: TEXT }, tokens.seller);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('own_company');
    const ownPage = await (await getPage(server, `/en/credit/complaints/new?entity=${HONGQIAO}`, tokens.seller)).text();
    expect(ownPage).toContain('data-testid="own-company"');
    expect(ownPage).not.toContain('data-testid="complaint-form"');
    const unratedPage = await (await getPage(server, `/en/credit/complaints/new?entity=${PUJIANG}`, tokens.student)).text();
    expect(unratedPage).toContain('data-testid="not-rated"');
    expect((await getPage(server, '/en/credit/complaints/new?entity=no-such-company', tokens.student)).status).toBe(404);
    const bad = await file({ entity: HONGQIAO, category: 'rudeness', text: 'Too short' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['category', 'text']);
    expect((await file({ entity: HONGQIAO, category: 'delivery', text: 'x'.repeat(5001) })).status).toBe(400);
  });
});

describe('transitions', () => {
  it('open → answered → replied → closed(resolved), each by its own party, notifying the others and on record', async () => {
    const id = await filed();
    const answered = await move(id, { to: 'answered', text: LONG_ENOUGH }, tokens.seller);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: 'answered', role: 'entity', answer: { text: LONG_ENOUGH, inTime: true } });
    expect(noticesOf(DEMO_ACCOUNTS.student.email, 'credit.complaint.answered').some((n) => n.url === `/credit/complaints/${id}`)).toBe(true);
    const replied = await move(id, { to: 'replied', text: 'The refund arrived, thank you.' }, tokens.student);
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ state: 'replied', reply: { text: 'The refund arrived, thank you.' } });
    expect(noticesOf(DEMO_ACCOUNTS.seller.email, 'credit.complaint.replied').some((n) => n.url === `/credit/complaints/${id}`)).toBe(true);
    const closed = await move(id, { to: 'closed', outcome: 'resolved', reason: 'Refunded in full within the response days.' }, tokens.committee);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', closure: { outcome: 'resolved', reason: 'Refunded in full within the response days.' }, moves: [] });
    for (const email of [DEMO_ACCOUNTS.student.email, DEMO_ACCOUNTS.seller.email]) expect(noticesOf(email, 'credit.complaint.closed').some((n) => n.url === `/credit/complaints/${id}`)).toBe(true);
    const audit = server.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'credit_complaint'), eq(auditLog.subjectId, String(id)))).all();
    expect(audit.map((a) => a.action)).toEqual(['credit.complaint_filed', 'credit.complaint_answered', 'credit.complaint_replied', 'credit.complaint_closed']);
  });

  it('refuses every move out of turn with 409 and the reason', async () => {
    const id = await filed();
    const refused = async (body: Record<string, unknown>, token: string, code: string) => {
      const res = await move(id, body, token);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.length).toBeGreaterThan(20);
    };
    // open
    await refused({ to: 'answered', text: LONG_ENOUGH }, tokens.student, 'not_entity');
    await refused({ to: 'answered', text: LONG_ENOUGH }, tokens.committee, 'not_entity');
    await refused({ to: 'replied', text: LONG_ENOUGH }, tokens.student, 'invalid_transition');
    await refused({ to: 'replied', text: LONG_ENOUGH }, tokens.seller, 'not_complainant');
    await refused({ to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.seller, 'not_committee');
    await refused({ to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.student, 'not_committee');
    await refused({ to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.committee, 'not_answered');
    await refused({ to: 'closed', outcome: 'unresolved', reason: LONG_ENOUGH }, tokens.committee, 'not_answered');
    await refused({ to: 'closed', outcome: 'unanswered', reason: LONG_ENOUGH }, tokens.committee, 'not_overdue');
    // what a move needs
    const empty = await move(id, { to: 'answered' }, tokens.seller);
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.text).toBeDefined();
    const noOutcome = await move(id, { to: 'closed', reason: 'x' }, tokens.committee);
    expect(noOutcome.status).toBe(400);
    expect(Object.keys(noOutcome.body.error.fields).sort()).toEqual(['outcome', 'reason']);
    // answered
    expect((await move(id, { to: 'answered', text: LONG_ENOUGH }, tokens.seller)).status).toBe(200);
    await refused({ to: 'answered', text: LONG_ENOUGH }, tokens.seller, 'invalid_transition');
    await refused({ to: 'closed', outcome: 'unanswered', reason: LONG_ENOUGH }, tokens.committee, 'answered');
    // replied
    expect((await move(id, { to: 'replied', text: LONG_ENOUGH }, tokens.student)).status).toBe(200);
    await refused({ to: 'replied', text: LONG_ENOUGH }, tokens.student, 'invalid_transition');
    await refused({ to: 'answered', text: LONG_ENOUGH }, tokens.seller, 'invalid_transition');
    await refused({ to: 'closed', outcome: 'unanswered', reason: LONG_ENOUGH }, tokens.committee, 'answered');
    // closed
    expect((await move(id, { to: 'closed', outcome: 'unresolved', reason: LONG_ENOUGH }, tokens.committee)).status).toBe(200);
    await refused({ to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.committee, 'invalid_transition');
    await refused({ to: 'closed', outcome: 'not_accepted', reason: LONG_ENOUGH }, tokens.committee, 'invalid_transition');
    await refused({ to: 'replied', text: LONG_ENOUGH }, tokens.student, 'invalid_transition');
    const state = server.db.select().from(creditComplaints).where(eq(creditComplaints.id, id)).get()!;
    expect(state.outcome).toBe('unresolved');
  });

  it('closes as not accepted straight from open, and from answered', async () => {
    const open = await filed();
    const res = await move(open, { to: 'closed', outcome: 'not_accepted', reason: 'Not about this company’s trade.' }, tokens.committee);
    expect(res.status).toBe(200);
    expect(res.body.closure.outcome).toBe('not_accepted');
    const answered = await filed();
    await move(answered, { to: 'answered', text: LONG_ENOUGH }, tokens.seller);
    expect((await move(answered, { to: 'closed', outcome: 'not_accepted', reason: 'A duplicate of another complaint.' }, tokens.committee)).status).toBe(200);
  });

  it('closes as unanswered only once the response date has passed without an answer', async () => {
    const id = await filed();
    const early = await server.api.get(`/credit/complaints/${id}`, tokens.committee);
    expect(early.body.moves).toEqual([{ to: 'closed', outcomes: ['not_accepted'] }]);
    expect((await move(id, { to: 'closed', outcome: 'unanswered', reason: LONG_ENOUGH }, tokens.committee)).status).toBe(409);
    server.db.update(creditComplaints).set({ responseDueAt: new Date(Date.now() - 60_000) }).where(eq(creditComplaints.id, id)).run();
    const late = await server.api.get(`/credit/complaints/${id}`, tokens.committee);
    expect(late.body.overdue).toBe(true);
    expect(late.body.moves).toEqual([{ to: 'closed', outcomes: ['unanswered', 'not_accepted'] }]);
    const closed = await move(id, { to: 'closed', outcome: 'unanswered', reason: 'No answer within 14 days.' }, tokens.committee);
    expect(closed.status).toBe(200);
    expect(closed.body.closure.outcome).toBe('unanswered');
  });

  it('a committee member who filed the complaint does not close it', async () => {
    const id = await filed(HONGQIAO, tokens.committee);
    await move(id, { to: 'answered', text: LONG_ENOUGH }, tokens.seller);
    const res = await move(id, { to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.committee);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_committee');
    expect((await server.api.get(`/credit/complaints/${id}`, tokens.committee)).body.role).toBe('complainant');
  });
});

describe('privacy', () => {
  let id: number;
  beforeAll(async () => {
    id = await filed(HONGQIAO, tokens.student, { text: `${TEXT} Reference zebracornfeather.` });
  });

  it('only the complainant, the company’s owners and editors and the body’s committee see it; everyone else gets 404, in the API and the pages', async () => {
    for (const who of ['student', 'seller', 'committee'] as const) {
      expect((await server.api.get(`/credit/complaints/${id}`, tokens[who])).status, who).toBe(200);
      expect((await getPage(server, `/credit/complaints/${id}`, tokens[who])).status, who).toBe(200);
      expect((await getPage(server, `/en/credit/complaints/${id}`, tokens[who])).status, who).toBe(200);
    }
    // the body's owner and its assessor are not its committee; another company's editor is nobody here
    for (const who of ['entrepreneur', 'standards', 'assessor', 'provider', 'researcher'] as const) {
      const api = await server.api.get(`/credit/complaints/${id}`, tokens[who]);
      expect(api.status, who).toBe(404);
      expect(JSON.stringify(api.body)).not.toContain('zebracorn');
      expect((await getPage(server, `/credit/complaints/${id}`, tokens[who])).status, who).toBe(404);
      expect((await getPage(server, `/en/credit/complaints/${id}`, tokens[who])).status, who).toBe(404);
      expect((await move(id, { to: 'answered', text: LONG_ENOUGH }, tokens[who])).status, who).toBe(404);
      const list = await (await getPage(server, '/en/credit/complaints', tokens[who])).text();
      expect(list, who).not.toContain(`/credit/complaints/${id}"`);
    }
    expect((await server.api.get(`/credit/complaints/${id}`)).status).toBe(401);
    expect((await getPage(server, `/credit/complaints/${id}`)).status).toBe(303);
    expect((await getPage(server, '/credit/manage/complaints', tokens.standards)).status).toBe(404);
  });

  it('a committee member with a declared conflict of interest on the company does not see it', async () => {
    const committee = userId(server, DEMO_ACCOUNTS.committee.email);
    server.db.insert(creditConflicts).values({ userId: committee, entityId: orgId(server, HONGQIAO), reason: 'Former employee' }).run();
    try {
      expect((await server.api.get(`/credit/complaints/${id}`, tokens.committee)).status).toBe(404);
      expect((await move(id, { to: 'closed', outcome: 'not_accepted', reason: LONG_ENOUGH }, tokens.committee)).status).toBe(404);
      expect(await (await getPage(server, '/en/credit/manage/complaints?show=open', tokens.committee)).text()).not.toContain(`/en/credit/complaints/${id}"`);
    } finally {
      server.db.delete(creditConflicts).where(eq(creditConflicts.userId, committee)).run();
    }
    expect((await server.api.get(`/credit/complaints/${id}`, tokens.committee)).status).toBe(200);
  });

  it('the company reads what is complained about, never who complains; the committee and the complainant do', async () => {
    const entity = await server.api.get(`/credit/complaints/${id}`, tokens.seller);
    expect(entity.body.role).toBe('entity');
    expect(entity.body.text).toContain('zebracornfeather');
    expect(entity.body.complainant).toBeNull();
    const student = DEMO_ACCOUNTS.student;
    expect(JSON.stringify(entity.body)).not.toContain(student.email);
    for (const path of [`/credit/complaints/${id}`, `/en/credit/complaints/${id}`, '/en/credit/complaints']) {
      const html = await (await getPage(server, path, tokens.seller)).text();
      expect(html, path).not.toContain(student.email);
      expect(html, path).not.toContain(student.displayName);
    }
    const committeePage = await (await getPage(server, `/en/credit/complaints/${id}`, tokens.committee)).text();
    expect(committeePage).toContain(student.email);
    expect((await server.api.get(`/credit/complaints/${id}`, tokens.committee)).body.complainant).toEqual({ name: student.displayName, email: student.email });
    const queue = await (await getPage(server, '/en/credit/manage/complaints?show=open', tokens.committee)).text();
    expect(queue).toContain(`/en/credit/complaints/${id}"`);
    expect(queue).toContain(student.displayName);
    const mine = await (await getPage(server, '/en/credit/complaints', tokens.student)).text();
    expect(mine).toContain(`/en/credit/complaints/${id}"`);
    const against = await (await getPage(server, '/en/credit/complaints', tokens.seller)).text();
    expect(against).toContain(`/en/credit/complaints/${id}"`);
    const lists = async (who: keyof typeof tokens) => (await server.api.get('/credit/complaints', tokens[who])).body as { filed: { id: number }[]; against: { id: number }[] };
    expect((await lists('student')).filed.map((c) => c.id)).toContain(id);
    expect((await lists('seller')).against.map((c) => c.id)).toContain(id);
    expect((await lists('seller')).filed.map((c) => c.id)).not.toContain(id);
    for (const who of ['entrepreneur', 'committee', 'provider'] as const) {
      const l = await lists(who);
      expect([...l.filed, ...l.against].map((c) => c.id), who).not.toContain(id);
    }
  });

  it('is never found by the site search', async () => {
    const res = await server.api.get('/search?q=zebracornfeather');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
    expect(res.body.hits).toEqual([]);
  });
});

describe('public counts', () => {
  it('count what was filed against the company, what it answered in time, and what was resolved', async () => {
    ratedCompany(server, PUJIANG, schemeId);
    const entityId = orgId(server, PUJIANG);
    expect(complaintCounts(server.db, [entityId]).get(entityId)).toEqual({ received: 0, answeredInTime: 0, resolved: 0 });
    const inTime = await filed(PUJIANG);
    await move(inTime, { to: 'answered', text: LONG_ENOUGH }, tokens.provider);
    await move(inTime, { to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.committee);
    const late = await filed(PUJIANG, tokens.entrepreneur);
    server.db.update(creditComplaints).set({ responseDueAt: new Date(Date.now() - 60_000) }).where(eq(creditComplaints.id, late)).run();
    const lateAnswer = await move(late, { to: 'answered', text: LONG_ENOUGH }, tokens.provider);
    expect(lateAnswer.body.answer.inTime).toBe(false);
    await move(late, { to: 'closed', outcome: 'resolved', reason: LONG_ENOUGH }, tokens.committee);
    const unanswered = await filed(PUJIANG, tokens.researcher);
    server.db.update(creditComplaints).set({ responseDueAt: new Date(Date.now() - 60_000) }).where(eq(creditComplaints.id, unanswered)).run();
    await move(unanswered, { to: 'closed', outcome: 'unanswered', reason: LONG_ENOUGH }, tokens.committee);
    await filed(PUJIANG);
    expect(complaintCounts(server.db, [entityId]).get(entityId)).toEqual({ received: 4, answeredInTime: 1, resolved: 2 });
  });
});

describe('evidence', () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
  let id: number;
  beforeAll(async () => {
    id = await filed();
  });

  function multipart(bytes: Buffer, name = 'receipt.pdf') {
    const boundary = `----complaint${Math.random().toString(16).slice(2)}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  }
  async function upload(token: string, bytes = PDF, name?: string, url = `${server.url}/api/v1/credit/complaints/${id}/evidence`, auth: 'bearer' | 'cookie' = 'bearer') {
    const { body, type } = multipart(bytes, name);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': type, ...(auth === 'bearer' ? { authorization: `Bearer ${token}` } : { cookie: `portal_session=${token}`, origin: server.url }) },
      body,
      redirect: 'manual',
    });
    return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
  }

  it('the complainant adds a PDF: stored under DATA_DIR/credit with its SHA-256, downloaded byte for byte by those who may see it', async () => {
    const res = await upload(tokens.student);
    expect(res.status).toBe(201);
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    expect(res.body).toMatchObject({ name: 'receipt.pdf', type: 'pdf', size: PDF.length, sha256 });
    const stored = readdirSync(path.join(server.dataDir, 'credit'));
    expect(stored).toHaveLength(1);
    expect(existsSync(path.join(server.dataDir, 'settlement', stored[0]!))).toBe(false);
    for (const who of ['student', 'seller', 'committee'] as const) {
      const got = await fetch(`${server.url}${res.body.url}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
      expect(got.status, who).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
    }
    for (const who of ['entrepreneur', 'standards', 'assessor'] as const) {
      expect((await fetch(`${server.url}${res.body.url}`, { headers: { authorization: `Bearer ${tokens[who]}` } })).status, who).toBe(404);
    }
    const view = await server.api.get(`/credit/complaints/${id}`, tokens.seller);
    expect(view.body.evidence).toEqual([{ id: res.body.id, name: 'receipt.pdf', type: 'pdf', size: PDF.length, sha256, url: res.body.url }]);
  });

  it('refuses a file that is not PDF, PNG or JPEG by its bytes (415), one over 10,000,000 bytes (413), anyone but the complainant (409) and outsiders (404)', async () => {
    expect((await upload(tokens.student, Buffer.from('<html>not a pdf</html>'), 'fake.pdf')).status).toBe(415);
    expect((await upload(tokens.student, Buffer.concat([PDF, Buffer.alloc(10_000_001 - PDF.length)]))).status).toBe(413);
    expect((await upload(tokens.seller)).status).toBe(409);
    expect((await upload(tokens.entrepreneur)).status).toBe(404);
    expect(readdirSync(path.join(server.dataDir, 'credit'))).toHaveLength(1);
  });

  it('the complaint page’s upload form stores the file and comes back; after closing nothing more is added', async () => {
    const res = await upload(tokens.student, PDF, 'second.pdf', `${server.url}/en/credit/complaints/${id}/upload`, 'cookie');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain(`/en/credit/complaints/${id}?uploaded=1`);
    const html = await (await getPage(server, `/en/credit/complaints/${id}`, tokens.student)).text();
    expect(html).toContain('second.pdf');
    await move(id, { to: 'closed', outcome: 'not_accepted', reason: LONG_ENOUGH }, tokens.committee);
    const after = await upload(tokens.student);
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('closed');
  });
});

describe('forms', () => {
  it('filing keeps what was typed beside the field errors, in both languages, then lands on the complaint', async () => {
    const bad = await postForm(server, `/en/credit/complaints/new?entity=${HONGQIAO}`, 'creditComplaints.file', { entity: HONGQIAO, category: '', text: 'Too short, sorry' }, tokens.researcher);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Too short, sorry');
    expect(html).toContain('Use at least 20 characters.');
    expect(html).toContain('Choose what the complaint is about.');
    const zh = await (await postForm(server, `/credit/complaints/new?entity=${HONGQIAO}`, 'creditComplaints.file', { entity: HONGQIAO, category: '', text: 'Too short, sorry' }, tokens.researcher)).text();
    expect(zh).toContain('至少 20 个字符。');
    expect(zh).toContain('请选择投诉类别。');
    const ok = await postForm(server, `/en/credit/complaints/new?entity=${HONGQIAO}`, 'creditComplaints.file', { entity: HONGQIAO, category: 'after_sales', text: TEXT }, tokens.researcher);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/\/en\/credit\/complaints\/\d+\?done=filed$/);
  });

  it('the form asks a signed-out visitor to sign in and come back', async () => {
    const res = await getPage(server, `/credit/complaints/new?entity=${HONGQIAO}`);
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get('location') ?? '')).toContain(`/signin?next=/credit/complaints/new?entity=${HONGQIAO}`);
  });

  it('the company answers on the page; a refused or empty answer is shown beside the field with the text kept', async () => {
    const id = await filed();
    const page = await (await getPage(server, `/en/credit/complaints/${id}`, tokens.seller)).text();
    expect(page).toContain('data-testid="answer-form"');
    expect(page).not.toContain('data-testid="close-form"');
    const short = await postForm(server, `/en/credit/complaints/${id}`, 'creditComplaints.transition', { id: String(id), to: 'answered', text: 'Sorry' }, tokens.seller);
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(html).toContain('Sorry</textarea>');
    expect(html).toContain('Use at least 10 characters.');
    const ok = await postForm(server, `/en/credit/complaints/${id}`, 'creditComplaints.transition', { id: String(id), to: 'answered', text: LONG_ENOUGH }, tokens.seller);
    expect(ok.status).toBe(303);
    const committee = await (await getPage(server, `/credit/complaints/${id}`, tokens.committee)).text();
    expect(committee).toContain('data-testid="close-form"');
    expect(committee).toContain('已解决');
    expect(committee).not.toContain('value="unanswered"');
    const reply = await postForm(server, `/credit/complaints/${id}`, 'creditComplaints.transition', { id: String(id), to: 'replied', text: 'The replacement arrived, thank you.' }, tokens.student);
    expect(reply.status).toBe(303);
    const noReason = await postForm(server, `/credit/complaints/${id}`, 'creditComplaints.transition', { id: String(id), to: 'closed', outcome: 'resolved', reason: '' }, tokens.committee);
    expect(noReason.status).toBe(400);
    const zh = await noReason.text();
    expect(zh).toContain('请填写结案理由。');
    expect(zh).toMatch(/<option value="resolved" selected/);
    const late = await postForm(server, `/credit/complaints/${id}`, 'creditComplaints.transition', { id: String(id), to: 'replied', text: 'One more thing to add here.' }, tokens.student);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('投诉人只能在企业答复后回复一次。');
  });
});

describe('demo data', () => {
  it('files one open complaint by the demo student against a rated company, once', async () => {
    const { seedCreditComplaints } = await import('../db/seed/credit-complaints');
    server.db.delete(creditComplaints).run();
    seedCreditComplaints(server.db);
    seedCreditComplaints(server.db);
    const rows = server.db.select().from(creditComplaints).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'open', complainantId: userId(server, DEMO_ACCOUNTS.student.email), entityId: orgId(server, HONGQIAO), schemeId });
  });
});

describe('the committee’s queue', () => {
  const rows = (html: string) => [...html.matchAll(/href="\/en\/credit\/complaints\/(\d+)"/g)].map((m) => Number(m[1]));

  it('shows open, answered, replied, overdue and closed complaints apart', async () => {
    const overdue = await filed();
    server.db.update(creditComplaints).set({ responseDueAt: new Date(Date.now() - 60_000) }).where(eq(creditComplaints.id, overdue)).run();
    const answered = await filed();
    await move(answered, { to: 'answered', text: LONG_ENOUGH }, tokens.seller);
    const page = async (show: string) => rows(await (await getPage(server, `/en/credit/manage/complaints?show=${show}`, tokens.committee)).text());
    expect(await page('overdue')).toContain(overdue);
    expect(await page('overdue')).not.toContain(answered);
    expect(await page('answered')).toContain(answered);
    expect(await page('answered')).not.toContain(overdue);
    expect(await page('replied')).not.toContain(answered);
  });

  it('pages the list 20 at a time', async () => {
    const open = () => server.db.select().from(creditComplaints).where(eq(creditComplaints.state, 'open')).all().length;
    while (open() < 23) await filed();
    const first = await (await getPage(server, '/en/credit/manage/complaints?show=open', tokens.committee)).text();
    expect(rows(first)).toHaveLength(20);
    expect(first).toContain('rel="next"');
    const second = await (await getPage(server, '/en/credit/manage/complaints?show=open&page=2', tokens.committee)).text();
    expect(rows(second)).toHaveLength(open() - 20);
    expect(rows(second).some((id) => rows(first).includes(id))).toBe(false);
  });
});
