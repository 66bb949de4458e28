import { z } from 'zod';
import { COMMENT_TYPES, DISPOSITIONS, STANDARD_STATES, VOTE_POSITIONS } from '@db/schema';

/** Makes keys whose value may be undefined optional, so services can be called without them. */
type Optional<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] };

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalInt = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().positive().optional());

export const proposeInput = z.object({
  organizationSlug: z.string({ error: 'Choose the industry body.' }).trim().min(1, 'Choose the industry body.'),
  title: z.string({ error: 'Enter a title.' }).trim().min(2, 'Enter a title.').max(300, 'Use at most 300 characters.'),
  titleZh: optionalText(300),
  scopeMd: optionalText(20_000),
});
export type ProposeInput = Optional<z.infer<typeof proposeInput>>;

export const versionInput = z.object({
  bodyMd: z.string({ error: 'Paste the draft’s Markdown.' }).trim().min(1, 'Paste the draft’s Markdown.').max(500_000, 'Use at most 500000 characters.'),
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
  clause: z.string({ error: 'Name the clause.' }).trim().min(1, 'Name the clause.').max(40),
  type: z.enum(COMMENT_TYPES, { error: 'Choose general, technical or editorial.' }),
  text: z.string({ error: 'Write your comment.' }).trim().min(1, 'Write your comment.').max(10_000, 'Use at most 10000 characters.'),
  proposedChange: optionalText(10_000),
});
export type CommentInput = Optional<z.infer<typeof commentInput>>;

export const dispositionInput = z.object({
  decision: z.enum(DISPOSITIONS, { error: 'Choose a decision.' }),
  reason: z.string({ error: 'Give the reason for the decision.' }).trim().min(1, 'Give the reason for the decision.').max(10_000),
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

export const diffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

const part = z.coerce.number({ error: 'Enter a whole number.' }).int('Enter a whole number.').min(1, 'Use a number from 1 to 100.').max(100, 'Use a number from 1 to 100.');
export const ballotRulesInput = z
  .object({ organizationSlug: z.string().trim().min(1), quorumNumerator: part, quorumDenominator: part, passNumerator: part, passDenominator: part })
  .refine((r) => r.quorumNumerator <= r.quorumDenominator, { path: ['quorumNumerator'], message: 'A share cannot exceed the whole.' })
  .refine((r) => r.passNumerator <= r.passDenominator, { path: ['passNumerator'], message: 'A share cannot exceed the whole.' });
export type BallotRulesInput = z.infer<typeof ballotRulesInput>;
