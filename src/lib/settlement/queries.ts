/**
 * Reads: a case as its viewer may see it, and the officers' queue. The applicant's view never
 * contains internal notes, the recommendation, or who is working on the case.
 */
import { and, asc, eq, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '@db/client';
import { settlementApplications, settlementDocuments, settlementEvents, settlementNotes, settlementRoutes, users, type ApplicationState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { Forbidden } from '~/lib/errors';
import { AWAITING_DECISION, isApplicant, isSettlementStaff, publicState, staffCaseScope } from './policy';
import { reasonByCode } from './reasons';
import { lapseOverdue, missingForSubmission, type Application } from './service';

/** `E12345678` → `E1•••••78`: enough to tell cases apart, not enough to reuse. */
export function maskIdNumber(value: unknown): string {
  const s = typeof value === 'string' ? value : '';
  if (s.length <= 4) return '•'.repeat(s.length);
  return `${s.slice(0, 2)}${'•'.repeat(Math.max(3, s.length - 4))}${s.slice(-2)}`;
}

const reasonsOut = (codes: string[] | null) =>
  (codes ?? []).map((code) => {
    const r = reasonByCode.get(code);
    return { code, label: r?.label ?? code, labelZh: r?.labelZh ?? code, rule: r?.rule ?? '', ruleZh: r?.ruleZh ?? '' };
  });

/**
 * What an event tells the applicant: their own requests, replies and the decision — never who was
 * assigned (`assignee`) or anything else staff wrote down along the way.
 */
const APPLICANT_EVENT_DETAILS = ['reference', 'items', 'dueDate', 'message', 'reply', 'reason', 'codes', 'text'] as const;
function applicantDetails(details: Record<string, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of APPLICANT_EVENT_DETAILS) if (details && key in details) out[key] = details[key];
  return out;
}

/**
 * A case as its viewer may see it. Staff get the real state, notes, the recommendation and who
 * works on it; the applicant gets `publicState` (a recommendation reads `awaiting_decision`) and
 * none of the internal workflow.
 */
export function caseView(db: DbOrTx, user: SessionUser, app: Application) {
  const route = db.select().from(settlementRoutes).where(eq(settlementRoutes.id, app.routeId)).get()!;
  const staff = !isApplicant(user, app) && isSettlementStaff(user);
  const documents = db
    .select()
    .from(settlementDocuments)
    .where(eq(settlementDocuments.applicationId, app.id))
    .orderBy(asc(settlementDocuments.id))
    .all()
    .map((d) => ({
      id: d.id,
      item: d.itemKey,
      name: d.originalName,
      type: d.type,
      size: d.size,
      sha256: d.sha256,
      uploadedAt: d.createdAt.toISOString(),
      superseded: !!d.supersededAt,
      url: `/api/v1/settlement/applications/${app.id}/documents/${d.id}`,
    }));
  const events = db
    .select({ e: settlementEvents, actor: users.displayName })
    .from(settlementEvents)
    .leftJoin(users, eq(users.id, settlementEvents.actorId))
    .where(eq(settlementEvents.applicationId, app.id))
    .orderBy(asc(settlementEvents.id))
    .all()
    .filter(({ e }) => staff || !(e.details as { internal?: boolean } | null)?.internal)
    .map(({ e, actor }) =>
      staff
        ? { from: e.fromState, to: e.toState, at: e.at.toISOString(), actor, details: e.details ?? {} }
        : { from: publicState(e.fromState as ApplicationState | null), to: publicState(e.toState as ApplicationState), at: e.at.toISOString(), actor: undefined, details: applicantDetails(e.details) },
    );
  const decided = app.state === 'approved' || app.state === 'refused';
  const person = (id: string | null) => (id ? db.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, id)).get() ?? null : null);
  const missing = app.state === 'draft' || app.state === 'incomplete' ? missingForSubmission(db, app) : null;
  return {
    id: app.id,
    reference: app.reference,
    state: staff ? app.state : publicState(app.state),
    route: { id: route.id, slug: route.slug, name: route.name, nameZh: route.nameZh, checklist: route.checklist, criteria: route.criteria },
    answers: app.answers,
    documents,
    missing,
    request: app.requestItems ? { items: app.requestItems, dueDate: app.dueDate, message: app.requestMessage } : null,
    events,
    submittedAt: app.submittedAt?.toISOString() ?? null,
    createdAt: app.createdAt.toISOString(),
    decision: decided ? { outcome: app.state, reasons: reasonsOut(app.decisionCodes), text: app.decisionText, decidedAt: app.decidedAt?.toISOString() ?? null } : null,
    ...(staff
      ? {
          applicant: person(app.applicantId),
          assignee: person(app.assigneeId),
          recommendation: app.recommenderId
            ? { by: person(app.recommenderId), reasons: reasonsOut(app.recommendationCodes), text: app.recommendationText }
            : null,
          notes: db
            .select({ id: settlementNotes.id, body: settlementNotes.body, at: settlementNotes.createdAt, author: users.displayName })
            .from(settlementNotes)
            .innerJoin(users, eq(users.id, settlementNotes.authorId))
            .where(eq(settlementNotes.applicationId, app.id))
            .orderBy(asc(settlementNotes.id))
            .all()
            .map((n) => ({ ...n, at: n.at.toISOString() })),
        }
      : {}),
  };
}
export type CaseView = ReturnType<typeof caseView>;

export interface QueueFilter {
  state?: ApplicationState;
  route?: string;
  minAgeDays?: number;
  mine?: '1' | '0';
  page?: number;
}

const PER_PAGE = 25;

/**
 * The officers' and approvers' queue: exactly the cases `staffCaseScope` lets this user see (the
 * same rule as opening one case), never drafts; identity numbers masked.
 */
export function queue(db: Db, user: SessionUser, filter: QueueFilter = {}, now = new Date()) {
  if (!isSettlementStaff(user)) throw new Forbidden('Only settlement officers and approvers see the queue.');
  lapseOverdue(db, now);
  const assignee = alias(users, 'assignee');
  const where: SQL[] = [staffCaseScope(user)];
  if (filter.state) where.push(eq(settlementApplications.state, filter.state));
  if (filter.route) where.push(eq(settlementRoutes.slug, filter.route));
  if (filter.minAgeDays) where.push(lte(settlementApplications.submittedAt, new Date(now.getTime() - filter.minAgeDays * 86400_000)));
  if (filter.mine === '1') where.push(eq(settlementApplications.assigneeId, user.id));
  const page = filter.page ?? 1;
  const rows = db
    .select({ app: settlementApplications, route: settlementRoutes, applicant: users.displayName, assignee: assignee.displayName })
    .from(settlementApplications)
    .innerJoin(settlementRoutes, eq(settlementRoutes.id, settlementApplications.routeId))
    .innerJoin(users, eq(users.id, settlementApplications.applicantId))
    .leftJoin(assignee, eq(assignee.id, settlementApplications.assigneeId))
    .where(and(...where))
    .orderBy(asc(settlementApplications.submittedAt), asc(settlementApplications.id))
    .limit(PER_PAGE)
    .offset((page - 1) * PER_PAGE)
    .all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(settlementApplications)
    .innerJoin(settlementRoutes, eq(settlementRoutes.id, settlementApplications.routeId))
    .where(and(...where))
    .get()!.n;
  const items = rows.map(({ app, route, applicant, assignee: assigneeName }) => ({
    id: app.id,
    reference: app.reference,
    state: app.state,
    route: route.slug,
    routeName: route.name,
    routeNameZh: route.nameZh,
    applicant: applicant,
    idNumber: maskIdNumber(app.answers.personal?.idNumber),
    assignee: assigneeName ?? null,
    submittedAt: app.submittedAt?.toISOString() ?? null,
    ageDays: app.submittedAt ? Math.floor((now.getTime() - app.submittedAt.getTime()) / 86400_000) : 0,
    dueDate: app.dueDate,
  }));
  return { items, total, page, perPage: PER_PAGE };
}

/** Cases waiting for a decision, for the approvers' page. */
export function awaitingDecision(db: Db, user: SessionUser) {
  return queue(db, user, {}).items.filter((i) => AWAITING_DECISION.includes(i.state));
}

export const ACTIVE_STATES: ApplicationState[] = ['submitted', 'accepted', 'incomplete', 'in_review', 'information_requested', 'recommended_approve', 'recommended_refuse'];

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Working days from `from` to `to`: the Monday-to-Friday days in Shanghai's calendar after the day
 * of `from`, up to and including the day of `to`. Public holidays are not known here and count.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const day = new Date(`${shanghaiDay.format(from)}T00:00:00Z`);
  const last = new Date(`${shanghaiDay.format(to)}T00:00:00Z`);
  let days = 0;
  for (day.setUTCDate(day.getUTCDate() + 1); day <= last; day.setUTCDate(day.getUTCDate() + 1)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days++;
  }
  return days;
}

/** Fewer decided cases than this say nothing about a route's times, so none are shown. */
export const MIN_DECIDED_FOR_MEASURE = 5;

/**
 * What the portal itself measured on a route: the median working days from submission to decision
 * over its decided cases, or null when fewer than `MIN_DECIDED_FOR_MEASURE` were decided.
 */
export function measuredDecisionDays(db: DbOrTx, routeId: number): { medianDays: number; decided: number } | null {
  const rows = db
    .select({ submittedAt: settlementApplications.submittedAt, decidedAt: settlementApplications.decidedAt })
    .from(settlementApplications)
    .where(
      and(
        eq(settlementApplications.routeId, routeId),
        inArray(settlementApplications.state, ['approved', 'refused']),
        isNotNull(settlementApplications.submittedAt),
        isNotNull(settlementApplications.decidedAt),
      ),
    )
    .all();
  if (rows.length < MIN_DECIDED_FOR_MEASURE) return null;
  const days = rows.map((r) => workingDaysBetween(r.submittedAt!, r.decidedAt!)).sort((x, y) => x - y);
  const mid = Math.floor(days.length / 2);
  const medianDays = days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2;
  return { medianDays, decided: rows.length };
}
