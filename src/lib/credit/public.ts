/**
 * The public's reads of credit certification: the directory of certificates, the verification page
 * of one, a rated company's profile. Everything here is public by construction: certificates are
 * issued only from granted assessments, and of the assessment only the indicator points are read
 * (never rationales, answers, evidence, objections or complaints, nor who acted).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@db/client';
import {
  CERTIFICATE_STATES,
  creditAssessments,
  creditCertificateEvents,
  creditCertificates,
  creditSchemes,
  organizations,
  type CertificateEventKind,
  type CertificateState,
} from '@db/schema';
import { NotFound } from '~/lib/errors';
import { refreshCertificate } from './certificates';
import { complaintCounts, complaintCountsOf, type ComplaintCounts } from './complaint-counts';
import { body, certificateSummaries } from './summaries';

export { certificateSummaries, type CertificateSummary } from './summaries';

export const DIRECTORY_PER_PAGE = 20;

/** Certificate numbers as issued (`SCBEA-XY-2026-00001`), read case-insensitively. */
export const normalizeNumber = (raw: string) => raw.trim().toUpperCase().slice(0, 60);
const NUMBER_SHAPE = /^[A-Z0-9]{1,20}-XY-\d{4}-\d{5}$/;
export const looksLikeNumber = (n: string) => NUMBER_SHAPE.test(n);

/** The directory's filters, from the query string; an empty field is no filter. */
export const directoryQuery = z.object({
  grade: z.string().trim().regex(/^[A-Za-z+-]{1,8}$/).optional(),
  status: z.enum(CERTIFICATE_STATES).optional(),
  scheme: z.coerce.number().int().positive().optional(),
  body: z.string().regex(/^[a-z0-9-]{1,80}$/).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type DirectoryQuery = z.infer<typeof directoryQuery>;

/** Reads the directory's filters leniently: a value that is not one of the choices is ignored. */
export function parseDirectoryQuery(params: URLSearchParams): DirectoryQuery {
  const out: DirectoryQuery = { page: 1 };
  for (const key of ['grade', 'status', 'scheme', 'body', 'page'] as const) {
    const value = params.get(key);
    if (!value) continue;
    const one = directoryQuery.shape[key].safeParse(value);
    if (one.success && one.data !== undefined) Object.assign(out, { [key]: one.data });
  }
  return out;
}

function directoryWhere(q: DirectoryQuery): SQL | undefined {
  return and(
    q.grade ? eq(creditCertificates.grade, q.grade) : undefined,
    q.status ? eq(creditCertificates.state, q.status) : undefined,
    q.scheme ? eq(creditCertificates.schemeId, q.scheme) : undefined,
    q.body ? eq(body.slug, q.body) : undefined,
  );
}

/** The choices the directory's filters offer: the grades certificates carry (best first), the schemes past draft and their bodies. */
export function directoryChoices(db: DbOrTx) {
  const grades = db.selectDistinct({ grade: creditCertificates.grade }).from(creditCertificates).all().map((r) => r.grade);
  const bands = db.select({ bands: creditSchemes.bands }).from(creditSchemes).all().flatMap((s) => s.bands.map((b) => b.grade));
  const order = [...new Set(bands)];
  grades.sort((a, b) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)) || a.localeCompare(b));
  const schemes = db
    .select({ id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh })
    .from(creditSchemes)
    .where(sql`${creditSchemes.state} <> 'draft'`)
    .orderBy(asc(creditSchemes.id))
    .all();
  const bodies = db
    .selectDistinct({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .innerJoin(creditSchemes, eq(creditSchemes.organizationId, organizations.id))
    .where(sql`${creditSchemes.state} <> 'draft'`)
    .orderBy(asc(organizations.name))
    .all();
  return { grades, states: CERTIFICATE_STATES, schemes, bodies };
}

/** A page of the directory, newest first (a grant lands on page 1; older ones move on). */
export function listCertificates(db: DbOrTx, q: DirectoryQuery, perPage = DIRECTORY_PER_PAGE) {
  const where = directoryWhere(q);
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(creditCertificates)
    .innerJoin(body, eq(body.id, creditCertificates.organizationId))
    .where(where)
    .get()!.n;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(q.page, pages);
  const items = certificateSummaries(db, where)
    .orderBy(desc(creditCertificates.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return { items, total, page, pages, perPage };
}

/** Events the public reads as history; a complaint flag is the body's business only. */
const PUBLIC_EVENTS: CertificateEventKind[] = ['granted', 'surveillance', 'suspended', 'reinstated', 'withdrawn', 'expired', 'superseded', 'surrendered', 'appeal_upheld'];
/** Events whose reason the body writes for the public (why it was suspended, withdrawn…). */
const REASONED_EVENTS = new Set<CertificateEventKind>(['suspended', 'reinstated', 'withdrawn', 'superseded', 'surrendered', 'appeal_upheld']);

export interface IndicatorLine {
  key: string;
  label: string;
  labelZh: string | null;
  points: number | null;
  maxPoints: number;
  clause: string;
}

/**
 * The verification page's reads, prepared once per connection (issue 17): built and compiled on
 * every view, the SQL of its six reads was a third of the page's time, and with certificates on
 * many shops' pages each number is asked too rarely for the page cache to help much.
 */
const preparedReads = new WeakMap<object, ReturnType<typeof prepareVerificationReads>>();
function prepareVerificationReads(db: DbOrTx) {
  const id = sql.placeholder('id');
  return {
    summary: certificateSummaries(db, eq(creditCertificates.number, sql.placeholder('number'))).prepare(),
    certificate: db.select().from(creditCertificates).where(eq(creditCertificates.id, id)).prepare(),
    scheme: db.select().from(creditSchemes).where(eq(creditSchemes.id, id)).prepare(),
    numberOf: db.select({ number: creditCertificates.number }).from(creditCertificates).where(eq(creditCertificates.id, id)).prepare(),
    assessment: db.select({ scores: creditAssessments.scores, computedGrade: creditAssessments.computedGrade }).from(creditAssessments).where(eq(creditAssessments.id, id)).prepare(),
    history: db
      .select({ kind: creditCertificateEvents.kind, reason: creditCertificateEvents.reason, at: creditCertificateEvents.at })
      .from(creditCertificateEvents)
      .where(and(eq(creditCertificateEvents.certificateId, id), inArray(creditCertificateEvents.kind, PUBLIC_EVENTS)))
      .orderBy(asc(creditCertificateEvents.at), asc(creditCertificateEvents.id))
      .prepare(),
  };
}
function verificationReads(db: DbOrTx) {
  let reads = preparedReads.get(db);
  if (!reads) preparedReads.set(db, (reads = prepareVerificationReads(db)));
  return reads;
}

/**
 * The verification page of one certificate, after applying what is due on it (expiry, a missed
 * surveillance); throws NotFound for a number nobody issued.
 */
export function certificateForVerification(db: DbOrTx, rawNumber: string, now = new Date()) {
  const number = normalizeNumber(rawNumber);
  if (!looksLikeNumber(number)) throw new NotFound();
  refreshCertificate(db, number, now);
  const read = verificationReads(db);
  const summary = read.summary.get({ number });
  if (!summary) throw new NotFound();
  const certificate = read.certificate.get({ id: summary.id })!;
  const scheme = read.scheme.get({ id: certificate.schemeId })!;
  const assessment = read.assessment.get({ id: certificate.assessmentId });
  const indicators: IndicatorLine[] = scheme.indicators.map((i) => ({
    key: i.key,
    label: i.label,
    labelZh: i.labelZh ?? null,
    points: assessment?.scores?.[i.key]?.points ?? null,
    maxPoints: i.maxPoints,
    clause: i.clause,
  }));
  const history = read.history
    .all({ id: certificate.id })
    .map((e) => ({ kind: e.kind, at: e.at, reason: REASONED_EVENTS.has(e.kind) ? e.reason : null }));
  const supersededBy = certificate.supersededBy ? (read.numberOf.get({ id: certificate.supersededBy })?.number ?? null) : null;
  return {
    ...summary,
    score: certificate.score,
    maxScore: certificate.maxScore,
    adjusted: certificate.adjusted,
    computedGrade: certificate.adjusted ? (assessment?.computedGrade ?? null) : null,
    standardId: scheme.standardId,
    standardNumber: certificate.standardNumber,
    standardVersion: certificate.standardVersion,
    bands: scheme.bands,
    nextSurveillance: certificate.nextSurveillance,
    stateReason: certificate.stateReason,
    /** When it left `active`: suspended at, or ended at. */
    stateSince: certificate.state === 'suspended' ? certificate.suspendedAt : certificate.endedAt,
    supersededBy,
    updatedAt: certificate.updatedAt,
    indicators,
    history,
    complaints: complaintCountsOf(db, certificate.entityId),
  };
}
export type VerifiedCertificate = ReturnType<typeof certificateForVerification>;

/** Whether a number was issued (for the verify form's redirect). */
export function certificateExists(db: DbOrTx, rawNumber: string): string | null {
  const number = normalizeNumber(rawNumber);
  if (!looksLikeNumber(number)) return null;
  return db.select({ number: creditCertificates.number }).from(creditCertificates).where(eq(creditCertificates.number, number)).get()?.number ?? null;
}

/** A rated company's credit profile: its certificates, current first, and the complaint counts. */
export function companyCreditProfile(db: DbOrTx, slug: string) {
  const company = db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh, creditCode: organizations.creditCode, type: organizations.type })
    .from(organizations)
    .where(eq(organizations.slug, slug))
    .get();
  if (!company) throw new NotFound();
  const certificates = certificateSummaries(db, eq(creditCertificates.entityId, company.id))
    .orderBy(sql`${creditCertificates.state} NOT IN ('active','suspended')`, desc(creditCertificates.id))
    .all();
  // A company that was never rated has no credit profile.
  if (certificates.length === 0 && company.type !== 'company') throw new NotFound();
  const counts: ComplaintCounts = complaintCounts(db, [company.id]).get(company.id)!;
  return { company, certificates, complaints: counts };
}

/** Where a state sits: live and good, live but held, or over. Drives colour and wording together. */
export const stateTone = (state: CertificateState): 'ok' | 'warn' | 'danger' | 'ended' =>
  state === 'active' ? 'ok' : state === 'suspended' ? 'warn' : state === 'withdrawn' ? 'danger' : 'ended';
