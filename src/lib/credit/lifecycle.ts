/**
 * The credit assessment's lifecycle as data: each move, from which states, by whom, and what a
 * refusal says. The service (`transitionAssessment`) and the case page read this one table through
 * `refusalOf` and `allowedTransitions`, so a page offers exactly the moves the service takes. What a
 * move needs from its input (items and a due date, scores, a grade, reasons) and from the case
 * (every indicator answered, the commitment signed, the notice closed) is checked by the service.
 */
import type { AssessmentState } from '@db/schema';

/**
 * `applicant`: an owner or editor of the rated company. `assessor`: an assessor of the scheme's body
 * with no conflict on the company. `assigned`: the assessor the case was given to for scoring.
 * `committee`: a committee member of the body with no conflict on the company who did not score the
 * case (four eyes). `system`: the scheduled check; nobody makes such a move by hand.
 */
export type Actor = 'applicant' | 'assessor' | 'assigned' | 'committee' | 'system';

export interface Refusal {
  message: string;
  code: string;
}

export interface Transition {
  from: readonly AssessmentState[];
  to: AssessmentState;
  by: readonly Actor[];
  /** What someone not among `by` is told. */
  refusal: Refusal;
  /** What is said when the case is in none of `from`; by default "cannot move from … to …". */
  wrongState?: (from: string) => Refusal;
  /** The move is made at most once in a case's life (the one request for missing items). */
  once?: Refusal;
}

/** Before a decision the applicant may still withdraw. */
export const BEFORE_DECISION: readonly AssessmentState[] = ['draft', 'submitted', 'screening', 'incomplete', 'scoring'];
/** The applicant may change answers and evidence in these states. */
export const EDITABLE_STATES: readonly AssessmentState[] = ['draft', 'incomplete'];

const notAssessor: Refusal = { message: 'Only an assessor of the scheme’s body without a conflict of interest screens an application.', code: 'not_assessor' };
const notCommittee: Refusal = { message: 'Only a committee member of the scheme’s body decides.', code: 'not_committee' };

export const TRANSITIONS: readonly Transition[] = [
  {
    from: ['draft'],
    to: 'submitted',
    by: ['applicant'],
    refusal: { message: 'Only an owner or editor of the company submits the application.', code: 'not_applicant' },
    wrongState: (from) => ({ message: `An application in state “${from}” cannot be submitted.`, code: 'invalid_transition' }),
  },
  { from: ['submitted'], to: 'screening', by: ['assessor'], refusal: notAssessor },
  {
    from: ['screening'],
    to: 'incomplete',
    by: ['assessor'],
    refusal: notAssessor,
    once: { message: 'Missing items are listed once: this application was already marked incomplete.', code: 'already_incomplete' },
  },
  {
    from: ['incomplete'],
    to: 'screening',
    by: ['applicant'],
    refusal: { message: 'Only an owner or editor of the company resubmits the application.', code: 'not_applicant' },
  },
  { from: ['screening'], to: 'scoring', by: ['assessor'], refusal: { message: 'Only an assessor of the scheme’s body assigns the scoring.', code: 'not_assessor' } },
  { from: ['scoring'], to: 'decision', by: ['assigned'], refusal: { message: 'Only the assessor assigned to the case scores it.', code: 'not_assigned' } },
  { from: ['decision'], to: 'public_notice', by: ['committee'], refusal: notCommittee },
  { from: ['decision'], to: 'refused', by: ['committee'], refusal: notCommittee },
  { from: ['public_notice'], to: 'granted', by: ['committee'], refusal: { message: 'Only a committee member of the scheme’s body grants the grade.', code: 'not_committee' } },
  {
    from: BEFORE_DECISION,
    to: 'withdrawn',
    by: ['applicant'],
    refusal: { message: 'Only an owner or editor of the company withdraws the application.', code: 'not_applicant' },
    wrongState: () => ({ message: 'An application cannot be withdrawn once the committee has it.', code: 'invalid_transition' }),
  },
  {
    from: ['incomplete'],
    to: 'lapsed',
    by: ['system'],
    refusal: { message: 'Nobody lapses an application by hand: it lapses when its due date passes.', code: 'invalid_transition' },
  },
];

/** What the lifecycle knows of the person looking at one case (worked out by `rolesOn`). */
export interface Roles {
  /** Owner or editor of the rated company. */
  applicant: boolean;
  /** An assessor of the body. */
  assessor: boolean;
  /** A committee member of the body. */
  committee: boolean;
  /** A member of the company, or someone who declared a conflict of interest on it. */
  conflicted: boolean;
  /** The assessor assigned to score this case. */
  assigned: boolean;
}

export const NOBODY: Roles = { applicant: false, assessor: false, committee: false, conflicted: false, assigned: false };

function plays(actor: Actor, who: Roles): boolean {
  switch (actor) {
    case 'applicant':
      return who.applicant;
    case 'assessor':
      return who.assessor && !who.conflicted;
    case 'assigned':
      return who.assigned && who.assessor && !who.conflicted;
    case 'committee':
      return who.committee && !who.conflicted;
    case 'system':
      return false;
  }
}

const FOUR_EYES: Refusal = { message: 'Four eyes: the assessor who scored the case cannot also decide it. Another committee member must.', code: 'four_eyes' };
const CONFLICTED: Refusal = { message: 'You belong to the company or declared a conflict of interest on it, so you cannot take this case.', code: 'conflict_of_interest' };

/**
 * Why someone with `who` may not move the case to `to`, or null when they may. `history` is every
 * state the case has been in.
 */
export function refusalOf(who: Roles, state: AssessmentState, to: AssessmentState, history: readonly string[]): Refusal | null {
  const moves = TRANSITIONS.filter((t) => t.to === to);
  if (!moves.length) return { message: `Nobody moves an assessment to “${to}”.`, code: 'invalid_transition' };
  const move = moves.find((t) => t.from.includes(state));
  if (!move) return moves[0]!.wrongState?.(state) ?? { message: `An assessment cannot move from “${state}” to “${to}”.`, code: 'invalid_transition' };
  if (!move.by.some((actor) => plays(actor, who))) {
    const staff = move.by.some((a) => a === 'assessor' || a === 'assigned' || a === 'committee');
    // a body member who would play the part but for a conflict is told why
    if (staff && who.conflicted && (who.assessor || who.committee)) return CONFLICTED;
    return move.refusal;
  }
  if (move.by.includes('committee') && who.assigned) return FOUR_EYES;
  if (move.once && history.includes(to)) return move.once;
  return null;
}

/** The moves someone may make on the case now: what its page offers, and exactly what the service takes. */
export function allowedTransitions(who: Roles, state: AssessmentState, history: readonly string[]): Transition[] {
  return TRANSITIONS.filter((t) => t.from.includes(state) && refusalOf(who, state, t.to, history) === null);
}

export const mayMove = (allowed: readonly Transition[], to: AssessmentState) => allowed.some((t) => t.to === to);
