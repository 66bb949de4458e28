import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { memberships, organizations, userRoles, users } from '@db/schema';

/** A user as the API shows them to themselves: profile, platform roles and memberships. */
export function getMe(db: DbOrTx, userId: string) {
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return null;
  const roles = db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).all().map((r) => r.role);
  const orgs = db
    .select({
      organizationId: organizations.id,
      organizationSlug: organizations.slug,
      organizationName: organizations.name,
      organizationNameZh: organizations.nameZh,
      organizationType: organizations.type,
      role: memberships.role,
      votingMember: memberships.votingMember,
      status: organizations.status,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .all();
  return { id: user.id, email: user.email, displayName: user.displayName, locale: user.locale, roles, memberships: orgs };
}

export function publicUser(u: { id: string; email: string; displayName: string; locale: string; roles: string[] }) {
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: u.roles };
}

/** Whether the user proved their address (the account page offers to resend the link until then). */
export function isEmailVerified(db: DbOrTx, userId: string): boolean {
  return !!db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)).get()?.at;
}
