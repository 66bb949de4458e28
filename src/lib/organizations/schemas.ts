import { z } from 'zod';
import { MEMBERSHIP_ROLES, ORGANIZATION_TYPES } from '@db/schema';
import { email } from '~/lib/accounts/schemas';
import { isValidRor, normalizeRor } from '~/lib/identifiers/ror';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .nullish()
    .transform((v) => (v ? v : undefined));

export const organizationInput = z.object({
  name: z.string({ error: 'Enter the organization’s name.' }).trim().min(2, 'Enter the organization’s name.').max(200, 'Use at most 200 characters.'),
  nameZh: optionalText(200),
  type: z.enum(ORGANIZATION_TYPES, { error: 'Choose the kind of organization.' }),
  descriptionMd: optionalText(20_000),
  website: z
    .string()
    .trim()
    .max(500)
    .nullish()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter a web address starting with https://.' }).optional()),
  rorId: z
    .string()
    .trim()
    .max(100)
    .nullish()
    .transform((v) => (v ? normalizeRor(v) : undefined))
    .refine((v) => v === undefined || isValidRor(v), 'Enter a ROR id like 03yrm5c26 (its last two digits are a checksum).'),
  code: z
    .string()
    .trim()
    .max(20)
    .nullish()
    .transform((v) => (v ? v.toUpperCase() : undefined))
    .refine((v) => v === undefined || /^[A-Z][A-Z0-9]{1,19}$/.test(v), 'Use 2–20 capital letters or digits, like SCBEA.'),
});
export type OrganizationInput = z.infer<typeof organizationInput>;

export const organizationUpdate = organizationInput.partial();


export const memberInput = z.object({
  email,
  role: z.enum(MEMBERSHIP_ROLES, { error: 'Choose owner, editor or member.' }),
  votingMember: z.boolean().optional(),
});

export const rejectInput = z.object({
  reason: z.string({ error: 'Give a reason.' }).trim().min(3, 'Give a reason.').max(2000),
});

export const organizationListQuery = z.object({
  type: z.enum(ORGANIZATION_TYPES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});

export const organizationOutput = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  nameZh: z.string().nullable(),
  type: z.enum(ORGANIZATION_TYPES),
  status: z.enum(['pending', 'verified', 'rejected']),
  descriptionMd: z.string(),
  website: z.string().nullable(),
  rorId: z.string().nullable(),
  code: z.string().nullable(),
  rejectionReason: z.string().nullable(),
});

/** Forms: the organization a form acts on travels in a hidden field. */
const slug = z.string({ error: 'No organization has that address.' }).min(1).max(100);

/** The edit form posts every field; an emptied optional field clears it. */
export const organizationEditForm = organizationInput.extend({ slug });

export const memberForm = z.object({
  slug,
  email: z.string({ error: 'Enter an email address like name@example.com.' }).pipe(email),
  role: z.enum(MEMBERSHIP_ROLES, { error: 'Choose owner, editor or member.' }),
  votingMember: z.boolean().optional(),
  /** The member table's rows change an existing membership; the form below it adds one. */
  intent: z.enum(['add', 'change']).optional(),
});

export const memberRemoveForm = z.object({ slug, userId: z.string().min(1).max(100) });
export const invitationCancelForm = z.object({ slug, email: z.string().min(3).max(254) });
export const verifyForm = z.object({ slug });
export const rejectForm = rejectInput.extend({ slug });
