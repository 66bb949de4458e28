/**
 * Credit certification (DESIGN.md, issue 16): an industry body grades companies against its own
 * published T/ standard. A scheme turns two clauses of that standard (indicators, grade bands) into
 * data; an assessment scores a company indicator by indicator; a certificate records the grade and
 * its validity; complaints, objections and appeals are the public's and the company's ways back in.
 * Points and band minimums are integers, so no rounding ever decides a grade.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';
import { organizations } from './organizations';
import { standards } from './standards';
import { DOCUMENT_TYPES } from './settlement';

export const SCHEME_STATES = ['draft', 'active', 'retired'] as const;
export type SchemeState = (typeof SCHEME_STATES)[number];

/** One indicator of a scheme, parsed from the standard's indicator clause. */
export interface SchemeIndicator {
  /** Stable key within the scheme: `i1`, `i2`, … in table order. */
  key: string;
  label: string;
  labelZh?: string;
  /** The most points an assessor may award (a weight in per cent is read as points out of 100). */
  maxPoints: number;
  /** The clause of the standard the indicator rests on (the indicator clause, or a row's own reference). */
  clause: string;
}

/** One grade band: the grade goes to a total of at least `minScore` points. Ordered best first. */
export interface SchemeBand {
  grade: string;
  minScore: number;
}

export const DEFAULT_GRADES = ['AAA', 'AA', 'A', 'B', 'C'] as const;

export const creditSchemes = sqliteTable(
  'credit_schemes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The industry body that runs the scheme. */
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    nameZh: text('name_zh'),
    /** The published standard the grade is computed from, and the version and clauses parsed. */
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id),
    standardNumber: text('standard_number').notNull(),
    standardVersion: integer('standard_version').notNull(),
    indicatorClause: text('indicator_clause').notNull(),
    bandClause: text('band_clause').notNull(),
    indicators: text('indicators', { mode: 'json' }).$type<SchemeIndicator[]>().notNull(),
    bands: text('bands', { mode: 'json' }).$type<SchemeBand[]>().notNull(),
    validityMonths: integer('validity_months').notNull().default(36),
    surveillanceMonths: integer('surveillance_months').notNull().default(12),
    noticeDays: integer('notice_days').notNull().default(7),
    complaintResponseDays: integer('complaint_response_days').notNull().default(14),
    /** Unresolved complaints within `complaintWindowMonths` that flag a certificate for early surveillance. */
    complaintThreshold: integer('complaint_threshold').notNull().default(5),
    complaintWindowMonths: integer('complaint_window_months').notNull().default(12),
    /** 信用承诺: the text an applicant signs. */
    commitmentText: text('commitment_text').notNull(),
    commitmentTextZh: text('commitment_text_zh'),
    state: text('state', { enum: SCHEME_STATES }).notNull().default('draft'),
    /** Set when the standard is revised or withdrawn: certificates must move to the new basis by then (YYYY-MM-DD). */
    transitionDeadline: text('transition_deadline'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('credit_schemes_org_state_idx').on(t.organizationId, t.state),
    index('credit_schemes_standard_idx').on(t.standardId),
    check('credit_schemes_state_check', sql`${t.state} in ('draft','active','retired')`),
    check(
      'credit_schemes_periods_check',
      sql`${t.validityMonths} > 0 AND ${t.surveillanceMonths} > 0 AND ${t.noticeDays} > 0 AND ${t.complaintResponseDays} > 0 AND ${t.complaintThreshold} > 0 AND ${t.complaintWindowMonths} > 0`,
    ),
  ],
);

export const CREDIT_ROLES = ['assessor', 'committee'] as const;
export type CreditRole = (typeof CREDIT_ROLES)[number];

/** Members of a body named by its owner as assessors or committee members (a person may be both). */
export const creditRoles = sqliteTable(
  'credit_roles',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: CREDIT_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId, t.role] }), index('credit_roles_user_idx').on(t.userId)],
);

/** A person's declared conflict of interest on a company: they take no case of it. */
export const creditConflicts = sqliteTable(
  'credit_conflicts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    entityId: integer('entity_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.entityId] })],
);

export const ASSESSMENT_STATES = [
  'draft',
  'submitted',
  'screening',
  'incomplete',
  'scoring',
  'decision',
  'public_notice',
  'granted',
  'refused',
  'withdrawn',
  'lapsed',
] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];
/** States in which an assessment is still live: at most one per entity per scheme. */
export const LIVE_ASSESSMENT_STATES = ['draft', 'submitted', 'screening', 'incomplete', 'scoring', 'decision', 'public_notice'] as const;

/** The applicant's answer to one indicator. */
export interface SelfAssessment {
  points: number;
  statement: string;
}

/** The assessor's score of one indicator. */
export interface IndicatorScore {
  points: number;
  rationale: string;
}

export interface MissingItem {
  key: string;
  text: string;
}

export const creditAssessments = sqliteTable(
  'credit_assessments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    schemeId: integer('scheme_id')
      .notNull()
      .references(() => creditSchemes.id),
    /** The company being rated. */
    entityId: integer('entity_id')
      .notNull()
      .references(() => organizations.id),
    state: text('state', { enum: ASSESSMENT_STATES }).notNull().default('draft'),
    answers: text('answers', { mode: 'json' }).$type<Record<string, SelfAssessment>>().notNull().default(sql`'{}'`),
    commitmentSignedBy: text('commitment_signed_by').references(() => users.id, { onDelete: 'set null' }),
    commitmentSignedAt: timestamp('commitment_signed_at'),
    /** Screening: the one request for missing items, and its due date (YYYY-MM-DD, Shanghai). */
    requestItems: text('request_items', { mode: 'json' }).$type<MissingItem[]>(),
    dueDate: text('due_date'),
    assessorId: text('assessor_id').references(() => users.id, { onDelete: 'set null' }),
    scores: text('scores', { mode: 'json' }).$type<Record<string, IndicatorScore>>(),
    /** What the scheme computes from `scores`. */
    score: integer('score'),
    computedGrade: text('computed_grade'),
    /** The grade decided (equal to computedGrade unless the committee overrode it, with a reason). */
    grade: text('grade'),
    overrideReason: text('override_reason'),
    deciderId: text('decider_id').references(() => users.id, { onDelete: 'set null' }),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at'),
    noticeOpensAt: timestamp('notice_opens_at'),
    noticeClosesAt: timestamp('notice_closes_at'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: timestamp('submitted_at'),
    closedAt: timestamp('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('credit_assessments_one_live')
      .on(t.schemeId, t.entityId)
      .where(sql`state in ('draft','submitted','screening','incomplete','scoring','decision','public_notice')`),
    index('credit_assessments_entity_idx').on(t.entityId),
    index('credit_assessments_scheme_state_idx').on(t.schemeId, t.state),
    index('credit_assessments_state_notice_idx').on(t.state, t.noticeClosesAt),
    check(
      'credit_assessments_state_check',
      sql`${t.state} in ('draft','submitted','screening','incomplete','scoring','decision','public_notice','granted','refused','withdrawn','lapsed')`,
    ),
  ],
);

/** An assessment's history, as the applicant and the body read it (the audit log holds the same). */
export const creditAssessmentEvents = sqliteTable(
  'credit_assessment_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => creditAssessments.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    fromState: text('from_state', { enum: ASSESSMENT_STATES }),
    toState: text('to_state', { enum: ASSESSMENT_STATES }).notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: createdAt(),
  },
  (t) => [index('credit_assessment_events_idx').on(t.assessmentId, t.id)],
);

export const COMPLAINT_CATEGORIES = ['product_quality', 'misleading_advertising', 'delivery', 'after_sales', 'data_privacy', 'contract', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const COMPLAINT_STATES = ['open', 'answered', 'replied', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_OUTCOMES = ['resolved', 'unresolved', 'unanswered', 'not_accepted'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

/**
 * A complaint against a rated company, handled by the body whose scheme rated it. The complainant's
 * identity, text and evidence are seen by the complainant, the company's owners and editors, and the
 * body's committee; the public sees counts only.
 */
export const creditComplaints = sqliteTable(
  'credit_complaints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entityId: integer('entity_id')
      .notNull()
      .references(() => organizations.id),
    schemeId: integer('scheme_id')
      .notNull()
      .references(() => creditSchemes.id),
    complainantId: text('complainant_id').references(() => users.id, { onDelete: 'set null' }),
    category: text('category', { enum: COMPLAINT_CATEGORIES }).notNull(),
    text: text('text').notNull(),
    state: text('state', { enum: COMPLAINT_STATES }).notNull().default('open'),
    /** The company's answer is due by then (the scheme's response days from filing). */
    responseDueAt: timestamp('response_due_at').notNull(),
    answer: text('answer'),
    answeredBy: text('answered_by').references(() => users.id, { onDelete: 'set null' }),
    answeredAt: timestamp('answered_at'),
    reply: text('reply'),
    repliedAt: timestamp('replied_at'),
    outcome: text('outcome', { enum: COMPLAINT_OUTCOMES }),
    closeReason: text('close_reason'),
    closedBy: text('closed_by').references(() => users.id, { onDelete: 'set null' }),
    closedAt: timestamp('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('credit_complaints_entity_idx').on(t.entityId, t.createdAt),
    index('credit_complaints_scheme_state_idx').on(t.schemeId, t.state),
    check('credit_complaints_state_check', sql`${t.state} in ('open','answered','replied','closed')`),
    check('credit_complaints_closed_check', sql`(${t.state} = 'closed') = (${t.outcome} IS NOT NULL)`),
  ],
);

/**
 * Evidence files: an indicator's evidence on an assessment, or a complaint's. Stored as settlement's
 * documents are (random name under DATA_DIR/credit, type sniffed from magic bytes, SHA-256).
 */
export const creditEvidence = sqliteTable(
  'credit_evidence',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assessmentId: integer('assessment_id').references(() => creditAssessments.id, { onDelete: 'cascade' }),
    indicatorKey: text('indicator_key'),
    complaintId: integer('complaint_id').references(() => creditComplaints.id, { onDelete: 'cascade' }),
    storedName: text('stored_name').notNull(),
    originalName: text('original_name').notNull(),
    type: text('type', { enum: DOCUMENT_TYPES }).notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_evidence_assessment_idx').on(t.assessmentId, t.indicatorKey),
    index('credit_evidence_complaint_idx').on(t.complaintId),
    check('credit_evidence_owner_check', sql`(${t.assessmentId} IS NULL) <> (${t.complaintId} IS NULL)`),
  ],
);

export const OBJECTION_DECISIONS = ['upheld', 'not_upheld'] as const;
export type ObjectionDecision = (typeof OBJECTION_DECISIONS)[number];

/** 异议: an objection to a grade on public notice. No grant while one has no disposition. */
export const creditObjections = sqliteTable(
  'credit_objections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => creditAssessments.id, { onDelete: 'cascade' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    decision: text('decision', { enum: OBJECTION_DECISIONS }),
    dispositionReason: text('disposition_reason'),
    disposedBy: text('disposed_by').references(() => users.id, { onDelete: 'set null' }),
    disposedAt: timestamp('disposed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('credit_objections_assessment_idx').on(t.assessmentId, t.id)],
);

export const CERTIFICATE_STATES = ['active', 'suspended', 'withdrawn', 'expired', 'superseded', 'surrendered'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

export const creditCertificates = sqliteTable(
  'credit_certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `{body code}-XY-{year}-{5 digits}`, gap-free per body per year. */
    number: text('number').notNull(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    numberYear: integer('number_year').notNull(),
    numberSequence: integer('number_sequence').notNull(),
    schemeId: integer('scheme_id')
      .notNull()
      .references(() => creditSchemes.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => organizations.id),
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => creditAssessments.id),
    grade: text('grade').notNull(),
    score: integer('score').notNull(),
    maxScore: integer('max_score').notNull(),
    /** The committee decided a grade other than the computed one; shown as "adjusted by the committee". */
    adjusted: integer('adjusted', { mode: 'boolean' }).notNull().default(false),
    standardNumber: text('standard_number').notNull(),
    standardVersion: integer('standard_version').notNull(),
    /** Dates in Shanghai's calendar (YYYY-MM-DD). */
    validFrom: text('valid_from').notNull(),
    validUntil: text('valid_until').notNull(),
    nextSurveillance: text('next_surveillance').notNull(),
    state: text('state', { enum: CERTIFICATE_STATES }).notNull().default('active'),
    suspendedAt: timestamp('suspended_at'),
    /** Why it is suspended, withdrawn, superseded or surrendered (shown on the verification page). */
    stateReason: text('state_reason'),
    endedAt: timestamp('ended_at'),
    supersededBy: integer('superseded_by'),
    /** Complaints passed the scheme's threshold: the body should bring surveillance forward. */
    earlySurveillance: integer('early_surveillance', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('credit_certificates_number_unique').on(t.number),
    uniqueIndex('credit_certificates_org_year_seq_unique').on(t.organizationId, t.numberYear, t.numberSequence),
    uniqueIndex('credit_certificates_one_current')
      .on(t.schemeId, t.entityId)
      .where(sql`state in ('active','suspended')`),
    index('credit_certificates_state_grade_idx').on(t.state, t.grade),
    index('credit_certificates_entity_idx').on(t.entityId),
    index('credit_certificates_updated_idx').on(t.updatedAt, t.id),
    check('credit_certificates_state_check', sql`${t.state} in ('active','suspended','withdrawn','expired','superseded','surrendered')`),
  ],
);

/** The last certificate sequence per body per year; bumped inside the granting transaction. */
export const creditCertificateCounters = sqliteTable(
  'credit_certificate_counters',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    lastSequence: integer('last_sequence').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.year] })],
);

export const CERTIFICATE_EVENT_KINDS = [
  'granted',
  'surveillance',
  'suspended',
  'reinstated',
  'withdrawn',
  'expired',
  'superseded',
  'surrendered',
  'flagged',
  'appeal_upheld',
] as const;
export type CertificateEventKind = (typeof CERTIFICATE_EVENT_KINDS)[number];

export const SURVEILLANCE_OUTCOMES = ['conforming', 'observations', 'nonconforming'] as const;
export type SurveillanceOutcome = (typeof SURVEILLANCE_OUTCOMES)[number];

export interface CertificateEventDetails {
  outcome?: SurveillanceOutcome;
  /** The day the surveillance was carried out (which may be before it was recorded), or the deadline's day. */
  date?: string;
  /** Set when the scheduled check made the change: which deadline passed. */
  rule?: 'expiry' | 'missed_surveillance' | 'suspension_limit';
}

/** A certificate's public history: granted, surveillances, suspensions, and how it ended. */
export const creditCertificateEvents = sqliteTable(
  'credit_certificate_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    certificateId: integer('certificate_id')
      .notNull()
      .references(() => creditCertificates.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CERTIFICATE_EVENT_KINDS }).notNull(),
    /** Who acted; null for the scheduled check. Never shown publicly, only the body sees it. */
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    /** A surveillance's outcome and the day it was carried out (YYYY-MM-DD, Shanghai). */
    details: text('details', { mode: 'json' }).$type<CertificateEventDetails>(),
    at: timestamp('at').notNull(),
  },
  (t) => [index('credit_certificate_events_idx').on(t.certificateId, t.at)],
);

export const APPEAL_SUBJECTS = ['refusal', 'suspension', 'withdrawal'] as const;
export type AppealSubject = (typeof APPEAL_SUBJECTS)[number];
export const APPEAL_STATES = ['open', 'upheld', 'dismissed'] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

/** An entity's appeal of a refusal, suspension or withdrawal, within 15 days of it. */
export const creditAppeals = sqliteTable(
  'credit_appeals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subject: text('subject', { enum: APPEAL_SUBJECTS }).notNull(),
    /** The refused assessment, or the suspended/withdrawn certificate. */
    assessmentId: integer('assessment_id').references(() => creditAssessments.id),
    certificateId: integer('certificate_id').references(() => creditCertificates.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => organizations.id),
    /** Who took the decision appealed (they may not decide the appeal). */
    appealedDeciderId: text('appealed_decider_id'),
    grounds: text('grounds').notNull(),
    filedBy: text('filed_by').references(() => users.id, { onDelete: 'set null' }),
    state: text('state', { enum: APPEAL_STATES }).notNull().default('open'),
    deciderId: text('decider_id').references(() => users.id, { onDelete: 'set null' }),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_appeals_entity_idx').on(t.entityId),
    uniqueIndex('credit_appeals_one_open_assessment').on(t.assessmentId).where(sql`state = 'open' AND assessment_id IS NOT NULL`),
    uniqueIndex('credit_appeals_one_open_certificate').on(t.certificateId).where(sql`state = 'open' AND certificate_id IS NOT NULL`),
    check('credit_appeals_subject_check', sql`(${t.assessmentId} IS NULL) <> (${t.certificateId} IS NULL)`),
    check('credit_appeals_state_check', sql`${t.state} in ('open','upheld','dismissed')`),
  ],
);
