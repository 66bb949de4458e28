/**
 * Arranging credit-certification tests on a seeded server: the SCBEA grading standard published
 * (its text is the seed's), an active scheme built from its clauses A.1 (indicators) and 5.1
 * (grade bands), and the demo assessor and committee member named. Rows are written directly, as
 * `grantRoles` does, so a test of one part does not depend on the pages of another.
 */
import { and, desc, eq } from 'drizzle-orm';
import { write } from '../../db/client';
import { creditAssessments, creditRoles, creditSchemes, organizations, standards, standardVersions, type SchemeBand, type SchemeIndicator } from '../../db/schema';
import { SEED_STANDARD_MD } from '../../db/seed/standards';
import type { TestServer } from './server';
import { userId } from './accounts';
import { issueCertificate } from '../../src/lib/credit/certificates';

export const BODY_SLUG = 'shanghai-cross-border-e-commerce-association';
/** Owned by seller@demo.portal.test; valid GB 32100 codes. */
export const SELLER_SLUGS = ['hongqiao-silk-road-trading', 'lingang-digital-goods'] as const;

export const INDICATORS: SchemeIndicator[] = [
  { key: 'i1', label: 'Compliance', labelZh: '合规经营', maxPoints: 40, clause: '4.1' },
  { key: 'i2', label: 'Fulfilment', labelZh: '履约表现', maxPoints: 35, clause: '4.2' },
  { key: 'i3', label: 'Consumer protection', labelZh: '消费者权益保护', maxPoints: 25, clause: '4.3' },
];
export const BANDS: SchemeBand[] = [
  { grade: 'AAA', minScore: 90 },
  { grade: 'AA', minScore: 80 },
  { grade: 'A', minScore: 70 },
  { grade: 'B', minScore: 60 },
  { grade: 'C', minScore: 0 },
];

export function orgId(server: TestServer, slug: string): number {
  return server.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).get()!.id;
}

/** Names a demo account an assessor or committee member of SCBEA. */
export function nameCreditRole(server: TestServer, email: string, role: 'assessor' | 'committee') {
  server.db.insert(creditRoles).values({ organizationId: orgId(server, BODY_SLUG), userId: userId(server, email), role }).onConflictDoNothing().run();
}

/**
 * A published SCBEA grading standard and an active scheme on it (one per call, numbered apart),
 * with assessor@ and committee@ named. Returns the scheme's and the standard's ids.
 */
export function activeScheme(server: TestServer, overrides: Partial<typeof creditSchemes.$inferInsert> = {}): { schemeId: number; standardId: number; bodyId: number } {
  const bodyId = orgId(server, BODY_SLUG);
  const existing = server.db.select({ id: standards.id }).from(standards).where(eq(standards.organizationId, bodyId)).all().length;
  const sequence = 900 + existing;
  const number = `T/SCBEA ${sequence}\u20142026`;
  const standard = server.db
    .insert(standards)
    .values({
      organizationId: bodyId,
      title: 'Credit grading of cross-border e-commerce sellers',
      titleZh: '跨境电子商务卖家信用等级评价规范',
      state: 'published',
      stageCode: '60.60',
      everPublic: true,
      number,
      numberYear: 2026,
      numberSequence: sequence,
      publishedAt: new Date(),
      effectiveDate: '2026-06-01',
    })
    .returning()
    .get();
  server.db.insert(standardVersions).values({ standardId: standard.id, number: 1, bodyMd: SEED_STANDARD_MD }).run();
  const scheme = server.db
    .insert(creditSchemes)
    .values({
      organizationId: bodyId,
      name: 'SCBEA seller credit grading',
      nameZh: 'SCBEA 卖家信用等级评价',
      standardId: standard.id,
      standardNumber: number,
      standardVersion: 1,
      indicatorClause: 'A.1',
      bandClause: '5.1',
      indicators: INDICATORS,
      bands: BANDS,
      commitmentText: 'We declare that the information and evidence we provide are true, and accept the scheme’s surveillance.',
      commitmentTextZh: '本企业承诺所提供的信息和证明材料真实有效，并接受评价机构的监督。',
      state: 'active',
      ...overrides,
    })
    .returning()
    .get();
  for (const [email, role] of [['assessor@demo.portal.test', 'assessor'], ['committee@demo.portal.test', 'committee']] as const) nameCreditRole(server, email, role);
  return { schemeId: scheme.id, standardId: standard.id, bodyId };
}

export function creditRolesOf(server: TestServer, email: string) {
  return server.db.select().from(creditRoles).where(and(eq(creditRoles.userId, userId(server, email)))).all();
}

// ---------------------------------------------------------------------------------------------
// Public notice, objections and appeals (notice part of issue 16): an assessment arranged directly
// in a decided state, so these tests do not depend on the assessment lifecycle's pages.
// ---------------------------------------------------------------------------------------------


const DAY = 86_400_000;

/**
 * A scored and decided assessment of a seller company, on public notice by default: points
 * 36/30/20 (86, AA), decided by committee@. `grade` other than the computed AA is a committee
 * adjustment. Returns the assessment's id.
 */
export function assessmentOnNotice(
  server: TestServer,
  options: {
    schemeId: number;
    entitySlug?: string;
    state?: typeof creditAssessments.$inferInsert.state;
    grade?: string;
    noticeOpensAt?: Date | null;
    noticeClosesAt?: Date | null;
    decidedAt?: Date;
    deciderEmail?: string;
  },
): number {
  const now = Date.now();
  const scores = { i1: { points: 36, rationale: 'Licences and filings in order.' }, i2: { points: 30, rationale: 'On-time delivery 97%.' }, i3: { points: 20, rationale: 'Complaints answered.' } };
  return server.db
    .insert(creditAssessments)
    .values({
      schemeId: options.schemeId,
      entityId: orgId(server, options.entitySlug ?? SELLER_SLUGS[0]),
      state: options.state ?? 'public_notice',
      createdBy: userId(server, 'seller@demo.portal.test'),
      commitmentSignedBy: userId(server, 'seller@demo.portal.test'),
      commitmentSignedAt: new Date(now - 20 * DAY),
      submittedAt: new Date(now - 20 * DAY),
      assessorId: userId(server, 'assessor@demo.portal.test'),
      scores,
      score: 86,
      computedGrade: 'AA',
      grade: options.grade ?? 'AA',
      overrideReason: options.grade && options.grade !== 'AA' ? 'Adjusted for a pending enforcement case.' : null,
      deciderId: userId(server, options.deciderEmail ?? 'committee@demo.portal.test'),
      decisionReason: 'Scores confirmed.',
      decidedAt: options.decidedAt ?? new Date(now - DAY),
      noticeOpensAt: options.noticeOpensAt === undefined ? new Date(now - DAY) : options.noticeOpensAt,
      noticeClosesAt: options.noticeClosesAt === undefined ? new Date(now + 6 * DAY) : options.noticeClosesAt,
    })
    .returning({ id: creditAssessments.id })
    .get().id;
}

// ---------------------------------------------------------------- certificates (issue 16, certificates part)

/**
 * A granted assessment of `entitySlug` under the scheme (by default the newest active SCBEA
 * scheme), written directly, and its certificate issued by `issueCertificate` at `at` inside a
 * transaction, as the grant does. Scores are spread over the indicators to sum to `score`.
 */
export function grantedCertificate(
  server: TestServer,
  { entitySlug = SELLER_SLUGS[0], schemeId, grade = 'AA', score = 85, at = new Date() }: { entitySlug?: string; schemeId?: number; grade?: string; score?: number; at?: Date } = {},
) {
  const scheme = schemeId
    ? server.db.select().from(creditSchemes).where(eq(creditSchemes.id, schemeId)).get()!
    : server.db.select().from(creditSchemes).where(and(eq(creditSchemes.organizationId, orgId(server, BODY_SLUG)), eq(creditSchemes.state, 'active'))).orderBy(desc(creditSchemes.id)).get()!;
  let left = score;
  const scores = Object.fromEntries(
    scheme.indicators.map((i) => {
      const points = Math.min(i.maxPoints, left);
      left -= points;
      return [i.key, { points, rationale: `Scored ${points} of ${i.maxPoints}.` }];
    }),
  );
  return write(server.db, (tx) => {
    const assessment = tx
      .insert(creditAssessments)
      .values({ schemeId: scheme.id, entityId: orgId(server, entitySlug), state: 'granted', scores, score, computedGrade: grade, grade, decidedAt: at, closedAt: at, createdAt: at, updatedAt: at })
      .returning()
      .get();
    return issueCertificate(tx, assessment, scheme, at, null);
  });
}

// ---------------------------------------------------------------------------------------------
// Public side (issue 16, public part): certificates as the public sees them, written directly.
// (Its imports sit here, with it, so parallel additions to this file meet in separate blocks.)
// ---------------------------------------------------------------------------------------------
import { creditCertificateEvents, creditCertificates, type CertificateState } from '../../db/schema';
import { computeGrade } from '../../src/lib/credit/grade';
import { reindexCertificate } from '../../src/lib/credit/reindex';

export interface PublicCertificateOptions {
  entitySlug: string;
  /** Points per indicator; the grade follows from the scheme unless `grade` overrides it (an adjusted certificate). */
  scores: { i1: number; i2: number; i3: number };
  grade?: string;
  /** Left active unless given; a state other than active gets `reason` and an event. */
  state?: CertificateState;
  reason?: string;
  at?: Date;
  schemeId?: number;
}

/**
 * A granted assessment of `entitySlug` under an active SCBEA scheme (made if not given) and the
 * certificate issued from it, as the grant does, then moved to `state` if asked. Returns the
 * certificate row as it is after the move.
 */
export function publicCertificate(server: TestServer, o: PublicCertificateOptions) {
  const schemeId = o.schemeId ?? activeScheme(server).schemeId;
  const scheme = server.db.select().from(creditSchemes).where(eq(creditSchemes.id, schemeId)).get()!;
  const entityId = orgId(server, o.entitySlug);
  const scores = Object.fromEntries(Object.entries(o.scores).map(([k, points]) => [k, { points, rationale: `Assessor's private rationale for ${k}` }]));
  const computed = computeGrade(scheme.indicators, scheme.bands, scores);
  if (!computed.ok) throw new Error(`bad scores: ${computed.indicator} ${computed.problem}`);
  const at = o.at ?? new Date();
  return server.db.transaction((tx) => {
    const assessment = tx
      .insert(creditAssessments)
      .values({
        schemeId,
        entityId,
        state: 'granted',
        scores,
        score: computed.value.score,
        computedGrade: computed.value.grade,
        grade: o.grade ?? computed.value.grade,
        overrideReason: o.grade && o.grade !== computed.value.grade ? 'Committee override' : null,
        decidedAt: at,
        closedAt: at,
      })
      .returning()
      .get();
    const certificate = issueCertificate(tx, assessment, scheme, at, null);
    if (!o.state || o.state === 'active') return certificate;
    tx.update(creditCertificates)
      .set({ state: o.state, stateReason: o.reason ?? null, ...(o.state === 'suspended' ? { suspendedAt: at } : { endedAt: at }), updatedAt: new Date(at.getTime() + 1) })
      .where(eq(creditCertificates.id, certificate.id))
      .run();
    tx.insert(creditCertificateEvents).values({ certificateId: certificate.id, kind: o.state, reason: o.reason ?? null, at }).run();
    reindexCertificate(tx, certificate.id);
    return tx.select().from(creditCertificates).where(eq(creditCertificates.id, certificate.id)).get()!;
  });
}

// ---------------------------------------------------------------- complaints: a rated company

/**
 * Makes a company rated under the scheme: a granted assessment row (90 points, AAA) and its
 * certificate, issued as the grant does. Returns the certificate.
 */
export function ratedCompany(server: TestServer, slug: string, schemeId: number, at = new Date()) {
  const entityId = orgId(server, slug);
  return server.db.transaction((tx) => {
    const scheme = tx.select().from(creditSchemes).where(eq(creditSchemes.id, schemeId)).get()!;
    const scores = { i1: { points: 36, rationale: 'Seen' }, i2: { points: 32, rationale: 'Seen' }, i3: { points: 22, rationale: 'Seen' } };
    const assessment = tx
      .insert(creditAssessments)
      .values({ schemeId, entityId, state: 'granted', scores, score: 90, computedGrade: 'AAA', grade: 'AAA', decidedAt: at, closedAt: at })
      .returning()
      .get();
    return issueCertificate(tx, assessment, scheme, at, null);
  });
}
