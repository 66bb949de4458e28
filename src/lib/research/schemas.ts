/** Research registry input and output shapes, shared by the API, the forms and the seed. */
import { z } from 'zod';
import {
  FINDING_ACCESS,
  FINDING_STATUSES,
  FINDING_TYPES,
  PERSON_ROLES,
  PROJECT_ORGANIZATION_ROLES,
  PROJECT_STATUSES,
  RESEARCH_TOPICS,
} from '@db/schema';
import { email } from '~/lib/accounts/schemas';
import { CONTROL_CHARACTER_MESSAGE, isMultiLineText, multiLine, singleLine } from '~/lib/forms/text';
import { doiProblem, normalizeDoi } from '~/lib/identifiers/doi';
import { normalizeOrcid, orcidProblem } from '~/lib/identifiers/orcid';
import { isCountryCode, isCurrencyCode } from './codes';

/** Licences a finding may carry (SPDX ids). */
export const SPDX_LICENCES = [
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC-BY-ND-4.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-SA-4.0',
  'CC-BY-NC-ND-4.0',
  'CC0-1.0',
  'ODbL-1.0',
  'ODC-By-1.0',
  'PDDL-1.0',
  'MIT',
  'Apache-2.0',
] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, multiLine(max).optional());
const optionalLine = (max: number) => z.preprocess(blankToUndefined, singleLine(max).optional());

const isoDate = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), message);

export const orcid = singleLine(100)
  .superRefine((v, ctx) => {
    const problem = orcidProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizeOrcid);

export const doi = singleLine(300)
  .superRefine((v, ctx) => {
    const problem = doiProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizeDoi);

const countryCode = z
  .string({ error: 'Enter a two-letter country code such as CN.' })
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'Enter an ISO 3166-1 two-letter country code such as CN, US or DE.');

export const corridorInput = z
  .object({ origin: countryCode, destination: countryCode })
  .refine((c) => c.origin !== c.destination, { message: 'A trade corridor joins two different countries.', path: ['destination'] });

export const personInput = z.object({
  name: singleLine(200, { error: 'Enter the person’s name.' }).min(1, 'Enter the person’s name.'),
  orcid: z.preprocess(blankToUndefined, orcid.optional()),
  role: z.enum(PERSON_ROLES, { error: 'Choose PI, co-investigator or researcher.' }),
  /** Links the person to an account: they may then edit the project. */
  email: z.preprocess(blankToUndefined, email.optional()),
});

export const partnerInput = z.object({
  organizationSlug: singleLine(100, { error: 'Choose an organization.' }).min(1, 'Choose an organization.'),
  role: z.enum(PROJECT_ORGANIZATION_ROLES.filter((r) => r !== 'lead') as ['partner', 'industry_partner', 'funder', 'data_provider'], {
    error: 'Choose partner, industry partner, funder or data provider.',
  }),
});

export const fundingInput = z
  .object({
    funder: singleLine(200, { error: 'Enter the funder.' }).min(1, 'Enter the funder.'),
    awardNumber: optionalLine(100),
    amountMinor: z.preprocess(
      blankToUndefined,
      z.number({ error: 'Enter the amount in minor units (fen, cents) as a whole number.' }).int('Enter the amount in minor units (fen, cents) as a whole number.').min(0, 'The amount cannot be negative.').max(Number.MAX_SAFE_INTEGER).optional(),
    ),
    currency: z.preprocess(
      blankToUndefined,
      z.string().trim().toUpperCase().refine(isCurrencyCode, 'Enter an ISO 4217 currency code such as CNY, USD or EUR.').optional(),
    ),
  })
  .refine((f) => f.amountMinor === undefined || f.currency !== undefined, { message: 'Give the currency of the amount.', path: ['currency'] });

const projectFields = {
  title: singleLine(300, { error: 'Enter a title.' }).min(3, 'Enter a title of at least 3 characters.'),
  titleZh: optionalLine(300),
  acronym: optionalLine(30),
  abstractMd: multiLine(20_000, { error: 'Write an abstract.', tooLong: 'Use at most 20,000 characters.' }).min(10, 'Write an abstract of at least 10 characters.'),
  status: z.enum(PROJECT_STATUSES, { error: 'Choose planned, active, completed or terminated.' }),
  startDate: isoDate('Enter the start date as YYYY-MM-DD.'),
  endDate: z.preprocess(blankToUndefined, isoDate('Enter the end date as YYYY-MM-DD.').optional()),
  keywords: z.array(singleLine(60, { tooLong: 'Keep each keyword under 60 characters.' }).min(1)).max(20, 'Use at most 20 keywords.').optional(),
  topics: z.array(z.enum(RESEARCH_TOPICS, { error: 'Choose topics from the list.' })).max(12).optional(),
  corridors: z.array(corridorInput).max(20, 'Use at most 20 trade corridors.').optional(),
  people: z.array(personInput).max(50, 'Use at most 50 people.').optional(),
  partners: z.array(partnerInput).max(20, 'Use at most 20 partner organizations.').optional(),
  funding: z.array(fundingInput).max(20, 'Use at most 20 funding awards.').optional(),
};

const endNotBeforeStart = (p: { startDate?: string; endDate?: string }) => !p.startDate || !p.endDate || p.endDate >= p.startDate;
const endMessage = { message: 'The end date cannot be before the start date.', path: ['endDate'] };

export const projectInput = z
  .object({
    organizationSlug: singleLine(100, { error: 'Choose the lead organization.' }).min(1, 'Choose the lead organization.'),
    ...projectFields,
  })
  .refine(endNotBeforeStart, endMessage);
export type ProjectInput = z.infer<typeof projectInput>;

/** PATCH: every field optional; a list that is sent replaces the whole list; `endDate: null` clears it. */
export const projectUpdate = z
  .object({ ...projectFields, endDate: z.union([z.null(), isoDate('Enter the end date as YYYY-MM-DD.')]) })
  .partial()
  .refine((p) => endNotBeforeStart({ startDate: p.startDate, endDate: p.endDate ?? undefined }), endMessage);
export type ProjectUpdate = z.infer<typeof projectUpdate>;

export const projectListQuery = z.object({
  status: z.preprocess(blankToUndefined, z.enum(PROJECT_STATUSES).optional()),
  topic: z.preprocess(blankToUndefined, z.enum(RESEARCH_TOPICS).optional()),
  organization: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  /** `CN-US`: projects with that origin → destination corridor; `CN` alone: either end. */
  corridor: z.preprocess(
    blankToUndefined,
    z.string().trim().toUpperCase().regex(/^[A-Z]{2}(-[A-Z]{2})?$/, 'Write a corridor as CN-US, or one country code.').optional(),
  ),
  year: z.preprocess(blankToUndefined, z.coerce.number().int().min(1900).max(2200).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).default(1)),
  perPage: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
});
export type ProjectListQuery = z.infer<typeof projectListQuery>;

const findingFields = {
  type: z.enum(FINDING_TYPES, { error: 'Choose article, report, working paper, dataset or policy brief.' }),
  title: singleLine(300, { error: 'Enter a title.' }).min(3, 'Enter a title of at least 3 characters.'),
  titleZh: optionalLine(300),
  licence: z.enum(SPDX_LICENCES, { error: 'Choose a licence from the list.' }),
  access: z.enum(FINDING_ACCESS, { error: 'Choose open, embargoed or metadata only.' }),
  embargoUntil: z.preprocess(blankToUndefined, isoDate('Enter the embargo date as YYYY-MM-DD.').optional()),
  doi: z.preprocess(blankToUndefined, doi.optional()),
};

const embargoNeedsDate = (f: { access?: string; embargoUntil?: string }) => f.access !== 'embargoed' || !!f.embargoUntil;
const embargoMessage = { message: 'Give the date the embargo ends.', path: ['embargoUntil'] };

export const findingInput = z.object(findingFields).refine(embargoNeedsDate, embargoMessage);
export type FindingInput = z.infer<typeof findingInput>;

export const findingUpdate = z.object(findingFields).partial();
export type FindingUpdate = z.infer<typeof findingUpdate>;

export const versionInput = z.object({
  // Not trimmed: a body may start with indented code.
  bodyMd: z.string({ error: 'Write the text.' }).min(1, 'Write the text.').max(500_000, 'Use at most 500,000 characters.').refine(isMultiLineText, CONTROL_CHARACTER_MESSAGE),
  changelog: optionalText(5_000),
});
export type VersionInput = z.infer<typeof versionInput>;

export const unpublishInput = z.object({
  reason: multiLine(2_000, { error: 'Give a reason.', tooLong: 'Use at most 2,000 characters.' }).min(3, 'Give a reason.'),
});

export const CITATION_FORMATS = ['bibtex', 'ris', 'csl-json'] as const;
export const citeQuery = z.object({ format: z.enum(CITATION_FORMATS, { error: 'Choose bibtex, ris or csl-json.' }).default('bibtex') });

export const diffQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
  mode: z.enum(['words', 'lines']).default('words'),
});

export const findingOutput = z.object({
  id: z.number(),
  projectId: z.number(),
  type: z.enum(FINDING_TYPES),
  title: z.string(),
  titleZh: z.string().nullable(),
  licence: z.string(),
  access: z.enum(FINDING_ACCESS),
  embargoUntil: z.string().nullable(),
  doi: z.string().nullable(),
  status: z.enum(FINDING_STATUSES),
  publishedAt: z.string().nullable(),
  bodyVisible: z.boolean(),
  versions: z.array(
    z.object({ number: z.number(), changelog: z.string().nullable(), publishedAt: z.string().nullable(), bodyMd: z.string().nullable() }),
  ),
});

export const projectOutput = z.object({
  id: z.number(),
  title: z.string(),
  titleZh: z.string().nullable(),
  acronym: z.string().nullable(),
  abstractMd: z.string(),
  status: z.enum(PROJECT_STATUSES),
  startDate: z.string(),
  endDate: z.string().nullable(),
  keywords: z.array(z.string()),
  topics: z.array(z.string()),
  corridors: z.array(z.object({ origin: z.string(), destination: z.string() })),
  organizations: z.array(z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), role: z.string(), verified: z.boolean(), rorId: z.string().nullable() })),
  people: z.array(z.object({ name: z.string(), orcid: z.string().nullable(), role: z.string() })),
  funding: z.array(z.object({ funder: z.string(), awardNumber: z.string().nullable(), amountMinor: z.number().nullable(), currency: z.string().nullable() })),
  findings: z.array(z.object({ id: z.number(), type: z.string(), title: z.string(), titleZh: z.string().nullable(), status: z.string() })),
});
