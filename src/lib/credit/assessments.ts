/**
 * Credit assessments: a company applies under a body's active scheme, answers every indicator and
 * signs the credit commitment; the body's assessor screens it (one request for missing items at
 * most), an assigned assessor scores it, a committee member who did not score it decides, the
 * grade goes on public notice, and a committee member grants it once nothing blocks the grant.
 * Every write is one BEGIN IMMEDIATE transaction with its event, audit entry and notifications.
 */
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx, type Tx } from '@db/client';
import {
  creditAssessmentEvents,
  creditAssessments,
  creditCertificates,
  creditSchemes,
  memberships,
  organizations,
  users,
  LIVE_ASSESSMENT_STATES,
  type AssessmentState,
  type IndicatorScore,
  type MissingItem,
  type SelfAssessment,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound, type FieldErrors } from '~/lib/errors';
import { shanghaiDay } from '~/i18n';
import { both, notify, type Notice } from '~/lib/notifications/notify';
import { usccProblem } from '~/lib/identifiers/uscc';
import { assessmentVisibleTo } from './assessment-visibility';
import type { AssessmentTransitionInput } from './assessment-schemas';
import { issueCertificate } from './certificates';
import { addDays } from './dates';
import { computeGrade } from './grade';
import { EDITABLE_STATES, NOBODY, refusalOf, type Roles } from './lifecycle';
import { grantBlocker } from './notice';
import { actsForEntity, conflicted, isAssessor, isCommittee } from './policy';

export type Assessment = typeof creditAssessments.$inferSelect;
export type Scheme = typeof creditSchemes.$inferSelect;

const SUBJECT = 'credit_assessment';
const NOT_VISIBLE = 'No assessment with that number is visible to you.';

// ---------------------------------------------------------------- reading one case

function findAssessment(db: DbOrTx, id: number) {
  return db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get();
}

/** The case if `user` may see it (the one visibility rule, `assessmentVisibleTo`, that the queue uses too). */
function findVisible(db: DbOrTx, user: SessionUser | null, id: number) {
  return db
    .select()
    .from(creditAssessments)
    .where(and(eq(creditAssessments.id, id), assessmentVisibleTo(user)))
    .get();
}

/** The case if `user` may see it, or 404, without lapsing it: for reads inside a write. */
export function visibleAssessment(db: DbOrTx, user: SessionUser | null, id: number): Assessment {
  const found = findVisible(db, user, id);
  if (!found) throw new NotFound(NOT_VISIBLE);
  return found;
}

/** The case as the user may see it, or 404. A case past its due date lapses here, on access, too. */
export function loadAssessment(db: Db, user: SessionUser | null, id: number, now = new Date()): Assessment {
  const found = findVisible(db, user, id);
  if (!found) throw new NotFound(NOT_VISIBLE);
  if (isOverdue(found, now)) {
    lapseOverdueAssessments(db, now, id);
    return findVisible(db, user, id)!;
  }
  return found;
}

export function schemeOf(db: DbOrTx, assessment: Pick<Assessment, 'schemeId'>): Scheme {
  return db.select().from(creditSchemes).where(eq(creditSchemes.id, assessment.schemeId)).get()!;
}

/** What the lifecycle needs to know about `user` on this case. */
export function rolesOn(db: DbOrTx, user: SessionUser | null, assessment: Assessment, scheme: Scheme): Roles {
  if (!user) return NOBODY;
  return {
    applicant: actsForEntity(db, user, assessment.entityId),
    assessor: isAssessor(db, user, scheme.organizationId),
    committee: isCommittee(db, user, scheme.organizationId),
    conflicted: conflicted(db, user, assessment.entityId),
    assigned: assessment.assessorId === user.id,
  };
}

/** Every state the case has been in, for moves made at most once. */
export function historyOf(db: DbOrTx, id: number): string[] {
  return db
    .select({ to: creditAssessmentEvents.toState })
    .from(creditAssessmentEvents)
    .where(eq(creditAssessmentEvents.assessmentId, id))
    .all()
    .map((e) => e.to);
}

// ---------------------------------------------------------------- applying

/** How long a company whose certificate was withdrawn waits before it may apply again under that scheme. */
export const REAPPLY_BAN_MONTHS = 12;

export function createAssessment(db: Db, user: SessionUser, input: { scheme: number; entity: string }, now = new Date()): Assessment {
  // BEGIN IMMEDIATE: the one-live check and the insert cannot interleave with another application's
  // (and the partial unique index stands behind it)
  return write(db, (tx) => {
    const scheme = tx.select().from(creditSchemes).where(eq(creditSchemes.id, input.scheme)).get();
    if (!scheme)
      throw new Invalid('Some fields are not valid.', {
        scheme: ['Choose a scheme.'],
      });
    const entity = tx.select().from(organizations).where(eq(organizations.slug, input.entity)).get();
    if (!entity || !actsForEntity(tx, user, entity.id)) throw new Forbidden('Only an owner or editor of the company applies for its credit grade.');
    if (scheme.state !== 'active') throw new Conflict('This scheme does not take applications: it is not active.', 'scheme_not_active');
    if (entity.type !== 'company' || entity.status !== 'verified') throw new Conflict('Only a verified company can be rated.', 'entity_not_eligible');
    if (!entity.creditCode || usccProblem(entity.creditCode)) {
      throw new Conflict('The company needs a valid unified social credit code before it applies.', 'credit_code_invalid');
    }
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - REAPPLY_BAN_MONTHS);
    const withdrawn = tx
      .select({ number: creditCertificates.number })
      .from(creditCertificates)
      .where(
        and(
          eq(creditCertificates.schemeId, scheme.id),
          eq(creditCertificates.entityId, entity.id),
          eq(creditCertificates.state, 'withdrawn'),
          gt(creditCertificates.endedAt, cutoff),
        ),
      )
      .get();
    if (withdrawn) {
      throw new Conflict('A certificate of this company under this scheme was withdrawn less than 12 months ago: it cannot apply again yet.', 'recently_withdrawn');
    }
    if (liveAssessment(tx, scheme.id, entity.id)) throw alreadyLive();
    const created = tx
      .insert(creditAssessments)
      .values({
        schemeId: scheme.id,
        entityId: entity.id,
        state: 'draft',
        answers: {},
        createdBy: user.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    tx.insert(creditAssessmentEvents)
      .values({
        assessmentId: created.id,
        actorId: user.id,
        fromState: null,
        toState: 'draft',
        at: now,
      })
      .run();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.assessment.created',
      subjectType: SUBJECT,
      subjectId: created.id,
      details: { scheme: scheme.id, entity: entity.slug },
    });
    return created;
  });
}

const alreadyLive = () => new Conflict('This company already has an application in progress under this scheme.', 'already_live');

function liveAssessment(db: DbOrTx, schemeId: number, entityId: number) {
  return db
    .select({ id: creditAssessments.id })
    .from(creditAssessments)
    .where(
      and(
        eq(creditAssessments.schemeId, schemeId),
        eq(creditAssessments.entityId, entityId),
        inArray(creditAssessments.state, [...LIVE_ASSESSMENT_STATES]),
      ),
    )
    .get();
}

// ---------------------------------------------------------------- answers and commitment

function requireEditable(who: Roles, assessment: Assessment) {
  if (!who.applicant) throw new Forbidden('Only an owner or editor of the company changes the answers.');
  if (!EDITABLE_STATES.includes(assessment.state)) throw new Conflict('The answers were frozen when the application was submitted.', 'answers_frozen');
}

/**
 * What is wrong with answers or scores given the scheme's indicators. Field errors are keyed as the
 * input's own paths (`answers.i1.points`, `scores.i2.rationale`), as the schema's are.
 */
export function indicatorErrors(scheme: Scheme, prefix: 'answers' | 'scores', given: Record<string, { points: number }>): FieldErrors {
  const fields: FieldErrors = {};
  for (const [key, value] of Object.entries(given)) {
    const indicator = scheme.indicators.find((i) => i.key === key);
    if (!indicator) fields[`${prefix}.${key}`] = ['This scheme has no such indicator.'];
    else if (value.points > indicator.maxPoints) fields[`${prefix}.${key}.points`] = [`Enter a number no greater than ${indicator.maxPoints}.`];
  }
  return fields;
}

/** Merges self-assessments into a draft (or an application marked incomplete) and signs or unsigns the commitment. */
export function saveAnswers(db: Db, user: SessionUser, id: number, input: { answers?: Record<string, SelfAssessment>; commitment?: boolean }, now = new Date()) {
  loadAssessment(db, user, id, now);
  return write(db, (tx) => {
    // read inside the write: another editor's save a moment ago is merged, not lost
    const assessment = findVisible(tx, user, id);
    if (!assessment) throw new NotFound(NOT_VISIBLE);
    const scheme = schemeOf(tx, assessment);
    requireEditable(rolesOn(tx, user, assessment, scheme), assessment);
    const fields = indicatorErrors(scheme, 'answers', input.answers ?? {});
    if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
    const answers = { ...assessment.answers, ...(input.answers ?? {}) };
    const signature =
      input.commitment === undefined ? {} : input.commitment ? { commitmentSignedBy: user.id, commitmentSignedAt: now } : { commitmentSignedBy: null, commitmentSignedAt: null };
    tx.update(creditAssessments)
      .set({ answers, ...signature, updatedAt: now })
      .where(eq(creditAssessments.id, id))
      .run();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.assessment.answers_saved',
      subjectType: SUBJECT,
      subjectId: id,
      details: {
        indicators: Object.keys(input.answers ?? {}),
        commitment: input.commitment ?? null,
      },
    });
    return findAssessment(tx, id)!;
  });
}

/** What still stops a submission: indicators without an answer, and the unsigned commitment. */
export function missingForSubmission(scheme: Scheme, assessment: Assessment): { indicators: string[]; commitment: boolean } {
  return {
    indicators: scheme.indicators.filter((i) => !assessment.answers[i.key]?.statement).map((i) => i.key),
    commitment: !assessment.commitmentSignedAt,
  };
}

function requireComplete(scheme: Scheme, assessment: Assessment) {
  const missing = missingForSubmission(scheme, assessment);
  if (missing.indicators.length) {
    throw new Conflict(`Answer every indicator first: ${missing.indicators.join(', ')}.`, 'incomplete_answers', { indicators: missing.indicators });
  }
  if (missing.commitment) throw new Conflict('Sign the credit commitment first.', 'commitment_unsigned', { commitment: ['Sign the credit commitment first.'] });
}

// ---------------------------------------------------------------- moves

/**
 * Moves a case to `input.to` if the lifecycle (`refusalOf`) lets the actor. Refusals are 409 with
 * the reason and a code; a case the actor may not see is 404; missing or wrong input is 400.
 */
export function transitionAssessment(db: Db, user: SessionUser, id: number, input: AssessmentTransitionInput, now = new Date()) {
  loadAssessment(db, user, id, now);
  return write(db, (tx) => {
    // checked again inside the transaction: another assessor may have just moved the case
    const assessment = findVisible(tx, user, id);
    if (!assessment) throw new NotFound(NOT_VISIBLE);
    const scheme = schemeOf(tx, assessment);
    const refusal = refusalOf(rolesOn(tx, user, assessment, scheme), assessment.state, input.to, historyOf(tx, id));
    if (refusal) throw new Conflict(refusal.message, refusal.code);
    const certificate = makeMove(tx, user, assessment, scheme, input, now);
    const after = findAssessment(tx, id)!;
    return { id, state: after.state, certificate: certificate ?? null };
  });
}

/** What each move does once the lifecycle allowed it; returns the certificate number of a grant. */
function makeMove(tx: Tx, user: SessionUser, assessment: Assessment, scheme: Scheme, input: AssessmentTransitionInput, now: Date): string | undefined {
  const { id } = assessment;
  const set = (values: Partial<typeof creditAssessments.$inferInsert>) => tx.update(creditAssessments).set(values).where(eq(creditAssessments.id, id)).run();
  switch (input.to) {
    case 'submitted':
      requireComplete(scheme, assessment);
      set({ submittedAt: now });
      move(tx, assessment, 'submitted', user.id, {}, now);
      return;

    case 'screening':
      if (assessment.state === 'incomplete') requireComplete(scheme, assessment);
      move(tx, assessment, 'screening', user.id, assessment.state === 'incomplete' ? { resubmitted: true } : {}, now);
      return;

    case 'incomplete': {
      const { items, dueDate } = missingItems(input, scheme, now);
      set({ requestItems: items, dueDate });
      move(tx, assessment, 'incomplete', user.id, { items, dueDate }, now);
      notifyApplicant(tx, assessment, 'incomplete', { due: new Date(`${dueDate}T12:00:00+08:00`) }, items.map((i) => `• ${i.text}`).join('\n'));
      return;
    }

    case 'scoring': {
      const assessorId = input.assessor ? assessorByEmail(tx, scheme, input.assessor) : user.id;
      // `conflicted` reads only the person's id
      if (conflicted(tx, { id: assessorId } as SessionUser, assessment.entityId)) {
        throw new Conflict('That assessor belongs to the company or declared a conflict of interest on it, so cannot take the case.', 'conflict_of_interest');
      }
      set({ assessorId });
      move(tx, assessment, 'scoring', user.id, { assessor: input.assessor ?? user.email }, now);
      if (assessorId !== user.id) notify(tx, assessorId, noticeOf(tx, 'assigned', assessment, {}));
      return;
    }

    case 'decision': {
      const scores = checkScores(scheme, input.scores ?? {});
      const computed = computeGrade(scheme.indicators, scheme.bands, scores);
      if (!computed.ok)
        throw new Invalid('Some fields are not valid.', {
          [`scores.${computed.indicator}.points`]: ['Score this indicator.'],
        });
      set({
        scores,
        score: computed.value.score,
        computedGrade: computed.value.grade,
      });
      move(tx, assessment, 'decision', user.id, { score: computed.value.score, grade: computed.value.grade }, now);
      return;
    }

    case 'public_notice': {
      const grade = input.grade ?? assessment.computedGrade!;
      const fields: FieldErrors = {};
      if (!scheme.bands.some((b) => b.grade === grade)) fields.grade = ['Choose one of the scheme’s grades.'];
      const adjusted = grade !== assessment.computedGrade;
      if (adjusted && !input.reason?.trim()) fields.reason = ['Give the reason for adjusting the computed grade.'];
      if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
      const closes = new Date(now.getTime() + scheme.noticeDays * 86_400_000);
      set({
        grade,
        overrideReason: adjusted ? input.reason!.trim() : null,
        deciderId: user.id,
        decidedAt: now,
        noticeOpensAt: now,
        noticeClosesAt: closes,
      });
      move(
        tx,
        assessment,
        'public_notice',
        user.id,
        {
          grade,
          computedGrade: assessment.computedGrade,
          adjusted,
          reason: adjusted ? input.reason!.trim() : null,
        },
        now,
      );
      notifyApplicant(tx, assessment, 'public_notice', { grade, closes }, adjusted ? input.reason!.trim() : null);
      return;
    }

    case 'refused': {
      const reason = input.reason?.trim();
      if (!reason)
        throw new Invalid('Some fields are not valid.', {
          reason: ['Give the reasons for the refusal.'],
        });
      set({
        deciderId: user.id,
        decisionReason: reason,
        decidedAt: now,
        closedAt: now,
      });
      move(tx, assessment, 'refused', user.id, { reason }, now);
      notifyApplicant(tx, assessment, 'refused', {}, reason);
      return;
    }

    case 'granted': {
      const blocker = grantBlocker(tx, assessment, now);
      if (blocker) throw new Conflict(blocker, 'grant_blocked');
      const certificate = issueCertificate(tx, assessment, scheme, now, user.id);
      set({ closedAt: now });
      move(tx, assessment, 'granted', user.id, { certificate: certificate.number }, now);
      notifyApplicant(tx, assessment, 'granted', {
        grade: certificate.grade,
        number: certificate.number,
      });
      return certificate.number;
    }

    case 'withdrawn':
      set({ closedAt: now });
      move(tx, assessment, 'withdrawn', user.id, { reason: input.reason?.trim() || null }, now);
      return;

    default:
      throw new Error(`The lifecycle allows a move to ${input.to} that nothing makes.`);
  }
}

/** The one request for missing items: every item once, one due date after today and within 90 days. */
function missingItems(input: AssessmentTransitionInput, scheme: Scheme, now: Date): { items: MissingItem[]; dueDate: string } {
  const fields: FieldErrors = {};
  const items: MissingItem[] = [];
  const seen = new Set<string>();
  for (const raw of input.items ?? []) {
    const given = typeof raw === 'string' ? { text: raw } : raw;
    const text = given.text.trim();
    const key = given.key && scheme.indicators.some((i) => i.key === given.key) ? given.key : 'other';
    if (seen.has(text.toLowerCase())) {
      fields.items = ['List each missing item once.'];
      continue;
    }
    seen.add(text.toLowerCase());
    items.push({ key, text });
  }
  if (!items.length) fields.items = ['List every missing item.'];
  const today = shanghaiDay(now);
  if (!input.dueDate) fields.dueDate = ['Give one due date for all items.'];
  else if (input.dueDate <= today) fields.dueDate = ['The due date must be after today.'];
  else if (input.dueDate > addDays(today, 90)) fields.dueDate = ['Give at most 90 days.'];
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
  return { items, dueDate: input.dueDate! };
}

function checkScores(scheme: Scheme, given: Record<string, IndicatorScore>): Record<string, IndicatorScore> {
  const fields = indicatorErrors(scheme, 'scores', given);
  for (const indicator of scheme.indicators) {
    const score = given[indicator.key];
    if (!score) fields[`scores.${indicator.key}.points`] = ['Score this indicator.'];
    else if (!score.rationale?.trim()) fields[`scores.${indicator.key}.rationale`] = ['Give the rationale for this score.'];
  }
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
  return Object.fromEntries(
    scheme.indicators.map((i) => [
      i.key,
      {
        points: given[i.key]!.points,
        rationale: given[i.key]!.rationale.trim(),
      },
    ]),
  );
}

function assessorByEmail(tx: Tx, scheme: Scheme, email: string): string {
  const row = tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .get();
  if (!row || !isAssessor(tx, row, scheme.organizationId)) {
    throw new Invalid('Some fields are not valid.', {
      assessor: ['That email does not belong to an assessor of this body.'],
    });
  }
  return row.id;
}

// ---------------------------------------------------------------- lapsing

const isOverdue = (a: Assessment, now: Date) => a.state === 'incomplete' && !!a.dueDate && a.dueDate < shanghaiDay(now);

/**
 * Lapses every application marked incomplete whose due date (a Shanghai day) has passed at `now`,
 * or only `onlyId`. For the scheduled check; cases are also lapsed on access. Returns how many lapsed.
 */
export function lapseOverdueAssessments(db: Db, now = new Date(), onlyId?: number): number {
  return write(db, (tx) => {
    const due = tx
      .select()
      .from(creditAssessments)
      .where(and(eq(creditAssessments.state, 'incomplete'), lt(creditAssessments.dueDate, shanghaiDay(now)), onlyId ? eq(creditAssessments.id, onlyId) : undefined))
      .all();
    for (const assessment of due) {
      tx.update(creditAssessments).set({ closedAt: now }).where(eq(creditAssessments.id, assessment.id)).run();
      move(tx, assessment, 'lapsed', null, { dueDate: assessment.dueDate }, now);
      notifyApplicant(tx, assessment, 'lapsed', {});
    }
    return due.length;
  });
}

// ---------------------------------------------------------------- recording

/** Records the state change: row, event, audit entry. */
function move(tx: Tx, assessment: Assessment, to: AssessmentState, actorId: string | null, details: Record<string, unknown>, now: Date) {
  tx.update(creditAssessments).set({ state: to, updatedAt: now }).where(eq(creditAssessments.id, assessment.id)).run();
  tx.insert(creditAssessmentEvents)
    .values({
      assessmentId: assessment.id,
      actorId,
      fromState: assessment.state,
      toState: to,
      details,
      at: now,
    })
    .run();
  recordAudit(tx, {
    actorId,
    action: `credit.assessment.${to}`,
    subjectType: SUBJECT,
    subjectId: assessment.id,
    details: { from: assessment.state, to, ...details },
  });
}

type NoticeKind = 'incomplete' | 'public_notice' | 'refused' | 'granted' | 'lapsed' | 'assigned';

function noticeOf(tx: DbOrTx, kind: NoticeKind, assessment: Assessment, params: Notice['params'], note?: string | null): Notice {
  const entity = tx.select({ name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, assessment.entityId)).get()!;
  return {
    kind: `credit.assessment.${kind}`,
    params: {
      company: both(entity.name, entity.nameZh),
      ref: `#${assessment.id}`,
      ...params,
    },
    note: note ?? null,
    url: `/credit/assessments/${assessment.id}`,
    email: true,
  };
}

/** Tells the company's owners and editors, each in their own language. */
function notifyApplicant(tx: Tx, assessment: Assessment, kind: NoticeKind, params: Notice['params'], note?: string | null) {
  const notice = noticeOf(tx, kind, assessment, params, note);
  const people = tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, assessment.entityId), inArray(memberships.role, ['owner', 'editor'])))
    .orderBy(asc(memberships.userId))
    .all();
  for (const p of people) notify(tx, p.userId, notice);
}
