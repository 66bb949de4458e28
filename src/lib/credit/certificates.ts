/**
 * Certificates: issued when an assessment is granted, numbered `{body code}-XY-{year}-{5 digits}`
 * without gaps per body per year (the counter is bumped inside the granting transaction, as T/
 * numbers are), valid for the scheme's months and surveilled at its interval.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@db/client';
import { creditAssessments, creditCertificateCounters, creditCertificateEvents, creditCertificates, creditSchemes, organizations } from '@db/schema';
import { shanghaiDay } from '~/i18n';
import { addDays, addMonths } from './dates';
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
  if (previous) {
    tx.update(creditCertificates).set({ state: 'superseded', stateReason: `Superseded by ${number}`, endedAt: at, updatedAt: at }).where(eq(creditCertificates.id, previous.id)).run();
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
      updatedAt: at,
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

/**
 * Applies what is due on one certificate at `now` (expiry, a missed surveillance, the end of a
 * suspension): the scheduled check does it for all, a reader's request for the one read.
 * Placeholder until the certificate lifecycle lands (issue 16, certificates part).
 */
export function refreshCertificate(_db: DbOrTx, _number: string, _now: Date = new Date()): void {}
