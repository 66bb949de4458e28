import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';
import { organizations } from './organizations';

/** Lifecycle states of a group standard (DESIGN.md §6); the transitions live in src/lib/standards/lifecycle.ts. */
export const STANDARD_STATES = [
  'proposed',
  'project_approved',
  'drafting',
  'member_consultation',
  'public_comment',
  'comment_resolution',
  'review_ballot',
  'approved',
  'published',
  'under_review',
  'confirmed',
  'revised',
  'withdrawn',
  'abandoned',
] as const;
export type StandardState = (typeof STANDARD_STATES)[number];

export const COMMENT_TYPES = ['general', 'technical', 'editorial'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];

export const DISPOSITIONS = ['accepted', 'partially_accepted', 'not_accepted', 'noted'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const VOTE_POSITIONS = ['approve', 'disapprove', 'abstain'] as const;
export type VotePosition = (typeof VOTE_POSITIONS)[number];

export const standards = sqliteTable(
  'standards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    titleZh: text('title_zh'),
    scopeMd: text('scope_md').notNull().default(''),
    state: text('state', { enum: STANDARD_STATES }).notNull().default('proposed'),
    stageCode: text('stage_code').notNull().default('00.00'),
    /** Set once the draft reaches public comment; from then on it stays public (even if abandoned). */
    everPublic: integer('ever_public', { mode: 'boolean' }).notNull().default(false),
    commentPeriodDays: integer('comment_period_days'),
    commentOpensAt: timestamp('comment_opens_at'),
    commentClosesAt: timestamp('comment_closes_at'),
    /** Which review ballot this is (a failed ballot sends the draft back; the next one starts afresh). */
    ballotRound: integer('ballot_round').notNull().default(0),
    number: text('number'),
    numberYear: integer('number_year'),
    numberSequence: integer('number_sequence'),
    publishedAt: timestamp('published_at'),
    effectiveDate: text('effective_date'),
    revisionOf: integer('revision_of'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('standards_number_unique').on(t.number),
    uniqueIndex('standards_org_year_seq_unique').on(t.organizationId, t.numberYear, t.numberSequence),
    index('standards_org_state_idx').on(t.organizationId, t.state),
    check('standards_comment_period_check', sql`${t.commentPeriodDays} IS NULL OR ${t.commentPeriodDays} >= 30`),
  ],
);

/** Immutable: rows are only ever inserted. */
export const standardVersions = sqliteTable(
  'standard_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    bodyMd: text('body_md').notNull(),
    note: text('note'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('standard_versions_unique').on(t.standardId, t.number)],
);

export const standardTransitions = sqliteTable(
  'standard_transitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    fromState: text('from_state', { enum: STANDARD_STATES }),
    toState: text('to_state', { enum: STANDARD_STATES }).notNull(),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    at: timestamp('at').notNull(),
  },
  (t) => [index('standard_transitions_idx').on(t.standardId, t.at)],
);

export const standardComments = sqliteTable(
  'standard_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    versionNumber: integer('version_number').notNull(),
    clause: text('clause').notNull(),
    /** The clause's text when the comment was made, for the resolution table. */
    originalText: text('original_text').notNull().default(''),
    type: text('type', { enum: COMMENT_TYPES }).notNull(),
    text: text('text').notNull(),
    proposedChange: text('proposed_change'),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** The state in which it was made: public_comment or member_consultation. */
    madeDuring: text('made_during', { enum: STANDARD_STATES }).notNull(),
    decision: text('decision', { enum: DISPOSITIONS }),
    dispositionReason: text('disposition_reason'),
    resolvedInVersion: integer('resolved_in_version'),
    disposedBy: text('disposed_by').references(() => users.id, { onDelete: 'set null' }),
    disposedAt: timestamp('disposed_at'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('standard_comments_idx').on(t.standardId, t.id)],
);

export const standardVotes = sqliteTable(
  'standard_votes',
  {
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    position: text('position', { enum: VOTE_POSITIONS }).notNull(),
    reason: text('reason'),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.standardId, t.round, t.userId] }),
    check('standard_votes_reason_check', sql`${t.position} <> 'disapprove' OR length(trim(coalesce(${t.reason}, ''))) > 0`),
  ],
);

/** The last sequence number used per body per year; bumped inside the publishing transaction. */
export const standardNumberCounters = sqliteTable(
  'standard_number_counters',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    lastSequence: integer('last_sequence').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.year] })],
);

/** Per-body ballot rules as fractions (numerator/denominator) so no float rounding decides a vote. */
export const standardBodySettings = sqliteTable(
  'standard_body_settings',
  {
    organizationId: integer('organization_id')
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    quorumNumerator: integer('quorum_numerator').notNull().default(2),
    quorumDenominator: integer('quorum_denominator').notNull().default(3),
    passNumerator: integer('pass_numerator').notNull().default(3),
    passDenominator: integer('pass_denominator').notNull().default(4),
  },
  (t) => [
    check('standard_body_settings_check', sql`${t.quorumDenominator} > 0 AND ${t.passDenominator} > 0 AND ${t.quorumNumerator} <= ${t.quorumDenominator} AND ${t.passNumerator} <= ${t.passDenominator}`),
  ],
);
