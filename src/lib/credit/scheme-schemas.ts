/** Validation of credit schemes, roles and conflicts of interest: forms, API and tests. Messages are English. */
import { z } from 'zod';
import { CREDIT_ROLES, SCHEME_STATES } from '@db/schema';
import { email } from '~/lib/accounts/schemas';
import { multiLine, singleLine } from '~/lib/forms/text';

const whole = (min: number, max: number, message: string) => z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

const clause = (message: string) => singleLine(20, { error: message }).min(1, { error: message });

/** What a scheme keeps apart from its parse: names, periods, commitment. Defaults as issue 16 gives them. */
const settings = {
  name: singleLine(200, { error: 'Name the scheme.' }).min(2, { error: 'Name the scheme.' }),
  nameZh: singleLine(200).optional(),
  validityMonths: whole(1, 120, 'Enter the validity in months (1 to 120).').default(36),
  surveillanceMonths: whole(1, 60, 'Enter the surveillance interval in months (1 to 60).').default(12),
  noticeDays: whole(1, 90, 'Enter the public notice period in days (1 to 90).').default(7),
  complaintResponseDays: whole(1, 90, 'Enter the complaint response time in days (1 to 90).').default(14),
  complaintThreshold: whole(1, 1000, 'Enter the number of unresolved complaints that flags a certificate (1 to 1,000).').default(5),
  complaintWindowMonths: whole(1, 60, 'Enter the complaint window in months (1 to 60).').default(12),
  commitmentText: multiLine(4000, { error: 'Write the credit commitment applicants sign.' }).min(10, { error: 'Write the credit commitment applicants sign.' }),
  commitmentTextZh: multiLine(4000).optional(),
};

export const schemeCreateInput = z.object({
  standardId: z.coerce.number({ error: 'Choose one of the body’s published standards.' }).int({ error: 'Choose one of the body’s published standards.' }).positive({ error: 'Choose one of the body’s published standards.' }),
  indicatorClause: clause('Choose the clause whose table lists the indicators.'),
  bandClause: clause('Choose the clause whose table lists the grade bands.'),
  ...settings,
});
export type SchemeCreateInput = z.infer<typeof schemeCreateInput>;

/** Settings change on a draft or active scheme; the parse and the standard stay as they were. */
export const schemeSettingsInput = z.object(settings);
export type SchemeSettingsInput = z.infer<typeof schemeSettingsInput>;

export const SCHEME_MOVES = ['active', 'retired'] as const;
export const schemeTransitionInput = z.object({ to: z.enum(SCHEME_MOVES, { error: 'Choose active or retired.' }) });

export const schemeListQuery = z.object({
  state: z.enum(['active', 'retired']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});

export const creditRoleInput = z.object({
  email: z.string({ error: 'Enter the member’s email address.' }).pipe(email),
  role: z.enum(CREDIT_ROLES, { error: 'Choose assessor or committee member.' }),
});

export const conflictInput = z.object({
  entitySlug: singleLine(100, { error: 'Choose the company.' }).min(1, { error: 'Choose the company.' }),
  reason: multiLine(2000, { error: 'Say what the conflict of interest is.' }).min(3, { error: 'Say what the conflict of interest is.' }),
});

/** Forms: the scheme or body a form acts on travels in a hidden field. */
const bodySlug = z.string({ error: 'No organization has that address.' }).min(1).max(100);
const schemeId = z.coerce.number().int().positive();
export const schemeCreateForm = schemeCreateInput;
export const schemeSettingsForm = schemeSettingsInput.extend({ id: schemeId });
export const schemeTransitionForm = schemeTransitionInput.extend({ id: schemeId });
export const creditRoleForm = creditRoleInput.extend({ body: bodySlug });
export const creditRoleRemoveForm = z.object({ body: bodySlug, userId: z.string().min(1).max(100), role: z.enum(CREDIT_ROLES) });
export const conflictForm = conflictInput;

export const schemeState = z.enum(SCHEME_STATES);
