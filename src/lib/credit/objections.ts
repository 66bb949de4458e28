/**
 * Objections (异议) to a grade on public notice. Anyone signed in may object while the notice is
 * open; the body's committee disposes of each with a reason, and no grade is granted while one
 * waits (grantBlocker in ./notice). The objector is told the disposition in their language, the
 * company too; the public sees counts and dispositions, never who objected.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { creditAssessments, creditObjections, creditRoles, creditSchemes, memberships, organizations } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, NotFound } from '~/lib/errors';
import { both, notify, termInBoth } from '~/lib/notifications/notify';
import { conflicted, isCommittee } from './policy';
import { noticePublic, objectionsOpen } from './notice';
import type { ObjectionDispositionInput, ObjectionInput } from './notice-schemas';

/** The company's owners and editors: they act for it, and hear what happens to it. */
export function entityActorIds(db: DbOrTx, entityId: number): string[] {
  return db
    .selectDistinct({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, entityId), inArray(memberships.role, ['owner', 'editor'])))
    .all()
    .map((r) => r.id);
}

export function committeeIds(db: DbOrTx, bodyId: number): string[] {
  return db
    .select({ id: creditRoles.userId })
    .from(creditRoles)
    .where(and(eq(creditRoles.organizationId, bodyId), eq(creditRoles.role, 'committee')))
    .all()
    .map((r) => r.id);
}

/** The assessment with its scheme's body and the company's names, if it ever had a public notice. */
function publicAssessment(db: DbOrTx, assessmentId: number) {
  const row = db
    .select({ assessment: creditAssessments, bodyId: creditSchemes.organizationId, entityName: organizations.name, entityNameZh: organizations.nameZh })
    .from(creditAssessments)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditAssessments.schemeId))
    .innerJoin(organizations, eq(organizations.id, creditAssessments.entityId))
    .where(and(eq(creditAssessments.id, assessmentId), noticePublic))
    .get();
  if (!row) throw new NotFound('No public notice has that number.');
  return row;
}

export function fileObjection(db: Db, user: SessionUser, input: ObjectionInput, now = new Date()) {
  return write(db, (tx) => {
    const { assessment, bodyId, entityName, entityNameZh } = publicAssessment(tx, input.assessment);
    if (!objectionsOpen(assessment, now)) throw new Conflict('The public notice has closed: objections are no longer taken.', 'notice_closed');
    const objection = tx.insert(creditObjections).values({ assessmentId: assessment.id, authorId: user.id, text: input.text, createdAt: now }).returning().get();
    recordAudit(tx, { actorId: user.id, action: 'credit.objection.file', subjectType: 'credit_assessment', subjectId: assessment.id, details: { objection: objection.id } });
    for (const member of committeeIds(tx, bodyId)) {
      if (member === user.id) continue;
      notify(tx, member, { kind: 'credit.objection.filed', params: { company: both(entityName, entityNameZh), grade: assessment.grade ?? '' }, url: `/credit/notices/${assessment.id}#objections`, email: true });
    }
    return objection;
  });
}

export function disposeObjection(db: Db, user: SessionUser, objectionId: number, input: ObjectionDispositionInput, now = new Date()) {
  return write(db, (tx) => {
    const objection = tx.select().from(creditObjections).where(eq(creditObjections.id, objectionId)).get();
    if (!objection) throw new NotFound('No objection has that number.');
    const { assessment, bodyId, entityName, entityNameZh } = publicAssessment(tx, objection.assessmentId);
    if (!isCommittee(tx, user, bodyId)) throw new Forbidden('Only committee members of the industry body dispose of objections.');
    if (conflicted(tx, user, assessment.entityId)) throw new Forbidden('You belong to the company or declared a conflict of interest on it: another committee member disposes of the objection.');
    if (assessment.state !== 'public_notice') throw new Conflict('The public notice is over: its objections can no longer be disposed of.', 'notice_over');
    const updated = tx
      .update(creditObjections)
      .set({ decision: input.decision, dispositionReason: input.reason, disposedBy: user.id, disposedAt: now })
      .where(eq(creditObjections.id, objection.id))
      .returning()
      .get();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.objection.dispose',
      subjectType: 'credit_assessment',
      subjectId: assessment.id,
      details: { objection: objection.id, decision: input.decision, previous: objection.decision, reason: input.reason },
    });
    const notice = {
      kind: 'credit.objection.disposed',
      params: { company: both(entityName, entityNameZh), decision: termInBoth(`credit.objection.decision.${input.decision}`) },
      note: input.reason,
      url: `/credit/notices/${assessment.id}#objections`,
      email: true,
    };
    const told = new Set([user.id]);
    for (const id of [objection.authorId, ...entityActorIds(tx, assessment.entityId)]) {
      if (!id || told.has(id)) continue;
      told.add(id);
      notify(tx, id, notice);
    }
    return updated;
  });
}

/** Every objection with its text, for the committee's disposition forms (still without authors). */
export function objectionsForCommittee(db: DbOrTx, user: SessionUser | null, assessmentId: number, bodyId: number) {
  if (!isCommittee(db, user, bodyId)) return null;
  return db
    .select({ id: creditObjections.id, text: creditObjections.text, decision: creditObjections.decision, reason: creditObjections.dispositionReason, createdAt: creditObjections.createdAt })
    .from(creditObjections)
    .where(eq(creditObjections.assessmentId, assessmentId))
    .orderBy(asc(creditObjections.id))
    .all();
}
