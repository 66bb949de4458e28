/**
 * The settlement lifecycle is one table: along a case's whole life, for each person who can see it,
 * the moves its page offers are exactly `allowedTransitions`, every other move is refused by the
 * service with 409 and a reason, and the moves offered are taken.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_STATES, settlementApplications, settlementEvents, users, type ApplicationState } from '../db/schema';
import { seedFoundation } from '../db/seed/foundation';
import { seedSettlement } from '../db/seed/settlement';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { allowedTransitions } from '../src/lib/settlement/lifecycle';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await server.api.get('/settlement/routes'); // migrate
  await seedFoundation(server.db);
  seedSettlement(server.db);
}, 120_000);
afterAll(() => server?.stop());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const answers = {
  personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
  criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
  company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 12 },
  declaration: { agreed: true, signedName: 'Amir Rahman' },
};

interface Person {
  name: string;
  token: string;
  user: { id: string; roles: string[] };
  /** The page this person sees the case on. */
  page: 'applications' | 'cases';
}

async function person(name: string, email: string, roles: string[], page: Person['page'], password = DEMO_PASSWORD): Promise<Person> {
  const login = await server.api.post('/auth/login', { email, password });
  expect(login.status).toBe(200);
  const id = server.db.select().from(users).where(eq(users.email, email)).get()!.id;
  return { name, token: login.body.token, user: { id, roles }, page };
}

/** The moves a page offers: every form and link marked with the state it moves the case to. */
async function offered(p: Person, id: number): Promise<string[] | 404> {
  const res = await fetch(`${server.url}/en/settlement/${p.page}/${id}`, { headers: { authorization: `Bearer ${p.token}` }, redirect: 'manual' });
  if (res.status === 404) return 404;
  expect(res.status, `${p.name} opens the case`).toBe(200);
  const html = await res.text();
  return [...new Set([...html.matchAll(/data-transition="([a-z_]+)"/g)].map((m) => m[1]!))].sort();
}

describe('the lifecycle table', () => {
  it('offers on each page exactly the moves the service takes, for every state along the way and everyone who sees the case', async () => {
    const applicant = await person('applicant', DEMO_ACCOUNTS.entrepreneur.email, [], 'applications');
    const officer = await person('officer', DEMO_ACCOUNTS.officer.email, ['settlement_officer'], 'cases');
    const approver = await person('approver', DEMO_ACCOUNTS.approver.email, ['settlement_approver'], 'cases');
    const admin = await server.api.post('/auth/login', { email: DEMO_ACCOUNTS.admin.email, password: DEMO_PASSWORD });
    await server.api.signUp('lifecycle-dual@example.com', 'Dual Role', 'a long enough secret');
    expect((await server.api.post(`/admin/users/${encodeURIComponent('lifecycle-dual@example.com')}/roles`, { roles: ['settlement_officer', 'settlement_approver'] }, admin.body.token)).status).toBe(200);
    const dual = await person('officer and approver', 'lifecycle-dual@example.com', ['settlement_officer', 'settlement_approver'], 'cases', 'a long enough secret');
    const everyone = [applicant, officer, approver, dual];

    const id = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, applicant.token)).body.id as number;
    expect((await server.api.patch(`/settlement/applications/${id}`, { answers }, applicant.token)).status).toBe(200);
    for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) {
      const form = new FormData();
      form.set('item', item);
      form.set('file', new Blob([PDF], { type: 'application/pdf' }), `${item}.pdf`);
      expect((await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${applicant.token}` }, body: form })).status).toBe(201);
    }

    const move = (p: Person, body: Record<string, unknown>) => server.api.post(`/settlement/applications/${id}/transitions`, body, p.token);
    // A body complete enough for any move, so a refusal is the lifecycle's, not the input's.
    const anyMove = (to: string) => ({ to, reasons: ['criteria_met'], text: 'A long enough explanation.', items: ['degree'], dueDate: inDays(10) });

    /** Checks every person against the table in the case's current state; returns what each was offered. */
    async function check(): Promise<Map<Person, string[]>> {
      const app = server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!;
      const history = server.db.select({ to: settlementEvents.toState }).from(settlementEvents).where(eq(settlementEvents.applicationId, id)).orderBy(asc(settlementEvents.id)).all().map((e) => e.to);
      const seen = new Map<Person, string[]>();
      for (const p of everyone) {
        const page = await offered(p, id);
        if (page === 404) {
          // a case someone cannot see is not there for them, whatever they try
          expect((await move(p, anyMove('withdrawn'))).status, `${p.name} in ${app.state}`).toBe(404);
          continue;
        }
        const allowed = [...new Set(allowedTransitions(p.user as never, app, history).map((t) => t.to))].sort();
        expect(page, `${p.name}'s page in ${app.state}`).toEqual(allowed);
        seen.set(p, page);
        for (const to of APPLICATION_STATES.filter((s) => !page.includes(s))) {
          const refused = await move(p, anyMove(to));
          expect(refused.status, `${p.name}: ${app.state} → ${to}`).toBe(409);
          expect(refused.body.error.message, `${p.name}: ${app.state} → ${to}`).toMatch(/\w/);
          expect(server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.state).toBe(app.state);
        }
      }
      return seen;
    }

    /** Takes a move the person's page offers; the service accepts it. */
    async function take(p: Person, seen: Map<Person, string[]>, body: Record<string, unknown>, expected: ApplicationState) {
      expect(seen.get(p), `${p.name} is offered ${String(body.to)}`).toContain(body.to);
      const res = await move(p, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.state).toBe(expected);
    }

    let seen = await check(); // draft: only the applicant sees it
    expect(seen.get(applicant)).toEqual(['submitted', 'withdrawn']);
    await take(applicant, seen, { to: 'submitted' }, 'submitted');

    seen = await check();
    expect(seen.get(officer)).toEqual(['accepted', 'incomplete']);
    await take(officer, seen, { to: 'incomplete', items: ['degree'], dueDate: inDays(7) }, 'incomplete');

    seen = await check();
    expect(seen.get(applicant)).toEqual(['submitted', 'withdrawn']);
    await take(applicant, seen, { to: 'submitted' }, 'submitted');

    seen = await check(); // missing items are listed once: no second "incomplete"
    expect(seen.get(officer)).toEqual(['accepted']);
    expect((await move(officer, anyMove('incomplete'))).body.error.code).toBe('already_incomplete');
    await take(officer, seen, { to: 'accepted' }, 'accepted');

    seen = await check();
    await take(officer, seen, { to: 'in_review', assignee: 'lifecycle-dual@example.com' }, 'in_review');

    seen = await check(); // the officer handed it on and no longer sees it
    expect(seen.has(officer)).toBe(false);
    expect(seen.get(dual)).toEqual(['in_review', 'information_requested', 'recommended_approve', 'recommended_refuse']);
    await take(dual, seen, { to: 'information_requested', items: ['degree'], dueDate: inDays(7) }, 'information_requested');

    seen = await check();
    expect(seen.get(applicant)).toEqual(['in_review', 'withdrawn']);
    await take(applicant, seen, { to: 'in_review' }, 'in_review');

    seen = await check();
    await take(dual, seen, { to: 'recommended_approve', reasons: ['criteria_met'], text: 'The founder criteria are met.' }, 'recommended_approve');

    seen = await check(); // four eyes: the recommender is offered no decision, and is refused one
    expect(seen.get(dual)).toEqual([]);
    expect((await move(dual, anyMove('approved'))).body.error.code).toBe('four_eyes');
    expect(seen.get(approver)).toEqual(['approved', 'refused']);
    expect(seen.get(applicant)).toEqual(['withdrawn']);
    await take(approver, seen, { to: 'approved', reasons: ['criteria_met'], text: 'Approved on the evidence.' }, 'approved');

    seen = await check(); // decided: nothing more for anyone
    for (const [, moves] of seen) expect(moves).toEqual([]);
  }, 120_000);
});
