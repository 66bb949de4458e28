/**
 * Open data (issue 18): the talent theme's datasets.
 *
 * Public here means what the catalog shows anyone: published courses only (`courseVisibleTo(null)`
 * in src/lib/courses/policy.ts), and the sessions of those courses with their seats, seats taken
 * and waitlist length (the course page's `sessionView`). Drafts and unpublished courses, and
 * everything about them, are left out. Course certificates count when issued and not revoked
 * (a revoked one no longer verifies). Counts only: no learner is ever named.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import { certificates, COURSE_CATEGORIES, COURSE_LANGUAGES, COURSE_MODES, courses, courseSessions, enrollments } from '@db/schema';
import { rate, shanghaiQuarter } from '../periods';
import type { Column, Dataset, Localized, Row } from '../types';

const PUBLISHED = eq(courses.status, 'published');

// Display names copied from src/i18n/dict/courses.ts: a dataset carries its own dictionary.
const CATEGORY_CODES: Record<string, Localized> = {
  entrepreneurship: { 'zh-cn': '创业', en: 'Entrepreneurship' },
  logistics: { 'zh-cn': '物流', en: 'Logistics' },
  payments_finance: { 'zh-cn': '支付与金融', en: 'Payments and finance' },
  compliance_tax: { 'zh-cn': '合规与税务', en: 'Compliance and tax' },
  marketing: { 'zh-cn': '营销', en: 'Marketing' },
  data: { 'zh-cn': '数据', en: 'Data' },
  operations: { 'zh-cn': '运营', en: 'Operations' },
};
const MODE_CODES: Record<string, Localized> = {
  online: { 'zh-cn': '线上', en: 'Online' },
  in_person: { 'zh-cn': '线下', en: 'In person' },
  blended: { 'zh-cn': '线上线下结合', en: 'Blended' },
};
const LANGUAGE_CODES: Record<string, Localized> = {
  'zh-cn': { 'zh-cn': '中文', en: 'Chinese' },
  en: { 'zh-cn': '英文', en: 'English' },
};

const quarterColumn = (meaning: Localized): Column => ({
  key: 'quarter',
  type: 'quarter',
  label: { 'zh-cn': '季度', en: 'Quarter' },
  meaning,
});
const SESSION_QUARTER = quarterColumn({
  'zh-cn': '开班时间所在季度（上海时间），格式 YYYY-Qn。',
  en: 'The quarter in which the sessions start (Shanghai time), as YYYY-Qn.',
});
const coursesColumn: Column = {
  key: 'courses',
  type: 'integer',
  label: { 'zh-cn': '课程数', en: 'Courses' },
  meaning: { 'zh-cn': '已发布的课程数。', en: 'Number of published courses.' },
};
const freeCoursesColumn: Column = {
  key: 'free_courses',
  type: 'integer',
  label: { 'zh-cn': '免费课程数', en: 'Free courses' },
  meaning: { 'zh-cn': '其中免费（价格为 0 元）的课程数。', en: 'Of these, the courses that are free (price 0 yuan).' },
};
const sessionsColumn: Column = {
  key: 'sessions',
  type: 'integer',
  label: { 'zh-cn': '班次', en: 'Sessions' },
  meaning: { 'zh-cn': '已发布课程中按计划开班（未取消）的班次数。', en: 'Scheduled (not cancelled) sessions of published courses.' },
};
const seatsOfferedColumn: Column = {
  key: 'seats_offered',
  type: 'integer',
  label: { 'zh-cn': '提供名额', en: 'Seats offered' },
  meaning: { 'zh-cn': '这些班次的名额总数。', en: 'Total seats (capacity) of these sessions.' },
};
const seatsFilledColumn: Column = {
  key: 'seats_filled',
  type: 'integer',
  label: { 'zh-cn': '已报名名额', en: 'Seats filled' },
  meaning: { 'zh-cn': '这些班次中已被报名占用的名额（含已结业者）。', en: 'Seats of these sessions taken by enrolled learners (including those since marked).' },
};

/** Every code in `codes`, with its figures or zeros, in the codes' order: a stable table. */
function everyCode(codes: readonly string[], key: string, found: Row[], zero: Row): Row[] {
  const byCode = new Map(found.map((r) => [r[key], r]));
  return codes.map((code) => ({ [key]: code, ...zero, ...byCode.get(code) }));
}

/** Published courses counted by one of their coded columns. */
function coursesBy(db: Db, column: typeof courses.category | typeof courses.mode, key: string, codes: readonly string[]): Row[] {
  const found = db
    .select({ code: column, courses: count(), free: sql<number>`sum(${courses.priceCny} = 0)` })
    .from(courses)
    .where(PUBLISHED)
    .groupBy(column)
    .all()
    .map((r) => ({ [key]: r.code, courses: r.courses, free_courses: r.free ?? 0 }));
  return everyCode(codes, key, found, { courses: 0, free_courses: 0 });
}

const coursesByCategory: Dataset = {
  id: 'courses-by-category',
  theme: 'talent',
  title: { 'zh-cn': '按类别统计的课程', en: 'Courses by category' },
  description: {
    'zh-cn': '平台上已发布的跨境电商人才培训课程，按课程类别统计，含其中的免费课程数。草稿和已下架的课程不计入。',
    en: 'Published cross-border e-commerce training courses on the portal by category, with how many are free. Drafts and unpublished courses are not counted.',
  },
  columns: [
    { key: 'category', type: 'string', label: { 'zh-cn': '类别', en: 'Category' }, meaning: { 'zh-cn': '课程类别代码。', en: 'The course category code.' }, codes: CATEGORY_CODES },
    coursesColumn,
    freeCoursesColumn,
  ],
  chart: { kind: 'bar', x: 'category', y: ['courses'] },
  compute: (db) => coursesBy(db, courses.category, 'category', COURSE_CATEGORIES),
};

const coursesByMode: Dataset = {
  id: 'courses-by-mode',
  theme: 'talent',
  title: { 'zh-cn': '按授课方式统计的课程', en: 'Courses by mode' },
  description: {
    'zh-cn': '已发布的课程按授课方式（线上、线下、线上线下结合）统计，含其中的免费课程数。',
    en: 'Published courses by mode of teaching (online, in person, blended), with how many are free.',
  },
  columns: [
    { key: 'mode', type: 'string', label: { 'zh-cn': '授课方式', en: 'Mode' }, meaning: { 'zh-cn': '授课方式代码。', en: 'The mode of teaching code.' }, codes: MODE_CODES },
    coursesColumn,
    freeCoursesColumn,
  ],
  chart: { kind: 'bar', x: 'mode', y: ['courses'] },
  compute: (db) => coursesBy(db, courses.mode, 'mode', COURSE_MODES),
};

const coursesByLanguage: Dataset = {
  id: 'courses-by-language',
  theme: 'talent',
  title: { 'zh-cn': '按授课语言统计的课程', en: 'Courses by teaching language' },
  description: {
    'zh-cn': '已发布的课程按授课语言统计。以中英双语授课的课程在两种语言下各计一次。',
    en: 'Published courses by teaching language. A course taught in both Chinese and English counts once under each.',
  },
  columns: [
    { key: 'language', type: 'string', label: { 'zh-cn': '授课语言', en: 'Language' }, meaning: { 'zh-cn': '授课语言代码。', en: 'The teaching language code.' }, codes: LANGUAGE_CODES },
    { ...coursesColumn, meaning: { 'zh-cn': '以该语言授课的已发布课程数。', en: 'Number of published courses taught in this language.' } },
  ],
  chart: { kind: 'bar', x: 'language', y: ['courses'] },
  compute(db) {
    const found = db.all<{ language: string; courses: number }>(
      sql`SELECT j.value AS language, count(DISTINCT ${courses.id}) AS courses FROM ${courses}, json_each(${courses.languages}) j WHERE ${PUBLISHED} GROUP BY j.value`,
    );
    return everyCode(COURSE_LANGUAGES, 'language', found, { courses: 0 });
  },
};

const seatsPerQuarter: Dataset = {
  id: 'seats-per-quarter',
  theme: 'talent',
  title: { 'zh-cn': '各季度提供和已报名的名额', en: 'Seats offered and filled per quarter' },
  description: {
    'zh-cn': '已发布课程的班次按开班季度（上海时间）统计：班次数、提供的名额、已报名的名额和报名率。已取消的班次不计入。',
    en: 'Sessions of published courses by the quarter they start in (Shanghai time): sessions, seats offered, seats filled and the fill rate. Cancelled sessions are not counted.',
  },
  columns: [
    SESSION_QUARTER,
    sessionsColumn,
    seatsOfferedColumn,
    seatsFilledColumn,
    {
      key: 'fill_rate',
      type: 'rate',
      label: { 'zh-cn': '报名率', en: 'Fill rate' },
      meaning: { 'zh-cn': '已报名名额占提供名额的比例（0–1）。', en: 'Seats filled as a fraction (0–1) of seats offered.' },
    },
  ],
  chart: { kind: 'line', x: 'quarter', y: ['seats_offered', 'seats_filled'] },
  compute(db) {
    const quarter = shanghaiQuarter(courseSessions.startsAt);
    return db
      .select({ quarter, sessions: count(), offered: sql<number>`sum(${courseSessions.capacity})`, filled: sql<number>`sum(${courseSessions.enrolledCount})` })
      .from(courseSessions)
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .where(and(PUBLISHED, eq(courseSessions.status, 'scheduled')))
      .groupBy(quarter)
      .orderBy(quarter)
      .all()
      .map((r) => ({ quarter: r.quarter, sessions: r.sessions, seats_offered: r.offered, seats_filled: r.filled, fill_rate: rate(r.filled, r.offered) }));
  },
};

const waitlistsPerQuarter: Dataset = {
  id: 'waitlists-per-quarter',
  theme: 'talent',
  title: { 'zh-cn': '各季度候补名单长度', en: 'Waitlist lengths per quarter' },
  description: {
    'zh-cn': '已发布课程的班次按开班季度（上海时间）统计候补情况：有候补的班次数、候补人数合计和最长的候补名单。即课程页面上各班次显示的候补人数的汇总。',
    en: 'Waiting lists of the sessions of published courses, by the quarter the sessions start in (Shanghai time): sessions with a waitlist, people waiting in all, and the longest waitlist. The sum of the waitlist lengths each course page shows.',
  },
  columns: [
    SESSION_QUARTER,
    sessionsColumn,
    {
      key: 'sessions_with_waitlist',
      type: 'integer',
      label: { 'zh-cn': '有候补的班次', en: 'Sessions with a waitlist' },
      meaning: { 'zh-cn': '至少有一人在候补的班次数。', en: 'Sessions with at least one person waiting.' },
    },
    {
      key: 'people_waiting',
      type: 'integer',
      label: { 'zh-cn': '候补人数', en: 'People waiting' },
      meaning: { 'zh-cn': '这些班次候补名单上的人数合计。', en: 'People on the waitlists of these sessions, in all.' },
    },
    {
      key: 'longest_waitlist',
      type: 'integer',
      label: { 'zh-cn': '最长候补', en: 'Longest waitlist' },
      meaning: { 'zh-cn': '单个班次候补名单的最大人数。', en: 'The most people waiting for any one session.' },
    },
  ],
  chart: { kind: 'line', x: 'quarter', y: ['people_waiting'] },
  compute(db) {
    const waiting = db
      .select({ sessionId: enrollments.sessionId, n: count().as('n') })
      .from(enrollments)
      .where(eq(enrollments.status, 'waitlisted'))
      .groupBy(enrollments.sessionId)
      .as('waiting');
    const quarter = shanghaiQuarter(courseSessions.startsAt);
    const n = sql<number>`coalesce(${waiting.n}, 0)`;
    return db
      .select({ quarter, sessions: count(), withWaitlist: sql<number>`sum(${n} > 0)`, waiting: sql<number>`sum(${n})`, longest: sql<number>`max(${n})` })
      .from(courseSessions)
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .leftJoin(waiting, eq(waiting.sessionId, courseSessions.id))
      .where(and(PUBLISHED, eq(courseSessions.status, 'scheduled')))
      .groupBy(quarter)
      .orderBy(quarter)
      .all()
      .map((r) => ({ quarter: r.quarter, sessions: r.sessions, sessions_with_waitlist: r.withWaitlist, people_waiting: r.waiting, longest_waitlist: r.longest }));
  },
};

const completionsPerQuarter: Dataset = {
  id: 'completions-per-quarter',
  theme: 'talent',
  title: { 'zh-cn': '各季度结业人数和证书', en: 'Completions and certificates per quarter' },
  description: {
    'zh-cn': '已发布课程的结业情况：按班次开班季度统计结业和未结业人数及结业率；按颁发季度统计有效的结业证书数（上海时间）。已撤销的证书不计入。',
    en: 'Completions in published courses: people marked completed or not completed, and the completion rate, by the quarter their session started; valid course certificates by the quarter they were issued (Shanghai time). Revoked certificates are not counted.',
  },
  columns: [
    quarterColumn({
      'zh-cn': '季度（上海时间），格式 YYYY-Qn：结业按班次开班时间计，证书按颁发时间计。',
      en: 'The quarter (Shanghai time), as YYYY-Qn: completions by when their session started, certificates by when they were issued.',
    }),
    {
      key: 'completions',
      type: 'integer',
      label: { 'zh-cn': '结业人数', en: 'Completions' },
      meaning: { 'zh-cn': '开班在该季度、被培训机构标记为结业的报名数。', en: 'Enrollments in sessions starting in the quarter that the provider marked completed.' },
    },
    {
      key: 'not_completed',
      type: 'integer',
      label: { 'zh-cn': '未结业人数', en: 'Not completed' },
      meaning: { 'zh-cn': '开班在该季度、被标记为未结业的报名数。', en: 'Enrollments in sessions starting in the quarter marked not completed.' },
    },
    {
      key: 'completion_rate',
      type: 'rate',
      label: { 'zh-cn': '结业率', en: 'Completion rate' },
      meaning: { 'zh-cn': '结业人数占已标记人数（结业与未结业之和）的比例（0–1）。', en: 'Completions as a fraction (0–1) of everyone marked (completed or not).' },
    },
    {
      key: 'certificates',
      type: 'integer',
      label: { 'zh-cn': '颁发证书', en: 'Certificates issued' },
      meaning: { 'zh-cn': '该季度颁发且未被撤销的结业证书数。', en: 'Course certificates issued in the quarter and not revoked.' },
    },
  ],
  chart: { kind: 'line', x: 'quarter', y: ['completions', 'certificates'] },
  compute(db) {
    const sessionQuarter = shanghaiQuarter(courseSessions.startsAt);
    const marked = db
      .select({ quarter: sessionQuarter, completed: sql<number>`sum(${enrollments.status} = 'completed')`, notCompleted: sql<number>`sum(${enrollments.status} = 'not_completed')` })
      .from(enrollments)
      .innerJoin(courseSessions, eq(courseSessions.id, enrollments.sessionId))
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .where(and(PUBLISHED, sql`${enrollments.status} IN ('completed', 'not_completed')`))
      .groupBy(sessionQuarter)
      .all();
    const issuedQuarter = shanghaiQuarter(certificates.issuedAt);
    const issued = db
      .select({ quarter: issuedQuarter, n: count() })
      .from(certificates)
      .innerJoin(courses, eq(courses.id, certificates.courseId))
      .where(and(PUBLISHED, sql`${certificates.revokedAt} IS NULL`))
      .groupBy(issuedQuarter)
      .all();
    const quarters = [...new Set([...marked.map((r) => r.quarter), ...issued.map((r) => r.quarter)])].sort();
    return quarters.map((quarter) => {
      const m = marked.find((r) => r.quarter === quarter);
      const completions = m?.completed ?? 0;
      const notCompleted = m?.notCompleted ?? 0;
      return {
        quarter,
        completions,
        not_completed: notCompleted,
        completion_rate: rate(completions, completions + notCompleted),
        certificates: issued.find((r) => r.quarter === quarter)?.n ?? 0,
      };
    });
  },
};

const entrepreneurshipCourses: Dataset = {
  id: 'entrepreneurship-courses',
  theme: 'talent',
  title: { 'zh-cn': '创业课程', en: 'Entrepreneurship courses' },
  description: {
    'zh-cn': '已发布的创业类课程按授课方式统计：课程数、免费课程数、按计划开班的班次、提供和已报名的名额，以及结业人数。',
    en: 'Published entrepreneurship courses by mode of teaching: courses, free courses, scheduled sessions, seats offered and filled, and completions.',
  },
  columns: [
    { key: 'mode', type: 'string', label: { 'zh-cn': '授课方式', en: 'Mode' }, meaning: { 'zh-cn': '授课方式代码。', en: 'The mode of teaching code.' }, codes: MODE_CODES },
    { ...coursesColumn, meaning: { 'zh-cn': '已发布的创业类课程数。', en: 'Number of published entrepreneurship courses.' } },
    freeCoursesColumn,
    sessionsColumn,
    seatsOfferedColumn,
    seatsFilledColumn,
    {
      key: 'completions',
      type: 'integer',
      label: { 'zh-cn': '结业人数', en: 'Completions' },
      meaning: { 'zh-cn': '被培训机构标记为结业的报名数。', en: 'Enrollments the provider marked completed.' },
    },
  ],
  chart: { kind: 'bar', x: 'mode', y: ['seats_offered', 'seats_filled'] },
  compute(db) {
    const where = and(PUBLISHED, eq(courses.category, 'entrepreneurship'));
    const perCourse = db
      .select({ mode: courses.mode, courses: count(), free: sql<number>`sum(${courses.priceCny} = 0)` })
      .from(courses)
      .where(where)
      .groupBy(courses.mode)
      .all();
    const perSession = db
      .select({ mode: courses.mode, sessions: count(), offered: sql<number>`sum(${courseSessions.capacity})`, filled: sql<number>`sum(${courseSessions.enrolledCount})` })
      .from(courseSessions)
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .where(and(where, eq(courseSessions.status, 'scheduled')))
      .groupBy(courses.mode)
      .all();
    const completed = db
      .select({ mode: courses.mode, n: count() })
      .from(enrollments)
      .innerJoin(courseSessions, eq(courseSessions.id, enrollments.sessionId))
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .where(and(where, eq(enrollments.status, 'completed')))
      .groupBy(courses.mode)
      .all();
    return COURSE_MODES.map((mode) => {
      const c = perCourse.find((r) => r.mode === mode);
      const s = perSession.find((r) => r.mode === mode);
      return {
        mode,
        courses: c?.courses ?? 0,
        free_courses: c?.free ?? 0,
        sessions: s?.sessions ?? 0,
        seats_offered: s?.offered ?? 0,
        seats_filled: s?.filled ?? 0,
        completions: completed.find((r) => r.mode === mode)?.n ?? 0,
      };
    });
  },
};

export const talentDatasets: Dataset[] = [coursesByCategory, coursesByMode, coursesByLanguage, seatsPerQuarter, waitlistsPerQuarter, completionsPerQuarter, entrepreneurshipCourses];
