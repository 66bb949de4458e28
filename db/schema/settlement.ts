import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';

export const APPLICATION_STATES = [
  'draft',
  'submitted',
  'accepted',
  'incomplete',
  'in_review',
  'information_requested',
  'recommended_approve',
  'recommended_refuse',
  'approved',
  'refused',
  'withdrawn',
  'lapsed',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const DOCUMENT_TYPES = ['pdf', 'png', 'jpeg'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** One question of a route's eligibility criteria, asked in the "route criteria" step. */
export interface RouteCriterion {
  key: string;
  label: string;
  labelZh: string;
  kind: 'yes_no' | 'number' | 'text';
  required: boolean;
  hint?: string;
  hintZh?: string;
}

/** One item of a route's document checklist. */
export interface ChecklistItem {
  key: string;
  label: string;
  labelZh: string;
  required: boolean;
  accept: DocumentType[];
  hint?: string;
  hintZh?: string;
}

/** Settlement routes are data: admins edit them, no release needed. */
export const settlementRoutes = sqliteTable(
  'settlement_routes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    nameZh: text('name_zh').notNull(),
    summary: text('summary').notNull().default(''),
    summaryZh: text('summary_zh').notNull().default(''),
    /** Whether the public points estimator applies to this route. */
    usesPoints: integer('uses_points', { mode: 'boolean' }).notNull().default(false),
    criteria: text('criteria', { mode: 'json' }).$type<RouteCriterion[]>().notNull(),
    checklist: text('checklist', { mode: 'json' }).$type<ChecklistItem[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    sort: integer('sort').notNull().default(100),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('settlement_routes_slug_unique').on(t.slug)],
);

export const RULE_KINDS = ['match', 'range', 'per_unit'] as const;

/**
 * One row of the points scheme. `match`: input equals `match`; `range`: min <= input <= max;
 * `per_unit`: floor(input / unit) * points, capped at `cap`, from `min` on. Within an indicator
 * the best matching row counts. `requires*` gates a row on another input (e.g. years paid).
 */
export const settlementPointRules = sqliteTable(
  'settlement_point_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    indicator: text('indicator').notNull(),
    input: text('input').notNull(),
    kind: text('kind', { enum: RULE_KINDS }).notNull(),
    match: text('match'),
    min: real('min'),
    max: real('max'),
    unit: real('unit'),
    cap: integer('cap'),
    points: integer('points').notNull(),
    requiresInput: text('requires_input'),
    requiresMin: real('requires_min'),
    label: text('label').notNull(),
    labelZh: text('label_zh').notNull(),
    /** ISO date the figure was last checked against its source. */
    asOf: text('as_of').notNull(),
    sourceUrl: text('source_url').notNull(),
    sourceLabel: text('source_label').notNull(),
    /** True when the figure is modelled on the published scheme but not checked against its text. */
    illustrative: integer('illustrative', { mode: 'boolean' }).notNull().default(true),
    sort: integer('sort').notNull().default(100),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('settlement_rules_indicator_idx').on(t.indicator),
    check('settlement_rules_kind_check', sql`${t.kind} in ('match','range','per_unit')`),
  ],
);

export interface RequestItem {
  key: string;
  text: string;
}

export const settlementApplications = sqliteTable(
  'settlement_applications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    routeId: integer('route_id')
      .notNull()
      .references(() => settlementRoutes.id),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    state: text('state', { enum: APPLICATION_STATES }).notNull().default('draft'),
    answers: text('answers', { mode: 'json' }).$type<Record<string, Record<string, unknown>>>().notNull(),
    reference: text('reference'),
    assigneeId: text('assignee_id').references(() => users.id),
    recommenderId: text('recommender_id').references(() => users.id),
    recommendationCodes: text('recommendation_codes', { mode: 'json' }).$type<string[]>(),
    recommendationText: text('recommendation_text'),
    deciderId: text('decider_id').references(() => users.id),
    decisionCodes: text('decision_codes', { mode: 'json' }).$type<string[]>(),
    decisionText: text('decision_text'),
    decidedAt: timestamp('decided_at'),
    /** Open request (incomplete / information requested): what is asked and by when. */
    requestItems: text('request_items', { mode: 'json' }).$type<RequestItem[]>(),
    requestMessage: text('request_message'),
    dueDate: text('due_date'),
    submittedAt: timestamp('submitted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('settlement_applications_reference_unique').on(t.reference),
    index('settlement_applications_applicant_idx').on(t.applicantId),
    index('settlement_applications_state_idx').on(t.state, t.submittedAt),
    check(
      'settlement_applications_state_check',
      sql`${t.state} in ('draft','submitted','accepted','incomplete','in_review','information_requested','recommended_approve','recommended_refuse','approved','refused','withdrawn','lapsed')`,
    ),
  ],
);

/** Last reference number issued per year; bumped inside the submitting transaction. */
export const settlementReferenceCounters = sqliteTable('settlement_reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export const settlementDocuments = sqliteTable(
  'settlement_documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => settlementApplications.id, { onDelete: 'cascade' }),
    itemKey: text('item_key').notNull(),
    /** Random file name under DATA_DIR/settlement. */
    storedName: text('stored_name').notNull(),
    /** The uploader's file name, sanitized; used for the download's Content-Disposition. */
    originalName: text('original_name').notNull(),
    type: text('type', { enum: DOCUMENT_TYPES }).notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by')
      .notNull()
      .references(() => users.id),
    /** Set when a later upload for the same item replaced this one after submission. */
    supersededAt: timestamp('superseded_at'),
    createdAt: createdAt(),
  },
  (t) => [index('settlement_documents_application_idx').on(t.applicationId, t.itemKey)],
);

/** Officers' internal notes: never shown to the applicant. */
export const settlementNotes = sqliteTable(
  'settlement_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => settlementApplications.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('settlement_notes_application_idx').on(t.applicationId)],
);

/** The case history the applicant and officers read (the audit log holds the same, append-only). */
export const settlementEvents = sqliteTable(
  'settlement_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => settlementApplications.id, { onDelete: 'cascade' }),
    actorId: text('actor_id'),
    fromState: text('from_state', { enum: APPLICATION_STATES }),
    toState: text('to_state', { enum: APPLICATION_STATES }).notNull(),
    /** What the applicant may read about the step: items asked, due date, reasons, their reply. */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: createdAt(),
  },
  (t) => [index('settlement_events_application_idx').on(t.applicationId)],
);
