/** Validation shared by the settlement forms, the JSON API and tests. Messages are English. */
import { z } from 'zod';
import { APPLICATION_STATES } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';
import { USCC_MESSAGES, usccProblem } from '~/lib/identifiers/uscc';

export const EDUCATION_LEVELS = ['college', 'bachelor_no_degree', 'bachelor', 'master', 'doctorate'] as const;
export const TITLE_LEVELS = ['none', 'level4', 'level3', 'intermediate', 'senior'] as const;

const num = (message: string, min = 0, max = 1e9) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number({ error: message }).min(min, { error: message }).max(max, { error: message }));

export const estimateInput = z.object({
  age: num('Enter your age in years (16 to 100).', 16, 100).pipe(z.number().int({ error: 'Enter your age in whole years.' })),
  education: z.enum(EDUCATION_LEVELS, { error: 'Choose your highest education.' }),
  title: z.enum(TITLE_LEVELS, { error: 'Choose a professional title or skill level.' }).default('none'),
  socialInsuranceBase: num('Enter the base as a multiple of the average wage, for example 1.5.', 0, 20).default(0),
  socialInsuranceYears: num('Enter the number of years (0 to 50).', 0, 50).default(0),
  annualTax: num('Enter the average annual tax in units of CNY 10,000 (0 or more).', 0, 1e6).default(0),
  localEmployees: num('Enter the number of employees (0 or more).', 0, 1e6).default(0),
});
export type EstimateInputData = z.infer<typeof estimateInput>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = (message: string) => z.string({ error: message }).regex(DATE, { error: message }).refine((s) => !Number.isNaN(Date.parse(s)), { error: message });

/** The application's sections; a step form saves exactly one. */
export const personalSection = z.object({
  fullName: singleLine(100, { error: 'Enter your full name.' }).min(1, { error: 'Enter your full name.' }),
  nationality: singleLine(60, { error: 'Enter your nationality.' }).min(2, { error: 'Enter your nationality.' }),
  idType: z.enum(['passport', 'id_card', 'other'], { error: 'Choose the type of identity document.' }),
  idNumber: z
    .string({ error: 'Enter the document number: 5 to 30 letters, digits or hyphens.' })
    .trim()
    .regex(/^[A-Za-z0-9-]{5,30}$/, { error: 'Enter the document number: 5 to 30 letters, digits or hyphens.' }),
  dateOfBirth: isoDate('Enter your date of birth as YYYY-MM-DD.'),
  phone: z.string({ error: 'Enter a phone number, for example +86 21 1234 5678.' }).trim().regex(/^\+?[0-9 ()-]{6,25}$/, { error: 'Enter a phone number, for example +86 21 1234 5678.' }),
});

export const companySection = z.object({
  name: singleLine(200, { error: 'Enter the company name.' }).min(2, { error: 'Enter the company name.' }),
  creditCode: z
    .string({ error: 'Enter the 18-character unified social credit code.' })
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, { error: 'Enter the 18-character unified social credit code.' })
    .refine((v) => usccProblem(v) !== 'uscc.check', { error: USCC_MESSAGES['uscc.check'] }),
  role: singleLine(100, { error: 'Enter your role in the company.' }).min(2, { error: 'Enter your role in the company.' }),
  employees: num('Enter the number of employees (0 or more).', 0, 1e6).pipe(z.number().int({ error: 'Enter a whole number.' })),
});

export const declarationSection = z.object({
  agreed: z.union([z.literal('yes'), z.literal(true)], { error: 'Confirm the declaration to continue.' }).transform(() => 'yes' as const),
  signedName: singleLine(100, { error: 'Type your full name as a signature.' }).min(1, { error: 'Type your full name as a signature.' }),
});

export const SECTIONS = ['personal', 'criteria', 'company', 'declaration'] as const;
export type Section = (typeof SECTIONS)[number];

export const createApplicationInput = z.object({ route: singleLine(80).min(1) });

export const patchApplicationInput = z.object({
  answers: z.partialRecord(z.enum(SECTIONS, { error: 'Unknown section.' }), z.record(z.string(), z.unknown())),
});

const reasonList = z.union([
  z.array(singleLine(60).min(1)),
  z.array(z.object({ code: singleLine(60).min(1), text: multiLine(4000).optional() })),
]);

export const transitionInput = z.object({
  to: z.enum(APPLICATION_STATES, { error: 'Unknown state.' }),
  reasons: reasonList.optional(),
  /** Free text explaining the reasons (recommendations and decisions), or the applicant's reply. */
  text: multiLine(4000).optional(),
  items: z.array(z.union([singleLine(500).min(1), z.object({ key: singleLine(60).optional(), text: singleLine(500).min(1) })])).max(50).optional(),
  dueDate: isoDate('Enter the due date as YYYY-MM-DD.').optional(),
  assignee: z.email({ error: 'Enter the officer’s email address.' }).optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

export const queueQuery = z.object({
  state: z.enum(APPLICATION_STATES).optional(),
  route: z.string().max(80).optional(),
  /** Only cases submitted at least this many days ago. */
  minAgeDays: z.coerce.number().int().min(0).max(3650).optional(),
  mine: z.enum(['1', '0']).optional(),
  page: z.coerce.number().int().min(1).max(10000).default(1),
});

export const noteInput = z.object({ body: multiLine(4000).min(1, { error: 'Write the note.' }) });

export const routeEditInput = z.object({
  name: singleLine(200).min(2).optional(),
  nameZh: singleLine(200).min(1).optional(),
  summary: multiLine(1000).optional(),
  summaryZh: multiLine(1000).optional(),
  active: z.boolean().optional(),
  criteria: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9_]{1,60}$/),
        label: singleLine(300).min(1),
        labelZh: singleLine(300).min(1),
        kind: z.enum(['yes_no', 'number', 'text']),
        required: z.boolean(),
        hint: multiLine(500).optional(),
        hintZh: multiLine(500).optional(),
      }),
    )
    .optional(),
  checklist: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9_]{1,60}$/),
        label: singleLine(300).min(1),
        labelZh: singleLine(300).min(1),
        required: z.boolean(),
        accept: z.array(z.enum(['pdf', 'png', 'jpeg'])).min(1),
        hint: multiLine(500).optional(),
        hintZh: multiLine(500).optional(),
      }),
    )
    .optional(),
});

export const ruleEditInput = z.object({
  points: z.number().int().min(-200).max(500).optional(),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  unit: z.number().positive().nullable().optional(),
  cap: z.number().int().nullable().optional(),
  label: singleLine(300).min(1).optional(),
  labelZh: singleLine(300).min(1).optional(),
  asOf: isoDate('Enter the date as YYYY-MM-DD.').optional(),
  sourceUrl: z.url().optional(),
  sourceLabel: singleLine(500).min(1).optional(),
  illustrative: z.boolean().optional(),
});
