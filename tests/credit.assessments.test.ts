/**
 * Credit assessments over real HTTP, from the application to the committee's grant: every move of
 * the lifecycle and its refusals, four eyes, conflicts of interest, one live assessment per company
 * and scheme, the 12-month ban after a withdrawal, evidence checked by its bytes, privacy (404 in
 * pages and API), the grade at a band's edge, and the lapse of an incomplete application.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  creditAssessmentEvents,
  creditAssessments,
  creditCertificateCounters,
  creditCertificates,
  creditConflicts,
  creditEvidence,
  creditRoles,
  memberships,
  notifications,
  organizations,
  users,
  ASSESSMENT_STATES,
  type AssessmentState,
} from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { shanghaiDay } from '../src/i18n';
import { referencedFiles, storedFiles } from '../src/cli/backup-set';
import { lapseOverdueAssessments } from '../src/lib/credit/assessments';
import { addDays } from '../src/lib/credit/dates';
import { NOBODY, refusalOf, type Roles } from '../src/lib/credit/lifecycle';
import { getPage, postForm, userId } from './helpers/accounts';
import { activeScheme, BODY_SLUG, nameCreditRole, orgId, SELLER_SLUGS } from './helpers/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
const [HONGQIAO, LINGANG] = SELLER_SLUGS;
const email = (name: string) => `${name}@demo.portal.test`;

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: email(name), password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status}`);
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startServer();
  await server.api.get('/openapi.json'); // the server migrates its database on first use
  await seed(server.db);
  activeScheme(server); // names assessor@ and committee@
  for (const name of ['seller', 'assessor', 'committee', 'provider', 'standards', 'student']) tokens[name] = await login(name);
}, 180_000);
afterAll(() => server?.stop());

// ---------------------------------------------------------------- arranging

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const TEXT = Buffer.from('just some text, not a document\n');

const answers = {
  i1: { points: 36, statement: 'Licences current; no penalties in three years.' },
  i2: { points: 30, statement: 'On-time delivery 98.2% over 12 months.' },
  i3: { points: 20, statement: 'Returns handled within 7 days.' },
};
const scoresOf = (points: [number, number, number]) => ({
  i1: { points: points[0], rationale: 'Checked against the licence register.' },
  i2: { points: points[1], rationale: 'Platform delivery statistics reviewed.' },
  i3: { points: points[2], rationale: 'Complaint log sampled.' },
});

const move = (id: number, body: Record<string, unknown>, who: string) => server.api.post(`/credit/assessments/${id}/transitions`, body, tokens[who]);

async function moveOk(id: number, body: Record<string, unknown>, who: string, state: AssessmentState) {
  const res = await move(id, body, who);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.state).toBe(state);
  return res.body;
}

async function refused(id: number, body: Record<string, unknown>, who: string, code: string, status = 409) {
  const res = await move(id, body, who);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message.length).toBeGreaterThan(10);
  return res.body.error;
}

/** A draft of `entity` (seller's by default) under a scheme of its own, so cases never share the one-live rule. */
async function draft(entity: string = HONGQIAO, schemeId = activeScheme(server).schemeId) {
  const res = await server.api.post('/credit/assessments', { scheme: schemeId, entity }, tokens.seller);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
}

async function answered(entity?: string) {
  const id = await draft(entity);
  const res = await server.api.patch(`/credit/assessments/${id}`, { answers, commitment: true }, tokens.seller);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return id;
}

async function inScreening(entity?: string) {
  const id = await answered(entity);
  await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
  await moveOk(id, { to: 'screening' }, 'assessor', 'screening');
  return id;
}

async function inScoring(entity?: string) {
  const id = await inScreening(entity);
  await moveOk(id, { to: 'scoring' }, 'assessor', 'scoring');
  return id;
}

async function inDecision(points: [number, number, number] = [36, 30, 20], entity?: string) {
  const id = await inScoring(entity);
  await moveOk(id, { to: 'decision', scores: scoresOf(points) }, 'assessor', 'decision');
  return id;
}

const row = (id: number) => server.db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get()!;
const tomorrow = () => addDays(shanghaiDay(new Date()), 1);

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const boundary = `----credit${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(id: number, indicator: string, who: string, file = { name: 'licence.pdf', bytes: PDF }) {
  const { body, type } = multipart({ indicator }, file);
  const res = await fetch(`${server.url}/api/v1/credit/assessments/${id}/evidence`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${tokens[who]}` }, body });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const download = (url: string, who: string) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

// ---------------------------------------------------------------- the lifecycle table itself

describe('the lifecycle table', () => {
  const as = (roles: Partial<Roles>): Roles => ({ ...NOBODY, ...roles });
  const actors: Record<string, Roles> = {
    applicant: as({ applicant: true, conflicted: true }),
    assessor: as({ assessor: true }),
    assigned: as({ assessor: true, assigned: true }),
    committee: as({ committee: true }),
    outsider: NOBODY,
  };
  /** Every legal move, written out by hand from issue 16: `from>to:actor`. */
  const LEGAL = new Set([
    'draft>submitted:applicant',
    'submitted>screening:assessor',
    'submitted>screening:assigned',
    'screening>incomplete:assessor',
    'screening>incomplete:assigned',
    'incomplete>screening:applicant',
    'screening>scoring:assessor',
    'screening>scoring:assigned',
    'scoring>decision:assigned',
    'decision>public_notice:committee',
    'decision>refused:committee',
    'public_notice>granted:committee',
    ...['draft', 'submitted', 'screening', 'incomplete', 'scoring'].map((s) => `${s}>withdrawn:applicant`),
  ]);

  it('allows exactly the legal moves, for every state, target and actor', () => {
    const wrong: string[] = [];
    for (const from of ASSESSMENT_STATES) {
      for (const to of ASSESSMENT_STATES) {
        for (const [name, roles] of Object.entries(actors)) {
          const allowed = refusalOf(roles, from, to, []) === null;
          if (allowed !== LEGAL.has(`${from}>${to}:${name}`)) wrong.push(`${from}>${to}:${name} ${allowed ? 'allowed' : 'refused'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a conflicted assessor and the scoring assessor as decider, with the reason', () => {
    expect(refusalOf(as({ assessor: true, conflicted: true }), 'submitted', 'screening', [])?.code).toBe('conflict_of_interest');
    expect(refusalOf(as({ committee: true, assessor: true, assigned: true }), 'decision', 'public_notice', [])?.code).toBe('four_eyes');
    expect(refusalOf(as({ assessor: true }), 'screening', 'incomplete', ['incomplete'])?.code).toBe('already_incomplete');
    expect(refusalOf(as({ applicant: true }), 'incomplete', 'lapsed', [])?.code).toBe('invalid_transition');
  });
});

// ---------------------------------------------------------------- applying

describe('applying', () => {
  it('starts a draft for the company’s owner; one live assessment per company and scheme', async () => {
    const { schemeId } = activeScheme(server);
    const first = await server.api.post('/credit/assessments', { scheme: schemeId, entity: HONGQIAO }, tokens.seller);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'draft', scheme: schemeId, entity: HONGQIAO });
    const again = await server.api.post('/credit/assessments', { scheme: schemeId, entity: HONGQIAO }, tokens.seller);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_live');
    // the other company, and the same company under another scheme, may apply
    expect((await server.api.post('/credit/assessments', { scheme: schemeId, entity: LINGANG }, tokens.seller)).status).toBe(201);
    // a withdrawn application frees the place
    await moveOk(first.body.id, { to: 'withdrawn', reason: 'Started by mistake.' }, 'seller', 'withdrawn');
    expect((await server.api.post('/credit/assessments', { scheme: schemeId, entity: HONGQIAO }, tokens.seller)).status).toBe(201);
  });

  it('refuses someone who does not act for the company (403), an inactive scheme and an invalid credit code (409)', async () => {
    const { schemeId } = activeScheme(server);
    const other = await server.api.post('/credit/assessments', { scheme: schemeId, entity: HONGQIAO }, tokens.provider);
    expect(other.status).toBe(403);
    const retired = activeScheme(server, { state: 'retired' });
    const closed = await server.api.post('/credit/assessments', { scheme: retired.schemeId, entity: HONGQIAO }, tokens.seller);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('scheme_not_active');
    const code = server.db.select({ c: organizations.creditCode }).from(organizations).where(eq(organizations.slug, LINGANG)).get()!.c!;
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    server.db.update(organizations).set({ creditCode: wrongCheck }).where(eq(organizations.slug, LINGANG)).run();
    try {
      const bad = await server.api.post('/credit/assessments', { scheme: activeScheme(server).schemeId, entity: LINGANG }, tokens.seller);
      expect(bad.status).toBe(409);
      expect(bad.body.error.code).toBe('credit_code_invalid');
    } finally {
      server.db.update(organizations).set({ creditCode: code }).where(eq(organizations.slug, LINGANG)).run();
    }
  });

  it('saves answers per indicator, refuses points above the maximum, and submits only when complete and signed', async () => {
    const id = await draft();
    const tooMany = await server.api.patch(`/credit/assessments/${id}`, { answers: { i3: { points: 26, statement: 'x' } } }, tokens.seller);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields['answers.i3.points']).toEqual(['Enter a number no greater than 25.']);
    const unknown = await server.api.patch(`/credit/assessments/${id}`, { answers: { i9: { points: 1, statement: 'x' } } }, tokens.seller);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields['answers.i9']).toEqual(['This scheme has no such indicator.']);
    await server.api.patch(`/credit/assessments/${id}`, { answers: { i1: answers.i1 } }, tokens.seller);
    const partial = await server.api.patch(`/credit/assessments/${id}`, { answers: { i2: answers.i2 } }, tokens.seller);
    expect(Object.keys(partial.body.answers)).toEqual(['i1', 'i2']); // merged, not replaced
    expect(partial.body.missing).toEqual({ indicators: ['i3'], commitment: true });
    expect((await refused(id, { to: 'submitted' }, 'seller', 'incomplete_answers')).message).toContain('i3');
    await server.api.patch(`/credit/assessments/${id}`, { answers: { i3: answers.i3 } }, tokens.seller);
    await refused(id, { to: 'submitted' }, 'seller', 'commitment_unsigned');
    const signed = await server.api.patch(`/credit/assessments/${id}`, { commitment: true }, tokens.seller);
    expect(signed.body.commitment).toMatchObject({ signed: true, signedBy: expect.stringContaining('Huang Lei') });
    await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
    const frozen = await server.api.patch(`/credit/assessments/${id}`, { answers: { i1: answers.i1 } }, tokens.seller);
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.code).toBe('answers_frozen');
  });
});

// ---------------------------------------------------------------- the path to a certificate

describe('from application to certificate', () => {
  let grantedScheme = 0;

  it('screens, asks for missing items once, scores (89 is AA), decides, and grants only after the notice closes', async () => {
    const id = await answered();
    grantedScheme = row(id).schemeId;
    await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
    await refused(id, { to: 'screening' }, 'seller', 'not_assessor');
    await moveOk(id, { to: 'screening' }, 'assessor', 'screening');

    // one request for missing items, every item with one due date
    const noItems = await move(id, { to: 'incomplete', dueDate: tomorrow() }, 'assessor');
    expect(noItems.status).toBe(400);
    expect(noItems.body.error.fields.items).toBeDefined();
    const past = await move(id, { to: 'incomplete', items: ['Tax clearance'], dueDate: shanghaiDay(new Date()) }, 'assessor');
    expect(past.body.error.fields.dueDate).toEqual(['The due date must be after today.']);
    await moveOk(id, { to: 'incomplete', items: ['Tax clearance certificate', { key: 'i2', text: 'Delivery statistics for Q3' }], dueDate: tomorrow() }, 'assessor', 'incomplete');
    const asked = await server.api.get(`/credit/assessments/${id}`, tokens.seller);
    expect(asked.body.request).toEqual({ items: [{ key: 'other', text: 'Tax clearance certificate' }, { key: 'i2', text: 'Delivery statistics for Q3' }], dueDate: tomorrow() });
    expect(asked.body.moves).toEqual(['screening', 'withdrawn']);
    const notice = server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email('seller'))), eq(notifications.kind, 'credit.assessment.incomplete'))).all().at(-1)!;
    expect(notice.title).toContain('需要补正'); // the seller reads Chinese
    expect(notice.body).toContain('Tax clearance certificate');
    // the applicant may add evidence while incomplete, then resubmits
    expect((await upload(id, 'i2', 'seller')).status).toBe(201);
    await refused(id, { to: 'screening' }, 'assessor', 'not_applicant');
    await moveOk(id, { to: 'screening' }, 'seller', 'screening');
    await refused(id, { to: 'incomplete', items: ['More'], dueDate: tomorrow() }, 'assessor', 'already_incomplete');

    // scoring: the assessor assigns themselves; only they may score
    await moveOk(id, { to: 'scoring' }, 'assessor', 'scoring');
    await refused(id, { to: 'decision', scores: scoresOf([40, 35, 14]) }, 'committee', 'not_assigned');
    const missingRationale = await move(id, { to: 'decision', scores: { ...scoresOf([40, 35, 14]), i3: { points: 14, rationale: ' ' } } }, 'assessor');
    expect(missingRationale.status).toBe(400);
    expect(Object.keys(missingRationale.body.error.fields)).toEqual(['scores.i3.rationale']);
    const overMax = await move(id, { to: 'decision', scores: scoresOf([41, 35, 14]) }, 'assessor');
    expect(overMax.body.error.fields['scores.i1.points']).toEqual(['Enter a number no greater than 40.']);
    const missingOne = await move(id, { to: 'decision', scores: { i1: scoresOf([40, 35, 14]).i1 } }, 'assessor');
    expect(missingOne.body.error.fields).toMatchObject({ 'scores.i2.points': ['Score this indicator.'], 'scores.i3.points': ['Score this indicator.'] });
    await moveOk(id, { to: 'decision', scores: scoresOf([40, 35, 14]) }, 'assessor', 'decision');
    expect(row(id)).toMatchObject({ score: 89, computedGrade: 'AA' });
    // the applicant sees neither scores nor grade before the decision
    const before = await server.api.get(`/credit/assessments/${id}`, tokens.seller);
    expect(before.body).toMatchObject({ scores: null, score: null, computedGrade: null, assessor: null });
    expect(JSON.stringify(before.body.events)).not.toMatch(/assessor@|"score"|"AA"/); // not through the history either
    const forBody = await server.api.get(`/credit/assessments/${id}`, tokens.committee);
    expect(forBody.body).toMatchObject({ score: 89, computedGrade: 'AA', assessor: { email: email('assessor') } });
    expect(forBody.body.events.at(-1)).toMatchObject({ to: 'decision', details: { score: 89, grade: 'AA' } });
    await refused(id, { to: 'withdrawn' }, 'seller', 'invalid_transition');

    // the decision: the computed grade, on notice for the scheme's 7 days
    await refused(id, { to: 'public_notice' }, 'assessor', 'not_committee');
    const decided = await moveOk(id, { to: 'public_notice' }, 'committee', 'public_notice');
    expect(decided.certificate).toBeNull();
    const onNotice = row(id);
    expect(onNotice.grade).toBe('AA');
    expect(onNotice.noticeClosesAt!.getTime() - onNotice.noticeOpensAt!.getTime()).toBe(7 * 86_400_000);
    const shown = await server.api.get(`/credit/assessments/${id}`, tokens.seller);
    expect(shown.body).toMatchObject({ grade: 'AA', score: 89, computedGrade: 'AA', adjusted: false });

    // no grant before the notice closes
    const early = await refused(id, { to: 'granted' }, 'committee', 'grant_blocked');
    expect(early.message).toContain('public notice');
    server.db.update(creditAssessments).set({ noticeClosesAt: new Date(Date.now() - 1000) }).where(eq(creditAssessments.id, id)).run();
    await refused(id, { to: 'granted' }, 'seller', 'not_committee');
    const year = Number(shanghaiDay(new Date()).slice(0, 4));
    const counter = server.db.select().from(creditCertificateCounters).where(and(eq(creditCertificateCounters.organizationId, orgId(server, BODY_SLUG)), eq(creditCertificateCounters.year, year))).get();
    const next = String((counter?.lastSequence ?? 0) + 1).padStart(5, '0');
    const granted = await moveOk(id, { to: 'granted' }, 'committee', 'granted');
    expect(granted.certificate).toBe(`SCBEA-XY-${year}-${next}`); // 00001 on a fresh database
    const certificate = server.db.select().from(creditCertificates).where(eq(creditCertificates.assessmentId, id)).get()!;
    expect(certificate).toMatchObject({ number: granted.certificate, grade: 'AA', score: 89, maxScore: 100, adjusted: false, state: 'active' });

    const history = server.db.select().from(creditAssessmentEvents).where(eq(creditAssessmentEvents.assessmentId, id)).all().map((e) => e.toState);
    expect(history).toEqual(['draft', 'submitted', 'screening', 'incomplete', 'screening', 'scoring', 'decision', 'public_notice', 'granted']);
    const audit = server.db.$client.prepare("select action from audit_log where subject_type = 'credit_assessment' and subject_id = ? order by id").all(String(id)) as { action: string }[];
    expect(audit.map((a) => a.action)).toContain('credit.assessment.granted');
    const grantedNotice = server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email('seller'))), eq(notifications.kind, 'credit.assessment.granted'))).all().at(-1)!;
    expect(grantedNotice.title).toContain(granted.certificate);
  });

  it('refuses a new application for 12 months after a certificate under the scheme was withdrawn', async () => {
    const entityId = orgId(server, HONGQIAO);
    const where = and(eq(creditCertificates.schemeId, grantedScheme), eq(creditCertificates.entityId, entityId));
    const threeMonthsAgo = new Date(Date.now() - 90 * 86_400_000);
    server.db.update(creditCertificates).set({ state: 'withdrawn', endedAt: threeMonthsAgo }).where(where).run();
    const banned = await server.api.post('/credit/assessments', { scheme: grantedScheme, entity: HONGQIAO }, tokens.seller);
    expect(banned.status).toBe(409);
    expect(banned.body.error.code).toBe('recently_withdrawn');
    expect(banned.body.error.message).toContain('12 months');
    // another company, or the same one under another scheme, is not banned
    expect((await server.api.post('/credit/assessments', { scheme: grantedScheme, entity: LINGANG }, tokens.seller)).status).toBe(201);
    server.db.update(creditCertificates).set({ endedAt: new Date(Date.now() - 366 * 86_400_000) }).where(where).run();
    expect((await server.api.post('/credit/assessments', { scheme: grantedScheme, entity: HONGQIAO }, tokens.seller)).status).toBe(201);
  });

  it('90 points is AAA, the band’s edge', async () => {
    const id = await inDecision([40, 35, 15]);
    expect(row(id)).toMatchObject({ score: 90, computedGrade: 'AAA' });
  });

  it('a committee override needs a reason and shows as adjusted; a refusal needs reasons', async () => {
    const id = await inDecision([40, 35, 14]);
    const unknownGrade = await move(id, { to: 'public_notice', grade: 'AAAA' }, 'committee');
    expect(unknownGrade.body.error.fields.grade).toBeDefined();
    const noReason = await move(id, { to: 'public_notice', grade: 'AAA' }, 'committee');
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toEqual(['Give the reason for adjusting the computed grade.']);
    await moveOk(id, { to: 'public_notice', grade: 'AAA', reason: 'Export compliance record verified with customs after scoring.' }, 'committee', 'public_notice');
    const shown = await server.api.get(`/credit/assessments/${id}`, tokens.seller);
    expect(shown.body).toMatchObject({ grade: 'AAA', computedGrade: 'AA', adjusted: true, overrideReason: 'Export compliance record verified with customs after scoring.' });

    const other = await inDecision([20, 20, 10]);
    const bare = await move(other, { to: 'refused' }, 'committee');
    expect(bare.body.error.fields.reason).toEqual(['Give the reasons for the refusal.']);
    // each recipient reads the notice in their own language
    const seller = userId(server, email('seller'));
    server.db.update(users).set({ locale: 'en' }).where(eq(users.id, seller)).run();
    try {
      await moveOk(other, { to: 'refused', reason: 'Score below the lowest band the scheme certifies.' }, 'committee', 'refused');
    } finally {
      server.db.update(users).set({ locale: 'zh-cn' }).where(eq(users.id, seller)).run();
    }
    expect(row(other)).toMatchObject({ state: 'refused', decisionReason: 'Score below the lowest band the scheme certifies.' });
    const n = server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email('seller'))), eq(notifications.kind, 'credit.assessment.refused'))).all().at(-1)!;
    expect(n.title).toMatch(/^The credit assessment #\d+ of Hongqiao .* was refused$/);
    expect(n.body).toContain('Score below the lowest band');
    // closed cases move no further
    await refused(other, { to: 'public_notice' }, 'committee', 'invalid_transition');
    await refused(other, { to: 'withdrawn' }, 'seller', 'invalid_transition');
  });

  it('withdraws before the decision, from draft to scoring, and never by hand to lapsed or back to draft', async () => {
    await moveOk(await draft(), { to: 'withdrawn' }, 'seller', 'withdrawn');
    const scoring = await inScoring();
    await refused(scoring, { to: 'withdrawn' }, 'assessor', 'not_applicant');
    await moveOk(scoring, { to: 'withdrawn' }, 'seller', 'withdrawn');
    const id = await inScreening();
    await refused(id, { to: 'lapsed' }, 'assessor', 'invalid_transition');
    await refused(id, { to: 'draft' }, 'seller', 'invalid_transition');
    await refused(id, { to: 'submitted' }, 'seller', 'invalid_transition');
    await refused(id, { to: 'granted' }, 'committee', 'invalid_transition');
  });
});

// ---------------------------------------------------------------- four eyes and conflicts

describe('four eyes and conflicts of interest', () => {
  it('the committee member who scored a case cannot decide it; another committee member can', async () => {
    nameCreditRole(server, email('committee'), 'assessor');
    try {
      const id = await inScreening();
      await moveOk(id, { to: 'scoring', assessor: email('committee') }, 'assessor', 'scoring');
      const assigned = server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email('committee'))), eq(notifications.kind, 'credit.assessment.assigned'))).all();
      expect(assigned.length).toBeGreaterThan(0);
      await refused(id, { to: 'decision', scores: scoresOf([30, 30, 20]) }, 'assessor', 'not_assigned');
      await moveOk(id, { to: 'decision', scores: scoresOf([30, 30, 20]) }, 'committee', 'decision');
      const error = await refused(id, { to: 'public_notice' }, 'committee', 'four_eyes');
      expect(error.message).toContain('Four eyes');
      nameCreditRole(server, email('standards'), 'committee');
      await moveOk(id, { to: 'public_notice' }, 'standards', 'public_notice');
    } finally {
      server.db.delete(creditRoles).where(and(eq(creditRoles.userId, userId(server, email('committee'))), eq(creditRoles.role, 'assessor'))).run();
      server.db.delete(creditRoles).where(and(eq(creditRoles.userId, userId(server, email('standards'))), eq(creditRoles.role, 'committee'))).run();
    }
  });

  it('an assessor who belongs to the company cannot screen it; one who declared a conflict cannot be assigned; a non-assessor is no assessor', async () => {
    const assessorId = userId(server, email('assessor'));
    const lingang = orgId(server, LINGANG);
    const id = await answered(LINGANG);
    await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
    server.db.insert(memberships).values({ organizationId: lingang, userId: assessorId, role: 'member' }).run();
    try {
      const error = await refused(id, { to: 'screening' }, 'assessor', 'conflict_of_interest');
      expect(error.message).toContain('conflict of interest');
    } finally {
      server.db.delete(memberships).where(and(eq(memberships.organizationId, lingang), eq(memberships.userId, assessorId))).run();
    }
    await moveOk(id, { to: 'screening' }, 'assessor', 'screening');

    nameCreditRole(server, email('standards'), 'assessor');
    server.db.insert(creditConflicts).values({ userId: userId(server, email('standards')), entityId: lingang, reason: 'Former adviser to the company.' }).run();
    try {
      const error = await refused(id, { to: 'scoring', assessor: email('standards') }, 'assessor', 'conflict_of_interest');
      expect(error.message).toContain('That assessor');
      const notAssessor = await move(id, { to: 'scoring', assessor: email('student') }, 'assessor');
      expect(notAssessor.status).toBe(400);
      expect(notAssessor.body.error.fields.assessor).toEqual(['That email does not belong to an assessor of this body.']);
      expect(row(id)).toMatchObject({ state: 'screening', assessorId: null });
      // the declared conflict also keeps them from screening it themselves
      await refused(id, { to: 'scoring' }, 'standards', 'conflict_of_interest');
      // without the declaration, belonging to the company is conflict enough
      server.db.delete(creditConflicts).where(eq(creditConflicts.userId, userId(server, email('standards')))).run();
      server.db.insert(memberships).values({ organizationId: lingang, userId: userId(server, email('standards')), role: 'member' }).run();
      await refused(id, { to: 'scoring', assessor: email('standards') }, 'assessor', 'conflict_of_interest');
      server.db.delete(memberships).where(and(eq(memberships.organizationId, lingang), eq(memberships.userId, userId(server, email('standards'))))).run();
      await moveOk(id, { to: 'scoring', assessor: email('standards') }, 'assessor', 'scoring');
      expect(row(id).assessorId).toBe(userId(server, email('standards')));
    } finally {
      server.db.delete(memberships).where(and(eq(memberships.organizationId, lingang), eq(memberships.userId, userId(server, email('standards'))))).run();
      server.db.delete(creditConflicts).where(eq(creditConflicts.userId, userId(server, email('standards')))).run();
      server.db.delete(creditRoles).where(and(eq(creditRoles.userId, userId(server, email('standards'))), eq(creditRoles.role, 'assessor'))).run();
    }
  });
});

// ---------------------------------------------------------------- evidence

describe('evidence', () => {
  it('is typed by its bytes, stored under DATA_DIR/credit with its SHA-256, and frozen after submission', async () => {
    const id = await answered();
    const pdf = await upload(id, 'i1', 'seller');
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ indicator: 'i1', name: 'licence.pdf', type: 'pdf', size: PDF.length });
    expect(pdf.body.sha256).toMatch(/^[a-f0-9]{64}$/);
    const png = await upload(id, 'i2', 'seller', { name: 'stats.pdf', bytes: PNG });
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ type: 'png', name: 'stats.png' });
    const text = await upload(id, 'i2', 'seller', { name: 'notes.pdf', bytes: TEXT });
    expect(text.status).toBe(415);
    const unknown = await upload(id, 'i7', 'seller');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.indicator).toBeDefined();
    expect((await upload(id, 'i1', 'provider')).status).toBe(404); // not even told the case exists
    // streamed past the 1 MB body limit of other requests, up to 10,000,000 bytes and not one more
    const large = Buffer.concat([PDF, Buffer.alloc(10_000_000 - PDF.length, 0x20)]);
    const atLimit = await upload(id, 'i3', 'seller', { name: 'annual-report.pdf', bytes: large });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.size).toBe(10_000_000);
    expect((await upload(id, 'i3', 'seller', { name: 'too-big.pdf', bytes: Buffer.concat([large, Buffer.from(' ')]) })).status).toBe(413);
    const stored = server.db.select().from(creditEvidence).where(eq(creditEvidence.assessmentId, id)).all();
    expect(stored).toHaveLength(3); // the refused files left nothing behind
    expect(stored.find((e) => e.id === atLimit.body.id)!.sha256).toBe(createHash('sha256').update(large).digest('hex'));
    for (const e of stored) expect(existsSync(path.join(server.dataDir, 'credit', e.storedName))).toBe(true);
    const known = new Set(server.db.select({ name: creditEvidence.storedName }).from(creditEvidence).all().map((e) => e.name));
    expect(readdirSync(path.join(server.dataDir, 'credit')).filter((n) => !known.has(n))).toEqual([]); // no orphan or partial file
    // a backup copies and verifies them with the settlement documents
    const inBackup = referencedFiles(server.databasePath);
    const onDisk = storedFiles(server.dataDir);
    for (const e of stored) {
      expect(inBackup).toContainEqual({ relativePath: path.join('credit', e.storedName), sha256: e.sha256 });
      expect(onDisk).toContain(path.join('credit', e.storedName));
    }

    await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
    const late = await upload(id, 'i1', 'seller');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('evidence_frozen');

    // downloads: the company and the body, as an attachment; others 404
    const mine = await download(pdf.body.url, 'seller');
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="licence.pdf"; filename*=UTF-8''licence.pdf`);
    expect(Buffer.from(await mine.arrayBuffer()).equals(PDF)).toBe(true);
    const theirs = await download(png.body.url, 'assessor');
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('content-type')).toBe('image/png');
    expect((await download(pdf.body.url, 'provider')).status).toBe(404);
    expect((await download(pdf.body.url, 'student')).status).toBe(404);
    const viewed = server.db.$client.prepare("select count(*) as n from audit_log where action = 'credit.assessment.evidence_viewed' and subject_id = ?").get(String(id)) as { n: number };
    expect(viewed.n).toBe(1);
  });
});

// ---------------------------------------------------------------- privacy

describe('privacy', () => {
  it('a draft is the company’s alone; a submitted case is the company’s and the body’s; everyone else gets 404', async () => {
    const id = await answered();
    const evidence = await upload(id, 'i1', 'seller');
    for (const who of ['assessor', 'committee', 'provider', 'student']) {
      expect((await server.api.get(`/credit/assessments/${id}`, tokens[who])).status, who).toBe(404);
      expect((await getPage(server, `/credit/assessments/${id}`, tokens[who])).status, who).toBe(404);
      expect((await download(evidence.body.url, who)).status, who).toBe(404);
    }
    expect((await getPage(server, `/en/credit/assessments/${id}`, tokens.student)).status).toBe(404);
    expect((await getPage(server, `/credit/assessments/${id}`)).status).not.toBe(200);
    expect((await server.api.get(`/credit/assessments/${id}`, tokens.seller)).status).toBe(200);
    expect((await getPage(server, `/credit/assessments/${id}`, tokens.seller)).status).toBe(200);

    await moveOk(id, { to: 'submitted' }, 'seller', 'submitted');
    for (const who of ['assessor', 'committee']) {
      expect((await server.api.get(`/credit/assessments/${id}`, tokens[who])).status, who).toBe(200);
      expect((await getPage(server, `/en/credit/assessments/${id}`, tokens[who])).status, who).toBe(200);
    }
    // the body reads but does not write the company's answers
    const byAssessor = await server.api.patch(`/credit/assessments/${id}`, { commitment: false }, tokens.assessor);
    expect(byAssessor.status).toBe(403);
    for (const who of ['provider', 'student']) {
      expect((await server.api.patch(`/credit/assessments/${id}`, { commitment: false }, tokens[who])).status, who).toBe(404);
      expect((await server.api.get(`/credit/assessments/${id}`, tokens[who])).status, who).toBe(404);
      expect((await getPage(server, `/credit/assessments/${id}`, tokens[who])).status, who).toBe(404);
      const moved = await move(id, { to: 'screening' }, who);
      expect(moved.status, who).toBe(404);
    }
    // the body's queue lists it; an outsider's queue is empty
    const queue = await server.api.get('/credit/assessments?state=submitted', tokens.assessor);
    expect(queue.body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await server.api.get('/credit/assessments', tokens.student)).body).toMatchObject({ items: [], total: 0 });
  });
});

// ---------------------------------------------------------------- lapsing

describe('lapseOverdueAssessments', () => {
  it('lapses an incomplete application the day after its due date, with an event and a notice', async () => {
    const due = tomorrow();
    const late = await inScreening();
    await moveOk(late, { to: 'incomplete', items: ['Audited accounts'], dueDate: due }, 'assessor', 'incomplete');
    const later = await inScreening();
    await moveOk(later, { to: 'incomplete', items: ['Audited accounts'], dueDate: addDays(due, 5) }, 'assessor', 'incomplete');

    // 23:30 on the due day in Shanghai is still in time
    expect(lapseOverdueAssessments(server.db, new Date(`${due}T23:30:00+08:00`))).toBe(0);
    const dayAfter = new Date(`${addDays(due, 1)}T00:30:00+08:00`);
    expect(lapseOverdueAssessments(server.db, dayAfter)).toBeGreaterThanOrEqual(1);
    expect(row(late).state).toBe('lapsed');
    expect(row(later).state).toBe('incomplete');
    const event = server.db.select().from(creditAssessmentEvents).where(eq(creditAssessmentEvents.assessmentId, late)).all().at(-1)!;
    expect(event).toMatchObject({ fromState: 'incomplete', toState: 'lapsed', actorId: null });
    const n = server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email('seller'))), eq(notifications.kind, 'credit.assessment.lapsed'))).all();
    expect(n.length).toBeGreaterThan(0);
    expect(lapseOverdueAssessments(server.db, dayAfter)).toBe(0); // running again changes nothing
    await refused(late, { to: 'screening' }, 'seller', 'invalid_transition');
  });
});

// ---------------------------------------------------------------- pages and forms

describe('pages and forms', () => {
  /** The HTML of one form field's block (label, hint, error, input), by the input's id. */
  const fieldHtml = (html: string, id: string) => {
    const at = html.indexOf(`id="${id}"`);
    expect(at, id).toBeGreaterThan(-1);
    const start = html.lastIndexOf('<div class="field"', at);
    return html.slice(start, html.indexOf('</div>', at) + 6);
  };

  it('applies from the company page’s link, keeps typed answers beside their errors, and moves by forms', async () => {
    const company = await getPage(server, `/organizations/${HONGQIAO}`, tokens.seller);
    const companyHtml = await company.text();
    expect(companyHtml).toContain(`/credit/apply?entity=${HONGQIAO}`);
    const outsider = await (await getPage(server, `/organizations/${HONGQIAO}`, tokens.student)).text();
    expect(outsider).not.toContain('/credit/apply');
    expect(outsider).not.toContain('data-testid="company-assessments"');

    const { schemeId } = activeScheme(server);
    const applyPage = await (await getPage(server, `/credit/apply?entity=${HONGQIAO}`, tokens.seller)).text();
    expect(applyPage).toMatch(new RegExp(`<option value="${HONGQIAO}" selected`));
    const applied = await postForm(server, '/credit/apply', 'creditAssessments.apply', { scheme: String(schemeId), entity: HONGQIAO }, tokens.seller);
    expect(applied.status).toBe(303);
    const id = Number(/\/credit\/assessments\/(\d+)$/.exec(applied.headers.get('location')!)![1]);
    expect(row(id)).toMatchObject({ state: 'draft', schemeId });
    const twice = await postForm(server, '/en/credit/apply', 'creditAssessments.apply', { scheme: String(schemeId), entity: HONGQIAO }, tokens.seller);
    expect(await twice.text()).toContain('This company already has an application in progress under this scheme.');

    // a wrong number beside its field, in Chinese, with everything typed kept
    const page = `/credit/assessments/${id}`;
    const bad = await postForm(server, page, 'creditAssessments.save', { id: String(id), 'answers.i1.points': '45', 'answers.i1.statement': '执照齐全', 'answers.i2.points': '3.5', 'answers.i2.statement': '', commitment: 'true' }, tokens.seller);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    const i1 = fieldHtml(html, 'f-answers-i1-points');
    expect(i1).toContain('value="45"');
    expect(i1).toContain('aria-invalid="true"');
    expect(i1).toContain('请输入不大于 40 的数字。');
    expect(fieldHtml(html, 'f-answers-i2-points')).toContain('请填写整数分值。');
    expect(fieldHtml(html, 'f-answers-i2-statement')).toContain('请说明自评依据。');
    expect(html).toContain('执照齐全');
    expect(html).toMatch(/id="f-commitment"[^>]*checked/);

    const fields: Record<string, string> = { id: String(id), commitment: 'true' };
    for (const [key, a] of Object.entries(answers)) Object.assign(fields, { [`answers.${key}.points`]: String(a.points), [`answers.${key}.statement`]: a.statement });
    const ok = await postForm(server, page, 'creditAssessments.save', fields, tokens.seller);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${page}?done=saved`);
    expect(row(id).answers).toEqual(answers);
    expect(row(id).commitmentSignedAt).not.toBeNull();

    // evidence through the page's own upload form
    const { body, type } = multipart({ indicator: 'i3' }, { name: '退货记录.pdf', bytes: PDF });
    const uploaded = await fetch(`${server.url}${page}/upload`, { method: 'POST', headers: { origin: server.url, 'content-type': type, cookie: `portal_session=${tokens.seller}` }, body, redirect: 'manual' });
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.get('location')).toBe(`${page}?done=uploaded#evidence-h`);
    const withEvidence = await (await getPage(server, page, tokens.seller)).text();
    expect(withEvidence).toContain('退货记录.pdf');

    const submitted = await postForm(server, page, 'creditAssessments.transition', { id: String(id), to: 'submitted' }, tokens.seller);
    expect(submitted.status).toBe(303);
    expect(row(id).state).toBe('submitted');

    // the assessor's page offers the assessor's moves; a request without items says so beside the field
    const assessorPage = await (await getPage(server, `/en${page}`, tokens.assessor)).text();
    expect(assessorPage).toContain('data-transition="screening"');
    expect(assessorPage).not.toContain('data-transition="withdrawn"');
    expect(assessorPage).not.toContain('data-testid="answers-form"');
    await moveOk(id, { to: 'screening' }, 'assessor', 'screening');
    const noItems = await postForm(server, `/en${page}`, 'creditAssessments.transition', { id: String(id), to: 'incomplete', itemsText: '', dueDate: tomorrow() }, tokens.assessor);
    expect(noItems.status).toBe(400);
    const noItemsHtml = await noItems.text();
    expect(fieldHtml(noItemsHtml, 'incomplete-itemsText')).toContain('List every missing item.');
    expect(fieldHtml(noItemsHtml, 'incomplete-dueDate')).toContain(`value="${tomorrow()}"`);
    const scored = await postForm(server, `/en${page}`, 'creditAssessments.transition', { id: String(id), to: 'scoring', assessor: '' }, tokens.assessor);
    expect(scored.status).toBe(303);
    const scoreFields: Record<string, string> = { id: String(id), to: 'decision' };
    for (const [key, sc] of Object.entries(scoresOf([40, 35, 15]))) Object.assign(scoreFields, { [`scores.${key}.points`]: String(sc.points), [`scores.${key}.rationale`]: sc.rationale });
    const decided = await postForm(server, `/en${page}`, 'creditAssessments.transition', scoreFields, tokens.assessor);
    expect(decided.status).toBe(303);
    expect(row(id)).toMatchObject({ state: 'decision', score: 90, computedGrade: 'AAA' });

    // the committee's page: the grade form with the computed grade chosen; the four-eyes rule holds on the page too
    const committeePage = await (await getPage(server, page, tokens.committee)).text();
    expect(committeePage).toContain('data-transition="public_notice"');
    expect(committeePage).toMatch(/<option value="AAA" selected/);
    const adjusted = await postForm(server, page, 'creditAssessments.transition', { id: String(id), to: 'public_notice', grade: 'AA', reason: '' }, tokens.committee);
    expect(adjusted.status).toBe(400);
    expect(fieldHtml(await adjusted.text(), 'public_notice-reason')).toContain('请说明调整计算等级的理由。');

    // the company page lists the case for its owner
    expect(await (await getPage(server, `/en/organizations/${HONGQIAO}`, tokens.seller)).text()).toContain(`/en/credit/assessments/${id}`);
  });

  it('the body’s queue is for its assessors and committee only, paged and filtered by state', async () => {
    expect((await getPage(server, '/credit/manage', tokens.student)).status).toBe(404);
    expect((await getPage(server, '/credit/manage', tokens.seller)).status).toBe(404);
    const id = await inScreening();
    const queue = await getPage(server, '/en/credit/manage?state=screening', tokens.assessor);
    expect(queue.status).toBe(200);
    const html = await queue.text();
    expect(html).toContain(`/en/credit/assessments/${id}`);
    expect(html).toContain('Screening');
    const other = await (await getPage(server, '/en/credit/manage?state=granted', tokens.committee)).text();
    expect(other).not.toContain(`/en/credit/assessments/${id}"`);
  });
});
