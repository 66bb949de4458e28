/**
 * Who may do what with a standard. Pre-public drafts are the body's business: anyone else gets
 * 404, so their existence is not revealed. Existing-but-not-yours actions answer 403.
 *
 * Visibility is one SQL condition (`standardVisibleTo`), used by the list, the single-standard
 * load behind every page, action and API route, and (for nobody signed in) by search and feeds,
 * so none of them can disagree.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { prepared, type DbOrTx } from '@db/client';
import { memberships, standards, standardVersions } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { isAdmin, isEditor, isOwner } from '~/lib/organizations/policy';
import type { Actor } from './lifecycle';

type Standard = Pick<typeof standards.$inferSelect, 'id' | 'organizationId' | 'everPublic'>;

/**
 * The standards `user` may see: every draft that reached public comment (it stays public, even if
 * abandoned later), and, before that, the drafts of bodies the user is a member of; admins see all.
 */
export function standardVisibleTo(user: Pick<SessionUser, 'id' | 'roles'> | null): SQL {
  if (isAdmin(user)) return sql`1`;
  if (!user) return sql`${standards.everPublic} = 1`;
  return sql`(${standards.everPublic} = 1 OR EXISTS (SELECT 1 FROM ${memberships} WHERE ${memberships.organizationId} = ${standards.organizationId} AND ${memberships.userId} = ${user.id}))`;
}

export function canDraft(db: DbOrTx, user: SessionUser | null, s: Pick<Standard, 'organizationId'>) {
  return isEditor(db, user, s.organizationId);
}

export function mayAct(db: DbOrTx, user: SessionUser | null, s: Pick<Standard, 'organizationId'>, by: Actor) {
  return by === 'owner' ? isOwner(db, user, s.organizationId) : isEditor(db, user, s.organizationId);
}

/** Drafters are the authors of the standard's versions; they do not vote on their own work. */
export function drafterIds(db: DbOrTx, standardId: number): Set<string> {
  const rows = db.selectDistinct({ id: standardVersions.createdBy }).from(standardVersions).where(eq(standardVersions.standardId, standardId)).all();
  return new Set(rows.map((r) => r.id).filter((id): id is string => !!id));
}

/** The body's voting members who have not drafted this standard. */
export function eligibleVoterIds(db: DbOrTx, s: Pick<Standard, 'id' | 'organizationId'>): string[] {
  const drafters = drafterIds(db, s.id);
  return db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, s.organizationId), eq(memberships.votingMember, true)))
    .all()
    .map((r) => r.id)
    .filter((id) => !drafters.has(id));
}

/** The body's editors and owners, each once: the people who answer comments. */
export function bodyEditorIds(db: DbOrTx, organizationId: number): string[] {
  // a kept statement: every comment on a public draft notifies the body's editors
  return prepared(db, `SELECT DISTINCT user_id FROM memberships WHERE organization_id = ? AND role IN ('owner', 'editor')`).pluck().all(organizationId) as string[];
}
