/**
 * Credit certificates after the grant: the committee's and the company's moves and their refusals,
 * surveillances, the deadlines the scheduled check applies (with chosen dates, with the server's
 * clock moved, and on access), the early-surveillance flag, the change feed, the body's pages, and
 * gap-free numbering when two processes issue certificates at once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { write } from '../db/client';
import { CERTIFICATE_STATES, auditLog, creditAssessments, creditRoles, creditCertificateCounters, creditCertificateEvents, creditCertificates, creditComplaints, creditSchemes, notifications, organizations, standards } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { shanghaiDay } from '../src/i18n';
import { flagForEarlySurveillance, reapplyBarredUntil, refreshCertificate, restoreOnAppeal } from '../src/lib/credit/certificates';
import { certificateView } from '../src/lib/credit/certificate-queries';
import { addDays, addMonths } from '../src/lib/credit/dates';
import { applyCreditDeadlines, CREDIT_DEADLINE_CHECKS } from '../src/lib/credit/schedule';
import { getPage, postForm, userId } from './helpers/accounts';
import { activeScheme, BANDS, BODY_SLUG, grantedCertificate, INDICATORS, SELLER_SLUGS } from './helpers/credit';
import { testDb } from './helpers/db';
import { startServer, type TestServer } from './helpers/server';

const DAY = 86_400_000;
const clockFile = path.join(mkdtempSync(path.join(tmpdir(), 'portal-clock-')), 'offset');
const clockOption = `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(import.meta.dirname, 'helpers/clock.mjs')).href}`.trim();
let server: TestServer;
const tokens: Record<string, string> = {};

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  // The timer is off here, so what changes on a read was changed by the read (on access).
  server = await startServer({ NODE_OPTIONS: clockOption, TEST_CLOCK_FILE: clockFile, CREDIT_SCHEDULE_INTERVAL_MS: '0' });
  tokens.outsider = await server.api.signUp('outsider@example.com');
  await seed(server.db);
  for (const name of ['committee', 'assessor', 'seller', 'standards', 'provider', 'researcher']) tokens[name] = await login(name);
}, 180_000);
afterAll(() => server?.stop());

const cert = (number: string) => server.db.select().from(creditCertificates).where(eq(creditCertificates.number, number)).get()!;
const events = (number: string) =>
  server.db.select().from(creditCertificateEvents).where(eq(creditCertificateEvents.certificateId, cert(number).id)).orderBy(creditCertificateEvents.id).all();
const move = (number: string, body: Record<string, unknown>, token?: string) => server.api.post(`/credit/certificates/${number}/transitions`, body, token);
const surveil = (number: string, body: Record<string, unknown>, token?: string) => server.api.post(`/credit/certificates/${number}/surveillances`, body, token);
const noticesOf = (email: string, kind: string) =>
  server.db.select().from(notifications).where(and(eq(notifications.userId, userId(server, email)), eq(notifications.kind, kind))).all();
const audits = (number: string) => server.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'credit_certificate'), eq(auditLog.subjectId, String(cert(number).id)))).all();
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}+08:00`);

describe('the committee’s moves', () => {
  it('suspends, reinstates and withdraws with a reason; each move is recorded, audited and told to the company', async () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId });
    expect(number).toMatch(/^SCBEA-XY-\d{4}-\d{5}$/);

    expect((await move(number, { to: 'suspended', reason: 'Complaints about delivery' })).status).toBe(401);
    const noReason = await move(number, { to: 'suspended' }, tokens.committee);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toEqual(['Give the reason for this step.']);
    for (const who of ['assessor', 'seller', 'researcher', 'outsider']) {
      const refused = await move(number, { to: 'suspended', reason: 'x' }, tokens[who]);
      expect(refused.status, who).toBe(403);
      expect(refused.body.error.message).toBe('Only a committee member of the issuing body suspends a certificate.');
    }
    expect((await move(number, { to: 'expired', reason: 'x' }, tokens.committee)).status).toBe(400);

    const suspended = await move(number, { to: 'suspended', reason: 'Complaints about delivery times' }, tokens.committee);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ number, state: 'suspended', stateReason: 'Complaints about delivery times' });
    expect(suspended.body.suspendedAt).not.toBeNull();
    const again = await move(number, { to: 'suspended', reason: 'Once more' }, tokens.committee);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('A certificate that is suspended cannot be suspended: only an active certificate can.');

    const reinstated = await move(number, { to: 'active', reason: 'Delivery times back within the standard' }, tokens.committee);
    expect(reinstated.body).toMatchObject({ state: 'active', stateReason: null, suspendedAt: null });
    const twice = await move(number, { to: 'active', reason: 'x' }, tokens.committee);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('A certificate that is active cannot be reinstated: only a suspended certificate can.');

    const withdrawn = await move(number, { to: 'withdrawn', reason: 'False evidence found' }, tokens.committee);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', stateReason: 'False evidence found' });
    expect(withdrawn.body.endedAt).not.toBeNull();
    for (const [to, message] of [
      ['suspended', 'A certificate that is withdrawn cannot be suspended: only an active certificate can.'],
      ['active', 'A certificate that is withdrawn cannot be reinstated: only a suspended certificate can.'],
      ['withdrawn', 'A certificate that is withdrawn has ended and cannot be withdrawn.'],
    ]) {
      const refused = await move(number, { to, reason: 'x' }, tokens.committee);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(message);
    }
    const surrender = await move(number, { to: 'surrendered' }, tokens.seller);
    expect(surrender.status).toBe(409);
    expect(surrender.body.error.message).toBe('A certificate that is withdrawn has ended and cannot be surrendered.');
    expect((await surveil(number, { outcome: 'conforming', note: 'Late visit' }, tokens.assessor)).status).toBe(409);

    expect(events(number).map((e) => [e.kind, e.reason])).toEqual([
      ['granted', null],
      ['suspended', 'Complaints about delivery times'],
      ['reinstated', 'Delivery times back within the standard'],
      ['withdrawn', 'False evidence found'],
    ]);
    expect(events(number).slice(1).every((e) => e.actorId === userId(server, 'committee@demo.portal.test'))).toBe(true);
    expect(audits(number).map((a) => a.action)).toEqual(['credit.certificate_suspended', 'credit.certificate_reinstated', 'credit.certificate_withdrawn']);
    // the company's owner is told, in their language (Chinese, the default)
    const [notice] = noticesOf('seller@demo.portal.test', 'credit.certificate.withdrawn').filter((n) => n.title.includes(number));
    expect(notice?.title).toBe(`信用证书 ${number} 已被撤销`);
    expect(notice?.body).toContain('False evidence found');
    expect(notice?.url).toBe(`/credit/${number}`);
  });

  it('the company surrenders its own certificate; nobody else may', async () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId, entitySlug: SELLER_SLUGS[1] });
    for (const who of ['committee', 'provider', 'outsider']) {
      const refused = await move(number, { to: 'surrendered' }, tokens[who]);
      expect(refused.status, who).toBe(403);
      expect(refused.body.error.message).toBe('Only an owner or editor of the certified company surrenders its certificate.');
    }
    const done = await move(number, { to: 'surrendered', reason: 'We are leaving the market' }, tokens.seller);
    expect(done.body).toMatchObject({ state: 'surrendered', stateReason: 'We are leaving the market' });
    const again = await move(number, { to: 'surrendered' }, tokens.seller);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('A certificate that is surrendered has ended and cannot be surrendered.');
    expect((await move(number, { to: 'suspended', reason: 'x' }, tokens.committee)).status).toBe(409);
    expect(audits(number).map((a) => a.action)).toEqual(['credit.certificate_surrendered']);
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.surrendered').some((n) => n.title.includes(number))).toBe(true);
  });

  it('answers 404 for a number nobody was given', async () => {
    expect((await server.api.get('/credit/certificates/SCBEA-XY-2026-99999')).status).toBe(404);
    expect((await server.api.get('/credit/certificates/nonsense')).body.error.message).toBe('No certificate has that number.');
    expect((await move('SCBEA-XY-2026-99999', { to: 'suspended', reason: 'x' }, tokens.committee)).status).toBe(404);
    expect((await surveil('SCBEA-XY-2026-99999', { outcome: 'conforming', note: 'x' }, tokens.assessor)).status).toBe(404);
  });
});

describe('every move from every state', () => {
  it('answers as the lifecycle table says: the move, or 409 in words', async () => {
    const legal: Record<string, string[]> = { active: ['suspended', 'withdrawn', 'surrendered'], suspended: ['active', 'withdrawn', 'surrendered'] };
    for (const state of CERTIFICATE_STATES) {
      for (const to of ['suspended', 'active', 'withdrawn', 'surrendered']) {
        const { schemeId } = activeScheme(server);
        const { number } = grantedCertificate(server, { schemeId });
        server.db.update(creditCertificates).set({ state, suspendedAt: state === 'suspended' ? new Date() : null }).where(eq(creditCertificates.number, number)).run();
        const res = await move(number, { to, reason: 'Table' }, to === 'surrendered' ? tokens.seller : tokens.committee);
        if (legal[state]?.includes(to)) {
          expect(res.status, `${state} → ${to}`).toBe(200);
          expect(res.body.state).toBe(to);
        } else {
          expect(res.status, `${state} → ${to}`).toBe(409);
          expect(res.body.error.code).toBe('invalid_transition');
          expect(res.body.error.message).toContain(`A certificate that is ${state}`);
          expect(cert(number).state).toBe(state);
        }
        // close what is still current, so the next certificate of the company starts clean
        server.db.update(creditCertificates).set({ state: 'expired' }).where(eq(creditCertificates.number, number)).run();
      }
    }
  });

  it('a reassessment supersedes the current certificate, which then takes no move', async () => {
    const { schemeId } = activeScheme(server);
    const old = grantedCertificate(server, { schemeId, grade: 'A', score: 72 });
    const renewed = grantedCertificate(server, { schemeId, grade: 'AA', score: 84 });
    expect(cert(old.number)).toMatchObject({ state: 'superseded', supersededBy: renewed.id });
    const view = (await server.api.get(`/credit/certificates/${old.number}`)).body;
    expect(view).toMatchObject({ state: 'superseded', supersededBy: renewed.number });
    expect(view.history.map((e: { kind: string; reason: string }) => [e.kind, e.reason])).toEqual([['granted', null], ['superseded', renewed.number]]);
    expect((await move(old.number, { to: 'suspended', reason: 'x' }, tokens.committee)).status).toBe(409);
    expect((await server.api.get(`/credit/certificates/${renewed.number}`)).body.state).toBe('active');
  });
});

describe('surveillance', () => {
  it('moves the next surveillance on by the scheme’s interval from the day it was carried out, and clears the flag', async () => {
    const { schemeId } = activeScheme(server, { surveillanceMonths: 6 });
    const { number, validFrom } = grantedCertificate(server, { schemeId });
    server.db.update(creditCertificates).set({ earlySurveillance: true }).where(eq(creditCertificates.number, number)).run();
    for (const who of ['seller', 'researcher', 'outsider']) expect((await surveil(number, { outcome: 'conforming', note: 'x' }, tokens[who])).status, who).toBe(403);
    const today = shanghaiDay(Date.now());
    const future = await surveil(number, { outcome: 'conforming', note: 'x', date: addDays(today, 1) }, tokens.assessor);
    expect(future.status).toBe(400);
    expect(future.body.error.fields.date).toBeDefined();
    expect((await surveil(number, { outcome: 'conforming', note: '' }, tokens.assessor)).status).toBe(400);

    const done = await surveil(number, { outcome: 'observations', note: 'Two late deliveries in the sample', date: validFrom }, tokens.assessor);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ state: 'active', nextSurveillance: addMonths(validFrom, 6), earlySurveillance: false });
    const byCommittee = await surveil(number, { outcome: 'conforming', note: 'Desk review' }, tokens.committee);
    expect(byCommittee.body.nextSurveillance).toBe(addMonths(today, 6));
    const [event] = events(number).filter((e) => e.kind === 'surveillance');
    expect(event).toMatchObject({ reason: 'Two late deliveries in the sample', details: { outcome: 'observations', date: validFrom } });
    expect(audits(number).map((a) => a.action)).toEqual(['credit.certificate_surveillance', 'credit.certificate_surveillance']);
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.surveillance').filter((n) => n.title.includes(number))).toHaveLength(2);

    // the public sees the outcome, not the body's note
    const view = (await server.api.get(`/credit/certificates/${number}`)).body;
    expect(view.history.filter((e: { kind: string }) => e.kind === 'surveillance')).toEqual([
      expect.objectContaining({ outcome: 'observations', date: validFrom, reason: null }),
      expect.objectContaining({ outcome: 'conforming', date: today, reason: null }),
    ]);
  });

  it('a missed surveillance suspends on access; reinstating waits for a surveillance, whose next date stops at the last valid day', async () => {
    const { schemeId } = activeScheme(server, { validityMonths: 18, surveillanceMonths: 12 });
    const issued = new Date(Date.now() - 400 * DAY); // about 13 months ago: the surveillance was missed a month ago
    const { number, validUntil, nextSurveillance } = grantedCertificate(server, { schemeId, at: issued });
    expect(addMonths(shanghaiDay(Date.now()), 12) > validUntil).toBe(true);
    expect(cert(number).state).toBe('active');

    const read = (await server.api.get(`/credit/certificates/${number}`)).body;
    expect(read).toMatchObject({ state: 'suspended', stateRule: 'missed_surveillance', stateRuleDate: nextSurveillance });
    expect(read.stateReason).toBe(`No surveillance was recorded by ${nextSurveillance}, when it was due.`);
    // the suspension took effect the day after the missed date, whenever it was noticed
    expect(cert(number).suspendedAt?.getTime()).toBe(at(addDays(nextSurveillance, 1), '00:00:00').getTime());

    const early = await move(number, { to: 'active', reason: 'Visited' }, tokens.committee);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'surveillance_overdue', message: 'The surveillance of this certificate is overdue: record a surveillance before reinstating it.' });
    const recorded = await surveil(number, { outcome: 'conforming', note: 'On-site visit' }, tokens.assessor);
    expect(recorded.body).toMatchObject({ state: 'suspended', nextSurveillance: validUntil });
    expect((await move(number, { to: 'active', reason: 'Surveillance done' }, tokens.committee)).body.state).toBe('active');
  });
});

describe('the scheduled check, with chosen dates', () => {
  it('suspends the day after a missed surveillance and withdraws six months later; the company is told each time', () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId, at: at('2026-01-10') });
    expect(cert(number)).toMatchObject({ validFrom: '2026-01-10', nextSurveillance: '2027-01-10', validUntil: '2029-01-09' });
    expect(CREDIT_DEADLINE_CHECKS.length).toBeGreaterThanOrEqual(1);

    applyCreditDeadlines(server.db, at('2027-01-10', '23:59:59'));
    expect(cert(number).state).toBe('active'); // due that day, not yet missed
    applyCreditDeadlines(server.db, at('2027-01-11', '00:00:01'));
    expect(cert(number)).toMatchObject({ state: 'suspended', stateReason: 'No surveillance was recorded by 2027-01-10, when it was due.' });
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.suspended_missed').some((n) => n.title.includes(number))).toBe(true);

    applyCreditDeadlines(server.db, at('2027-07-10', '23:59:59'));
    expect(cert(number).state).toBe('suspended');
    applyCreditDeadlines(server.db, at('2027-07-11', '00:00:01'));
    expect(cert(number)).toMatchObject({ state: 'withdrawn', stateReason: 'Suspended since 2027-01-11 and not reinstated within 6 months.' });
    // the date the company may reapply from is read from ended_at
    expect(cert(number).endedAt?.getTime()).toBe(at('2027-07-11', '00:00:00').getTime());
    expect(events(number).map((e) => [e.kind, e.actorId, e.details?.rule ?? null])).toEqual([
      ['granted', null, null],
      ['suspended', null, 'missed_surveillance'],
      ['withdrawn', null, 'suspension_limit'],
    ]);
    expect(audits(number).map((a) => [a.action, a.actorId])).toEqual([
      ['credit.certificate_suspended', null],
      ['credit.certificate_withdrawn', null],
    ]);
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.withdrawn_limit').some((n) => n.title.includes(number))).toBe(true);
    expect(applyCreditDeadlines(server.db, at('2027-08-01'))).toBe(0); // nothing left to do, and a second process finds nothing either
    // the company may apply under the scheme again twelve months after the withdrawal
    const { entityId } = cert(number);
    expect(reapplyBarredUntil(server.db, entityId, schemeId, at('2027-08-01'))).toBe('2028-07-11');
    expect(reapplyBarredUntil(server.db, entityId, schemeId, at('2028-07-10', '23:59:00'))).toBe('2028-07-11');
    expect(reapplyBarredUntil(server.db, entityId, schemeId, at('2028-07-11', '00:00:01'))).toBeNull();
  });

  it('expires the day after the last valid day, even when the surveillance fell due the same day', () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId, entitySlug: SELLER_SLUGS[1], at: at('2026-02-01') });
    server.db.update(creditCertificates).set({ nextSurveillance: '2029-01-31' }).where(eq(creditCertificates.number, number)).run();
    expect(cert(number).validUntil).toBe('2029-01-31');
    applyCreditDeadlines(server.db, at('2029-01-31', '23:00:00'));
    expect(cert(number).state).toBe('active');
    applyCreditDeadlines(server.db, at('2029-02-01', '00:00:01'));
    expect(cert(number)).toMatchObject({ state: 'expired', stateReason: 'Valid until 2029-01-31.' });
    expect(events(number).map((e) => e.kind)).toEqual(['granted', 'expired']);
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.expired').some((n) => n.title.includes(number))).toBe(true);
  });

  it('a check that runs late applies each deadline on its own day, in order', () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId, at: at('2026-03-05') });
    refreshCertificate(server.db, number, at('2028-01-01')); // the one certificate, as a read does
    expect(cert(number).state).toBe('withdrawn');
    expect(events(number).map((e) => [e.kind, shanghaiDay(e.at)])).toEqual([
      ['granted', '2026-03-05'],
      ['suspended', '2027-03-06'],
      ['withdrawn', '2027-09-06'],
    ]);
    const view = certificateView(server.db, number, at('2028-01-01'))!;
    expect(view).toMatchObject({ state: 'withdrawn', stateRule: 'suspension_limit', stateRuleDate: '2027-03-06' });
  });
});

describe('the early-surveillance flag', () => {
  it('flags the certificate when unresolved complaints within the window reach the threshold, shown to the body only', async () => {
    const { schemeId } = activeScheme(server, { complaintThreshold: 2, complaintWindowMonths: 12 });
    const { number, entityId } = grantedCertificate(server, { schemeId });
    const now = new Date();
    const complaint = (closedAt: Date, outcome: 'unresolved' | 'resolved') =>
      server.db
        .insert(creditComplaints)
        .values({ entityId, schemeId, category: 'delivery', text: 'Late again', state: 'closed', outcome, closeReason: 'x', responseDueAt: closedAt, closedAt, createdAt: closedAt })
        .run();
    complaint(new Date(now.getTime() - 400 * DAY), 'unresolved'); // outside the window
    complaint(new Date(now.getTime() - 10 * DAY), 'resolved');
    complaint(new Date(now.getTime() - 5 * DAY), 'unresolved');
    expect(write(server.db, (tx) => flagForEarlySurveillance(tx, entityId, schemeId, now))).toBe(false);
    expect(cert(number).earlySurveillance).toBe(false);
    complaint(new Date(now.getTime() - DAY), 'unresolved');
    expect(write(server.db, (tx) => flagForEarlySurveillance(tx, entityId, schemeId, now))).toBe(true);
    expect(cert(number).earlySurveillance).toBe(true);
    expect(events(number).at(-1)).toMatchObject({ kind: 'flagged', reason: '2 complaints closed as unresolved within 12 months (threshold 2).' });
    expect(write(server.db, (tx) => flagForEarlySurveillance(tx, entityId, schemeId, now))).toBe(false); // once

    const bodyPage = await (await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.committee)).text();
    expect(bodyPage).toContain('data-testid="early-surveillance"');
    const list = await (await getPage(server, '/en/credit/manage/certificates?flagged=1', tokens.assessor)).text();
    expect(list).toContain(number);
    const companyPage = await (await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.seller)).text();
    expect(companyPage).not.toContain('early-surveillance');
    expect((await server.api.get(`/credit/certificates/${number}`)).body.history.map((e: { kind: string }) => e.kind)).toEqual(['granted']);

    // a surveillance clears the flag
    expect((await surveil(number, { outcome: 'conforming', note: 'Brought forward' }, tokens.assessor)).body.earlySurveillance).toBe(false);
  });
});

describe('an appeal upheld', () => {
  it('restores a suspended or withdrawn certificate, unless another is current or it has run out', async () => {
    const committee = userId(server, 'committee@demo.portal.test');
    const { schemeId } = activeScheme(server);
    const { number, id } = grantedCertificate(server, { schemeId });
    await move(number, { to: 'withdrawn', reason: 'Evidence doubted' }, tokens.committee);
    const restored = write(server.db, (tx) => restoreOnAppeal(tx, id, committee, 'The evidence was genuine'));
    expect(restored).toMatchObject({ state: 'active', endedAt: null, stateReason: null });
    expect(events(number).at(-1)).toMatchObject({ kind: 'appeal_upheld', reason: 'The evidence was genuine', actorId: committee });
    expect(noticesOf('seller@demo.portal.test', 'credit.certificate.appeal_upheld').some((n) => n.title.includes(number))).toBe(true);
    expect(() => write(server.db, (tx) => restoreOnAppeal(tx, id, committee, 'again'))).toThrow('A certificate that is active is not restored by an appeal.');

    await move(number, { to: 'withdrawn', reason: 'Withdrawn again' }, tokens.committee);
    const renewed = grantedCertificate(server, { schemeId });
    expect(() => write(server.db, (tx) => restoreOnAppeal(tx, id, committee, 'x'))).toThrow('another current certificate');
    expect(cert(renewed.number).state).toBe('active');

    const { schemeId: other } = activeScheme(server);
    const old = grantedCertificate(server, { schemeId: other, at: at('2026-01-10') });
    refreshCertificate(server.db, old.number, at('2027-03-01')); // suspended for the missed surveillance
    expect(cert(old.number).state).toBe('suspended');
    server.db.update(creditCertificates).set({ validUntil: '2026-12-01' }).where(eq(creditCertificates.id, old.id)).run();
    expect(write(server.db, (tx) => restoreOnAppeal(tx, old.id, committee, 'Upheld', at('2027-03-02'))).state).toBe('expired');
  });
});

describe('the change feed', () => {
  it('lists certificates in the order they changed; updatedSince and the cursor give only what changed since', async () => {
    const { schemeId } = activeScheme(server);
    const a = grantedCertificate(server, { schemeId, grade: 'AAA', score: 95 });
    const b = grantedCertificate(server, { schemeId, entitySlug: SELLER_SLUGS[1], grade: 'B', score: 62 });
    const first = await server.api.get(`/credit/certificates?scheme=${schemeId}`);
    expect(first.body.items.map((i: { number: string }) => i.number)).toEqual([a.number, b.number]);
    expect(first.body.nextCursor).toBeNull();
    expect(first.body.items[0]).toMatchObject({ grade: 'AAA', score: 95, maxScore: 100, state: 'active', entity: { slug: SELLER_SLUGS[0] }, body: { slug: BODY_SLUG } });

    // follow the whole feed one by one: every certificate once, in (updatedAt, id) order
    const seen: { number: string; updatedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { number: string; updatedAt: string }[]; nextCursor: string | null } } = await server.api.get(`/credit/certificates?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((s) => s.number)).size).toBe(seen.length);
    expect(seen.length).toBe(server.db.select().from(creditCertificates).all().length);
    expect(seen.map((s) => s.updatedAt)).toEqual([...seen.map((s) => s.updatedAt)].sort());
    const mark = seen.at(-1)!.updatedAt;
    expect((await server.api.get(`/credit/certificates?updatedSince=${encodeURIComponent(mark)}`)).body.items).toEqual([]);

    // a suspension moves `a` to the end; only it has changed since the mark
    await move(a.number, { to: 'suspended', reason: 'Under investigation' }, tokens.committee);
    const changed = await server.api.get(`/credit/certificates?updatedSince=${encodeURIComponent(mark)}`);
    expect(changed.body.items.map((i: { number: string; state: string; stateReason: string }) => [i.number, i.state, i.stateReason])).toEqual([[a.number, 'suspended', 'Under investigation']]);

    // filters
    expect((await server.api.get(`/credit/certificates?scheme=${schemeId}&status=active`)).body.items.map((i: { number: string }) => i.number)).toEqual([b.number]);
    expect((await server.api.get(`/credit/certificates?scheme=${schemeId}&grade=AAA`)).body.items.map((i: { number: string }) => i.number)).toEqual([a.number]);
    expect((await server.api.get('/credit/certificates?updatedSince=yesterday')).status).toBe(400);
  });

  it('the detail shows the grade’s basis: scheme, standard version, indicators with their clauses', async () => {
    const { schemeId, standardId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId, grade: 'A', score: 72 });
    const { body } = await server.api.get(`/credit/certificates/${number}`);
    const standard = server.db.select().from(standards).where(eq(standards.id, standardId)).get()!;
    expect(body).toMatchObject({ number, state: 'active', grade: 'A', score: 72, maxScore: 100, adjusted: false, stateReason: null, standard: { id: standardId, number: standard.number, version: 1 } });
    expect(body.indicators).toEqual(
      INDICATORS.map((i, n) => ({ key: i.key, label: i.label, labelZh: i.labelZh, clause: i.clause, clauseUrl: `/standards/${standardId}#clause-${i.clause}`, maxPoints: i.maxPoints, points: [40, 32, 0][n] })),
    );
    expect(body.history).toEqual([expect.objectContaining({ kind: 'granted', reason: null })]);
    expect(JSON.stringify(body)).not.toContain('actor');
  });
});

describe('the body’s pages', () => {
  it('lists the body’s certificates to its assessors and committee; the company sees its surrender form, the body its moves', async () => {
    const { schemeId } = activeScheme(server);
    const { number } = grantedCertificate(server, { schemeId });
    expect((await getPage(server, '/en/credit/manage/certificates', tokens.outsider)).status).toBe(404);
    expect((await getPage(server, '/en/credit/manage/certificates')).status).toBe(303);
    const zh = await getPage(server, '/credit/manage/certificates', tokens.committee);
    expect(zh.status).toBe(200);
    expect(await zh.text()).toContain('信用证书管理');
    const suspendedOnly = await (await getPage(server, '/en/credit/manage/certificates?state=active', tokens.committee)).text();
    expect(suspendedOnly).toContain(number);

    const body = await (await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.committee)).text();
    expect(body).toContain('data-move="suspended"');
    expect(body).toContain('data-move="withdrawn"');
    expect(body).not.toContain('data-move="surrendered"');
    expect(body).toContain('data-testid="surveil-form"');
    const company = await (await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.seller)).text();
    expect(company).toContain('data-move="surrendered"');
    expect(company).not.toContain('data-move="suspended"');
    expect(company).not.toContain('surveil-form');
    expect((await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.provider)).status).toBe(404);

    const noReason = await postForm(server, `/en/credit/manage/certificates/${number}`, 'creditCertificates.transition', { number, to: 'suspended', reason: '' }, tokens.committee);
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Give the reason for this step.');
    const suspended = await postForm(server, `/en/credit/manage/certificates/${number}`, 'creditCertificates.transition', { number, to: 'suspended', reason: 'Delivery complaints' }, tokens.committee);
    expect(suspended.status).toBe(303);
    expect(cert(number).state).toBe('suspended');
    const history = await (await getPage(server, `/en/credit/manage/certificates/${number}`, tokens.committee)).text();
    expect(history).toMatch(/Suspended.*by .*committee/s);
    const recorded = await postForm(server, `/credit/manage/certificates/${number}`, 'creditCertificates.surveil', { number, outcome: 'conforming', note: '现场检查' }, tokens.assessor);
    expect(recorded.status).toBe(303);
    const surrendered = await postForm(server, `/en/credit/manage/certificates/${number}`, 'creditCertificates.transition', { number, to: 'surrendered', reason: '' }, tokens.seller);
    expect(surrendered.status).toBe(303);
    expect(cert(number).state).toBe('surrendered');
  });
});

describe('on access, with the server’s clock moved', () => {
  it('a read after the surveillance date shows the certificate suspended, without the scheduled check', async () => {
    const { schemeId } = activeScheme(server);
    const { number, nextSurveillance } = grantedCertificate(server, { schemeId });
    try {
      writeFileSync(clockFile, String(at(addDays(nextSurveillance, 1), '08:00:00').getTime() - Date.now()));
      expect(cert(number).state).toBe('active');
      const read = await server.api.get(`/credit/certificates/${number}`);
      expect(read.body).toMatchObject({ state: 'suspended', stateRule: 'missed_surveillance' });
      expect(cert(number).state).toBe('suspended');
    } finally {
      writeFileSync(clockFile, '0');
    }
  });
});

describe('the scheduled check on a timer', () => {
  let timed: TestServer;
  const timedClock = path.join(mkdtempSync(path.join(tmpdir(), 'portal-clock-')), 'offset');
  beforeAll(async () => {
    writeFileSync(timedClock, '0');
    timed = await startServer({ NODE_OPTIONS: clockOption, TEST_CLOCK_FILE: timedClock, CREDIT_SCHEDULE_INTERVAL_MS: '200' });
    await timed.api.signUp('timer@example.com');
    await seed(timed.db);
  }, 120_000);
  afterAll(() => timed?.stop());

  it('expires a certificate once the server’s clock passes its last valid day, with nobody reading it', async () => {
    const { schemeId } = activeScheme(timed);
    const { number, validUntil } = grantedCertificate(timed, { schemeId });
    timed.db.update(creditCertificates).set({ nextSurveillance: validUntil }).where(eq(creditCertificates.number, number)).run();
    const state = () => timed.db.select().from(creditCertificates).where(eq(creditCertificates.number, number)).get()!.state;
    await new Promise((r) => setTimeout(r, 600));
    expect(state()).toBe('active');
    writeFileSync(timedClock, String(at(addDays(validUntil, 1), '00:00:05').getTime() - Date.now()));
    const deadline = Date.now() + 10_000;
    while (state() !== 'expired' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(state()).toBe('expired');
  });
});

describe('numbering under concurrency', () => {
  const db = testDb();
  afterAll(() => db.cleanup());
  const COUNT = 60;

  it('two processes issuing at once give gap-free, unique numbers per body per year', async () => {
    const bodyOrg = db.insert(organizations).values({ slug: 'conc-body', name: 'Concurrency Body', type: 'industry_body', code: 'CONC', status: 'verified' }).returning().get();
    const companies = Array.from({ length: COUNT }, (_, i) =>
      db.insert(organizations).values({ slug: `conc-co-${i}`, name: `Company ${i}`, type: 'company', status: 'verified' }).returning().get(),
    );
    const standard = db
      .insert(standards)
      .values({ organizationId: bodyOrg.id, title: 'Grading', state: 'published', stageCode: '60.60', everPublic: true, number: 'T/CONC 001—2026', numberYear: 2026, numberSequence: 1 })
      .returning()
      .get();
    const scheme = db
      .insert(creditSchemes)
      .values({ organizationId: bodyOrg.id, name: 'Grading', standardId: standard.id, standardNumber: standard.number!, standardVersion: 1, indicatorClause: 'A.1', bandClause: '5.1', indicators: INDICATORS, bands: BANDS, commitmentText: 'True.', state: 'active' })
      .returning()
      .get();
    const ids = companies.map(
      (c) => db.insert(creditAssessments).values({ schemeId: scheme.id, entityId: c.id, state: 'granted', score: 85, computedGrade: 'AA', grade: 'AA' }).returning().get().id,
    );
    const run = promisify(execFile);
    const tsx = path.resolve(import.meta.dirname, '../node_modules/.bin/tsx');
    const script = path.resolve(import.meta.dirname, 'credit-certificate-issuer.ts');
    const barrier = mkdtempSync(path.join(tmpdir(), 'issue-barrier-'));
    const [a, b] = await Promise.all([
      run(tsx, [script, db.$client.name, barrier, ...ids.filter((_, i) => i % 2 === 0).map(String)], { timeout: 150_000 }),
      run(tsx, [script, db.$client.name, barrier, ...ids.filter((_, i) => i % 2 === 1).map(String)], { timeout: 150_000 }),
    ]);
    rmSync(barrier, { recursive: true, force: true });
    const fromA = JSON.parse(a.stdout) as string[];
    const numbers = [...fromA, ...(JSON.parse(b.stdout) as string[])];
    const year = shanghaiDay(Date.now()).slice(0, 4);
    expect(new Set(numbers).size).toBe(COUNT);
    expect(numbers.sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `CONC-XY-${year}-${String(i + 1).padStart(5, '0')}`));
    // the two processes really did take turns
    const seqA = fromA.map((n) => Number(n.slice(-5)));
    expect(seqA.some((n, i) => i > 0 && n !== seqA[i - 1]! + 1)).toBe(true);
    expect(db.select().from(creditCertificateCounters).where(eq(creditCertificateCounters.organizationId, bodyOrg.id)).get()?.lastSequence).toBe(COUNT);
    expect(db.select().from(creditCertificates).all().map((c) => c.numberSequence).sort((x, y) => x - y)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
  }, 180_000);

  it('npm run credit:deadlines applies what is due, once', async () => {
    const [first] = db.select().from(creditCertificates).orderBy(creditCertificates.id).limit(1).all();
    db.update(creditCertificates).set({ validUntil: '2026-01-01' }).where(eq(creditCertificates.id, first!.id)).run();
    const run = promisify(execFile);
    const cli = (await run(path.resolve(import.meta.dirname, '../node_modules/.bin/tsx'), ['src/cli/credit-deadlines.ts'], { env: { ...process.env, DATABASE_PATH: db.$client.name }, timeout: 120_000 })).stdout;
    expect(cli).toContain('Applied 1 credit deadline change(s).');
    expect(db.select().from(creditCertificates).where(eq(creditCertificates.id, first!.id)).get()!.state).toBe('expired');
  }, 150_000);
});
