/**
 * The settlement service over real HTTP: the whole path from draft to decision, every refused
 * transition, who may see a case and its documents, upload checks, and reference numbers under
 * concurrent submission.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoundation } from '../db/seed/foundation';
import { seedSettlement } from '../db/seed/settlement';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};

async function login(email: string) {
  const res = await server.api.post('/auth/login', { email, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startServer();
  await server.api.get('/settlement/routes'); // the server migrates its database on first use
  await seedFoundation(server.db);
  seedSettlement(server.db);
  for (const role of ['officer', 'approver', 'admin', 'provider', 'entrepreneur'] as const) tokens[role] = await login(DEMO_ACCOUNTS[role].email);
}, 120_000);
afterAll(() => server?.stop());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** A hand-built multipart body, so file names reach the server byte for byte (NUL included). */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string; encoded?: boolean }) {
  const boundary = `----settlement${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${file.encoded ? `filename*=UTF-8''${encodeURIComponent(file.name)}` : `filename="${file.name}"`}\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`, 'utf8'));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(id: number, item: string, token: string, file: { name: string; bytes: Buffer; encoded?: boolean } = { name: 'doc.pdf', bytes: PDF }) {
  const { body, type } = multipart({ item }, file);
  const res = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const answers = {
  personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
  criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
  company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder and CEO', employees: 12 },
  declaration: { agreed: true, signedName: 'Amir Rahman' },
};

/** A draft on the entrepreneur route with every answer and every required document. */
async function readyDraft(token: string) {
  const created = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token);
  expect(created.status).toBe(201);
  const id = created.body.id as number;
  expect((await server.api.patch(`/settlement/applications/${id}`, { answers }, token)).status).toBe(200);
  for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) expect((await upload(id, item, token)).status).toBe(201);
  return id;
}

const tomorrowPlus = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const transition = (id: number, body: Record<string, unknown>, token: string) => server.api.post(`/settlement/applications/${id}/transitions`, body, token);

describe('routes and estimate', () => {
  it('lists the three seeded routes with their checklist keys', async () => {
    const res = await server.api.get('/settlement/routes');
    expect(res.status).toBe(200);
    const slugs = res.body.items.map((r: any) => r.slug);
    expect(slugs).toEqual(['residence-permit-points', 'entrepreneur-talent', 'overseas-returnee-entrepreneur']);
    const entrepreneur = res.body.items[1];
    expect(entrepreneur.id).toEqual(expect.any(Number));
    expect(entrepreneur.checklist.map((i: any) => i.key)).toContain('investment_proof');
  });

  it('estimates points per indicator against 120 and says it is indicative', async () => {
    const res = await server.api.post('/settlement/estimate', { age: 44, education: 'master', title: 'level4', socialInsuranceBase: 2, socialInsuranceYears: 3 });
    expect(res.status).toBe(200);
    expect(res.body.points).toMatchObject({ age: 29, education: 100, title: 15, social_insurance_years: 9, social_insurance_base: 100 });
    expect(res.body.total).toBe(253);
    expect(res.body.standard).toBe(120);
    expect(res.body.indicative).toBe(true);
    const bad = await server.api.post('/settlement/estimate', { age: 'old', education: 'phd' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['age', 'education']));
  });

  it('lets admins, and only admins, edit a route', async () => {
    const denied = await server.api.request('PATCH', '/settlement/routes/entrepreneur-talent', { summary: 'x' }, tokens.officer);
    expect(denied.status).toBe(403);
    const ok = await server.api.request('PATCH', '/settlement/routes/entrepreneur-talent', { summaryZh: '适用于获得投资的在沪创业者。' }, tokens.admin);
    expect(ok.status).toBe(200);
    expect(ok.body.checklist.length).toBeGreaterThan(0);
  });
});

describe('answers as text', () => {
  it('refuse control characters in a one-line answer and in a text answer, and keep a text answer’s line breaks', async () => {
    const applicant = await server.api.signUp('text-applicant@example.com');
    const id = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, applicant)).body.id as number;
    const bad = await server.api.patch(
      `/settlement/applications/${id}`,
      { answers: { personal: { fullName: 'Amir\r\nBcc: x@y' }, criteria: { business_summary: 'Logistics \u202Eerawtfos' }, company: { name: 'Bund\u2028Bridge' } } },
      applicant,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      'personal.fullName': ['This field must be a single line without control characters.'],
      'criteria.business_summary': ['This field must not contain control characters.'],
      'company.name': ['This field must be a single line without control characters.'],
    });
    const ok = await server.api.patch(`/settlement/applications/${id}`, { answers: { criteria: { business_summary: 'Logistics software.\nCustoms data for sellers.' } } }, applicant);
    expect(ok.status).toBe(200);
  });
});

describe('the whole path, draft to decision', () => {
  it('runs submit → accept → review → information → recommendation → decision by another approver', async () => {
    const applicant = await server.api.signUp('path-applicant@example.com');
    const id = await readyDraft(applicant);

    const submitted = await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    expect(submitted.status).toBe(200);
    expect(submitted.body.reference).toMatch(/^SH-TS-\d{4}-\d{6}$/);

    // answers are frozen
    const late = await server.api.patch(`/settlement/applications/${id}`, { answers: { personal: { fullName: 'Someone Else' } } }, applicant);
    expect(late.status).toBe(409);

    const queue = await server.api.get('/settlement/queue?state=submitted', tokens.officer);
    expect(queue.status).toBe(200);
    const row = queue.body.items.find((i: any) => i.id === id);
    expect(row.idNumber).not.toContain('12345');
    expect(row.idNumber).toMatch(/^A1•+78$/);

    expect((await transition(id, { to: 'accepted' }, tokens.officer)).status).toBe(200);
    expect((await transition(id, { to: 'in_review', assignee: DEMO_ACCOUNTS.officer.email }, tokens.officer)).status).toBe(200);

    const note = await server.api.post(`/settlement/applications/${id}/notes`, { body: 'Check the investor’s registration — internal only.' }, tokens.officer);
    expect(note.status).toBe(201);

    const duplicate = await transition(id, { to: 'information_requested', items: ['Bank statement', 'bank statement'], dueDate: tomorrowPlus(14) }, tokens.officer);
    expect(duplicate.status).toBe(400);
    const asked = await transition(id, { to: 'information_requested', items: ['investment_proof', 'Bank statement showing the investment'], dueDate: tomorrowPlus(14) }, tokens.officer);
    expect(asked.status).toBe(200);

    const seen = await server.api.get(`/settlement/applications/${id}`, applicant);
    expect(seen.body.state).toBe('information_requested');
    expect(seen.body.request.items).toHaveLength(2);
    expect(seen.body.request.dueDate).toBe(tomorrowPlus(14));
    expect(JSON.stringify(seen.body)).not.toContain('internal only');
    expect(seen.body.notes).toBeUndefined();

    expect((await upload(id, 'investment_proof', applicant)).status).toBe(201);
    expect((await transition(id, { to: 'in_review', text: 'Uploaded the bank statement.' }, applicant)).status).toBe(200);

    const noReasons = await transition(id, { to: 'recommended_approve' }, tokens.officer);
    expect(noReasons.status).toBe(400);
    const recommended = await transition(id, { to: 'recommended_approve', reasons: ['criteria_met', 'documents_verified'], text: 'Investment and founder status verified.' }, tokens.officer);
    expect(recommended.status).toBe(200);
    expect(recommended.body.state).toBe('recommended_approve');

    const officerDecides = await transition(id, { to: 'approved', reasons: ['criteria_met'], text: 'Approved on the evidence.' }, tokens.officer);
    expect(officerDecides.status).toBe(409);

    const decided = await transition(id, { to: 'approved', reasons: ['criteria_met', 'documents_verified'], text: 'The founder criteria are met and the documents verified.' }, tokens.approver);
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('approved');

    const letter = await server.api.get(`/settlement/applications/${id}`, applicant);
    expect(letter.body.decision).toMatchObject({ outcome: 'approved', text: 'The founder criteria are met and the documents verified.' });
    expect(letter.body.decision.reasons.map((r: any) => r.code)).toEqual(['criteria_met', 'documents_verified']);
    expect(letter.body.recommendation).toBeUndefined();

    const kinds = server.db.$client
      .prepare("select kind from notifications where user_id = (select id from users where email = 'path-applicant@example.com') order by id")
      .all()
      .map((r: any) => r.kind);
    expect(kinds).toEqual(['settlement.submitted', 'settlement.accepted', 'settlement.in_review', 'settlement.information_requested', 'settlement.in_review', 'settlement.approved']);
    const audit = server.db.$client.prepare("select action from audit_log where subject_type = 'settlement_application' and subject_id = ? order by id").all(String(id)).map((r: any) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['settlement.submitted', 'settlement.accepted', 'settlement.in_review', 'settlement.information_requested', 'settlement.recommended_approve', 'settlement.approved']));
  });
});

describe('refused transitions', () => {
  it('refuses submission while a required document is missing, naming it', async () => {
    const token = await server.api.signUp('missing-doc@example.com');
    const { body } = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token);
    await server.api.patch(`/settlement/applications/${body.id}`, { answers }, token);
    for (const item of ['identity', 'degree', 'business_licence']) await upload(body.id, item, token);
    const res = await server.api.post(`/settlement/applications/${body.id}/submit`, {}, token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('missing_documents');
    expect(res.body.error.message).toContain('investment_proof');
  });

  it('refuses an approver deciding their own recommendation', async () => {
    const both = 'officer-approver@example.com';
    const dualToken = await server.api.signUp(both);
    await server.api.post(`/admin/users/${encodeURIComponent(both)}/roles`, { roles: ['settlement_officer', 'settlement_approver'] }, tokens.admin);
    const applicant = await server.api.signUp('four-eyes@example.com');
    const id = await readyDraft(applicant);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    await transition(id, { to: 'accepted' }, dualToken);
    await transition(id, { to: 'in_review' }, dualToken);
    expect((await transition(id, { to: 'recommended_refuse', reasons: ['criteria_not_met'], text: 'The investment is below the threshold.' }, dualToken)).status).toBe(200);
    const own = await transition(id, { to: 'refused', reasons: ['criteria_not_met'], text: 'The investment is below the threshold.' }, dualToken);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('four_eyes');
    expect(own.body.error.message).toMatch(/recommended/);
    const applicantDecides = await transition(id, { to: 'approved', reasons: ['criteria_met'], text: 'I approve myself, obviously.' }, applicant);
    expect(applicantDecides.status).toBe(409);
    const other = await transition(id, { to: 'refused', reasons: ['criteria_not_met'], text: 'The investment is below the threshold.' }, tokens.approver);
    expect(other.status).toBe(200);
    const withdrawAfter = await transition(id, { to: 'withdrawn' }, applicant);
    expect(withdrawAfter.status).toBe(409);
  });

  it('refuses skipping states and acting on someone else’s case (404)', async () => {
    const owner = await server.api.signUp('owner-case@example.com');
    const intruder = await server.api.signUp('intruder@example.com');
    const id = await readyDraft(owner);
    expect((await transition(id, { to: 'accepted' }, tokens.officer)).status).toBe(404); // drafts are invisible to staff
    expect((await server.api.post(`/settlement/applications/${id}/submit`, {}, intruder)).status).toBe(404);
    expect((await transition(id, { to: 'withdrawn' }, intruder)).status).toBe(404);
    expect((await server.api.patch(`/settlement/applications/${id}`, { answers: { personal: { fullName: 'Mallory' } } }, intruder)).status).toBe(404);
    expect((await upload(id, 'identity', intruder)).status).toBe(404);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, owner);
    const skip = await transition(id, { to: 'recommended_approve', reasons: ['criteria_met'], text: 'Skipping the review entirely.' }, tokens.officer);
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toContain('submitted');
    // an approver does not even see a case before it is recommended
    const notApprover = await transition(id, { to: 'accepted' }, tokens.approver);
    expect(notApprover.status).toBe(404);
    // missing items are listed once: a second "incomplete" is refused
    expect((await transition(id, { to: 'incomplete', items: ['business_licence'], dueDate: tomorrowPlus(7) }, tokens.officer)).status).toBe(200);
    await upload(id, 'business_licence', owner);
    expect((await transition(id, { to: 'submitted' }, owner)).status).toBe(200);
    const again = await transition(id, { to: 'incomplete', items: ['degree'], dueDate: tomorrowPlus(7) }, tokens.officer);
    expect(again.status).toBe(409);
    expect((await transition(id, { to: 'withdrawn' }, owner)).body.state).toBe('withdrawn');
  });

  it('keeps a withdrawn draft private: staff never see an application that was not submitted', async () => {
    const owner = await server.api.signUp('withdrawn-draft@example.com');
    const { body } = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, owner);
    await server.api.patch(`/settlement/applications/${body.id}`, { answers }, owner);
    expect((await transition(body.id, { to: 'withdrawn' }, owner)).body.state).toBe('withdrawn');
    expect((await server.api.get(`/settlement/applications/${body.id}`, tokens.officer)).status).toBe(404);
    const queue = await server.api.get('/settlement/queue?state=withdrawn', tokens.officer);
    expect(queue.body.items.map((i: any) => i.id)).not.toContain(body.id);
  });

  it('lapses a case whose due date has passed, on access', async () => {
    const owner = await server.api.signUp('late@example.com');
    const id = await readyDraft(owner);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, owner);
    await transition(id, { to: 'incomplete', items: ['degree'], dueDate: tomorrowPlus(3) }, tokens.officer);
    server.db.$client.prepare("update settlement_applications set due_date = '2020-01-01' where id = ?").run(id);
    const res = await server.api.get(`/settlement/applications/${id}`, owner);
    expect(res.body.state).toBe('lapsed');
    expect((await upload(id, 'degree', owner)).status).toBe(409);
  });

  it('refuses a resubmission after the due date: the case lapses first', async () => {
    const owner = await server.api.signUp('too-late@example.com');
    const id = await readyDraft(owner);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, owner);
    await transition(id, { to: 'incomplete', items: ['degree'], dueDate: tomorrowPlus(3) }, tokens.officer);
    server.db.$client.prepare("update settlement_applications set due_date = '2020-01-01' where id = ?").run(id);
    const res = await server.api.post(`/settlement/applications/${id}/submit`, {}, owner);
    expect(res.status).toBe(409);
    expect((await server.api.get(`/settlement/applications/${id}`, owner)).body.state).toBe('lapsed');
  });
});

describe('privacy', () => {
  it('answers 404 to another applicant, an organization editor and an admin without an officer role', async () => {
    const owner = await server.api.signUp('private@example.com');
    const id = await readyDraft(owner);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, owner);
    const doc = (await server.api.get(`/settlement/applications/${id}`, owner)).body.documents[0];
    const other = await server.api.signUp('nosy@example.com');
    for (const token of [other, tokens.provider, tokens.admin]) {
      expect((await server.api.get(`/settlement/applications/${id}`, token)).status).toBe(404);
      expect((await server.api.get(`/settlement/applications/${id}/documents/${doc.id}`, token)).status).toBe(404);
    }
    expect((await server.api.get(`/settlement/applications/${id}/documents/${doc.id}`)).status).toBe(401);
    expect((await server.api.get('/settlement/queue', tokens.admin)).status).toBe(403);
    const own = await fetch(`${server.url}${doc.url}`, { headers: { authorization: `Bearer ${owner}` } });
    expect(own.status).toBe(200);
    // the officer's view is logged
    const before = server.db.$client.prepare("select count(*) n from audit_log where action = 'settlement.document_viewed'").get() as { n: number };
    expect((await fetch(`${server.url}${doc.url}`, { headers: { authorization: `Bearer ${tokens.officer}` } })).status).toBe(200);
    const after = server.db.$client.prepare("select count(*) n from audit_log where action = 'settlement.document_viewed'").get() as { n: number };
    expect(after.n).toBe(before.n + 1);
  });

  it('keeps cases out of search and the public API', async () => {
    const search = await fetch(`${server.url}/api/v1/search?q=${encodeURIComponent('Bund Bridge Trading')}`);
    const found = await search.json();
    expect(found.total).toBe(0);
    expect(JSON.stringify(found.hits)).not.toContain('Bund Bridge');
    expect((await server.api.get('/settlement/applications')).status).toBe(401);
  });
});

describe('who on staff sees a case', () => {
  const page = (path: string, token: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  /** Whether the case is in this user's queue (every page of it). */
  async function inQueue(token: string, id: number, filter = '') {
    for (let p = 1; ; p++) {
      const res = await server.api.get(`/settlement/queue?page=${p}${filter}`, token);
      expect(res.status).toBe(200);
      if (res.body.items.some((i: any) => i.id === id)) return true;
      if (p * res.body.perPage >= res.body.total) return false;
    }
  }
  /** The case, its first document and its staff page, all visible — or all 404 — and the queue agrees. */
  async function sees(token: string, id: number, docUrl: string) {
    const [json, doc, html, listed] = [
      (await server.api.get(`/settlement/applications/${id}`, token)).status,
      (await fetch(`${server.url}${docUrl}`, { headers: { authorization: `Bearer ${token}` } })).status,
      (await page(`/en/settlement/cases/${id}`, token)).status,
      await inQueue(token, id),
    ];
    if (json === 200) {
      expect([doc, html, listed]).toEqual([200, 200, true]);
      return true;
    }
    expect([json, doc, html, listed]).toEqual([404, 404, 404, false]);
    return false;
  }
  async function staff(email: string, roles: string[]) {
    const token = await server.api.signUp(email);
    expect((await server.api.post(`/admin/users/${encodeURIComponent(email)}/roles`, { roles }, tokens.admin)).status).toBe(200);
    return token;
  }

  it('shows officers the unassigned queue and their own cases, approvers the cases awaiting a decision and their decisions', async () => {
    const officer2 = await staff('scope-officer2@example.com', ['settlement_officer']);
    const approver2 = await staff('scope-approver2@example.com', ['settlement_approver']);
    const applicant = await server.api.signUp('scope-applicant@example.com');
    const id = await readyDraft(applicant);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    const docUrl = (await server.api.get(`/settlement/applications/${id}`, applicant)).body.documents[0].url as string;

    // submitted and unassigned: the officers' shared queue, no approver
    expect(await sees(tokens.officer, id, docUrl)).toBe(true);
    expect(await sees(officer2, id, docUrl)).toBe(true);
    expect(await sees(tokens.approver, id, docUrl)).toBe(false);
    expect((await transition(id, { to: 'accepted' }, tokens.officer)).status).toBe(200);
    expect(await sees(officer2, id, docUrl)).toBe(true); // accepted, still unassigned

    // officer 1 assigns it to officer 2: from now on it is officer 2's case only
    expect((await transition(id, { to: 'in_review', assignee: 'scope-officer2@example.com' }, tokens.officer)).status).toBe(200);
    expect(await sees(tokens.officer, id, docUrl)).toBe(false);
    expect(await sees(officer2, id, docUrl)).toBe(true);
    expect(await inQueue(officer2, id, '&mine=1')).toBe(true);
    expect((await server.api.post(`/settlement/applications/${id}/notes`, { body: 'Not my case.' }, tokens.officer)).status).toBe(404);
    expect((await transition(id, { to: 'in_review', assignee: DEMO_ACCOUNTS.officer.email }, tokens.officer)).status).toBe(404);

    // officer 2 hands it back through the case page: they land on the queue, it is officer 1's again
    const handBack = await fetch(`${server.url}/en/settlement/cases/${id}?_action=settlement.transition`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer2}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: String(id), to: 'in_review', assignee: DEMO_ACCOUNTS.officer.email }),
      redirect: 'manual',
    });
    expect(handBack.status).toBe(303);
    expect(handBack.headers.get('location')).toBe('/en/settlement/queue');
    expect(await sees(officer2, id, docUrl)).toBe(false);
    expect(await sees(tokens.officer, id, docUrl)).toBe(true);

    // recommended: both approvers see it; the recommending officer keeps it, officer 2 does not
    expect((await transition(id, { to: 'recommended_refuse', reasons: ['criteria_not_met'], text: 'Scope test recommendation.' }, tokens.officer)).status).toBe(200);
    expect(await sees(tokens.approver, id, docUrl)).toBe(true);
    expect(await sees(approver2, id, docUrl)).toBe(true);
    expect(await sees(officer2, id, docUrl)).toBe(false);
    expect((await server.api.get(`/settlement/applications/${id}`, tokens.officer)).body.state).toBe('recommended_refuse');

    // decided by approver 1: approver 2 no longer sees it, approver 1 and the officer still do
    expect((await transition(id, { to: 'refused', reasons: ['criteria_not_met'], text: 'Refused in the scope test.' }, tokens.approver)).status).toBe(200);
    expect(await sees(approver2, id, docUrl)).toBe(false);
    expect(await sees(tokens.approver, id, docUrl)).toBe(true);
    expect(await sees(tokens.officer, id, docUrl)).toBe(true);
  });

  it('keeps a staff member’s own application out of their queue and shows it to them as an applicant', async () => {
    const officer = await staff('scope-officer-applicant@example.com', ['settlement_officer', 'settlement_approver']);
    const id = await readyDraft(officer);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, officer);
    expect(await inQueue(officer, id)).toBe(false);
    const own = await server.api.get(`/settlement/applications/${id}`, officer);
    expect(own.status).toBe(200);
    expect(own.body.notes).toBeUndefined();
    // ...and they cannot handle it themselves
    expect((await transition(id, { to: 'accepted' }, officer)).status).toBe(409);
    expect((await transition(id, { to: 'accepted' }, tokens.officer)).status).toBe(200);
    expect((await transition(id, { to: 'in_review' }, officer)).status).toBe(409);
    expect((await server.api.get(`/settlement/applications/${id}`, officer)).body.assignee).toBeUndefined();
    expect(await inQueue(tokens.officer, id)).toBe(true);
  });

  it('tells the applicant "awaiting decision", never the recommendation, its reasons, the notes or who works on the case', async () => {
    const applicant = await server.api.signUp('no-leak@example.com');
    const id = await readyDraft(applicant);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    await transition(id, { to: 'accepted' }, tokens.officer);
    await transition(id, { to: 'in_review', assignee: DEMO_ACCOUNTS.officer.email }, tokens.officer);
    const recommendation = 'Zebra-7 internal recommendation: the turnover figures do not add up.';
    const note = 'Quokka-3 internal note: call the investor.';
    expect((await server.api.post(`/settlement/applications/${id}/notes`, { body: note }, tokens.officer)).status).toBe(201);
    expect((await transition(id, { to: 'recommended_refuse', reasons: ['criteria_not_met', 'information_inconsistent'], text: recommendation }, tokens.officer)).status).toBe(200);

    // the officer's view has all of it — so the scans below would catch a leak
    const staffView = JSON.stringify((await server.api.get(`/settlement/applications/${id}`, tokens.officer)).body);
    for (const s of [recommendation, note, 'recommended_refuse', 'information_inconsistent', DEMO_ACCOUNTS.officer.email]) expect(staffView).toContain(s);

    const forbidden = [recommendation, 'Zebra-7', note, 'Quokka-3', 'recommended', 'information_inconsistent', DEMO_ACCOUNTS.officer.email, DEMO_ACCOUNTS.officer.displayName];
    const one = await server.api.get(`/settlement/applications/${id}`, applicant);
    expect(one.status).toBe(200);
    expect(one.body.state).toBe('awaiting_decision');
    const list = await server.api.get('/settlement/applications', applicant);
    expect(list.body.items.find((i: any) => i.id === id).state).toBe('awaiting_decision');
    const html = await (await fetch(`${server.url}/en/settlement/applications/${id}`, { headers: { authorization: `Bearer ${applicant}` } })).text();
    const myList = await (await fetch(`${server.url}/en/settlement`, { headers: { authorization: `Bearer ${applicant}` } })).text();
    for (const [where, text] of [['case JSON', JSON.stringify(one.body)], ['list JSON', JSON.stringify(list.body)], ['case page', html], ['list page', myList]]) {
      for (const s of forbidden) expect(text, `${where} leaks ${s}`).not.toContain(s);
    }
    expect(html).toContain('Awaiting decision');
    // nor do the refusals of the applicant's own attempts name the internal state
    for (const body of [{ to: 'submitted' }, { to: 'in_review', text: 'Any news?' }, { to: 'approved', reasons: ['criteria_met'], text: 'I approve myself, obviously.' }]) {
      const refused = await transition(id, body, applicant);
      expect(refused.status).toBe(409);
      for (const s of forbidden) expect(JSON.stringify(refused.body), `${body.to} refusal leaks ${s}`).not.toContain(s);
    }
    expect((await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant)).body.error.message).toContain('awaiting_decision');

    // after the decision the letter shows the decision's reasons, and the history still hides the recommendation
    await transition(id, { to: 'approved', reasons: ['criteria_met'], text: 'Approved after all.' }, tokens.approver);
    const after = await server.api.get(`/settlement/applications/${id}`, applicant);
    expect(after.body.state).toBe('approved');
    expect(after.body.decision.text).toBe('Approved after all.');
    expect(after.body.events.map((e: any) => e.from)).toContain('awaiting_decision');
    for (const s of forbidden) expect(JSON.stringify(after.body)).not.toContain(s);
  });
});

describe('uploads', () => {
  let id: number;
  let token: string;
  beforeAll(async () => {
    token = await server.api.signUp('uploader@example.com');
    id = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id;
  });

  it('refuses an HTML file renamed to .pdf (415) and a PNG where only PDF is accepted', async () => {
    const html = await upload(id, 'degree', token, { name: 'degree.pdf', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') });
    expect(html.status).toBe(415);
    const png = await upload(id, 'degree', token, { name: 'degree.png', bytes: PNG });
    expect(png.status).toBe(415);
    expect((await upload(id, 'identity', token, { name: 'passport.png', bytes: PNG })).status).toBe(201);
  });

  it('accepts exactly 10,000,000 bytes and refuses 10,000,001 with 413', async () => {
    const exact = Buffer.alloc(10_000_000, 0x20);
    PDF.copy(exact);
    expect((await upload(id, 'degree', token, { name: 'big.pdf', bytes: exact })).status).toBe(201);
    const over = Buffer.alloc(10_000_001, 0x20);
    PDF.copy(over);
    const res = await upload(id, 'degree', token, { name: 'too-big.pdf', bytes: over });
    expect(res.status).toBe(413);
    const stored = server.db.$client.prepare('select original_name, size from settlement_documents where application_id = ? and item_key = ?').all(id, 'degree');
    expect(stored).toEqual([{ original_name: 'big.pdf', size: 10_000_000 }]);
  });

  it('strips directories, NUL and control characters from names', async () => {
    const a = await upload(id, 'business_licence', token, { name: '../../etc/passwd.pdf', bytes: PDF });
    expect(a.status).toBe(201);
    expect(a.body.name).toBe('passwd.pdf');
    const b = await upload(id, 'business_licence', token, { name: 'lic\u0000ence\u0007.pdf', bytes: PDF, encoded: true });
    expect(b.status).toBe(201);
    expect(b.body.name).toBe('licence.pdf');
    // replaced before submission: only the latest file remains
    const rows = server.db.$client.prepare('select count(*) n from settlement_documents where application_id = ? and item_key = ?').get(id, 'business_licence') as { n: number };
    expect(rows.n).toBe(1);
  });

  it('names a stored file by its detected type, not by the extension the client gave', async () => {
    const up = await upload(id, 'identity', token, { name: 'passport.html', bytes: PNG });
    expect(up.status).toBe(201);
    expect(up.body.name).toBe('passport.png');
    const res = await fetch(`${server.url}${up.body.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="passport.png"; filename*=UTF-8''passport.png`);
    // a name without an extension gets the type's; a JPEG may keep either of its two
    expect((await upload(id, 'identity', token, { name: 'scan', bytes: PNG })).body.name).toBe('scan.png');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
    expect((await upload(id, 'identity', token, { name: 'Scan.JPEG', bytes: jpeg })).body.name).toBe('Scan.JPEG');
    expect((await upload(id, 'identity', token, { name: 'scan.pdf.exe', bytes: jpeg })).body.name).toBe('scan.pdf.jpg');
  });

  it('answers a body cut off inside the file part with 400, leaves no temp file and goes on serving', async () => {
    const { body, type } = multipart({ item: 'identity' }, { name: 'cut.pdf', bytes: Buffer.alloc(200_000, 0x41) });
    for (const target of [`/api/v1/settlement/applications/${id}/documents`, `/en/settlement/applications/${id}/upload?item=identity`]) {
      const res = await fetch(server.url + target, {
        method: 'POST',
        headers: { 'content-type': type, cookie: `portal_session=${token}`, origin: server.url },
        body: body.subarray(0, 150_000),
        redirect: 'manual',
      });
      if (target.startsWith('/api/')) {
        expect(res.status).toBe(400);
        expect((await res.json()).error.message).toMatch(/could not be read/);
      } else {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toContain('error=invalid');
      }
    }
    const noBoundary = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data', authorization: `Bearer ${token}` },
      body: body,
    });
    expect(noBoundary.status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    expect(readdirSync(path.join(server.dataDir, 'settlement')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses JSON nested 10,000 levels deep with a 400 that says why, and takes 32 levels', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const send = (criteria: string) =>
      fetch(`${server.url}/api/v1/settlement/applications/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: `{"answers":{"criteria":{"is_founder":${criteria}}}}`,
      });
    const res = await send(deep(10_000));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid', message: expect.stringContaining('32 levels') });
    // brackets inside strings are text, not depth
    expect((await send(JSON.stringify(deep(10_000)))).status).not.toBe(500);
    // 32 levels in all are taken (criteria answers may be any JSON value)
    expect((await send(deep(29))).status).toBe(200);
    expect((await send(deep(30))).status).toBe(400);
  });

  it('downloads a Chinese file name intact, as an attachment with nosniff and the same bytes', async () => {
    const name = '营业执照（副本）2026.pdf';
    const up = await upload(id, 'investment_proof', token, { name, bytes: PDF });
    expect(up.status).toBe(201);
    expect(up.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const res = await fetch(`${server.url}${up.body.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment;/);
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
    expect(decodeURIComponent(star)).toBe(name);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });
});

describe('reference numbers', () => {
  it('are unique and sequential under concurrent submission from two server processes', async () => {
    // A second process on the same database file: the two really race for the counter.
    const second = await startServer({ DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir });
    try {
      const drafts: { id: number; token: string }[] = [];
      for (let i = 0; i < 16; i++) {
        const token = await server.api.signUp(`concurrent-${i}@example.com`);
        drafts.push({ id: await readyDraft(token), token });
      }
      const results = await Promise.all(
        drafts.map((d, i) => (i % 2 ? second : server).api.post(`/settlement/applications/${d.id}/submit`, {}, d.token)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
      const refs = results.map((r) => r.body.reference as string);
      expect(new Set(refs).size).toBe(16);
      const numbers = refs.map((r) => Number(r.slice(-6))).sort((a, b) => a - b);
      expect(numbers.at(-1)! - numbers[0]!).toBe(15); // no gaps, no repeats
    } finally {
      await second.stop();
    }
  });
});

describe('pages', () => {
  const page = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });

  it('shows the decision letter with reasons and rules to the applicant, and 404 to anyone else', async () => {
    const applicant = await server.api.signUp('letter@example.com');
    const id = await readyDraft(applicant);
    const { body } = await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    await transition(id, { to: 'accepted' }, tokens.officer);
    await transition(id, { to: 'in_review' }, tokens.officer);
    await transition(id, { to: 'recommended_refuse', reasons: ['criteria_not_met'], text: 'The company has not raised investment yet.' }, tokens.officer);
    // the approver's page offers the decision; the recommender, were they an approver, would be told about four eyes
    const decisionPage = await (await page(`/en/settlement/cases/${id}`, tokens.approver)).text();
    expect(decisionPage).toContain('data-testid="refused-form"');
    await transition(id, { to: 'refused', reasons: ['criteria_not_met'], text: 'The company has not raised investment yet.' }, tokens.approver);

    const res = await page(`/en/settlement/applications/${id}/letter`, applicant);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(body.reference);
    expect(html).toContain('has been refused');
    expect(html).toContain('The route’s eligibility criteria are not met');
    expect(html).toContain('Rule: Route eligibility criteria');
    expect(html).toContain('The company has not raised investment yet.');
    expect(html).toContain('Print');
    const zh = await (await page(`/settlement/applications/${id}/letter`, applicant)).text();
    expect(zh).toContain('不予批准');

    const other = await server.api.signUp('letter-nosy@example.com');
    for (const path of [`/en/settlement/applications/${id}/letter`, `/en/settlement/applications/${id}`, `/en/settlement/cases/${id}`]) {
      expect((await page(path, other)).status).toBe(404);
      expect((await page(path, tokens.provider)).status).toBe(404);
    }
    expect((await page('/en/settlement/queue', other)).status).toBe(404);
  });

  it('lets an admin edit a points rule through the admin page, and nobody else open it', async () => {
    expect((await page('/en/settlement/manage', tokens.officer)).status).toBe(404);
    const rules = (await server.api.get('/settlement/rules')).body.items as any[];
    const doctorate = rules.find((r) => r.indicator === 'education' && r.match === 'doctorate');
    const form = new URLSearchParams({ id: String(doctorate.id), points: '115', asOf: '2026-12-01', sourceUrl: 'https://www.shanghai.gov.cn/', sourceLabel: 'Checked against the official text' });
    const post = (body: URLSearchParams) =>
      fetch(`${server.url}/en/settlement/manage?_action=settlement.editRule`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    const saved = await post(form);
    expect(saved.status).toBe(303);
    const estimate = await server.api.post('/settlement/estimate', { age: 30, education: 'doctorate' });
    expect(estimate.body.points.education).toBe(115);
    const line = estimate.body.lines.find((l: any) => l.indicator === 'education');
    expect(line.rule).toMatchObject({ asOf: '2026-12-01', illustrative: false });
    form.set('sourceUrl', 'not a link');
    const refused = await post(form);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Enter the source as a full https:// link.');
  });

  it('tells an approver who recommended that another approver must decide', async () => {
    const both = 'dual-page@example.com';
    const dual = await server.api.signUp(both);
    await server.api.post(`/admin/users/${encodeURIComponent(both)}/roles`, { roles: ['settlement_officer', 'settlement_approver'] }, tokens.admin);
    const applicant = await server.api.signUp('dual-page-applicant@example.com');
    const id = await readyDraft(applicant);
    await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
    await transition(id, { to: 'accepted' }, dual);
    await transition(id, { to: 'in_review' }, dual);
    await transition(id, { to: 'recommended_approve', reasons: ['criteria_met'], text: 'Founder of a funded company.' }, dual);
    const html = await (await page(`/en/settlement/cases/${id}`, dual)).text();
    expect(html).toContain('data-testid="four-eyes"');
    expect(html).not.toContain('data-testid="approved-form"');
    // the applicant's page shows "awaiting decision", not the recommendation
    const mine = await (await page(`/en/settlement/applications/${id}`, applicant)).text();
    expect(mine).toContain('Awaiting decision');
    expect(mine).not.toContain('Founder of a funded company.');
  });
});
