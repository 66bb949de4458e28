/**
 * Reads for credit assessments: one case as its viewer may see it (the API's answer and the case
 * page's data), the body's queue, a company's list, and what the apply form offers. Every list
 * goes through the same visibility condition as the single-case load.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditAssessmentEvents, creditAssessments, creditCertificates, creditSchemes, memberships, organizations, users, type AssessmentState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { assessmentVisibleTo, bodyCaseScope } from './assessment-visibility';
import { historyOf, missingForSubmission, rolesOn, schemeOf, type Assessment } from './assessments';
import { listEvidence } from './evidence';
import { allowedTransitions, EDITABLE_STATES } from './lifecycle';

/** States from which the grade and the scores are the applicant's to read. */
const DECIDED: AssessmentState[] = ['public_notice', 'granted', 'refused'];

/**
 * What an event tells the company: its own requests, reasons and the decision, never who was
 * assigned nor the scores before the committee decided.
 */
const INTERNAL_EVENTS: AssessmentState[] = ['scoring', 'decision'];
const APPLICANT_DETAILS = ['items', 'dueDate', 'reason', 'resubmitted', 'grade', 'computedGrade', 'adjusted', 'certificate'];
function applicantDetails(to: AssessmentState, details: Record<string, unknown> | null): Record<string, unknown> {
  if (!details || INTERNAL_EVENTS.includes(to)) return {};
  return Object.fromEntries(Object.entries(details).filter(([key]) => APPLICANT_DETAILS.includes(key)));
}

const person = (db: DbOrTx, id: string | null) => (id ? (db.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, id)).get() ?? null) : null);

/**
 * A case as `user` sees it: the applicant reads scores, the grade and who decided only once the
 * decision is public; the body reads everything.
 */
export function assessmentView(db: DbOrTx, user: SessionUser, assessment: Assessment) {
  const scheme = schemeOf(db, assessment);
  const who = rolesOn(db, user, assessment, scheme);
  const body = who.assessor || who.committee;
  const decided = DECIDED.includes(assessment.state);
  const entity = db.select().from(organizations).where(eq(organizations.id, assessment.entityId)).get()!;
  const history = historyOf(db, assessment.id);
  const certificate = db.select({ number: creditCertificates.number }).from(creditCertificates).where(eq(creditCertificates.assessmentId, assessment.id)).get();
  const events = db
    .select({ event: creditAssessmentEvents, actor: users.displayName })
    .from(creditAssessmentEvents)
    .leftJoin(users, eq(users.id, creditAssessmentEvents.actorId))
    .where(eq(creditAssessmentEvents.assessmentId, assessment.id))
    .orderBy(asc(creditAssessmentEvents.id))
    .all();
  const missing = EDITABLE_STATES.includes(assessment.state) ? missingForSubmission(scheme, assessment) : null;
  return {
    id: assessment.id,
    state: assessment.state,
    scheme: {
      id: scheme.id,
      name: scheme.name,
      nameZh: scheme.nameZh,
      standardNumber: scheme.standardNumber,
      standardVersion: scheme.standardVersion,
      indicators: scheme.indicators,
      bands: scheme.bands,
      commitmentText: scheme.commitmentText,
      commitmentTextZh: scheme.commitmentTextZh,
      noticeDays: scheme.noticeDays,
    },
    entity: { slug: entity.slug, name: entity.name, nameZh: entity.nameZh, creditCode: entity.creditCode },
    answers: assessment.answers,
    commitment: { signed: !!assessment.commitmentSignedAt, signedAt: assessment.commitmentSignedAt?.toISOString() ?? null, signedBy: person(db, assessment.commitmentSignedBy)?.name ?? null },
    evidence: listEvidence(db, assessment.id).map((e) => ({
      id: e.id,
      indicator: e.indicatorKey ?? '',
      name: e.originalName,
      type: e.type,
      size: e.size,
      sha256: e.sha256,
      uploadedAt: e.createdAt.toISOString(),
      url: `/api/v1/credit/assessments/${assessment.id}/evidence/${e.id}`,
    })),
    missing,
    request: assessment.requestItems ? { items: assessment.requestItems, dueDate: assessment.dueDate } : null,
    assessor: body ? person(db, assessment.assessorId) : null,
    scores: body || decided ? (assessment.scores ?? null) : null,
    score: body || decided ? assessment.score : null,
    computedGrade: body || decided ? assessment.computedGrade : null,
    grade: assessment.grade,
    adjusted: !!assessment.grade && assessment.grade !== assessment.computedGrade,
    overrideReason: assessment.overrideReason,
    decisionReason: assessment.decisionReason,
    decidedAt: assessment.decidedAt?.toISOString() ?? null,
    noticeOpensAt: assessment.noticeOpensAt?.toISOString() ?? null,
    noticeClosesAt: assessment.noticeClosesAt?.toISOString() ?? null,
    certificate: certificate?.number ?? null,
    /** The moves the viewer may make now (the lifecycle table). */
    moves: allowedTransitions(who, assessment.state, history).map((t) => t.to),
    roles: { applicant: who.applicant, assessor: who.assessor, committee: who.committee, conflicted: who.conflicted, assigned: who.assigned },
    events: events.map(({ event, actor }) => ({
      from: event.fromState,
      to: event.toState,
      at: event.at.toISOString(),
      actor: body ? (actor ?? null) : null,
      details: body ? (event.details ?? {}) : applicantDetails(event.toState, event.details),
    })),
    createdAt: assessment.createdAt.toISOString(),
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
  };
}
export type AssessmentView = ReturnType<typeof assessmentView>;

export const QUEUE_PAGE_SIZE = 20;

/** The body's queue: every case of the body's schemes the user may see as its assessor or committee member. */
export function bodyQueue(db: DbOrTx, user: SessionUser, { state, page = 1 }: { state?: AssessmentState; page?: number }) {
  const where = and(bodyCaseScope(user), state ? eq(creditAssessments.state, state) : undefined);
  const total = db.select({ n: count() }).from(creditAssessments).where(where).get()!.n;
  const items = db
    .select({
      id: creditAssessments.id,
      state: creditAssessments.state,
      entityName: organizations.name,
      entityNameZh: organizations.nameZh,
      entitySlug: organizations.slug,
      schemeName: creditSchemes.name,
      schemeNameZh: creditSchemes.nameZh,
      submittedAt: creditAssessments.submittedAt,
      dueDate: creditAssessments.dueDate,
      assessorId: creditAssessments.assessorId,
    })
    .from(creditAssessments)
    .innerJoin(organizations, eq(organizations.id, creditAssessments.entityId))
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditAssessments.schemeId))
    .where(where)
    .orderBy(asc(creditAssessments.updatedAt), asc(creditAssessments.id))
    .limit(QUEUE_PAGE_SIZE)
    .offset((page - 1) * QUEUE_PAGE_SIZE)
    .all();
  return { items, total, page, perPage: QUEUE_PAGE_SIZE };
}

/** Whether the user is an assessor or committee member of any body (the queue's door). */
export function hasAnyCreditRole(db: DbOrTx, user: SessionUser | null): boolean {
  if (!user) return false;
  return !!db.get<{ one: number }>(sql`SELECT 1 AS one FROM credit_roles WHERE user_id = ${user.id} LIMIT 1`);
}

/** A company's assessments, as far as the user may see them (newest first). */
export function entityAssessments(db: DbOrTx, user: SessionUser | null, entityId: number) {
  return db
    .select({ id: creditAssessments.id, state: creditAssessments.state, grade: creditAssessments.grade, schemeName: creditSchemes.name, schemeNameZh: creditSchemes.nameZh, createdAt: creditAssessments.createdAt })
    .from(creditAssessments)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditAssessments.schemeId))
    .where(and(eq(creditAssessments.entityId, entityId), assessmentVisibleTo(user)))
    .orderBy(desc(creditAssessments.id))
    .all();
}

/** What the apply form offers: active schemes, and the verified companies the user acts for. */
export function applyOptions(db: DbOrTx, user: SessionUser) {
  const schemes = db
    .select({ id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh, standardNumber: creditSchemes.standardNumber, bodyName: organizations.name, bodyNameZh: organizations.nameZh })
    .from(creditSchemes)
    .innerJoin(organizations, eq(organizations.id, creditSchemes.organizationId))
    .where(eq(creditSchemes.state, 'active'))
    .orderBy(asc(creditSchemes.id))
    .all();
  const companies = db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.organizationId, organizations.id))
    .where(and(eq(memberships.userId, user.id), inArray(memberships.role, ['owner', 'editor']), eq(organizations.type, 'company'), eq(organizations.status, 'verified')))
    .orderBy(asc(organizations.name))
    .all();
  return { schemes, companies };
}
