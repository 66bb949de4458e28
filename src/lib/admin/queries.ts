/**
 * Admin reads: the overview, the user list, the audit log and the email outbox. Each asks
 * `requireAdmin` first, so no page or action can forget to.
 */
import { and, count, desc, eq, inArray, like, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '@db/client';
import { auditLog, emailOutbox, organizationChangeRequests, organizations, userRoles, users, type EmailState, type PlatformRole } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { requireAdmin } from './policy';

export const USERS_PER_PAGE = 50;
export const AUDIT_PER_PAGE = 50;
export const OUTBOX_PER_PAGE = 20;

/** `like` with the user's text taken literally (no `%` or `_` wildcards from input). */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (column: AnyColumn, text: string) =>
  sql`lower(${column}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '\\'`;

export function adminOverview(db: DbOrTx, actor: SessionUser | null) {
  requireAdmin(actor);
  const n = (q: { n: number } | undefined) => q?.n ?? 0;
  return {
    users: n(db.select({ n: count() }).from(users).get()),
    pendingOrganizations: n(db.select({ n: count() }).from(organizations).where(eq(organizations.status, 'pending')).get()),
    pendingOrganizationChanges: n(
      db
        .select({ n: count() })
        .from(organizationChangeRequests)
        .innerJoin(organizations, eq(organizations.id, organizationChangeRequests.organizationId))
        .where(and(eq(organizationChangeRequests.status, 'pending'), eq(organizations.status, 'verified')))
        .get(),
    ),
    unsentEmails: n(db.select({ n: count() }).from(emailOutbox).where(inArray(emailOutbox.state, ['queued', 'sending'])).get()),
    deadEmails: n(db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.state, 'dead')).get()),
    auditEntries: n(db.select({ n: count() }).from(auditLog).get()),
  };
}

export interface AdminUserRow {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  roles: PlatformRole[];
}

/** Users whose email contains `email` (all users when empty), newest first, with their roles. */
export function searchUsers(db: DbOrTx, actor: SessionUser | null, filter: { email?: string; page?: number } = {}) {
  requireAdmin(actor);
  const page = Math.max(1, filter.page ?? 1);
  const where = filter.email?.trim() ? contains(users.email, filter.email.trim()) : undefined;
  const rows = db
    .select({ id: users.id, email: users.email, displayName: users.displayName, createdAt: users.createdAt })
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), users.email)
    .limit(USERS_PER_PAGE)
    .offset((page - 1) * USERS_PER_PAGE)
    .all();
  const total = db.select({ n: count() }).from(users).where(where).get()!.n;
  const roles = rows.length
    ? db.select().from(userRoles).where(inArray(userRoles.userId, rows.map((r) => r.id))).all()
    : [];
  const items: AdminUserRow[] = rows.map((r) => ({
    ...r,
    roles: roles.filter((x) => x.userId === r.id).map((x) => x.role),
  }));
  return { items, total, page, pages: Math.max(1, Math.ceil(total / USERS_PER_PAGE)) };
}

export interface AuditFilter {
  /** Exact action, or a prefix ending in `.` (`user.` → every user action). */
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** Part of the acting user's email. */
  actor?: string;
  /** Keyset cursor: entries with a smaller id than this. */
  before?: number;
}

/** The audit log newest first, one page at a time by id (stable while new entries arrive). */
export function browseAudit(db: DbOrTx, actor: SessionUser | null, filter: AuditFilter = {}) {
  requireAdmin(actor);
  const who = alias(users, 'actor');
  const where: SQL[] = [];
  const action = filter.action?.trim();
  if (action) where.push(action.endsWith('.') ? like(auditLog.action, `${escapeLike(action)}%`) : eq(auditLog.action, action));
  if (filter.subjectType?.trim()) where.push(eq(auditLog.subjectType, filter.subjectType.trim()));
  if (filter.subjectId?.trim()) where.push(eq(auditLog.subjectId, filter.subjectId.trim()));
  if (filter.actor?.trim()) where.push(contains(who.email, filter.actor.trim()));
  if (filter.before) where.push(lt(auditLog.id, filter.before));
  const rows = db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      details: auditLog.details,
      actorId: auditLog.actorId,
      actorEmail: who.email,
    })
    .from(auditLog)
    .leftJoin(who, eq(who.id, auditLog.actorId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PER_PAGE + 1)
    .all();
  const hasMore = rows.length > AUDIT_PER_PAGE;
  const items = rows.slice(0, AUDIT_PER_PAGE);
  return { items, nextBefore: hasMore ? items[items.length - 1]!.id : null };
}

/** Subject types and actions seen so far, for the filter form's choices. */
export function auditVocabulary(db: DbOrTx, actor: SessionUser | null) {
  requireAdmin(actor);
  return {
    subjectTypes: db.selectDistinct({ v: auditLog.subjectType }).from(auditLog).orderBy(auditLog.subjectType).all().map((r) => r.v),
    actions: db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(auditLog.action).all().map((r) => r.v),
  };
}

/** Mail in the outbox, newest first: what waits, what failed and why, and (in development) reset links to read. */
export function browseOutbox(db: DbOrTx, actor: SessionUser | null, filter: { to?: string; state?: EmailState; before?: number } = {}) {
  requireAdmin(actor);
  const where: SQL[] = [];
  if (filter.to?.trim()) where.push(contains(emailOutbox.toAddress, filter.to.trim()));
  if (filter.state) where.push(eq(emailOutbox.state, filter.state));
  if (filter.before) where.push(lt(emailOutbox.id, filter.before));
  const rows = db
    .select()
    .from(emailOutbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(emailOutbox.id))
    .limit(OUTBOX_PER_PAGE + 1)
    .all();
  const hasMore = rows.length > OUTBOX_PER_PAGE;
  const items = rows.slice(0, OUTBOX_PER_PAGE);
  return { items, nextBefore: hasMore ? items[items.length - 1]!.id : null };
}
