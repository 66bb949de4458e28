import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { invitations, memberships, organizationChangeRequests, organizations, users, type OrganizationStatus, type OrganizationType } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { canEditOrganizationProfile, canManageOrganization, canSeeOrganization, isAdmin, isMember, membershipRole } from './policy';

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
    creditCode: org.creditCode,
    /** Why an admin did not verify it; only members and admins can see a rejected organization. */
    rejectionReason: org.status === 'rejected' ? org.rejectionReason : null,
  };
}

/** The change of name or type waiting for an admin, if any (only verified organizations have one that counts). */
export function pendingChangeOf(db: DbOrTx, organizationId: number) {
  return db
    .select()
    .from(organizationChangeRequests)
    .where(and(eq(organizationChangeRequests.organizationId, organizationId), eq(organizationChangeRequests.status, 'pending')))
    .get();
}

type ChangeRequest = typeof organizationChangeRequests.$inferSelect;

const changeView = (request: ChangeRequest) => ({ name: request.name, nameZh: request.nameZh, type: request.type, requestedAt: request.updatedAt.toISOString() });

/**
 * One organization as the API shows it to `user`: its members and admins also see a change of
 * name or type that waits for review (everyone else sees only the verified name and type).
 */
export function organizationDetail(db: DbOrTx, user: SessionUser | null, org: Organization) {
  const seesChange = org.status === 'verified' && (isAdmin(user) || isMember(db, user, org.id));
  const request = seesChange ? pendingChangeOf(db, org.id) : undefined;
  return { ...organizationView(org), pendingChange: request ? changeView(request) : null };
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
  const detail = organizationDetail(db, user, org);
  return {
    org: { ...detail, createdAt: org.createdAt, verifiedAt: org.verifiedAt },
    role,
    canEdit: canEditOrganizationProfile(db, user, org.id),
    canManage,
    /** Whether the status note and rejection reason are shown. */
    seesStatus: role !== null || isAdmin(user),
    members: role !== null || isAdmin(user) ? listMembers(db, org.id) : null,
    invitations: canManage ? listInvitations(db, org.id) : null,
  };
}

export const PENDING_PER_PAGE = 20;

/**
 * The admin verification queue: pending organizations, oldest first, one page at a time (paged in
 * SQL), with their owners. A page past the end shows the last page: verifying the last entries of
 * the last page must not leave the admin on an empty one.
 */
export function listPendingOrganizations(db: DbOrTx, { page = 1, perPage = PENDING_PER_PAGE }: { page?: number; perPage?: number } = {}) {
  const pending = eq(organizations.status, 'pending');
  const total = db.select({ n: count() }).from(organizations).where(pending).get()!.n;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(Math.max(1, page), pages);
  const rows = db
    .select()
    .from(organizations)
    .where(pending)
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(perPage)
    .offset((current - 1) * perPage)
    .all();
  const owners = rows.length
    ? db
        .select({ organizationId: memberships.organizationId, email: users.email, displayName: users.displayName })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(inArray(memberships.organizationId, rows.map((o) => o.id)), eq(memberships.role, 'owner')))
        .orderBy(asc(users.displayName))
        .all()
    : [];
  const items = rows.map((org) => ({
    ...organizationView(org),
    createdAt: org.createdAt,
    owners: owners.filter((o) => o.organizationId === org.id).map(({ email, displayName }) => ({ email, displayName })),
  }));
  return { items, total, page: current, perPage, pages };
}

/**
 * The admin queue's second half: changes of name or type that verified organizations asked for,
 * oldest first, each with what it is now and who asked.
 */
export function listPendingChanges(db: DbOrTx, { limit = 100 }: { limit?: number } = {}) {
  return db
    .select({ org: organizations, request: organizationChangeRequests, requester: { email: users.email, displayName: users.displayName } })
    .from(organizationChangeRequests)
    .innerJoin(organizations, eq(organizations.id, organizationChangeRequests.organizationId))
    .leftJoin(users, eq(users.id, organizationChangeRequests.requestedBy))
    .where(and(eq(organizationChangeRequests.status, 'pending'), eq(organizations.status, 'verified')))
    .orderBy(asc(organizationChangeRequests.updatedAt), asc(organizationChangeRequests.id))
    .limit(limit)
    .all()
    .map(({ org, request, requester }) => ({
      slug: org.slug,
      current: { name: org.name, nameZh: org.nameZh, type: org.type },
      requested: changeView(request),
      requestedBy: requester?.email ? requester : null,
    }));
}
