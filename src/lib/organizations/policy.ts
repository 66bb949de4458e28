/**
 * Who may do what to an organization. Every service and page asks these, never the tables.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { memberships, type MembershipRole } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';

export const isAdmin = (user: Pick<SessionUser, 'roles'> | null | undefined) => !!user?.roles.includes('admin');

export function membershipRole(db: DbOrTx, userId: string | undefined, organizationId: number): MembershipRole | null {
  if (!userId) return null;
  const row = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .get();
  return row?.role ?? null;
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
