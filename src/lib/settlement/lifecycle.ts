/**
 * The settlement case's lifecycle as data: each move a person makes by hand, from which states, by
 * whom, and what a refusal says. The service (`transition`) and the case pages read this one table
 * through `refusalOf` and `allowedTransitions`, so a page offers exactly the moves the service takes.
 * What a move needs from its input (reasons, missing items, a due date) and from the case's content
 * (every answer and required document before a submission) is checked by the service.
 */
import type { ApplicationState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { AWAITING_DECISION, BEFORE_DECISION, isApplicant, isApprover, isOfficer, publicState } from './policy';

/**
 * `applicant`: the case's own applicant. `officer`: any settlement officer other than the applicant.
 * `assignee`: the officer the case is assigned to. `approver`: any approver other than the
 * applicant (and, four eyes, never the one who recommended: see `refusalOf`).
 */
export type Actor = 'applicant' | 'officer' | 'assignee' | 'approver';

export interface Refusal {
  message: string;
  code: string;
}

export interface Transition {
  from: readonly ApplicationState[];
  to: ApplicationState;
  by: readonly Actor[];
  /** What someone not among `by` is told. */
  refusal: Refusal;
  /** What is said when the case is in none of `from`; by default "cannot move from … to …". */
  wrongState?: (from: string) => Refusal;
  /** The move is made at most once in a case's life (missing items are listed once). */
  once?: Refusal;
  /** The move exists only with this input: reassigning names the new officer. */
  needs?: 'assignee';
}

const notOfficer = (message: string): Refusal => ({ message, code: 'not_officer' });
const notAssignee = (message: string): Refusal => ({ message, code: 'not_assignee' });
const notApprover: Refusal = { message: 'Only a settlement approver decides.', code: 'not_approver' };

export const TRANSITIONS: readonly Transition[] = [
  {
    from: ['draft', 'incomplete'],
    to: 'submitted',
    by: ['applicant'],
    refusal: { message: 'Only the applicant submits the application.', code: 'not_applicant' },
    wrongState: (from) => ({ message: `An application in state “${from}” cannot be submitted.`, code: 'invalid_transition' }),
  },
  { from: ['submitted'], to: 'accepted', by: ['officer'], refusal: notOfficer('Only a settlement officer accepts an application.') },
  {
    from: ['submitted'],
    to: 'incomplete',
    by: ['officer'],
    refusal: notOfficer('Only a settlement officer marks an application incomplete.'),
    once: { message: 'Missing items are listed once: this application was already marked incomplete.', code: 'already_incomplete' },
  },
  { from: ['accepted'], to: 'in_review', by: ['officer'], refusal: notOfficer('Only a settlement officer assigns a case.') },
  { from: ['in_review'], to: 'in_review', by: ['officer'], needs: 'assignee', refusal: notOfficer('Only a settlement officer reassigns a case.') },
  {
    from: ['information_requested'],
    to: 'in_review',
    by: ['applicant', 'assignee'],
    refusal: { message: 'Only the applicant or the assigned officer ends a request for information.', code: 'not_allowed' },
  },
  { from: ['in_review'], to: 'information_requested', by: ['assignee'], refusal: notAssignee('Only the officer assigned to the case requests information.') },
  { from: ['in_review'], to: 'recommended_approve', by: ['assignee'], refusal: notAssignee('Only the officer assigned to the case recommends.') },
  { from: ['in_review'], to: 'recommended_refuse', by: ['assignee'], refusal: notAssignee('Only the officer assigned to the case recommends.') },
  { from: AWAITING_DECISION, to: 'approved', by: ['approver'], refusal: notApprover },
  { from: AWAITING_DECISION, to: 'refused', by: ['approver'], refusal: notApprover },
  {
    from: BEFORE_DECISION,
    to: 'withdrawn',
    by: ['applicant'],
    refusal: { message: 'Only the applicant withdraws an application.', code: 'not_applicant' },
    wrongState: () => ({ message: 'A decided or closed application cannot be withdrawn.', code: 'invalid_transition' }),
  },
];

type Who = Pick<SessionUser, 'id' | 'roles'>;
/** What the lifecycle reads of a case. */
export type CaseFacts = { state: ApplicationState; applicantId: string; assigneeId: string | null; recommenderId: string | null };

function plays(actor: Actor, user: Who, app: CaseFacts): boolean {
  const applicant = isApplicant(user, app);
  switch (actor) {
    case 'applicant':
      return applicant;
    case 'officer':
      return isOfficer(user) && !applicant;
    case 'assignee':
      return isOfficer(user) && !applicant && user.id === app.assigneeId;
    case 'approver':
      return isApprover(user) && !applicant;
  }
}

const FOUR_EYES: Refusal = { message: 'Four eyes: the officer who recommended cannot also decide. Another approver must decide.', code: 'four_eyes' };

/**
 * Why `user` may not move the case to `to`, or null when they may. `history` is every state the
 * case has been in; `input` says which optional parts the move came with (a move that `needs` one
 * exists only with it).
 */
export function refusalOf(user: Who, app: CaseFacts, to: ApplicationState, history: readonly string[], input: { assignee?: string } = {}): Refusal | null {
  const applicant = isApplicant(user, app);
  const towards = TRANSITIONS.filter((t) => t.to === to);
  // A staff step is refused before anything about the case is looked at; this also keeps a member
  // of staff from handling their own application.
  if (applicant && !towards.some((t) => t.by.includes('applicant'))) return { message: 'Only settlement staff take this step.', code: 'not_staff_step' };
  const moves = towards.filter((t) => !t.needs || input[t.needs]);
  if (!moves.length) return { message: `Nobody moves a case to “${to}” by hand.`, code: 'invalid_transition' };
  // The applicant's own moves tell anyone else so, whatever the case's state.
  if (!applicant && moves.every((t) => t.by.length === 1 && t.by[0] === 'applicant')) return moves[0]!.refusal;
  const move = moves.find((t) => t.from.includes(app.state));
  // the applicant is told the state they see (`publicState`), never the recommendation
  const shown = applicant ? publicState(app.state) : app.state;
  if (!move) return moves[0]!.wrongState?.(shown) ?? { message: `A case cannot move from “${shown}” to “${to}”.`, code: 'invalid_transition' };
  if (!move.by.some((actor) => plays(actor, user, app))) return move.refusal;
  if (move.by.includes('approver') && user.id === app.recommenderId) return FOUR_EYES;
  if (move.once && history.includes(to)) return move.once;
  return null;
}

/** The moves `user` may make on the case now: what its page offers, and exactly what `transition` takes. */
export function allowedTransitions(user: Who | null, app: CaseFacts, history: readonly string[]): Transition[] {
  if (!user) return [];
  return TRANSITIONS.filter((t) => t.from.includes(app.state) && refusalOf(user, app, t.to, history, { assignee: t.needs && 'given' }) === null);
}

/** Whether `user` may move the case to `to` now, by any of its moves. */
export const mayMove = (allowed: readonly Transition[], to: ApplicationState) => allowed.some((t) => t.to === to);
