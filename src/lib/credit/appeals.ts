/**
 * Appeals: the company's owners and editors appeal a refusal, a suspension or a withdrawal within
 * 15 days of it, one open appeal per subject. A committee member of the body who took no part in
 * the decision appealed decides it. Upheld, a refused assessment goes back to the committee's
 * decision and a suspended or withdrawn certificate is active again. Visibility is one SQL
 * condition (`appealVisibleTo`): the company's owners and editors and the body's committee; to
 * everyone else an appeal does not exist.
 */
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { write, type Db, type DbOrTx, type Tx } from '@db/client';
import {
  creditAppeals,
  creditAssessmentEvents,
  creditAssessments,
  creditCertificateEvents,
  creditCertificates,
  creditRoles,
  creditSchemes,
  memberships,
  organizations,
  type AppealSubject,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, NotFound } from '~/lib/errors';
import { both, notify, termInBoth } from '~/lib/notifications/notify';
import { actsForEntity, conflicted, isCommittee } from './policy';
import { entityActorIds } from './objections';
import { restoreOnAppeal } from './certificates';
import type { AppealDecisionInput, AppealInput } from './notice-schemas';

export type Appeal = typeof creditAppeals.$inferSelect;

export const APPEAL_DAYS = 15;
const DAY_MS = 86_400_000;

/** The body that decides an appeal: the scheme's for a refusal, the certificate's issuer otherwise. */
const appealBodyId = sql<number>`coalesce(
  (select s.organization_id from credit_assessments a join credit_schemes s on s.id = a.scheme_id where a.id = ${creditAppeals.assessmentId}),
  (select c.organization_id from credit_certificates c where c.id = ${creditAppeals.certificateId}))`;

/** One rule for who sees an appeal: the company's owners and editors, and the body's committee. */
export function appealVisibleTo(user: Pick<SessionUser, 'id'> | null | undefined): SQL {
  if (!user) return sql`0`;
  return or(
    inArray(
      creditAppeals.entityId,
      sql`(select ${memberships.organizationId} from ${memberships} where ${memberships.userId} = ${user.id} and ${memberships.role} in ('owner','editor'))`,
    ),
    sql`exists (select 1 from ${creditRoles} where ${creditRoles.userId} = ${user.id} and ${creditRoles.role} = 'committee' and ${creditRoles.organizationId} = ${appealBodyId})`,
  )!;
}

/** What is appealed, when it happened, who decided it and which body hears the appeal. */
interface Subject {
  subject: AppealSubject;
  entityId: number;
  bodyId: number;
  at: Date | null;
  deciderId: string | null;
}

function assessmentSubject(db: DbOrTx, user: SessionUser, assessmentId: number): Subject {
  const row = db
    .select({ a: creditAssessments, bodyId: creditSchemes.organizationId })
    .from(creditAssessments)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditAssessments.schemeId))
    .where(eq(creditAssessments.id, assessmentId))
    .get();
  // an assessment is the company's business: to anyone else it does not exist
  if (!row || !actsForEntity(db, user, row.a.entityId)) throw new NotFound('No assessment has that number.');
  if (row.a.state !== 'refused') throw new Conflict('Only a refused assessment can be appealed.', 'not_appealable');
  return { subject: 'refusal', entityId: row.a.entityId, bodyId: row.bodyId, at: row.a.decidedAt ?? row.a.closedAt, deciderId: row.a.deciderId };
}

function certificateSubject(db: DbOrTx, user: SessionUser, certificateId: number): Subject {
  const c = db.select().from(creditCertificates).where(eq(creditCertificates.id, certificateId)).get();
  if (!c) throw new NotFound('No certificate has that number.');
  if (!actsForEntity(db, user, c.entityId)) throw new Forbidden('Only the company’s owners and editors may appeal.');
  if (c.state !== 'suspended' && c.state !== 'withdrawn') throw new Conflict('Only a suspended or withdrawn certificate can be appealed.', 'not_appealable');
  const kind = c.state;
  const event = db
    .select({ actorId: creditCertificateEvents.actorId })
    .from(creditCertificateEvents)
    .where(and(eq(creditCertificateEvents.certificateId, c.id), eq(creditCertificateEvents.kind, kind)))
    .orderBy(desc(creditCertificateEvents.at), desc(creditCertificateEvents.id))
    .get();
  return {
    subject: kind === 'suspended' ? 'suspension' : 'withdrawal',
    entityId: c.entityId,
    bodyId: c.organizationId,
    at: kind === 'suspended' ? c.suspendedAt : c.endedAt,
    deciderId: event?.actorId ?? null,
  };
}

export function fileAppeal(db: Db, user: SessionUser, input: AppealInput, now = new Date()): Appeal {
  return write(db, (tx) => {
    const s = input.assessment !== undefined ? assessmentSubject(tx, user, input.assessment) : certificateSubject(tx, user, input.certificate!);
    if (!s.at || now.getTime() - s.at.getTime() > APPEAL_DAYS * DAY_MS) throw new Conflict('The 15 days for an appeal have passed.', 'appeal_late');
    const open = tx
      .select({ id: creditAppeals.id })
      .from(creditAppeals)
      .where(and(eq(creditAppeals.state, 'open'), input.assessment !== undefined ? eq(creditAppeals.assessmentId, input.assessment) : eq(creditAppeals.certificateId, input.certificate!)))
      .get();
    if (open) throw new Conflict('An appeal of this decision is already open.', 'appeal_open');
    const appeal = tx
      .insert(creditAppeals)
      .values({
        subject: s.subject,
        assessmentId: input.assessment ?? null,
        certificateId: input.certificate ?? null,
        entityId: s.entityId,
        appealedDeciderId: s.deciderId,
        grounds: input.grounds,
        filedBy: user.id,
        createdAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'credit.appeal.file', subjectType: 'credit_appeal', subjectId: appeal.id, details: { subject: s.subject, assessment: appeal.assessmentId, certificate: appeal.certificateId } });
    const company = companyName(tx, s.entityId);
    for (const member of tx.select({ id: creditRoles.userId }).from(creditRoles).where(and(eq(creditRoles.organizationId, s.bodyId), eq(creditRoles.role, 'committee'))).all()) {
      if (member.id === s.deciderId || member.id === user.id) continue;
      notify(tx, member.id, { kind: 'credit.appeal.filed', params: { company, subject: termInBoth(`credit.appeal.subject.${s.subject}`) }, url: `/credit/appeals/${appeal.id}`, email: true });
    }
    return appeal;
  });
}

function companyName(db: DbOrTx, entityId: number) {
  const org = db.select({ name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, entityId)).get()!;
  return both(org.name, org.nameZh);
}

/** The appeal if `user` may see it; otherwise 404. */
export function requireVisibleAppeal(db: DbOrTx, user: SessionUser | null, id: number): Appeal {
  const appeal = db.select().from(creditAppeals).where(and(eq(creditAppeals.id, id), appealVisibleTo(user))).get();
  if (!appeal) throw new NotFound('No appeal has that number.');
  return appeal;
}

export function bodyOfAppeal(db: DbOrTx, appeal: Appeal): number {
  return db.select({ id: appealBodyId }).from(creditAppeals).where(eq(creditAppeals.id, appeal.id)).get()!.id;
}

/** Who decided what is appealed, or (for a refusal) scored the assessment it rests on. */
function tookPart(db: DbOrTx, user: SessionUser, appeal: Appeal): boolean {
  if (user.id === appeal.appealedDeciderId) return true;
  if (appeal.assessmentId === null) return false;
  return db.select({ assessorId: creditAssessments.assessorId }).from(creditAssessments).where(eq(creditAssessments.id, appeal.assessmentId)).get()?.assessorId === user.id;
}

/** Whether `user` may decide the appeal: a committee member of the body who took no part in the decision and is not of the company. */
export function mayDecideAppeal(db: DbOrTx, user: SessionUser | null, appeal: Appeal): boolean {
  return !!user && appeal.state === 'open' && isCommittee(db, user, bodyOfAppeal(db, appeal)) && !tookPart(db, user, appeal) && !conflicted(db, user, appeal.entityId);
}

export function decideAppeal(db: Db, user: SessionUser, appealId: number, input: AppealDecisionInput, now = new Date()): Appeal {
  return write(db, (tx) => {
    const appeal = requireVisibleAppeal(tx, user, appealId);
    const bodyId = bodyOfAppeal(tx, appeal);
    if (!isCommittee(tx, user, bodyId)) throw new Forbidden('Only committee members of the industry body decide appeals.');
    if (tookPart(tx, user, appeal)) throw new Forbidden('You took part in the decision appealed: another committee member decides the appeal.');
    if (conflicted(tx, user, appeal.entityId)) throw new Forbidden('You belong to the company or declared a conflict of interest on it: another committee member decides the appeal.');
    if (appeal.state !== 'open') throw new Conflict('This appeal has been decided already.', 'appeal_decided');
    if (input.decision === 'upheld') undoAppealedDecision(tx, user, appeal, input.reason, now);
    const decided = tx
      .update(creditAppeals)
      .set({ state: input.decision, deciderId: user.id, decisionReason: input.reason, decidedAt: now })
      .where(eq(creditAppeals.id, appeal.id))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'credit.appeal.decide', subjectType: 'credit_appeal', subjectId: appeal.id, details: { decision: input.decision, reason: input.reason } });
    const company = companyName(tx, appeal.entityId);
    for (const id of entityActorIds(tx, appeal.entityId)) {
      notify(tx, id, {
        kind: `credit.appeal.${input.decision}`,
        params: { company, subject: termInBoth(`credit.appeal.subject.${appeal.subject}`) },
        note: input.reason,
        url: `/credit/appeals/${appeal.id}`,
        email: true,
      });
    }
    return decided;
  });
}

/** An upheld appeal: the refused assessment returns to the committee's decision; the certificate is active again. */
function undoAppealedDecision(tx: Tx, user: SessionUser, appeal: Appeal, reason: string, now: Date) {
  const unique = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/.test(err.message);
  if (appeal.assessmentId !== null) {
    const a = tx.select().from(creditAssessments).where(eq(creditAssessments.id, appeal.assessmentId)).get()!;
    if (a.state !== 'refused') throw new Conflict('The assessment is no longer refused.', 'appeal_moot');
    try {
      tx.update(creditAssessments).set({ state: 'decision', closedAt: null, updatedAt: now }).where(eq(creditAssessments.id, a.id)).run();
    } catch (err) {
      if (unique(err)) throw new Conflict('The company has another live assessment under this scheme: the refused one cannot be reopened.', 'assessment_live');
      throw err;
    }
    tx.insert(creditAssessmentEvents).values({ assessmentId: a.id, actorId: user.id, fromState: 'refused', toState: 'decision', details: { appeal: appeal.id, reason }, at: now }).run();
    return;
  }
  const c = tx.select().from(creditCertificates).where(eq(creditCertificates.id, appeal.certificateId!)).get()!;
  const was = appeal.subject === 'suspension' ? 'suspended' : 'withdrawn';
  if (c.state !== was) throw new Conflict('The certificate’s state has changed since the appeal was filed.', 'appeal_moot');
  restoreOnAppeal(tx, c.id, user.id, reason, now);
}

/** The body's appeals (its committee's list), open ones first. */
export function appealsOfBody(db: DbOrTx, user: SessionUser) {
  const bodies = db
    .select({ id: creditRoles.organizationId })
    .from(creditRoles)
    .where(and(eq(creditRoles.userId, user.id), eq(creditRoles.role, 'committee')))
    .all()
    .map((r) => r.id);
  if (!bodies.length) return null;
  return db
    .select({ appeal: creditAppeals, companyName: organizations.name, companyNameZh: organizations.nameZh })
    .from(creditAppeals)
    .innerJoin(organizations, eq(organizations.id, creditAppeals.entityId))
    .where(sql`${appealBodyId} in (${sql.join(bodies.map((b) => sql`${b}`), sql`, `)})`)
    .orderBy(sql`${creditAppeals.state} = 'open' desc`, desc(creditAppeals.createdAt), desc(creditAppeals.id))
    .limit(200)
    .all();
}

/** An appeal as its page shows it: the company, what was appealed, and the decision. */
export function appealView(db: DbOrTx, user: SessionUser | null, appeal: Appeal) {
  const company = db.select({ name: organizations.name, nameZh: organizations.nameZh, slug: organizations.slug }).from(organizations).where(eq(organizations.id, appeal.entityId)).get()!;
  const certificate = appeal.certificateId ? db.select({ number: creditCertificates.number, grade: creditCertificates.grade, state: creditCertificates.state }).from(creditCertificates).where(eq(creditCertificates.id, appeal.certificateId)).get() : null;
  const assessment = appeal.assessmentId ? db.select({ id: creditAssessments.id, state: creditAssessments.state, grade: creditAssessments.grade }).from(creditAssessments).where(eq(creditAssessments.id, appeal.assessmentId)).get() : null;
  return { appeal, company, certificate: certificate ?? null, assessment: assessment ?? null, mayDecide: mayDecideAppeal(db, user, appeal) };
}

/** The subject an appeal form names, as the company sees it before filing (404 to anyone else). */
export function appealableSubject(db: DbOrTx, user: SessionUser, ref: { assessment?: number; certificate?: number }, now = new Date()) {
  const s = ref.assessment !== undefined ? assessmentSubject(db, user, ref.assessment) : certificateSubject(db, user, ref.certificate!);
  const deadline = s.at ? new Date(s.at.getTime() + APPEAL_DAYS * DAY_MS) : null;
  const company = db.select({ name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, s.entityId)).get()!;
  return { subject: s.subject, company, deadline, late: !deadline || now > deadline };
}

/** An appeal in the API: who filed it and who decided stay with the body. */
export function appealJson(a: Appeal) {
  return {
    id: a.id,
    subject: a.subject,
    assessment: a.assessmentId,
    certificate: a.certificateId,
    state: a.state,
    grounds: a.grounds,
    decisionReason: a.decisionReason,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}
