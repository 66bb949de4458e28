import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { memberships, organizations, users, type OrganizationStatus, type OrganizationType } from '@db/schema';

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
