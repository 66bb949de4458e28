import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';

export const ORGANIZATION_TYPES = [
  'university',
  'training_agency',
  'industry_body',
  'company',
  'ngo',
  'research_facility',
  'government',
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const ORGANIZATION_STATUSES = ['pending', 'verified', 'rejected'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

export const MEMBERSHIP_ROLES = ['owner', 'editor', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const organizations = sqliteTable(
  'organizations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    nameZh: text('name_zh'),
    type: text('type', { enum: ORGANIZATION_TYPES }).notNull(),
    descriptionMd: text('description_md').notNull().default(''),
    website: text('website'),
    rorId: text('ror_id'),
    /** Short code used in standard numbers (T/{code} …), for industry bodies. */
    code: text('code'),
    /** 统一社会信用代码 (GB 32100), for companies: 18 characters with a check character. */
    creditCode: text('credit_code'),
    status: text('status', { enum: ORGANIZATION_STATUSES }).notNull().default('pending'),
    rejectionReason: text('rejection_reason'),
    verifiedAt: timestamp('verified_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organizations_slug_unique').on(t.slug),
    uniqueIndex('organizations_credit_code_unique').on(t.creditCode).where(sql`credit_code IS NOT NULL`),
    // The directory lists verified organizations by name, with or without a type filter.
    index('organizations_type_status_name_idx').on(t.type, t.status, t.name),
    index('organizations_status_name_idx').on(t.status, t.name),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    /** Industry bodies: whether this member votes in review ballots. */
    votingMember: integer('voting_member', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
  ],
);

/**
 * An invitation to an address. It becomes a membership when the address is verified, or when the
 * signed-in owner of the address accepts it through the mailed link (only its SHA-256 is kept).
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    /** Carried into the membership at sign-up (industry bodies: votes in review ballots). */
    votingMember: integer('voting_member', { mode: 'boolean' }).notNull().default(false),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_org_email_unique').on(t.organizationId, t.email), uniqueIndex('invitations_token_hash_unique').on(t.tokenHash)],
);

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/**
 * A change of name or type that an editor asked for on a verified organization. Until an admin
 * approves it the organization keeps its verified name and type everywhere (pages, search,
 * courses, certificates, standards); at most one request per organization is pending, and it
 * holds the whole requested identity (name, Chinese name, type).
 */
export const organizationChangeRequests = sqliteTable(
  'organization_change_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameZh: text('name_zh'),
    type: text('type', { enum: ORGANIZATION_TYPES }).notNull(),
    status: text('status', { enum: CHANGE_REQUEST_STATUSES }).notNull().default('pending'),
    /** Why an admin rejected it. */
    reason: text('reason'),
    requestedBy: text('requested_by').references(() => users.id, { onDelete: 'set null' }),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    decidedAt: timestamp('decided_at'),
  },
  (t) => [
    uniqueIndex('organization_change_requests_one_pending').on(t.organizationId).where(sql`status = 'pending'`),
    index('organization_change_requests_status_created_idx').on(t.status, t.createdAt),
  ],
);
