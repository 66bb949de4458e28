/**
 * Who may act in credit certification. Every service and page asks these, never the tables.
 * A body's owner names its assessors and committee members; a company's owners and editors act
 * for it as the rated entity.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditConflicts, creditRoles, type CreditRole } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { isEditor, isMember } from '~/lib/organizations/policy';

type Who = Pick<SessionUser, 'id'> | null | undefined;

export function hasCreditRole(db: DbOrTx, user: Who, bodyId: number, role: CreditRole): boolean {
  if (!user) return false;
  return !!db
    .select({ userId: creditRoles.userId })
    .from(creditRoles)
    .where(and(eq(creditRoles.organizationId, bodyId), eq(creditRoles.userId, user.id), eq(creditRoles.role, role)))
    .get();
}

export const isAssessor = (db: DbOrTx, user: Who, bodyId: number) => hasCreditRole(db, user, bodyId, 'assessor');
export const isCommittee = (db: DbOrTx, user: Who, bodyId: number) => hasCreditRole(db, user, bodyId, 'committee');

/** The company's owners and editors act for it: apply, answer, upload, appeal, answer complaints. */
export const actsForEntity = (db: DbOrTx, user: SessionUser | null, entityId: number) => isEditor(db, user, entityId);

/**
 * Whether a person may not take a case of this company: they belong to it, or declared a conflict
 * of interest on it.
 */
export function conflicted(db: DbOrTx, user: SessionUser, entityId: number): boolean {
  if (isMember(db, user, entityId)) return true;
  return !!db
    .select({ userId: creditConflicts.userId })
    .from(creditConflicts)
    .where(and(eq(creditConflicts.userId, user.id), eq(creditConflicts.entityId, entityId)))
    .get();
}
