/**
 * The confirmation page's service times come from the route's content, marked indicative while
 * they have no source, and beside them the portal's own measure: the median working days from
 * submission to decision over the route's decided cases, once at least five exist.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settlementApplications, settlementRoutes, users } from '../db/schema';
import { seedSettlement } from '../db/seed/settlement';
import { routeServiceTimes } from '../src/lib/settlement/content';
import { workingDaysBetween } from '../src/lib/settlement/queries';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await server.api.get('/settlement/routes'); // migrate
  seedSettlement(server.db);
}, 120_000);
afterAll(() => server?.stop());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const answers = {
  personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
  criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
  company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 12 },
  declaration: { agreed: true, signedName: 'Amir Rahman' },
};

async function submitted(token: string): Promise<number> {
  const id = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id as number;
  expect((await server.api.patch(`/settlement/applications/${id}`, { answers }, token)).status).toBe(200);
  for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) {
    const form = new FormData();
    form.set('item', item);
    form.set('file', new Blob([PDF], { type: 'application/pdf' }), `${item}.pdf`);
    expect((await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).status).toBe(201);
  }
  expect((await server.api.post(`/settlement/applications/${id}/submit`, {}, token)).status).toBe(200);
  return id;
}

const page = async (pathname: string, token: string) => {
  const res = await fetch(`${server.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
};
const testid = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}"[^>]*>([^]*?)</p>`))?.[1]?.replace(/<[^>]+>/g, '').trim() ?? null;

describe('working days', () => {
  it('counts Monday to Friday in Shanghai after the day of submission, up to the day of decision', () => {
    // Friday 4 December 2026, 10:00 in Shanghai → Monday 7 December: one working day.
    expect(workingDaysBetween(new Date('2026-12-04T02:00:00Z'), new Date('2026-12-07T02:00:00Z'))).toBe(1);
    // Friday 23:30 in Shanghai is still Friday; 00:30 the next day is Saturday.
    expect(workingDaysBetween(new Date('2026-12-04T15:30:00Z'), new Date('2026-12-07T01:00:00Z'))).toBe(1);
    expect(workingDaysBetween(new Date('2026-12-04T16:30:00Z'), new Date('2026-12-07T01:00:00Z'))).toBe(1);
    expect(workingDaysBetween(new Date('2026-12-07T01:00:00Z'), new Date('2026-12-07T09:00:00Z'))).toBe(0);
    expect(workingDaysBetween(new Date('2026-11-02T01:00:00Z'), new Date('2026-11-16T01:00:00Z'))).toBe(10);
  });
});

describe('service times in content', () => {
  it('are the office’s targets, indicative while they have no source, and sourced once they have one', () => {
    const times = routeServiceTimes('entrepreneur-talent')!;
    expect(times).toMatchObject({ completenessCheckDays: 5, decisionDays: 20, source: null, indicative: true });
    expect(times.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(routeServiceTimes('no-such-route')).toBeNull();

    const dir = mkdtempSync(path.join(tmpdir(), 'service-times-'));
    mkdirSync(path.join(dir, 'settlement'));
    writeFileSync(
      path.join(dir, 'settlement', 'service-times.json'),
      JSON.stringify({ routes: { 'entrepreneur-talent': { completenessCheckDays: 3, decisionDays: 15, asOf: '2027-01-04', sourceUrl: 'https://example.gov.cn/standard', sourceLabel: 'Service standard' } } }),
    );
    const before = process.env.CONTENT_DIR;
    process.env.CONTENT_DIR = dir;
    try {
      expect(routeServiceTimes('entrepreneur-talent')).toEqual({
        completenessCheckDays: 3,
        decisionDays: 15,
        asOf: '2027-01-04',
        source: { url: 'https://example.gov.cn/standard', label: 'Service standard' },
        indicative: false,
      });
    } finally {
      if (before === undefined) delete process.env.CONTENT_DIR;
      else process.env.CONTENT_DIR = before;
    }
  });
});

describe('the confirmation page', () => {
  it('shows the route’s times as indicative with their date, and the measured median once five cases are decided', async () => {
    const token = await server.api.signUp('service-times@example.com');
    const id = await submitted(token);

    const en = await page(`/en/settlement/applications/${id}/submitted`, token);
    expect(en).toContain('usually within 5 working days');
    expect(en).toContain('within 20 working days of submission');
    expect(testid(en, 'service-times-indicative')).toBe('These times are the settlement office’s published targets, not yet confirmed: indicative only (as of 5 Dec 2026).');
    expect(testid(en, 'service-times-source')).toBeNull();
    expect(testid(en, 'service-times-measured')).toBeNull(); // nothing decided yet
    const zh = await page(`/settlement/applications/${id}/submitted`, token);
    expect(zh).toContain('通常在 5 个工作日内完成');
    expect(testid(zh, 'service-times-indicative')).toContain('仅供参考');

    // Decided cases, submitted on Monday 2 November 2026 at 09:00 in Shanghai, decided after 3, 4, 6, 8 and 10 working days.
    const applicantId = server.db.select().from(users).where(eq(users.email, 'service-times@example.com')).get()!.id;
    const route = server.db.select().from(settlementRoutes).where(eq(settlementRoutes.slug, 'entrepreneur-talent')).get()!;
    const other = server.db.select().from(settlementRoutes).where(eq(settlementRoutes.slug, 'residence-permit-points')).get()!;
    const submittedAt = new Date('2026-11-02T01:00:00Z');
    let n = 0;
    const decided = (routeId: number, decidedOn: string, state: 'approved' | 'refused' | 'in_review' = 'approved') =>
      server.db
        .insert(settlementApplications)
        .values({ routeId, applicantId, state, answers: {}, reference: `SH-TS-2026-9${String(++n).padStart(5, '0')}`, submittedAt, decidedAt: state === 'in_review' ? null : new Date(`${decidedOn}T02:00:00Z`) })
        .run();
    decided(route.id, '2026-11-05');
    decided(route.id, '2026-11-06', 'refused');
    decided(route.id, '2026-11-10');
    decided(route.id, '2026-11-12');
    // another route's slow decisions and an undecided case do not count
    for (let i = 0; i < 5; i++) decided(other.id, '2026-12-30');
    decided(route.id, '', 'in_review');
    expect(testid(await page(`/en/settlement/applications/${id}/submitted`, token), 'service-times-measured')).toBeNull(); // four are too few
    decided(route.id, '2026-11-16');

    expect(testid(await page(`/en/settlement/applications/${id}/submitted`, token), 'service-times-measured')).toBe(
      'Measured on this portal: over the 5 decided applications on this route, the median time from submission to decision was 6 working days.',
    );
    expect(testid(await page(`/settlement/applications/${id}/submitted`, token), 'service-times-measured')).toBe(
      '本平台实测：本途径已作出决定的 5 件申请，从提交到作出决定的中位用时为 6 个工作日。',
    );
  }, 120_000);
});
