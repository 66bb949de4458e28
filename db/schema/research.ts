import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';
import { organizations } from './organizations';

export const PROJECT_STATUSES = ['planned', 'active', 'completed', 'terminated'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** The controlled topic list (DESIGN §5); labels live in the research dictionary. */
export const RESEARCH_TOPICS = [
  'logistics',
  'payments_finance',
  'customs_compliance',
  'tax',
  'platforms_marketplaces',
  'marketing',
  'data_ai',
  'consumer_protection',
  'talent_education',
  'standards_credit',
  'trade_policy',
  'sustainability',
] as const;
export type ResearchTopic = (typeof RESEARCH_TOPICS)[number];

export const PROJECT_ORGANIZATION_ROLES = ['lead', 'partner', 'industry_partner', 'funder', 'data_provider'] as const;
export type ProjectOrganizationRole = (typeof PROJECT_ORGANIZATION_ROLES)[number];

export const PERSON_ROLES = ['pi', 'co_investigator', 'researcher'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const FINDING_TYPES = ['article', 'report', 'working_paper', 'dataset', 'policy_brief'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export const FINDING_ACCESS = ['open', 'embargoed', 'metadata_only'] as const;
export type FindingAccess = (typeof FINDING_ACCESS)[number];

/** draft: never published; published: public; unpublished: withdrawn by an admin. */
export const FINDING_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface TradeCorridor {
  /** ISO 3166-1 alpha-2, upper case. */
  origin: string;
  destination: string;
}

export const researchProjects = sqliteTable(
  'research_projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    titleZh: text('title_zh'),
    acronym: text('acronym'),
    abstractMd: text('abstract_md').notNull(),
    status: text('status', { enum: PROJECT_STATUSES }).notNull(),
    /** ISO dates (YYYY-MM-DD). */
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull().default([]),
    topics: text('topics', { mode: 'json' }).$type<ResearchTopic[]>().notNull().default([]),
    corridors: text('corridors', { mode: 'json' }).$type<TradeCorridor[]>().notNull().default([]),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('research_projects_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
    index('research_projects_status_idx').on(t.status),
    index('research_projects_start_idx').on(t.startDate),
  ],
);

/** Organizations on a project; exactly one has the role `lead` (enforced by a partial unique index). */
export const researchProjectOrganizations = sqliteTable(
  'research_project_organizations',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => researchProjects.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    role: text('role', { enum: PROJECT_ORGANIZATION_ROLES }).notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.organizationId] }),
    uniqueIndex('research_project_one_lead').on(t.projectId).where(sql`role = 'lead'`),
    index('research_project_orgs_org_idx').on(t.organizationId),
  ],
);

export const researchProjectPeople = sqliteTable(
  'research_project_people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => researchProjects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Normalized to 0000-0000-0000-000X. */
    orcid: text('orcid'),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    /** The linked account: this person may edit the project and read embargoed bodies. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The address given for this person; linked to its account once the address is verified. */
    email: text('email'),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('research_people_project_idx').on(t.projectId),
    index('research_people_user_idx').on(t.userId),
    index('research_people_email_idx').on(sql`lower(${t.email})`).where(sql`${t.userId} IS NULL AND ${t.email} IS NOT NULL`),
  ],
);

export const researchFunding = sqliteTable(
  'research_funding',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => researchProjects.id, { onDelete: 'cascade' }),
    funder: text('funder').notNull(),
    awardNumber: text('award_number'),
    /** In the currency's minor unit (fen, cents); the exponent comes from ISO 4217. */
    amountMinor: integer('amount_minor'),
    currency: text('currency'),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('research_funding_project_idx').on(t.projectId),
    check('research_funding_amount', sql`${t.amountMinor} IS NULL OR (${t.amountMinor} >= 0 AND ${t.currency} IS NOT NULL)`),
  ],
);

export const researchFindings = sqliteTable(
  'research_findings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => researchProjects.id, { onDelete: 'cascade' }),
    type: text('type', { enum: FINDING_TYPES }).notNull(),
    title: text('title').notNull(),
    titleZh: text('title_zh'),
    /** SPDX licence id. */
    licence: text('licence').notNull(),
    access: text('access', { enum: FINDING_ACCESS }).notNull(),
    /** ISO date; the body becomes public at 00:00 Shanghai time that day. */
    embargoUntil: text('embargo_until'),
    /** Normalized (no resolver prefix); compared case-insensitively. */
    doi: text('doi'),
    status: text('status', { enum: FINDING_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at'),
    unpublishedAt: timestamp('unpublished_at'),
    unpublishReason: text('unpublish_reason'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('research_findings_project_idx').on(t.projectId),
    index('research_findings_published_idx').on(t.status, t.publishedAt),
    uniqueIndex('research_findings_doi_unique').on(sql`lower(${t.doi})`),
    check('research_findings_embargo', sql`${t.access} <> 'embargoed' OR ${t.embargoUntil} IS NOT NULL`),
  ],
);

/**
 * Versions of a finding's body. A published version never changes: the service refuses and a
 * trigger (migration research_sql) aborts any UPDATE or DELETE of a row with `published_at` set.
 */
export const researchFindingVersions = sqliteTable(
  'research_finding_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    findingId: integer('finding_id')
      .notNull()
      .references(() => researchFindings.id, { onDelete: 'restrict' }),
    number: integer('number').notNull(),
    bodyMd: text('body_md').notNull(),
    changelog: text('changelog'),
    publishedAt: timestamp('published_at'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('research_versions_number_unique').on(t.findingId, t.number),
    check('research_versions_changelog', sql`${t.number} = 1 OR length(trim(coalesce(${t.changelog}, ''))) > 0`),
  ],
);
