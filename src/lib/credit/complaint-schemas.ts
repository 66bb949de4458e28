/** Validation of complaints, shared by the forms, the JSON API and tests. Messages are English. */
import { z } from 'zod';
import { COMPLAINT_CATEGORIES, COMPLAINT_OUTCOMES } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';

export const COMPLAINT_TEXT_MIN = 20;
export const COMPLAINT_TEXT_MAX = 5000;
/** Answers, replies and closing reasons. */
export const RESPONSE_TEXT_MIN = 10;

const words = (min: number, missing: string) =>
  multiLine(COMPLAINT_TEXT_MAX, { error: missing }).min(1, { error: missing }).min(min, { error: `Use at least ${min} characters.` });

export const fileComplaintInput = z.object({
  /** The rated company, by its slug. */
  entity: singleLine(120, { error: 'Name the company complained about.' }).min(1, { error: 'Name the company complained about.' }),
  /** The scheme (by id) whose body handles the complaint; needed only when the company is rated under several. */
  scheme: z.coerce.number({ error: 'Choose the scheme.' }).int({ error: 'Choose the scheme.' }).positive({ error: 'Choose the scheme.' }).optional(),
  category: z.enum(COMPLAINT_CATEGORIES, { error: 'Choose what the complaint is about.' }),
  text: words(COMPLAINT_TEXT_MIN, 'Describe what happened.'),
});
export type FileComplaintInput = z.infer<typeof fileComplaintInput>;

export const COMPLAINT_MOVES = ['answered', 'replied', 'closed'] as const;

export const complaintTransitionInput = z.object({
  to: z.enum(COMPLAINT_MOVES, { error: 'Choose answered, replied or closed.' }),
  /** The company's answer, or the complainant's reply. */
  text: multiLine(COMPLAINT_TEXT_MAX).optional(),
  /** Closing: the outcome and the committee's reason. */
  outcome: z.enum(COMPLAINT_OUTCOMES, { error: 'Choose the outcome.' }).optional(),
  reason: multiLine(COMPLAINT_TEXT_MAX).optional(),
});
export type ComplaintTransitionInput = z.infer<typeof complaintTransitionInput>;

export const MANAGE_FILTERS = ['open', 'answered', 'replied', 'overdue', 'closed'] as const;
export type ManageFilter = (typeof MANAGE_FILTERS)[number];
export const manageQuery = z.object({
  show: z.enum(MANAGE_FILTERS).catch('open').default('open'),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
