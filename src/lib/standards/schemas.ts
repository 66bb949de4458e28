import { z } from 'zod';
import { COMMENT_TYPES, DISPOSITIONS, STANDARD_STATES, VOTE_POSITIONS } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';

/** Makes keys whose value may be undefined optional, so services can be called without them. */
type Optional<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] };

const optionalText = (max: number) =>
  multiLine(max)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalLine = (max: number) =>
  singleLine(max)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalInt = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().positive().optional());

export const proposeInput = z.object({
  organizationSlug: singleLine(100, { error: 'Choose the industry body.' }).min(1, 'Choose the industry body.'),
  title: singleLine(300, { error: 'Enter a title.' }).min(2, 'Enter a title.'),
  titleZh: optionalLine(300),
  scopeMd: optionalText(20_000),
});
export type ProposeInput = Optional<z.infer<typeof proposeInput>>;

export const versionInput = z.object({
  bodyMd: multiLine(500_000, { error: 'Paste the draft’s Markdown.' }).min(1, 'Paste the draft’s Markdown.'),
  note: optionalText(1000),
});

export const transitionInput = z.object({
  to: z.enum(STANDARD_STATES, { error: 'Choose the next state.' }),
  reason: optionalText(5000),
  commentPeriodDays: optionalInt,
  /** ISO date (YYYY-MM-DD) the published standard takes effect; defaults to 30 days after publication. */
  effectiveDate: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), 'Enter a date as YYYY-MM-DD.'),
});
export type TransitionInput = Optional<z.infer<typeof transitionInput>>;

export const commentInput = z.object({
  version: optionalInt,
  clause: singleLine(40, { error: 'Name the clause.' }).min(1, 'Name the clause.'),
  type: z.enum(COMMENT_TYPES, { error: 'Choose general, technical or editorial.' }),
  text: multiLine(10_000, { error: 'Write your comment.' }).min(1, 'Write your comment.'),
  proposedChange: optionalText(10_000),
});
export type CommentInput = Optional<z.infer<typeof commentInput>>;

export const dispositionInput = z.object({
  decision: z.enum(DISPOSITIONS, { error: 'Choose a decision.' }),
  reason: multiLine(10_000, { error: 'Give the reason for the decision.' }).min(1, 'Give the reason for the decision.'),
  resolvedInVersion: optionalInt,
});
export type DispositionInput = Optional<z.infer<typeof dispositionInput>>;

export const voteInput = z
  .object({
    position: z.enum(VOTE_POSITIONS, { error: 'Choose approve, disapprove or abstain.' }),
    reason: optionalText(5000),
  })
  .refine((v) => v.position !== 'disapprove' || !!v.reason, { path: ['reason'], message: 'A disapproval needs a reason.' });
export type VoteInput = Optional<z.infer<typeof voteInput>>;

export const listQuery = z.object({
  stage: z.string().trim().max(40).optional(),
  body: z.string().trim().max(200).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});
export type ListQuery = z.infer<typeof listQuery>;

/** GET /standards/{id}/comments: oldest first, a page at a time (the CSV download stays whole). */
export const commentListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
  perPage: z.coerce.number().int().min(1).max(100).optional().default(20),
});

export const diffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

const part = z.coerce.number({ error: 'Enter a whole number.' }).int('Enter a whole number.').min(1, 'Use a number from 1 to 100.').max(100, 'Use a number from 1 to 100.');
export const ballotRulesInput = z
  .object({ organizationSlug: singleLine(100).min(1), quorumNumerator: part, quorumDenominator: part, passNumerator: part, passDenominator: part })
  .refine((r) => r.quorumNumerator <= r.quorumDenominator, { path: ['quorumNumerator'], message: 'A share cannot exceed the whole.' })
  .refine((r) => r.passNumerator <= r.passDenominator, { path: ['passNumerator'], message: 'A share cannot exceed the whole.' });
export type BallotRulesInput = z.infer<typeof ballotRulesInput>;
