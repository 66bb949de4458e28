/**
 * Who may do what to an organization. Every service and page asks these, never the tables.
 */
import { sql } from 'drizzle-orm';
import { prepared, type DbOrTx } from '@db/client';
import type { MembershipRole } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';

export const isAdmin = (user: Pick<SessionUser, 'roles'> | null | undefined) => !!user?.roles.includes('admin');

export function membershipRole(db: DbOrTx, userId: string | undefined, organizationId: number): MembershipRole | null {
  if (!userId) return null;
  // a kept statement: every write asks it, often several times
  const role = prepared(db, `SELECT role FROM memberships WHERE organization_id = ? AND user_id = ?`).pluck().get(organizationId, userId) as MembershipRole | undefined;
  return role ?? null;
}

/**
 * For a kept query (db/client.ts `keptQuery`) with a visibility condition such as
 * `courseVisibleTo(viewer)`: `key` names the SQL the condition builds for `user` (nobody, or
 * signed in with these roles), and `viewer` stands for the user with the placeholder `viewer` as
 * id, to be given on each use as `{ viewer: user?.id }`.
 */
export function keptViewer(user: Pick<SessionUser, 'id' | 'roles'> | null): { key: string; viewer: Pick<SessionUser, 'id' | 'roles'> | null } {
  if (!user) return { key: 'nobody', viewer: null };
  return { key: `signed in as ${[...user.roles].sort().join(' ')}`, viewer: { id: sql.placeholder('viewer') as unknown as string, roles: user.roles } };
}

/** Members of any role. */
export function isMember(db: DbOrTx, user: SessionUser | null, organizationId: number) {
  return membershipRole(db, user?.id, organizationId) !== null;
}

/** Owners and editors edit the organization's content (courses, projects, drafts). */
export function isEditor(db: DbOrTx, user: SessionUser | null, organizationId: number) {
  const role = membershipRole(db, user?.id, organizationId);
  return role === 'owner' || role === 'editor';
}

export function isOwner(db: DbOrTx, user: SessionUser | null, organizationId: number) {
  return membershipRole(db, user?.id, organizationId) === 'owner';
}

/** The profile and the member list: owners, and admins. */
export function canManageOrganization(db: DbOrTx, user: SessionUser | null, organizationId: number) {
  return isAdmin(user) || isOwner(db, user, organizationId);
}

export function canEditOrganizationProfile(db: DbOrTx, user: SessionUser | null, organizationId: number) {
  return isAdmin(user) || isEditor(db, user, organizationId);
}

/** Pending and rejected organizations are seen by their members and admins only. */
export function canSeeOrganization(db: DbOrTx, user: SessionUser | null, org: { id: number; status: string }) {
  return org.status === 'verified' || isAdmin(user) || isMember(db, user, org.id);
}

export const PROVIDING_TYPES = ['university', 'training_agency', 'company', 'ngo', 'research_facility', 'industry_body'] as const;
