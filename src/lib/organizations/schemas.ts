import { z } from 'zod';
import { MEMBERSHIP_ROLES, ORGANIZATION_TYPES } from '@db/schema';
import { email } from '~/lib/accounts/schemas';
import { multiLine, singleLine } from '~/lib/forms/text';
import { isValidRor, normalizeRor } from '~/lib/identifiers/ror';
import { normalizeUscc, USCC_MESSAGES, usccProblem } from '~/lib/identifiers/uscc';

/**
 * The optional profile fields, each as a check on non-blank text. On create (and in the forms) a
 * blank or null value means "none"; on PATCH it clears the field, and a key left out keeps it.
 */
const optionalFields = {
  nameZh: singleLine(200),
  descriptionMd: multiLine(20_000),
  website: singleLine(500).pipe(z.url({ protocol: /^https?$/, error: 'Enter a web address starting with https://.' })),
  rorId: singleLine(100)
    .transform(normalizeRor)
    .refine(isValidRor, 'Enter a ROR id like 03yrm5c26 (its last two digits are a checksum).'),
  code: singleLine(20)
    .transform((v) => v.toUpperCase())
    .refine((v) => /^[A-Z][A-Z0-9]{1,19}$/.test(v), 'Use 2–20 capital letters or digits, like SCBEA.'),
  /** 统一社会信用代码: spaces dropped, upper case, GB 32100 check character. */
  creditCode: singleLine(40)
    .transform(normalizeUscc)
    .refine((v) => usccProblem(v) !== 'uscc.format', USCC_MESSAGES['uscc.format'])
    .refine((v) => usccProblem(v) !== 'uscc.check', USCC_MESSAGES['uscc.check']),
};

/** Create: blank or null → undefined (none). */
const optional = <T extends z.ZodType<unknown, string>>(check: T) =>
  z
    .string()
    .trim()
    .nullish()
    .transform((v) => v || undefined)
    .pipe(check.optional());

/** PATCH: absent → undefined (keep); blank or null → null (clear). */
const clearable = <T extends z.ZodType<unknown, string>>(check: T, description: string) =>
  z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v === undefined ? undefined : v || null))
    .pipe(check.nullable().optional())
    .meta({ description: `${description} null clears it; leave the key out to keep it.` });

const name = singleLine(200, { error: 'Enter the organization’s name.' }).min(2, 'Enter the organization’s name.');
const type = z.enum(ORGANIZATION_TYPES, { error: 'Choose the kind of organization.' });

export const organizationInput = z.object({
  name,
  nameZh: optional(optionalFields.nameZh),
  type,
  descriptionMd: optional(optionalFields.descriptionMd),
  website: optional(optionalFields.website),
  rorId: optional(optionalFields.rorId),
  code: optional(optionalFields.code),
  creditCode: optional(optionalFields.creditCode),
});
export type OrganizationInput = z.infer<typeof organizationInput>;

/** PATCH body: every key optional; `null` (or an empty string) clears an optional field. */
export const organizationUpdate = z.object({
  name: name.optional(),
  nameZh: clearable(optionalFields.nameZh, 'Chinese name;'),
  type: type.optional(),
  descriptionMd: clearable(optionalFields.descriptionMd, 'Description in Markdown;'),
  website: clearable(optionalFields.website, 'Website (http or https);'),
  rorId: clearable(optionalFields.rorId, 'ROR id such as 03yrm5c26;'),
  code: clearable(optionalFields.code, 'Standards code (industry bodies only);'),
  creditCode: clearable(optionalFields.creditCode, 'Unified social credit code (统一社会信用代码, GB 32100; a company needs one to be rated);'),
});
export type OrganizationUpdate = z.infer<typeof organizationUpdate>;


export const memberInput = z.object({
  email,
  role: z.enum(MEMBERSHIP_ROLES, { error: 'Choose owner, editor or member.' }),
  votingMember: z.boolean().optional(),
});

export const rejectInput = z.object({
  reason: multiLine(2000, { error: 'Give a reason.' }).min(3, 'Give a reason.'),
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
  creditCode: z.string().nullable().describe('Unified social credit code (统一社会信用代码), 18 characters with its GB 32100 check character.'),
  rejectionReason: z.string().nullable(),
});

const identityOutput = { name: z.string(), nameZh: z.string().nullable(), type: z.enum(ORGANIZATION_TYPES) };

/** A change of name or type an editor asked for on a verified organization, waiting for an admin. */
export const pendingChangeOutput = z
  .object({ ...identityOutput, requestedAt: z.string().describe('ISO 8601; when it was last asked for') })
  .describe('The requested name, Chinese name and type. Until an admin approves them, the organization keeps showing its verified ones everywhere.');

/** One organization: what everyone sees, and for its members and admins a change waiting for review. */
export const organizationDetailOutput = organizationOutput.extend({
  pendingChange: pendingChangeOutput.nullable().describe('Shown to members and admins only; null for everyone else or when nothing waits.'),
});

export const pendingChangesOutput = z.object({
  items: z.array(
    z.object({
      slug: z.string(),
      current: z.object(identityOutput),
      requested: pendingChangeOutput,
      requestedBy: z.object({ email: z.string(), displayName: z.string() }).nullable(),
    }),
  ),
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

/** The token from an invitation's link. */
export const invitationAcceptInput = z.object({ token: z.string().min(10).max(200) });
export const invitationAcceptOutput = z.object({ organizationSlug: z.string(), role: z.enum(MEMBERSHIP_ROLES) });
export const changeDecisionForm = z.object({ slug });
export const changeRejectForm = rejectInput.extend({ slug });
