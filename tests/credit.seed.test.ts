/**
 * The rated demo companies (db/seed/credit-ratings.ts), made through the services: seeded twice
 * they are there once, each in the state the demo promises, and the public pages show them.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditAssessments, creditCertificateEvents, creditCertificates, creditComplaints, creditObjections, organizations } from '../db/schema';
import { seed } from '../db/seed';
import { seededScheme } from '../db/seed/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await seed(server.db);
});
afterAll(() => server?.stop());

const counts = () => {
  const n = (table: string) => (server.db.$client.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
  return Object.fromEntries(['credit_assessments', 'credit_assessment_events', 'credit_certificates', 'credit_certificate_events', 'credit_objections', 'credit_complaints', 'notifications', 'audit_log'].map((t) => [t, n(t)]));
};

function certificateOf(slug: string) {
  return server.db
    .select({ cert: creditCertificates })
    .from(creditCertificates)
    .innerJoin(organizations, eq(organizations.id, creditCertificates.entityId))
    .where(eq(organizations.slug, slug))
    .get()?.cert;
}

async function page(path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, html: await res.text() };
}

describe('rated demo companies', () => {
  it('are seeded once: a second run adds nothing', async () => {
    const before = counts();
    expect(before.credit_assessments).toBe(3);
    await seed(server.db);
    expect(counts()).toEqual(before);
  });

  it('hongqiao holds an active AAA certificate granted after its notice closed, with a surveillance on record', () => {
    const cert = certificateOf('hongqiao-silk-road-trading')!;
    expect(cert).toMatchObject({ state: 'active', grade: 'AAA', schemeId: seededScheme(server.db)!.id });
    expect(cert.number).toMatch(/^SCBEA-XY-\d{4}-\d{5}$/);
    const assessment = server.db.select().from(creditAssessments).where(eq(creditAssessments.id, cert.assessmentId)).get()!;
    expect(assessment.state).toBe('granted');
    expect(assessment.closedAt!.getTime()).toBeGreaterThan(assessment.noticeClosesAt!.getTime());
    expect(assessment.closedAt!.getTime()).toBeLessThan(Date.now());
    const events = server.db.select().from(creditCertificateEvents).where(eq(creditCertificateEvents.certificateId, cert.id)).orderBy(asc(creditCertificateEvents.id)).all();
    expect(events.map((e) => e.kind)).toEqual(['granted', 'surveillance']);
    expect(cert.nextSurveillance > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it('pujiang was granted, then suspended by the committee with a reason', () => {
    const cert = certificateOf('pujiang-bridge-logistics')!;
    expect(cert).toMatchObject({ state: 'suspended', grade: 'AA' });
    expect(cert.stateReason).toMatch(/Customs/);
    const events = server.db.select().from(creditCertificateEvents).where(eq(creditCertificateEvents.certificateId, cert.id)).orderBy(asc(creditCertificateEvents.id)).all();
    expect(events.map((e) => e.kind)).toEqual(['granted', 'suspended']);
    expect(events[1]!.actorId).not.toBeNull();
  });

  it('lingang is on public notice with one objection waiting for a disposition', () => {
    const lingang = server.db.select().from(organizations).where(eq(organizations.slug, 'lingang-digital-goods')).get()!;
    const assessment = server.db.select().from(creditAssessments).where(eq(creditAssessments.entityId, lingang.id)).get()!;
    expect(assessment.state).toBe('public_notice');
    expect(assessment.noticeClosesAt!.getTime()).toBeGreaterThan(Date.now());
    const objections = server.db.select().from(creditObjections).where(eq(creditObjections.assessmentId, assessment.id)).all();
    expect(objections).toHaveLength(1);
    expect(objections[0]!.decision).toBeNull();
    expect(certificateOf('lingang-digital-goods')).toBeUndefined();
  });

  it('the open complaint is filed against the active certificate’s company', () => {
    const hongqiao = server.db.select().from(organizations).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).get()!;
    expect(server.db.select().from(creditComplaints).all().map((c) => c.entityId)).toEqual([hongqiao.id]);
  });

  it('the public pages show them', async () => {
    const active = certificateOf('hongqiao-silk-road-trading')!;
    const suspended = certificateOf('pujiang-bridge-logistics')!;
    const directory = await page('/en/credit');
    expect(directory.status).toBe(200);
    expect(directory.html).toContain(active.number);
    expect(directory.html).toContain(suspended.number);

    const verification = await page(`/en/credit/${active.number}`);
    expect(verification.status).toBe(200);
    expect(verification.html).toContain('AAA');
    expect(verification.html).toMatch(/Hongqiao/);
    const suspendedPage = await page(`/en/credit/${suspended.number}`);
    expect(suspendedPage.html).toMatch(/[Ss]uspended/);

    const notices = await page('/en/credit/notices');
    expect(notices.status).toBe(200);
    expect(notices.html).toMatch(/Lingang/);

    const company = await page('/en/credit/companies/hongqiao-silk-road-trading');
    expect(company.status).toBe(200);
    expect(company.html).toContain(active.number);
    const zh = await page('/credit/companies/pujiang-bridge-logistics');
    expect(zh.status).toBe(200);
    expect(zh.html).toContain(suspended.number);
  });
});
