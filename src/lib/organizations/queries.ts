import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { invitations, memberships, organizations, users, type OrganizationStatus, type OrganizationType } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { canEditOrganizationProfile, canManageOrganization, canSeeOrganization, isAdmin, membershipRole } from './policy';

type Organization = typeof organizations.$inferSelect;

/** What the API and pages show of an organization. */
export function organizationView(org: Organization) {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    nameZh: org.nameZh,
    type: org.type,
    status: org.status,
    descriptionMd: org.descriptionMd,
    website: org.website,
    rorId: org.rorId,
    code: org.code,
    /** Why an admin did not verify it; only members and admins can see a rejected organization. */
    rejectionReason: org.status === 'rejected' ? org.rejectionReason : null,
  };
}

/** Public directory: verified organizations only, unless `statuses` says otherwise (admins). */
export function listOrganizations(
  db: DbOrTx,
  { type, page = 1, perPage = 20, statuses = ['verified'] }: { type?: OrganizationType; page?: number; perPage?: number; statuses?: OrganizationStatus[] },
) {
  const where: SQL[] = [inArray(organizations.status, statuses)];
  if (type) where.push(eq(organizations.type, type));
  const rows = db
    .select()
    .from(organizations)
    .where(and(...where))
    .orderBy(asc(organizations.name))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  const total = db.select({ n: count() }).from(organizations).where(and(...where)).get()!.n;
  return { items: rows.map(organizationView), total, page, perPage };
}

export function listMembers(db: DbOrTx, organizationId: number) {
  return db
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: memberships.role, votingMember: memberships.votingMember })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.displayName))
    .all();
}

export function listInvitations(db: DbOrTx, organizationId: number) {
  return db
    .select({ email: invitations.email, role: invitations.role, votingMember: invitations.votingMember, createdAt: invitations.createdAt })
    .from(invitations)
    .where(eq(invitations.organizationId, organizationId))
    .orderBy(asc(invitations.email))
    .all();
}

/**
 * Everything an organization's pages show to `user`, or null when they may not see it (pending
 * and rejected organizations exist only for their members and admins). Members see the member
 * list; owners and admins also see pending invitations.
 */
export function organizationPage(db: DbOrTx, user: SessionUser | null, slug: string) {
  const org = db.select().from(organizations).where(eq(organizations.slug, slug)).get();
  if (!org || !canSeeOrganization(db, user, org)) return null;
  const role = membershipRole(db, user?.id, org.id);
  const canManage = canManageOrganization(db, user, org.id);
  return {
    org: { ...organizationView(org), createdAt: org.createdAt, verifiedAt: org.verifiedAt },
    role,
    canEdit: canEditOrganizationProfile(db, user, org.id),
    canManage,
    /** Whether the status note and rejection reason are shown. */
    seesStatus: role !== null || isAdmin(user),
    members: role !== null || isAdmin(user) ? listMembers(db, org.id) : null,
    invitations: canManage ? listInvitations(db, org.id) : null,
  };
}

/** The admin verification queue: pending organizations, oldest first, with their owners. */
export function listPendingOrganizations(db: DbOrTx) {
  const rows = db.select().from(organizations).where(eq(organizations.status, 'pending')).orderBy(asc(organizations.createdAt), asc(organizations.id)).all();
  return rows.map((org) => ({
    ...organizationView(org),
    createdAt: org.createdAt,
    owners: db
      .select({ email: users.email, displayName: users.displayName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, org.id), eq(memberships.role, 'owner')))
      .all(),
  }));
}
