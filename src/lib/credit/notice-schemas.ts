/** What the notice, objection and appeal doors accept (API bodies and forms alike). */
import { z } from 'zod';
import { OBJECTION_DECISIONS } from '@db/schema';
import { multiLine } from '~/lib/forms/text';

const id = (error: string) => z.coerce.number({ error }).int({ error }).positive({ error });

export const objectionInput = z.object({
  assessment: id('Unknown public notice.'),
  text: multiLine(5000, { error: 'Give the reasons for your objection.' }).min(1, 'Give the reasons for your objection.'),
});
export type ObjectionInput = z.infer<typeof objectionInput>;

export const objectionDispositionInput = z.object({
  decision: z.enum(OBJECTION_DECISIONS, { error: 'Choose upheld or not upheld.' }),
  reason: multiLine(5000, { error: 'Give the reason for the decision.' }).min(1, 'Give the reason for the decision.'),
});
export type ObjectionDispositionInput = z.infer<typeof objectionDispositionInput>;

/** The refused assessment or the suspended or withdrawn certificate appealed: exactly one of them. */
export const appealInput = z
  .object({
    assessment: id('Unknown assessment.').optional(),
    certificate: id('Unknown certificate.').optional(),
    grounds: multiLine(10_000, { error: 'Give the grounds of the appeal.' }).min(1, 'Give the grounds of the appeal.'),
  })
  .refine((v) => (v.assessment === undefined) !== (v.certificate === undefined), { path: ['assessment'], message: 'Appeal either an assessment or a certificate.' });
export type AppealInput = z.infer<typeof appealInput>;

export const APPEAL_DECISIONS = ['upheld', 'dismissed'] as const;
export const appealDecisionInput = z.object({
  decision: z.enum(APPEAL_DECISIONS, { error: 'Choose upheld or dismissed.' }),
  reason: multiLine(5000, { error: 'Give the reason for the decision.' }).min(1, 'Give the reason for the decision.'),
});
export type AppealDecisionInput = z.infer<typeof appealDecisionInput>;

export const noticesQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});
