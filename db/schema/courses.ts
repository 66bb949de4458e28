import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp, updatedAt } from './columns';
import { organizations } from './organizations';

export const COURSE_CATEGORIES = ['entrepreneurship', 'logistics', 'payments_finance', 'compliance_tax', 'marketing', 'data', 'operations'] as const;
export type CourseCategory = (typeof COURSE_CATEGORIES)[number];

/** Teaching languages (BCP 47-ish, lowercase). */
export const COURSE_LANGUAGES = ['zh-cn', 'en'] as const;
export const COURSE_MODES = ['online', 'in_person', 'blended'] as const;
export type CourseMode = (typeof COURSE_MODES)[number];
export const COURSE_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const COURSE_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const courses = sqliteTable(
  'courses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The lead provider; partners are in course_partners. */
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    titleZh: text('title_zh'),
    summary: text('summary').notNull(),
    summaryZh: text('summary_zh'),
    descriptionMd: text('description_md').notNull().default(''),
    category: text('category', { enum: COURSE_CATEGORIES }).notNull(),
    /** JSON array of teaching languages, e.g. ["zh-cn","en"]. */
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    mode: text('mode', { enum: COURSE_MODES }).notNull(),
    level: text('level', { enum: COURSE_LEVELS }).notNull().default('beginner'),
    prerequisites: text('prerequisites').notNull().default(''),
    /** Whole yuan; 0 means free. */
    priceCny: integer('price_cny').notNull().default(0),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    status: text('status', { enum: COURSE_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at'),
    /** Start of the earliest scheduled session that has not started yet; kept by the service for sorting and "starts within". */
    nextStartsAt: timestamp('next_starts_at'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The catalog's two main orders, covering every filter column, so that filtering, counting and
    // paging read only these index entries, never whole rows (see tests/bench/courses.results.md).
    index('courses_catalog_soonest_idx').on(t.status, sql`coalesce(${t.nextStartsAt}, 9007199254740991)`, t.id, t.category, t.mode, t.priceCny, t.languages, t.organizationId, t.nextStartsAt),
    index('courses_catalog_newest_idx').on(t.status, t.publishedAt, t.id, t.category, t.mode, t.priceCny, t.languages, t.organizationId, t.nextStartsAt),
    index('courses_catalog_price_idx').on(t.status, t.priceCny, t.id, t.category, t.mode, t.languages, t.organizationId, t.nextStartsAt),
    index('courses_catalog_title_idx').on(t.status, t.title, t.id, t.category, t.mode, t.priceCny, t.languages, t.organizationId, t.nextStartsAt),
    index('courses_organization_idx').on(t.organizationId),
    check('courses_price_nonnegative', sql`${t.priceCny} >= 0`),
  ],
);

/** Co-providers credited on the course page besides the lead organization. */
export const coursePartners = sqliteTable(
  'course_partners',
  {
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.organizationId] }), index('course_partners_org_idx').on(t.organizationId)],
);

export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;

export const courseSessions = sqliteTable(
  'course_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at').notNull(),
    endsAt: timestamp('ends_at').notNull(),
    /** IANA zone the session is held in, e.g. Asia/Shanghai; times are stored in UTC. */
    timezone: text('timezone').notNull(),
    location: text('location').notNull().default(''),
    onlineUrl: text('online_url'),
    capacity: integer('capacity').notNull(),
    /** Seats taken; the CHECK below makes overbooking impossible whatever the code does. */
    enrolledCount: integer('enrolled_count').notNull().default(0),
    waitlistLimit: integer('waitlist_limit').notNull().default(0),
    /** Last waitlist position handed out; positions only ever grow. */
    waitlistSeq: integer('waitlist_seq').notNull().default(0),
    enrollmentOpensAt: timestamp('enrollment_opens_at').notNull(),
    enrollmentClosesAt: timestamp('enrollment_closes_at').notNull(),
    cancellationDeadline: timestamp('cancellation_deadline').notNull(),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('scheduled'),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('course_sessions_course_idx').on(t.courseId, t.startsAt),
    check('course_sessions_seats', sql`${t.enrolledCount} >= 0 AND ${t.enrolledCount} <= ${t.capacity}`),
    check('course_sessions_capacity', sql`${t.capacity} >= 0 AND ${t.waitlistLimit} >= 0`),
    check('course_sessions_times', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const ENROLLMENT_STATUSES = ['enrolled', 'waitlisted', 'cancelled', 'removed', 'completed', 'not_completed', 'session_cancelled'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
/** States that hold a place on the session: at most one per (session, user). */
export const LIVE_ENROLLMENT_STATUSES = ['enrolled', 'waitlisted', 'completed', 'not_completed'] as const;

export const enrollments = sqliteTable(
  'enrollments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ENROLLMENT_STATUSES }).notNull(),
    /** Order on the waitlist (kept after promotion, for the record). */
    waitlistPosition: integer('waitlist_position'),
    enrolledAt: timestamp('enrolled_at'),
    promotedAt: timestamp('promoted_at'),
    endedAt: timestamp('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('enrollments_live_unique')
      .on(t.sessionId, t.userId)
      .where(sql`status IN ('enrolled', 'waitlisted', 'completed', 'not_completed')`),
    uniqueIndex('enrollments_waitlist_position_unique').on(t.sessionId, t.waitlistPosition),
    index('enrollments_session_status_idx').on(t.sessionId, t.status, t.waitlistPosition),
    index('enrollments_user_idx').on(t.userId),
  ],
);

/** Issued when a provider marks an enrollment completed; `code` is the public, unguessable id. */
export const certificates = sqliteTable(
  'certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** Snapshot of what the certificate states, so later edits do not rewrite it. */
    recipientName: text('recipient_name').notNull(),
    courseTitle: text('course_title').notNull(),
    courseTitleZh: text('course_title_zh'),
    providers: text('providers', { mode: 'json' }).$type<{ name: string; nameZh: string | null; slug: string }[]>().notNull(),
    sessionStartsAt: timestamp('session_starts_at').notNull(),
    issuedAt: createdAt(),
    revokedAt: timestamp('revoked_at'),
  },
  (t) => [uniqueIndex('certificates_code_unique').on(t.code), uniqueIndex('certificates_enrollment_unique').on(t.enrollmentId)],
);

/** Secret token of a user's personal iCalendar feed; rotating it breaks old subscriptions. */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    token: text('token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calendar_feeds_token_unique').on(t.token)],
);
