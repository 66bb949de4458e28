/**
 * Who may see a complaint, as one SQL condition (`complaintVisibleTo`) used by the single-record
 * load behind every door (API, pages, actions, evidence) and by every list, so they cannot
 * disagree: the complainant, the company's owners and editors, and the committee of the body whose
 * scheme the complaint was filed under (unless they belong to the company or declared a conflict of
 * interest on it). Everybody else gets 404, as if it did not exist. The
 * company sees what is complained about, never who complains (`complaintView` leaves it out).
 */
import { eq, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditComplaints as c, creditConflicts, creditRoles, creditSchemes, memberships } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import type { Plays } from './complaint-lifecycle';
import { actsForEntity, conflicted, isCommittee } from './policy';

type Who = Pick<SessionUser, 'id'> | null | undefined;

/** Companies the user acts for (owner or editor). */
export const actsFor = (userId: string) =>
  sql`(SELECT ${memberships.organizationId} FROM ${memberships} WHERE ${memberships.userId} = ${userId} AND ${memberships.role} IN ('owner','editor'))`;

/** Schemes of the bodies the user sits on the committee of. */
export const committeeSchemes = (userId: string) =>
  sql`(SELECT ${creditSchemes.id} FROM ${creditSchemes} JOIN ${creditRoles} ON ${creditRoles.organizationId} = ${creditSchemes.organizationId}
       WHERE ${creditRoles.userId} = ${userId} AND ${creditRoles.role} = 'committee')`;

/** Companies a committee member may not handle: they belong to it, or declared a conflict of interest on it. */
const conflictedWith = (userId: string) =>
  sql`(SELECT ${memberships.organizationId} FROM ${memberships} WHERE ${memberships.userId} = ${userId}
       UNION SELECT ${creditConflicts.entityId} FROM ${creditConflicts} WHERE ${creditConflicts.userId} = ${userId})`;

export function complaintVisibleTo(user: Who): SQL {
  if (!user) return sql`0`;
  return or(
    eq(c.complainantId, user.id),
    sql`${c.entityId} IN ${actsFor(user.id)}`,
    sql`(${c.schemeId} IN ${committeeSchemes(user.id)} AND ${c.entityId} NOT IN ${conflictedWith(user.id)})`,
  )!;
}

/** The parts the user plays in a complaint they can see (a complainant never acts for the company: filing refuses it). */
export function playsIn(db: DbOrTx, user: SessionUser, complaint: { complainantId: string | null; entityId: number; bodyId: number }): Plays {
  const complainant = complaint.complainantId === user.id;
  return {
    complainant,
    entity: !complainant && actsForEntity(db, user, complaint.entityId),
    // a committee member who complained, or who belongs to the company, does not close the case
    committee: !complainant && isCommittee(db, user, complaint.bodyId) && !conflicted(db, user, complaint.entityId),
  };
}
