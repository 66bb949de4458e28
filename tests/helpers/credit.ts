/**
 * Arranging credit-certification tests on a seeded server: the SCBEA grading standard published
 * (its text is the seed's), an active scheme built from its clauses A.1 (indicators) and 5.1
 * (grade bands), and the demo assessor and committee member named. Rows are written directly, as
 * `grantRoles` does, so a test of one part does not depend on the pages of another.
 */
import { and, eq } from 'drizzle-orm';
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
