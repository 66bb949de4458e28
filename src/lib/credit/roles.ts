/**
 * Credit roles and conflicts of interest. A body's owner names members of the body as assessors
 * and committee members (a person may be both) and removes them; an assessor or committee member
 * declares a conflict of interest on a company, with a reason, and then takes no case of it
 * (`conflicted` in policy.ts). The owner sees the conflicts its people declared.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { creditConflicts, creditRoles, memberships, organizations, users, type CreditRole } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Forbidden, Invalid, NotFound } from '~/lib/errors';
import { isMember, isOwner } from '~/lib/organizations/policy';
import { getOrganizationBySlug } from '~/lib/organizations/service';

type Organization = typeof organizations.$inferSelect;

/** The industry body by slug, if `user` owns it: 404 to outsiders, 403 to its other members. */
export function requireRoleOwner(db: DbOrTx, user: SessionUser | null, slug: string): Organization {
  const body = getOrganizationBySlug(db, slug);
  if (!body || body.type !== 'industry_body' || !isMember(db, user, body.id)) throw new NotFound('No organization has that address.');
  if (!isOwner(db, user, body.id)) throw new Forbidden('Only the industry body’s owner names assessors and committee members.');
  return body;
}

const NOT_MEMBER = 'Only members of the industry body can be named; invite them to the body first.';

/** Names a member of the body as assessor or committee member; naming someone twice changes nothing. */
export function grantCreditRole(db: Db, user: SessionUser, bodySlug: string, input: { email: string; role: CreditRole }) {
  return write(db, (tx) => {
    const body = requireRoleOwner(tx, user, bodySlug);
    const person = tx.select({ id: users.id, displayName: users.displayName }).from(users).where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`).get();
    const member = person && tx.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.organizationId, body.id), eq(memberships.userId, person.id))).get();
    if (!person || !member) throw new Invalid(NOT_MEMBER, { email: [NOT_MEMBER] });
    const added = tx.insert(creditRoles).values({ organizationId: body.id, userId: person.id, role: input.role }).onConflictDoNothing().returning().all();
    if (added.length) recordAudit(tx, { actorId: user.id, action: 'credit.role.grant', subjectType: 'organization', subjectId: body.id, details: { userId: person.id, role: input.role } });
    return { userId: person.id, role: input.role, added: added.length > 0 };
  });
}

/** Removes a role; open cases keep the person who took them (the case's history says who acted). */
export function revokeCreditRole(db: Db, user: SessionUser, bodySlug: string, input: { userId: string; role: CreditRole }) {
  return write(db, (tx) => {
    const body = requireRoleOwner(tx, user, bodySlug);
    const removed = tx
      .delete(creditRoles)
      .where(and(eq(creditRoles.organizationId, body.id), eq(creditRoles.userId, input.userId), eq(creditRoles.role, input.role)))
      .returning()
      .all();
    if (!removed.length) throw new NotFound('That person does not hold that role.');
    recordAudit(tx, { actorId: user.id, action: 'credit.role.revoke', subjectType: 'organization', subjectId: body.id, details: { userId: input.userId, role: input.role } });
    return { userId: input.userId, role: input.role };
  });
}

/** Whether `user` holds a credit role in any body: only they declare conflicts. */
export function holdsAnyCreditRole(db: DbOrTx, user: SessionUser | null): boolean {
  if (!user) return false;
  return !!db.select({ userId: creditRoles.userId }).from(creditRoles).where(eq(creditRoles.userId, user.id)).get();
}

/** An assessor or committee member declares a conflict of interest on a company; a second declaration replaces the reason. */
export function declareConflict(db: Db, user: SessionUser, input: { entitySlug: string; reason: string }, now = new Date()) {
  return write(db, (tx) => {
    if (!holdsAnyCreditRole(tx, user)) throw new Forbidden('Only assessors and committee members declare conflicts of interest.');
    const entity = getOrganizationBySlug(tx, input.entitySlug);
    if (!entity || entity.status !== 'verified' || entity.type !== 'company') {
      throw new Invalid('Choose a verified company.', { entitySlug: ['Choose a verified company.'] });
    }
    const row = tx
      .insert(creditConflicts)
      .values({ userId: user.id, entityId: entity.id, reason: input.reason, createdAt: now })
      .onConflictDoUpdate({ target: [creditConflicts.userId, creditConflicts.entityId], set: { reason: input.reason } })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'credit.conflict.declare', subjectType: 'organization', subjectId: entity.id, details: { reason: input.reason } });
    return { entity: { slug: entity.slug, name: entity.name, nameZh: entity.nameZh }, reason: row.reason, createdAt: row.createdAt.toISOString() };
  });
}

// ---- reads ----

/** The body's members with their credit roles, and the conflicts those named declared (for the owner). */
export function creditRoster(db: DbOrTx, body: Organization) {
  const members = db
    .select({ userId: users.id, displayName: users.displayName, email: users.email, membership: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, body.id))
    .orderBy(asc(users.displayName))
    .all();
  const roles = db.select().from(creditRoles).where(eq(creditRoles.organizationId, body.id)).all();
  const named = [...new Set(roles.map((r) => r.userId))];
  const conflicts = named.length
    ? db
        .select({ userId: creditConflicts.userId, reason: creditConflicts.reason, createdAt: creditConflicts.createdAt, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
        .from(creditConflicts)
        .innerJoin(organizations, eq(organizations.id, creditConflicts.entityId))
        .where(inArray(creditConflicts.userId, named))
        .orderBy(asc(creditConflicts.createdAt))
        .all()
    : [];
  const nameOf = new Map(members.map((m) => [m.userId, m.displayName]));
  return {
    members: members.map((m) => ({ ...m, roles: roles.filter((r) => r.userId === m.userId).map((r) => r.role) })),
    conflicts: conflicts.map((c) => ({ ...c, person: nameOf.get(c.userId) ?? '', createdAt: c.createdAt.toISOString() })),
  };
}

/** The conflicts `user` declared, for their own page. */
export function conflictsOf(db: DbOrTx, user: SessionUser) {
  return db
    .select({ reason: creditConflicts.reason, createdAt: creditConflicts.createdAt, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(creditConflicts)
    .innerJoin(organizations, eq(organizations.id, creditConflicts.entityId))
    .where(eq(creditConflicts.userId, user.id))
    .orderBy(asc(creditConflicts.createdAt))
    .all();
}

/** Verified companies, for the conflict form's choice. */
export function verifiedCompanies(db: DbOrTx) {
  return db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .where(and(eq(organizations.type, 'company'), eq(organizations.status, 'verified')))
    .orderBy(asc(organizations.name))
    .all();
}
