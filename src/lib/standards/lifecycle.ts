/**
 * The standards lifecycle as data: each state's ISO harmonized stage code, and each allowed
 * transition with who may make it. Preconditions that need the database live in the service
 * (`transitionStandard`); everything a page needs to explain the next step is read from here.
 */
import type { StandardState } from '@db/schema';
import { shanghaiDay } from '~/i18n';

export const STAGE_CODES: Record<StandardState, string> = {
  proposed: '00.00',
  project_approved: '10.99',
  drafting: '20.00',
  member_consultation: '30.00',
  public_comment: '40.20',
  comment_resolution: '40.60',
  review_ballot: '50.00',
  approved: '50.99',
  published: '60.60',
  under_review: '90.00',
  confirmed: '90.93',
  revised: '90.92',
  withdrawn: '95.99',
  // abandoned is `<major stage it left>.98`, see abandonedStageCode
  abandoned: '00.98',
};

/** ISO: a project abandoned at stage NN gets code NN.98. */
export function abandonedStageCode(from: StandardState): string {
  return `${STAGE_CODES[from].slice(0, 2)}.98`;
}

/** `editor`: the body's owners and editors. `owner`: only the body's owner(s). */
export type Actor = 'editor' | 'owner';

/**
 * How the "what is needed next" panel presents a move: `forward` is the main path (at most one per
 * state, the step the panel leads with); `aside` is an optional stage, a second round or a step
 * back; `stop` ends the project for good and is asked for on a confirmation page.
 */
export type MoveKind = 'forward' | 'aside' | 'stop';

export interface Transition {
  from: StandardState;
  to: StandardState;
  by: Actor;
  kind: MoveKind;
}

const BEFORE_PUBLICATION: StandardState[] = [
  'proposed',
  'project_approved',
  'drafting',
  'member_consultation',
  'public_comment',
  'comment_resolution',
  'review_ballot',
  'approved',
];

export const TRANSITIONS: Transition[] = [
  { from: 'proposed', to: 'project_approved', by: 'owner', kind: 'forward' },
  { from: 'project_approved', to: 'drafting', by: 'editor', kind: 'forward' },
  { from: 'drafting', to: 'member_consultation', by: 'editor', kind: 'aside' },
  { from: 'drafting', to: 'public_comment', by: 'editor', kind: 'forward' },
  { from: 'member_consultation', to: 'drafting', by: 'editor', kind: 'aside' },
  { from: 'member_consultation', to: 'public_comment', by: 'editor', kind: 'forward' },
  { from: 'public_comment', to: 'comment_resolution', by: 'editor', kind: 'forward' },
  // a second round of public comment after substantial changes
  { from: 'comment_resolution', to: 'public_comment', by: 'editor', kind: 'aside' },
  { from: 'comment_resolution', to: 'review_ballot', by: 'editor', kind: 'forward' },
  // a failed ballot goes back for revision; the next ballot is a new round
  { from: 'review_ballot', to: 'drafting', by: 'editor', kind: 'aside' },
  { from: 'review_ballot', to: 'approved', by: 'owner', kind: 'forward' },
  { from: 'approved', to: 'published', by: 'editor', kind: 'forward' },
  { from: 'published', to: 'under_review', by: 'editor', kind: 'forward' },
  { from: 'under_review', to: 'confirmed', by: 'editor', kind: 'forward' },
  { from: 'under_review', to: 'revised', by: 'editor', kind: 'aside' },
  { from: 'under_review', to: 'withdrawn', by: 'editor', kind: 'stop' },
  { from: 'confirmed', to: 'under_review', by: 'editor', kind: 'forward' },
  ...BEFORE_PUBLICATION.map((from): Transition => ({ from, to: 'abandoned', by: 'editor', kind: 'stop' })),
];

export function findTransition(from: StandardState, to: StandardState): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function nextStates(from: StandardState): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from);
}

/** States in which a new version may be added. */
export const EDITABLE_STATES: StandardState[] = ['project_approved', 'drafting', 'comment_resolution'];

export const MIN_COMMENT_DAYS = 30;
export const DAY_MS = 86_400_000;

/** A group standard is reviewed within this many years of its publication (the draft page's "review due by"). */
export const REVIEW_INTERVAL_YEARS = 5;

/**
 * The date (YYYY-MM-DD, Shanghai's calendar) by which a standard published at `publishedAt` is due
 * for review: the same Shanghai day REVIEW_INTERVAL_YEARS later (29 February rolls to 1 March).
 */
export function reviewDueDate(publishedAt: Date): string {
  const [y, m, d] = shanghaiDay(publishedAt).split('-').map(Number);
  return new Date(Date.UTC(y! + REVIEW_INTERVAL_YEARS, m! - 1, d!)).toISOString().slice(0, 10);
}

/** States in which a standard is in force and waits for its next review (the draft page shows the due date then). */
export const REVIEW_DUE_STATES: StandardState[] = ['published', 'confirmed'];
