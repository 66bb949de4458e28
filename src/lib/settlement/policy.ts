/**
 * Who may see and act on a settlement case, and what the applicant is told about its state.
 *
 * Visibility is one SQL condition (`caseVisibleTo`), used both by the single-case load behind every
 * door (API, pages, actions, documents) and by the queue listing, so the two cannot disagree:
 * - the applicant sees their own case, in every state;
 * - an officer sees the queue — submitted cases nobody is assigned to yet, in `submitted`,
 *   `accepted` or `incomplete` — and the cases assigned to them, in any later state;
 * - an approver sees the cases awaiting a decision and the cases they decided;
 * - everybody else, staff included, gets 404 as if the case did not exist. Drafts never reach staff,
 *   and staff never handle (or list) their own application.
 */
import { and, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { settlementApplications as a, type ApplicationState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';

type Who = Pick<SessionUser, 'id' | 'roles'> | null | undefined;

export const isOfficer = (user: Who) => !!user?.roles.includes('settlement_officer');
export const isApprover = (user: Who) => !!user?.roles.includes('settlement_approver');
export const isSettlementStaff = (user: Who) => isOfficer(user) || isApprover(user);

export function isApplicant(user: Who, app: { applicantId: string }) {
  return !!user && user.id === app.applicantId;
}

/** Unassigned cases in these states are the officers' shared queue. */
export const QUEUE_STATES: ApplicationState[] = ['submitted', 'accepted', 'incomplete'];
/** Cases in these states wait for an approver. */
export const AWAITING_DECISION: ApplicationState[] = ['recommended_approve', 'recommended_refuse'];

/** Before a decision the applicant may still withdraw (the lifecycle's `withdrawn` move). */
export const BEFORE_DECISION: ApplicationState[] = ['draft', 'submitted', 'accepted', 'incomplete', 'in_review', 'information_requested', 'recommended_approve', 'recommended_refuse'];

const NOTHING = sql`0`;

/** The cases a member of staff may see as staff (never their own application, never a draft). */
export function staffCaseScope(user: Who): SQL {
  if (!user || !isSettlementStaff(user)) return NOTHING;
  const scopes: SQL[] = [];
  if (isOfficer(user)) {
    scopes.push(or(and(isNull(a.assigneeId), inArray(a.state, QUEUE_STATES)), eq(a.assigneeId, user.id))!);
  }
  if (isApprover(user)) scopes.push(or(inArray(a.state, AWAITING_DECISION), eq(a.deciderId, user.id))!);
  return and(isNotNull(a.reference), ne(a.applicantId, user.id), or(...scopes))!;
}

/** Every case the user may see: their own, and what `staffCaseScope` gives them. */
export function caseVisibleTo(user: Who): SQL {
  if (!user) return NOTHING;
  return or(eq(a.applicantId, user.id), staffCaseScope(user))!;
}

/** The state as the applicant is told it: a recommendation is internal, so it reads "awaiting decision". */
export type PublicState = Exclude<ApplicationState, 'recommended_approve' | 'recommended_refuse'> | 'awaiting_decision';
export function publicState(state: ApplicationState): PublicState;
export function publicState(state: ApplicationState | null): PublicState | null;
export function publicState(state: ApplicationState | null): PublicState | null {
  if (state === null) return null;
  return AWAITING_DECISION.includes(state) ? 'awaiting_decision' : (state as PublicState);
}
