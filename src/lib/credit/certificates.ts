/**
 * Certificates: issued when an assessment is granted, numbered `{body code}-XY-{year}-{5 digits}`
 * without gaps per body per year (the counter is bumped inside the granting transaction, as T/
 * numbers are), valid for the scheme's months and surveilled at its interval. Here too: the moves
 * people make (certificate-lifecycle.ts says which), surveillances, the deadlines the scheduled
 * check and every read apply, the early-surveillance flag, and restoration on appeal. Every change
 * writes an event, an audit entry and a notice to the company, and stamps `updatedAt` for the feed.
 */
import { and, eq, gte, inArray, lte, max, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx, type Tx } from '@db/client';
import {
  creditAssessments,
  creditCertificateCounters,
  creditCertificateEvents,
  creditCertificates,
  creditComplaints,
  creditSchemes,
  memberships,
  organizations,
  type CertificateEventDetails,
  type CertificateEventKind,
  type CertificateState,
  type SurveillanceOutcome,
} from '@db/schema';
import { shanghaiDay } from '~/i18n';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound } from '~/lib/errors';
import { notify, termInBoth, type NoticeParam } from '~/lib/notifications/notify';
import { CERTIFICATE_MOVES, refusalOf, SURVEILLED_STATES, type Roles } from './certificate-lifecycle';
import { addDays, addMonths } from './dates';
import { actsForEntity, isAssessor, isCommittee } from './policy';
import { reindexCertificate } from './reindex';

export type Certificate = typeof creditCertificates.$inferSelect;
type Assessment = typeof creditAssessments.$inferSelect;
type Scheme = typeof creditSchemes.$inferSelect;

/** Takes the next certificate number of the body for `year`; call only inside the granting transaction. */
export function assignCertificateNumber(tx: Tx, organizationId: number, code: string, year: number) {
  const row = tx
    .insert(creditCertificateCounters)
    .values({ organizationId, year, lastSequence: 1 })
    .onConflictDoUpdate({
      target: [creditCertificateCounters.organizationId, creditCertificateCounters.year],
      set: { lastSequence: sql`${creditCertificateCounters.lastSequence} + 1` },
    })
    .returning()
    .get();
  return { sequence: row.lastSequence, number: `${code}-XY-${year}-${String(row.lastSequence).padStart(5, '0')}` };
}

/**
 * Issues the certificate of a granted assessment (its `grade`, `score` set by the decision) and
 * supersedes the entity's current certificate under the same scheme, if any.
 */
export function issueCertificate(tx: Tx, assessment: Assessment, scheme: Scheme, at: Date, actorId: string | null): Certificate {
  const body = tx.select({ code: organizations.code }).from(organizations).where(eq(organizations.id, scheme.organizationId)).get();
  const validFrom = shanghaiDay(at);
  const year = Number(validFrom.slice(0, 4));
  const { sequence, number } = assignCertificateNumber(tx, scheme.organizationId, body?.code ?? 'CREDIT', year);
  const previous = tx
    .select()
    .from(creditCertificates)
    .where(and(eq(creditCertificates.schemeId, scheme.id), eq(creditCertificates.entityId, assessment.entityId), inArray(creditCertificates.state, ['active', 'suspended'])))
    .get();
  const stamp = feedStamp(tx, at);
  if (previous) {
    tx.update(creditCertificates).set({ state: 'superseded', stateReason: `Superseded by ${number}`, endedAt: at, updatedAt: stamp }).where(eq(creditCertificates.id, previous.id)).run();
  }
  const certificate = tx
    .insert(creditCertificates)
    .values({
      number,
      organizationId: scheme.organizationId,
      numberYear: year,
      numberSequence: sequence,
      schemeId: scheme.id,
      entityId: assessment.entityId,
      assessmentId: assessment.id,
      grade: assessment.grade!,
      score: assessment.score!,
      maxScore: scheme.indicators.reduce((sum, i) => sum + i.maxPoints, 0),
      adjusted: assessment.grade !== assessment.computedGrade,
      standardNumber: scheme.standardNumber,
      standardVersion: scheme.standardVersion,
      validFrom,
      validUntil: addDays(addMonths(validFrom, scheme.validityMonths), -1),
      nextSurveillance: addMonths(validFrom, scheme.surveillanceMonths),
      createdAt: at,
      updatedAt: stamp,
    })
    .returning()
    .get();
  tx.insert(creditCertificateEvents).values({ certificateId: certificate.id, kind: 'granted', actorId, at }).run();
  if (previous) {
    tx.update(creditCertificates).set({ supersededBy: certificate.id }).where(eq(creditCertificates.id, previous.id)).run();
    tx.insert(creditCertificateEvents).values({ certificateId: previous.id, kind: 'superseded', actorId, reason: number, at }).run();
    reindexCertificate(tx, previous.id);
  }
  reindexCertificate(tx, certificate.id);
  return certificate;
}

// ------------------------------------------------------------------ the change feed's clock

/**
 * The `updatedAt` a change gets: `now`, but always later than every certificate's last change.
 * Taken inside the write transaction (writes take turns), so the feed ordered by (updatedAt, id)
 * only ever grows at its end and a reader following `updatedSince` misses no change.
 */
export function feedStamp(tx: Tx, now: Date): Date {
  const last = tx.select({ at: max(creditCertificates.updatedAt) }).from(creditCertificates).get()?.at;
  return new Date(Math.max(now.getTime(), Date.now(), last ? last.getTime() + 1 : 0));
}

// ------------------------------------------------------------------ loading

export function findCertificate(db: DbOrTx, number: string): Certificate | undefined {
  return db.select().from(creditCertificates).where(eq(creditCertificates.number, number)).get();
}

export function loadCertificate(db: DbOrTx, number: string): Certificate {
  const cert = findCertificate(db, number);
  if (!cert) throw new NotFound('No certificate has that number.');
  return cert;
}

/** The start of a Shanghai calendar day, as a moment. */
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** A suspension lasts at most this long; then the certificate is withdrawn. */
export const SUSPENSION_LIMIT_MONTHS = 6;

export const surveillanceOverdue = (cert: Pick<Certificate, 'nextSurveillance'>, now: Date) => cert.nextSurveillance < shanghaiDay(now);

// ------------------------------------------------------------------ recording a change

interface Change {
  to: CertificateState;
  event: CertificateEventKind;
  actorId: string | null;
  reason: string | null;
  /** When it took effect (a deadline applied late still takes effect on its day). */
  at: Date;
  details?: CertificateEventDetails;
  /** Columns that change with the state. */
  set?: Partial<typeof creditCertificates.$inferInsert>;
}

/** The owners and editors of the rated company: who is told about its certificate. */
function entityPeople(tx: Tx, entityId: number): string[] {
  return tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, entityId), inArray(memberships.role, ['owner', 'editor'])))
    .all()
    .map((m) => m.userId);
}

function tellEntity(tx: Tx, cert: Certificate, kind: string, params: Record<string, NoticeParam>, note: string | null) {
  for (const userId of entityPeople(tx, cert.entityId)) {
    notify(tx, userId, { kind: `credit.certificate.${kind}`, params: { number: cert.number, ...params }, note, url: `/credit/${cert.number}`, email: true });
  }
}

/** Records a change of state: the row (its feed stamp bumped), the event, the audit entry, and the company's notice. */
function changeState(tx: Tx, cert: Certificate, change: Change, now: Date, notice: { kind: string; params?: Record<string, NoticeParam> }) {
  tx.update(creditCertificates)
    .set({ state: change.to, ...change.set, updatedAt: feedStamp(tx, now) })
    .where(eq(creditCertificates.id, cert.id))
    .run();
  reindexCertificate(tx, cert.id);
  tx.insert(creditCertificateEvents)
    .values({ certificateId: cert.id, kind: change.event, actorId: change.actorId, reason: change.reason, details: change.details ?? null, at: change.at })
    .run();
  recordAudit(tx, {
    actorId: change.actorId,
    action: `credit.certificate_${change.event}`,
    subjectType: 'credit_certificate',
    subjectId: cert.id,
    details: { number: cert.number, from: cert.state, to: change.to, reason: change.reason, ...change.details },
  });
  tellEntity(tx, cert, notice.kind, notice.params ?? {}, change.reason);
}

// ------------------------------------------------------------------ deadlines

export type DeadlineRule = 'expiry' | 'missed_surveillance' | 'suspension_limit';

interface Deadline {
  rule: DeadlineRule;
  /** The Shanghai day it takes effect. */
  day: string;
}

/**
 * The earliest deadline that has passed on the certificate at `now`, or null: expiry the day
 * after `validUntil`; suspension the day after a `nextSurveillance` with no surveillance recorded;
 * withdrawal six months after a suspension began. Expiry wins a tie.
 */
export function dueDeadline(cert: Certificate, now: Date): Deadline | null {
  if (cert.state !== 'active' && cert.state !== 'suspended') return null;
  const today = shanghaiDay(now);
  const candidates: Deadline[] = [{ rule: 'expiry', day: addDays(cert.validUntil, 1) }];
  if (cert.state === 'active') candidates.push({ rule: 'missed_surveillance', day: addDays(cert.nextSurveillance, 1) });
  if (cert.state === 'suspended' && cert.suspendedAt) candidates.push({ rule: 'suspension_limit', day: addMonths(shanghaiDay(cert.suspendedAt), SUSPENSION_LIMIT_MONTHS) });
  const due = candidates.filter((c) => c.day <= today).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return due[0] ?? null;
}

/** Applies one passed deadline, as the scheduled check does (no actor). */
function applyDeadline(tx: Tx, cert: Certificate, deadline: Deadline, now: Date) {
  const at = startOf(deadline.day);
  switch (deadline.rule) {
    case 'expiry':
      return changeState(
        tx,
        cert,
        { to: 'expired', event: 'expired', actorId: null, reason: `The certificate was valid until ${cert.validUntil}.`, at, details: { rule: 'expiry', date: cert.validUntil }, set: { endedAt: at, stateReason: `Valid until ${cert.validUntil}.` } },
        now,
        { kind: 'expired', params: { date: startOf(cert.validUntil) } },
      );
    case 'missed_surveillance':
      return changeState(
        tx,
        cert,
        {
          to: 'suspended',
          event: 'suspended',
          actorId: null,
          reason: `No surveillance was recorded by ${cert.nextSurveillance}, when it was due.`,
          at,
          details: { rule: 'missed_surveillance', date: cert.nextSurveillance },
          set: { suspendedAt: at, stateReason: `No surveillance was recorded by ${cert.nextSurveillance}, when it was due.` },
        },
        now,
        { kind: 'suspended_missed', params: { date: startOf(cert.nextSurveillance) } },
      );
    case 'suspension_limit': {
      const since = shanghaiDay(cert.suspendedAt!);
      const reason = `Suspended since ${since} and not reinstated within ${SUSPENSION_LIMIT_MONTHS} months.`;
      return changeState(
        tx,
        cert,
        { to: 'withdrawn', event: 'withdrawn', actorId: null, reason, at, details: { rule: 'suspension_limit', date: since }, set: { endedAt: at, stateReason: reason } },
        now,
        { kind: 'withdrawn_limit', params: { date: startOf(since) } },
      );
    }
  }
}

/** Applies every passed deadline of one certificate, read inside the transaction. Returns how many. */
function applyDeadlinesTo(tx: Tx, id: number, now: Date): number {
  let applied = 0;
  for (;;) {
    const cert = tx.select().from(creditCertificates).where(eq(creditCertificates.id, id)).get();
    const deadline = cert && dueDeadline(cert, now);
    if (!cert || !deadline) return applied;
    applyDeadline(tx, cert, deadline, now);
    applied++;
  }
}

/**
 * The certificates that may have a deadline passed at `now`: one read on the indexes, so a check
 * that finds nothing due costs no write.
 */
/** The check for one certificate, prepared once per connection: every verification page and badge makes it. */
const dueOne = new WeakMap<object, ReturnType<typeof prepareDueOne>>();
function prepareDueOne(db: DbOrTx) {
  return db
    .select({ id: creditCertificates.id })
    .from(creditCertificates)
    .where(
      and(
        eq(creditCertificates.number, sql.placeholder('number')),
        sql`((${creditCertificates.state} IN ('active','suspended') AND ${creditCertificates.validUntil} < ${sql.placeholder('today')})
          OR (${creditCertificates.state} = 'active' AND ${creditCertificates.nextSurveillance} < ${sql.placeholder('today')})
          OR (${creditCertificates.state} = 'suspended' AND ${creditCertificates.suspendedAt} < ${sql.placeholder('suspendedBefore')}))`,
      ),
    )
    .prepare();
}

function candidates(db: DbOrTx, now: Date, onlyNumber?: string): number[] {
  const today = shanghaiDay(now);
  if (onlyNumber) {
    let due = dueOne.get(db);
    if (!due) dueOne.set(db, (due = prepareDueOne(db)));
    return due.all({ number: onlyNumber, today, suspendedBefore: startOf(addDays(addMonths(today, -SUSPENSION_LIMIT_MONTHS), 4)).getTime() }).map((r) => r.id);
  }
  return db
    .select({ id: creditCertificates.id })
    .from(creditCertificates)
    .where(
      and(
        onlyNumber ? eq(creditCertificates.number, onlyNumber) : undefined,
        // a few days' slack on the suspension: a month's end shortens six months (`dueDeadline` is exact)
        sql`((${creditCertificates.state} IN ('active','suspended') AND ${creditCertificates.validUntil} < ${today})
          OR (${creditCertificates.state} = 'active' AND ${creditCertificates.nextSurveillance} < ${today})
          OR (${creditCertificates.state} = 'suspended' AND ${creditCertificates.suspendedAt} < ${startOf(addDays(addMonths(today, -SUSPENSION_LIMIT_MONTHS), 4)).getTime()}))`,
      ),
    )
    .all()
    .map((r) => r.id);
}

/**
 * Applies what is due on every certificate at `now` (expiry, missed surveillances, suspensions
 * past their limit), each certificate in its own transaction that reads it again first, so two
 * processes checking at once apply each change once. Returns how many changes were made.
 */
export function applyCertificateDeadlines(db: Db, now: Date = new Date()): number {
  let applied = 0;
  for (const id of candidates(db, now)) applied += write(db, (tx) => applyDeadlinesTo(tx, id, now));
  return applied;
}

/**
 * Applies what is due on one certificate at `now`: the scheduled check does it for all, a
 * reader's request for the one read, so a stopped timer never shows a lapsed certificate as valid.
 */
export function refreshCertificate(db: DbOrTx, number: string, now: Date = new Date()): void {
  const [id] = candidates(db, now, number);
  if (id !== undefined) write(db, (tx) => applyDeadlinesTo(tx, id, now));
}

// ------------------------------------------------------------------ moves by hand

export interface CertificateMoveInput {
  to: string;
  reason?: string | null;
}

export function rolesOn(db: DbOrTx, user: SessionUser | null, cert: Pick<Certificate, 'organizationId' | 'entityId'>): Roles & { assessor: boolean } {
  return {
    committee: isCommittee(db, user, cert.organizationId),
    assessor: isAssessor(db, user, cert.organizationId),
    entity: !!user && actsForEntity(db, user, cert.entityId),
  };
}

/**
 * Suspends, reinstates or withdraws (the body's committee) or surrenders (the company) a
 * certificate, with a reason. Deadlines due are applied first, so a move never acts on a state
 * that has already lapsed. Refusals: 403 for the wrong person, 409 for the wrong state, in words.
 */
export function transitionCertificate(db: Db, user: SessionUser, number: string, input: CertificateMoveInput, now = new Date()): Certificate {
  refreshCertificate(db, number, now);
  return write(db, (tx) => {
    const cert = loadCertificate(tx, number);
    const refusal = refusalOf(rolesOn(tx, user, cert), { state: cert.state, surveillanceOverdue: surveillanceOverdue(cert, now) }, input.to);
    if (refusal) throw refusal.code.startsWith('not_') ? new Forbidden(refusal.message) : new Conflict(refusal.message, refusal.code);
    const move = CERTIFICATE_MOVES.find((m) => m.to === input.to)!;
    const reason = input.reason?.trim() || null;
    if (move.reasonRequired && !reason) throw new Invalid('Some fields are not valid.', { reason: ['Give the reason for this step.'] });
    const set: Partial<typeof creditCertificates.$inferInsert> =
      move.to === 'suspended'
        ? { suspendedAt: now, stateReason: reason }
        : move.to === 'active'
          ? { suspendedAt: null, stateReason: null }
          : { endedAt: now, stateReason: reason };
    changeState(tx, cert, { to: move.to, event: move.event, actorId: user.id, reason, at: now, set }, now, { kind: move.event });
    return loadCertificate(tx, number);
  });
}

// ------------------------------------------------------------------ surveillance

export interface SurveillanceInput {
  outcome: SurveillanceOutcome;
  note: string;
  /** The day it was carried out (YYYY-MM-DD, Shanghai); today when not given. */
  date?: string;
}

/**
 * An assessor or committee member of the body records a surveillance: the next one falls the
 * scheme's surveillance interval after the day it was carried out (never after the certificate's
 * last valid day), and an early-surveillance flag is cleared.
 */
export function recordSurveillance(db: Db, user: SessionUser, number: string, input: SurveillanceInput, now = new Date()): Certificate {
  refreshCertificate(db, number, now);
  return write(db, (tx) => {
    const cert = loadCertificate(tx, number);
    const roles = rolesOn(tx, user, cert);
    if (!roles.committee && !roles.assessor) throw new Forbidden('Only an assessor or committee member of the issuing body records a surveillance.');
    if (!SURVEILLED_STATES.includes(cert.state)) throw new Conflict(`A certificate that is ${cert.state} has ended: no surveillance is recorded on it.`, 'invalid_transition');
    const today = shanghaiDay(now);
    const date = input.date ?? today;
    if (date > today) throw new Invalid('Some fields are not valid.', { date: ['A surveillance is recorded once it has been carried out: the date cannot be in the future.'] });
    if (date < cert.validFrom) throw new Invalid('Some fields are not valid.', { date: ['The date is before the certificate was issued.'] });
    const scheme = tx.select({ surveillanceMonths: creditSchemes.surveillanceMonths }).from(creditSchemes).where(eq(creditSchemes.id, cert.schemeId)).get()!;
    const next = addMonths(date, scheme.surveillanceMonths);
    const nextSurveillance = next > cert.validUntil ? cert.validUntil : next;
    const note = input.note.trim();
    tx.update(creditCertificates)
      .set({ nextSurveillance, earlySurveillance: false, updatedAt: feedStamp(tx, now) })
      .where(eq(creditCertificates.id, cert.id))
      .run();
    tx.insert(creditCertificateEvents)
      .values({ certificateId: cert.id, kind: 'surveillance', actorId: user.id, reason: note, details: { outcome: input.outcome, date }, at: now })
      .run();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.certificate_surveillance',
      subjectType: 'credit_certificate',
      subjectId: cert.id,
      details: { number, outcome: input.outcome, date, nextSurveillance },
    });
    tellEntity(tx, cert, 'surveillance', { outcome: termInBoth(`credit.cert.outcome.${input.outcome}`), next: startOf(nextSurveillance) }, note);
    return loadCertificate(tx, number);
  });
}

// ------------------------------------------------------------------ early surveillance

/**
 * Flags the entity's current certificate under the scheme for an early surveillance when its
 * complaints closed as unresolved within the scheme's window reach the scheme's threshold. Call it
 * inside the transaction that closes a complaint. Returns whether it flagged the certificate now.
 */
export function flagForEarlySurveillance(tx: Tx, entityId: number, schemeId: number, now: Date = new Date()): boolean {
  const cert = tx
    .select()
    .from(creditCertificates)
    .where(and(eq(creditCertificates.schemeId, schemeId), eq(creditCertificates.entityId, entityId), inArray(creditCertificates.state, ['active', 'suspended'])))
    .get();
  if (!cert || cert.earlySurveillance) return false;
  const scheme = tx.select().from(creditSchemes).where(eq(creditSchemes.id, schemeId)).get()!;
  const since = startOf(addMonths(shanghaiDay(now), -scheme.complaintWindowMonths));
  const unresolved = tx
    .select({ n: sql<number>`count(*)` })
    .from(creditComplaints)
    .where(
      and(
        eq(creditComplaints.entityId, entityId),
        eq(creditComplaints.schemeId, schemeId),
        eq(creditComplaints.outcome, 'unresolved'),
        gte(creditComplaints.closedAt, since),
        lte(creditComplaints.closedAt, now),
      ),
    )
    .get()!.n;
  if (unresolved < scheme.complaintThreshold) return false;
  const reason = `${unresolved} complaints closed as unresolved within ${scheme.complaintWindowMonths} months (threshold ${scheme.complaintThreshold}).`;
  tx.update(creditCertificates).set({ earlySurveillance: true, updatedAt: feedStamp(tx, now) }).where(eq(creditCertificates.id, cert.id)).run();
  tx.insert(creditCertificateEvents).values({ certificateId: cert.id, kind: 'flagged', actorId: null, reason, at: now }).run();
  recordAudit(tx, { actorId: null, action: 'credit.certificate_flagged', subjectType: 'credit_certificate', subjectId: cert.id, details: { number: cert.number, unresolved } });
  return true;
}

/** A certificate's history, oldest first, with who acted (the body's view; the public view drops actors). */
export function certificateEvents(db: DbOrTx, certificateId: number) {
  return db.select().from(creditCertificateEvents).where(eq(creditCertificateEvents.certificateId, certificateId)).orderBy(creditCertificateEvents.at, creditCertificateEvents.id).all();
}

// ------------------------------------------------------------------ appeals

/**
 * An appeal against a suspension or withdrawal was upheld: the certificate is active again (event
 * `appeal_upheld`, audit entry, the company told). For the appeals part to call inside the
 * transaction that decides the appeal. A certificate past its last valid day expires at once
 * instead; one whose company holds another current certificate under the scheme cannot come back.
 */
export function restoreOnAppeal(tx: Tx, certificateId: number, actorId: string, reason: string, now: Date = new Date()): Certificate {
  const cert = tx.select().from(creditCertificates).where(eq(creditCertificates.id, certificateId)).get();
  if (!cert) throw new NotFound('No certificate has that number.');
  if (cert.state !== 'suspended' && cert.state !== 'withdrawn') throw new Conflict(`A certificate that is ${cert.state} is not restored by an appeal.`, 'invalid_transition');
  const current = tx
    .select({ id: creditCertificates.id })
    .from(creditCertificates)
    .where(and(eq(creditCertificates.schemeId, cert.schemeId), eq(creditCertificates.entityId, cert.entityId), inArray(creditCertificates.state, ['active', 'suspended'])))
    .all()
    .filter((c) => c.id !== cert.id);
  if (current.length) throw new Conflict('The company holds another current certificate under this scheme: this one cannot be restored.', 'superseded');
  changeState(tx, cert, { to: 'active', event: 'appeal_upheld', actorId, reason, at: now, set: { suspendedAt: null, endedAt: null, stateReason: null } }, now, { kind: 'appeal_upheld' });
  applyDeadlinesTo(tx, cert.id, now);
  return tx.select().from(creditCertificates).where(eq(creditCertificates.id, certificateId)).get()!;
}

/** A company whose certificate was withdrawn cannot apply again under the scheme for this long. */
export const REAPPLY_BAR_MONTHS = 12;

/**
 * The first day (YYYY-MM-DD, Shanghai) the company may apply again under the scheme, when a
 * withdrawal bars it at `now`; null when nothing does. For the assessments part's application check.
 */
export function reapplyBarredUntil(db: DbOrTx, entityId: number, schemeId: number, now: Date = new Date()): string | null {
  const last = db
    .select({ endedAt: max(creditCertificates.endedAt) })
    .from(creditCertificates)
    .where(and(eq(creditCertificates.entityId, entityId), eq(creditCertificates.schemeId, schemeId), eq(creditCertificates.state, 'withdrawn')))
    .get()?.endedAt;
  if (!last) return null;
  const until = addMonths(shanghaiDay(last), REAPPLY_BAR_MONTHS);
  return until > shanghaiDay(now) ? until : null;
}
