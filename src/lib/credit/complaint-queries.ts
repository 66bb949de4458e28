/**
 * Reading complaints: one complaint as the person looking may see it, the complainant's own list,
 * the list against the companies a person acts for, and the body committee's paged queue. Every
 * read goes through `complaintVisibleTo`; the company's view never carries the complainant.
 */
import { and, count, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditComplaints as c, creditRoles, creditSchemes, organizations, users, type ComplaintState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { complaintMoves, isOverdue, type ComplaintActor } from './complaint-lifecycle';
import { actsFor, committeeSchemes, complaintVisibleTo } from './complaint-policy';
import type { ManageFilter } from './complaint-schemas';
import { complaintEvidence, complaintPlays, type Complaint } from './complaints';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** One complaint as `user` (who may see it) sees it, with the moves they may make now. */
export function complaintView(db: DbOrTx, user: SessionUser, complaint: Complaint, now = new Date()) {
  const plays = complaintPlays(db, user, complaint);
  const role: ComplaintActor = plays.complainant ? 'complainant' : plays.entity ? 'entity' : 'committee';
  const entity = db.select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, complaint.entityId)).get()!;
  const scheme = db
    .select({ id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh, body: organizations.name, bodyZh: organizations.nameZh })
    .from(creditSchemes)
    .innerJoin(organizations, eq(organizations.id, creditSchemes.organizationId))
    .where(eq(creditSchemes.id, complaint.schemeId))
    .get()!;
  // The complainant's identity: the complainant and the committee, never the company.
  const complainant =
    role !== 'entity' && complaint.complainantId
      ? (db.select({ name: users.displayName, email: users.email }).from(users).where(eq(users.id, complaint.complainantId)).get() ?? null)
      : null;
  return {
    id: complaint.id,
    state: complaint.state,
    role,
    category: complaint.category,
    text: complaint.text,
    entity,
    scheme,
    complainant,
    filedAt: complaint.createdAt.toISOString(),
    responseDueAt: complaint.responseDueAt.toISOString(),
    overdue: isOverdue(complaint, now),
    answer: complaint.answer ? { text: complaint.answer, at: iso(complaint.answeredAt)!, inTime: !!complaint.answeredAt && complaint.answeredAt <= complaint.responseDueAt } : null,
    reply: complaint.reply ? { text: complaint.reply, at: iso(complaint.repliedAt)! } : null,
    closure: complaint.outcome ? { outcome: complaint.outcome, reason: complaint.closeReason ?? '', at: iso(complaint.closedAt)! } : null,
    evidence: complaintEvidence(db, complaint.id).map((e) => ({ id: e.id, name: e.originalName, type: e.type, size: e.size, sha256: e.sha256, url: `/api/v1/credit/complaints/${complaint.id}/evidence/${e.id}` })),
    moves: complaintMoves(plays, complaint, now),
  };
}
export type ComplaintView = ReturnType<typeof complaintView>;

const listColumns = {
  id: c.id,
  state: c.state,
  category: c.category,
  outcome: c.outcome,
  responseDueAt: c.responseDueAt,
  answeredAt: c.answeredAt,
  createdAt: c.createdAt,
  entitySlug: organizations.slug,
  entityName: organizations.name,
  entityNameZh: organizations.nameZh,
};

function list(db: DbOrTx, user: SessionUser, where: SQL) {
  return db
    .select(listColumns)
    .from(c)
    .innerJoin(organizations, eq(organizations.id, c.entityId))
    .where(and(complaintVisibleTo(user), where))
    .orderBy(desc(c.id))
    .limit(200)
    .all();
}

/** The complaints the user filed. */
export const listMyComplaints = (db: DbOrTx, user: SessionUser) => list(db, user, eq(c.complainantId, user.id));

/** Complaints against the companies the user acts for (owner or editor): no complainant in them. */
export const listComplaintsAgainstMine = (db: DbOrTx, user: SessionUser) =>
  list(db, user, sql`${c.entityId} IN ${actsFor(user.id)} AND ${c.complainantId} IS NOT ${user.id}`);

export const MANAGE_PER_PAGE = 20;

/** What each filter of the committee's queue shows. Overdue: open past the response date. */
function filterCondition(show: ManageFilter, now: Date): SQL {
  if (show === 'overdue') return and(eq(c.state, 'open'), lt(c.responseDueAt, now))!;
  return eq(c.state, show as ComplaintState);
}

/** The committee's queue: complaints under the schemes of the bodies the user sits on the committee of. */
export function listBodyComplaints(db: DbOrTx, user: SessionUser, show: ManageFilter, page: number, now = new Date()) {
  const where = and(complaintVisibleTo(user), sql`${c.schemeId} IN ${committeeSchemes(user.id)}`, filterCondition(show, now))!;
  const total = db.select({ n: count() }).from(c).where(where).get()?.n ?? 0;
  const items = db
    .select({ ...listColumns, complainant: users.displayName })
    .from(c)
    .innerJoin(organizations, eq(organizations.id, c.entityId))
    .leftJoin(users, eq(users.id, c.complainantId))
    .where(where)
    .orderBy(show === 'closed' ? desc(c.closedAt) : c.responseDueAt, desc(c.id))
    .limit(MANAGE_PER_PAGE)
    .offset((page - 1) * MANAGE_PER_PAGE)
    .all();
  return { items, total, page, pages: Math.max(1, Math.ceil(total / MANAGE_PER_PAGE)) };
}

/** How many complaints each filter of the committee's queue holds, for its tabs. */
export function bodyComplaintTallies(db: DbOrTx, user: SessionUser, now = new Date()): Record<ManageFilter, number> {
  const tally = (show: ManageFilter) =>
    db.select({ n: count() }).from(c).where(and(complaintVisibleTo(user), sql`${c.schemeId} IN ${committeeSchemes(user.id)}`, filterCondition(show, now))).get()?.n ?? 0;
  return { open: tally('open'), answered: tally('answered'), replied: tally('replied'), overdue: tally('overdue'), closed: tally('closed') };
}

/** Whether the user sits on any body's credit committee (the queue's guard). */
export const sitsOnACommittee = (db: DbOrTx, user: SessionUser) =>
  !!db.select({ id: creditRoles.userId }).from(creditRoles).where(and(eq(creditRoles.userId, user.id), eq(creditRoles.role, 'committee'))).limit(1).get();
