/**
 * A complaint's lifecycle as data: open → answered (the company, once) → replied (the complainant,
 * once, optional) → closed (the body's committee, with an outcome and a reason). Each outcome says
 * from which states it may be given and what else it needs. The service (`transitionComplaint`) and
 * the complaint page read this one table through `complaintRefusal` and `complaintMoves`, so the
 * page offers exactly the moves the service takes.
 */
import type { ComplaintOutcome, ComplaintState } from '@db/schema';

/**
 * `complainant`: who filed it. `entity`: an owner or editor of the company complained about.
 * `committee`: a committee member of the body whose scheme rated the company, who neither filed
 * the complaint nor acts for the company.
 */
export type ComplaintActor = 'complainant' | 'entity' | 'committee';

export interface Refusal {
  message: string;
  code: string;
}

export type ComplaintMoveTo = Exclude<ComplaintState, 'open'>;

export interface ComplaintTransition {
  from: readonly ComplaintState[];
  to: ComplaintMoveTo;
  by: ComplaintActor;
  /** What someone else is told. */
  refusal: Refusal;
  /** What is said when the complaint is in none of `from`. */
  wrongState: Refusal;
}

export const COMPLAINT_TRANSITIONS: readonly ComplaintTransition[] = [
  {
    from: ['open'],
    to: 'answered',
    by: 'entity',
    refusal: { message: 'Only an owner or editor of the company answers a complaint.', code: 'not_entity' },
    wrongState: { message: 'The company answers a complaint once, while it is open.', code: 'invalid_transition' },
  },
  {
    from: ['answered'],
    to: 'replied',
    by: 'complainant',
    refusal: { message: 'Only the complainant replies to the answer.', code: 'not_complainant' },
    wrongState: { message: 'The complainant replies once, after the company’s answer.', code: 'invalid_transition' },
  },
  {
    from: ['open', 'answered', 'replied'],
    to: 'closed',
    by: 'committee',
    refusal: { message: 'Only a committee member of the body closes a complaint, and not one who filed it or acts for the company.', code: 'not_committee' },
    wrongState: { message: 'This complaint is closed already.', code: 'invalid_transition' },
  },
];

export interface OutcomeRule {
  from: readonly ComplaintState[];
  /** Given only once the response date has passed without an answer. */
  overdue?: true;
  wrongState: Refusal;
}

/** Which outcome a complaint may be closed with, from where. */
export const OUTCOME_RULES: Record<ComplaintOutcome, OutcomeRule> = {
  resolved: { from: ['answered', 'replied'], wrongState: { message: 'A complaint is closed as resolved or unresolved only after the company has answered.', code: 'not_answered' } },
  unresolved: { from: ['answered', 'replied'], wrongState: { message: 'A complaint is closed as resolved or unresolved only after the company has answered.', code: 'not_answered' } },
  unanswered: { from: ['open'], overdue: true, wrongState: { message: 'The company has answered: the complaint cannot be closed as unanswered.', code: 'answered' } },
  not_accepted: { from: ['open', 'answered', 'replied'], wrongState: { message: 'This complaint is closed already.', code: 'invalid_transition' } },
};

const NOT_DUE: Refusal = { message: 'The company’s response date has not passed: the complaint cannot be closed as unanswered yet.', code: 'not_overdue' };

/** What the lifecycle reads of a complaint and of the person acting. */
export interface ComplaintFacts {
  state: ComplaintState;
  responseDueAt: Date;
}
export type Plays = Record<ComplaintActor, boolean>;

/** Why the person (whose parts are `plays`) may not move the complaint to `to` (with `outcome`), or null. */
export function complaintRefusal(plays: Plays, complaint: ComplaintFacts, to: ComplaintMoveTo, outcome: ComplaintOutcome | undefined, now: Date): Refusal | null {
  const move = COMPLAINT_TRANSITIONS.find((t) => t.to === to);
  if (!move) return { message: `Nobody moves a complaint to “${to}”.`, code: 'invalid_transition' };
  if (!plays[move.by]) return move.refusal;
  if (!move.from.includes(complaint.state)) return move.wrongState;
  if (to === 'closed' && outcome) {
    const rule = OUTCOME_RULES[outcome];
    if (!rule.from.includes(complaint.state)) return rule.wrongState;
    if (rule.overdue && now <= complaint.responseDueAt) return NOT_DUE;
  }
  return null;
}

/** The moves (and, for closing, the outcomes) the person may make now: what the page offers. */
export function complaintMoves(plays: Plays, complaint: ComplaintFacts, now: Date): { to: ComplaintMoveTo; outcomes: ComplaintOutcome[] }[] {
  const moves: { to: ComplaintMoveTo; outcomes: ComplaintOutcome[] }[] = [];
  for (const t of COMPLAINT_TRANSITIONS) {
    if (complaintRefusal(plays, complaint, t.to, undefined, now)) continue;
    const outcomes = t.to === 'closed' ? (Object.keys(OUTCOME_RULES) as ComplaintOutcome[]).filter((o) => !complaintRefusal(plays, complaint, 'closed', o, now)) : [];
    moves.push({ to: t.to, outcomes });
  }
  return moves;
}

/** Whether the company's response date passed without an answer. */
export const isOverdue = (complaint: ComplaintFacts, now: Date) => complaint.state === 'open' && now > complaint.responseDueAt;
