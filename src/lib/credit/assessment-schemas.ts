/** What the doors accept for credit assessments; the service checks everything that needs the scheme. */
import { z } from 'zod';
import { ASSESSMENT_STATES } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const slug = z.string().regex(/^[a-z0-9-]{1,120}$/, { error: 'Choose a company.' });

export const createAssessmentInput = z.object({
  scheme: z.number({ error: 'Choose a scheme.' }).int().positive(),
  entity: slug,
});

const points = z.number({ error: 'Give whole points.' }).int({ error: 'Give whole points.' }).min(0, { error: 'Points cannot be negative.' });

export const answerInput = z.object({ points, statement: multiLine(4000).min(1, { error: 'Explain your self-assessment.' }) });
export const scoreInput = z.object({ points, rationale: multiLine(4000).min(1, { error: 'Give the rationale for this score.' }) });

export const patchAssessmentInput = z.object({
  /** Self-assessment per indicator key; merged into what was saved before. */
  answers: z.record(z.string(), answerInput).optional(),
  /** true signs the scheme's credit commitment (信用承诺) in the acting person's name. */
  commitment: z.boolean().optional(),
});

export const missingItemInput = z.union([singleLine(500).min(1), z.object({ key: z.string().max(60).optional(), text: singleLine(500).min(1) })]);

export const assessmentTransitionInput = z.object({
  to: z.enum(ASSESSMENT_STATES),
  /** Refusal reasons, a grade override's reason, or a withdrawal's. */
  reason: multiLine(4000).optional(),
  /** Scoring: points and rationale for every indicator. */
  scores: z.record(z.string(), scoreInput).optional(),
  /** Incomplete: every missing item, once. */
  items: z.array(missingItemInput).max(50).optional(),
  /** Incomplete: one due date (YYYY-MM-DD, Shanghai) for all items. */
  dueDate: z.string().regex(DATE, { error: 'Enter the date as YYYY-MM-DD.' }).optional(),
  /** Scoring: the email of the assessor who scores the case (yourself when not given). */
  assessor: z.email({ error: 'Enter an email address.' }).optional(),
  /** Public notice: the grade decided (the computed grade when not given). */
  grade: z.string().max(20).optional(),
});
export type AssessmentTransitionInput = z.infer<typeof assessmentTransitionInput>;

export const queueInput = z.object({
  state: z.enum(ASSESSMENT_STATES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
