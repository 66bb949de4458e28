/** Courses and enrollment: reads for the API and the pages. */
import { and, asc, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '@db/client';
import { calendarFeeds, certificates, coursePartners, courses, courseSessions, enrollments, memberships, organizations, users } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { NotFound } from '~/lib/errors';
import { PROVIDING_TYPES, isAdmin } from '~/lib/organizations/policy';
import { cachedCatalog } from './catalog-cache';
import { canEditCourse, courseVisibleTo } from './policy';
import type { CourseListQuery } from './schemas';
import { calendarFeedToken, requireVisibleCourse, waitlistRank } from './service';

type Course = typeof courses.$inferSelect;
type CourseSession = typeof courseSessions.$inferSelect;

export interface Provider {
  id: number;
  slug: string;
  name: string;
  nameZh: string | null;
  type: string;
  role: 'lead' | 'partner';
}

/** Lead and partners of many courses: two indexed queries, whatever the number of courses. */
export function providersOf(db: DbOrTx, list: Pick<Course, 'id' | 'organizationId'>[]): Map<number, Provider[]> {
  const result = new Map<number, Provider[]>(list.map((c) => [c.id, []]));
  if (!list.length) return result;
  const partners = db
    .select({ courseId: coursePartners.courseId, organizationId: coursePartners.organizationId })
    .from(coursePartners)
    .where(inArray(coursePartners.courseId, list.map((c) => c.id)))
    .all();
  const orgIds = [...new Set([...list.map((c) => c.organizationId), ...partners.map((p) => p.organizationId)])];
  const orgs = new Map(
    db
      .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh, type: organizations.type })
      .from(organizations)
      .where(inArray(organizations.id, orgIds))
      .all()
      .map((o) => [o.id, o]),
  );
  for (const c of list) {
    const lead = orgs.get(c.organizationId);
    if (lead) result.get(c.id)!.push({ ...lead, role: 'lead' });
  }
  for (const p of partners) {
    const org = orgs.get(p.organizationId);
    if (org) result.get(p.courseId)!.push({ ...org, role: 'partner' });
  }
  for (const providers of result.values()) providers.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'lead' ? -1 : 1));
  return result;
}

export function sessionView(s: CourseSession, waitlistLength: number) {
  return {
    id: s.id,
    courseId: s.courseId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    timezone: s.timezone,
    location: s.location,
    onlineUrl: s.onlineUrl,
    capacity: s.capacity,
    seatsTaken: s.enrolledCount,
    seatsLeft: s.status === 'scheduled' ? s.capacity - s.enrolledCount : 0,
    waitlistLimit: s.waitlistLimit,
    waitlistLength,
    enrollmentOpensAt: s.enrollmentOpensAt.toISOString(),
    enrollmentClosesAt: s.enrollmentClosesAt.toISOString(),
    cancellationDeadline: s.cancellationDeadline.toISOString(),
    status: s.status,
  };
}
export type SessionView = ReturnType<typeof sessionView>;

export function courseView(c: Course, providers: Provider[]) {
  return {
    id: c.id,
    status: c.status,
    title: c.title,
    titleZh: c.titleZh,
    summary: c.summary,
    summaryZh: c.summaryZh,
    descriptionMd: c.descriptionMd,
    category: c.category,
    languages: c.languages,
    mode: c.mode,
    level: c.level,
    prerequisites: c.prerequisites,
    priceCny: c.priceCny,
    tags: c.tags,
    providers: providers.map(({ slug, name, nameZh, type, role }) => ({ slug, name, nameZh, type, role })),
    nextStartsAt: c.nextStartsAt?.toISOString() ?? null,
    publishedAt: c.publishedAt?.toISOString() ?? null,
  };
}
export type CourseView = ReturnType<typeof courseView>;

/**
 * The course page's reads, prepared once per connection (issue 17): built and compiled on every
 * view, the SQL of a course page's reads was a third of its time. Anonymous readers see published
 * courses only, so their visibility check is one prepared query too.
 */
const preparedReads = new WeakMap<object, ReturnType<typeof prepareCourseReads>>();
function prepareCourseReads(db: DbOrTx) {
  const id = sql.placeholder('id');
  return {
    published: db.select().from(courses).where(and(eq(courses.id, id), courseVisibleTo(null))).prepare(),
    sessions: db.select().from(courseSessions).where(eq(courseSessions.courseId, id)).orderBy(asc(courseSessions.startsAt)).prepare(),
    // IN (subquery), not a join: without statistics SQLite would scan every enrollment for the join
    waitlists: db
      .select({ sessionId: enrollments.sessionId, n: count() })
      .from(enrollments)
      .where(and(inArray(enrollments.sessionId, db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.courseId, id))), eq(enrollments.status, 'waitlisted')))
      .groupBy(enrollments.sessionId)
      .prepare(),
  };
}
function courseReads(db: DbOrTx) {
  let reads = preparedReads.get(db);
  if (!reads) preparedReads.set(db, (reads = prepareCourseReads(db)));
  return reads;
}

function sessionsWithWaitlists(db: DbOrTx, courseId: number): SessionView[] {
  const read = courseReads(db);
  const rows = read.sessions.all({ id: courseId });
  if (!rows.length) return [];
  const byId = new Map(read.waitlists.all({ id: courseId }).map((w) => [w.sessionId, w.n]));
  return rows.map((s) => sessionView(s, byId.get(s.id) ?? 0));
}

/** `requireVisibleCourse`, by a prepared query for anonymous readers. */
function visibleCourse(db: DbOrTx, user: SessionUser | null, id: number): Course {
  if (user) return requireVisibleCourse(db as Db, user, id);
  const course = courseReads(db).published.get({ id });
  if (!course) throw new NotFound('No course has that number.');
  return course;
}

/** One course with its providers and sessions, as the API and the course page show it. */
export function getCourse(db: DbOrTx, user: SessionUser | null, id: number) {
  return courseWithSessions(db, visibleCourse(db, user, id));
}

function courseWithSessions(db: DbOrTx, course: Course) {
  const providers = providersOf(db, [course]).get(course.id)!;
  return { ...courseView(course, providers), sessions: sessionsWithWaitlists(db, course.id) };
}

/** One session with seats and waitlist length, if its course is visible to the user. */
export function getSession(db: DbOrTx, user: SessionUser | null, sessionId: number) {
  const row = db.select({ courseId: courseSessions.courseId }).from(courseSessions).where(eq(courseSessions.id, sessionId)).get();
  const session = row && getCourse(db, user, row.courseId).sessions.find((s) => s.id === sessionId);
  if (!session) throw new NotFound('No session has that number.');
  return session;
}

/** The course page: the course, whether the viewer edits it, and the viewer's own places. */
export function getCoursePage(db: DbOrTx, user: SessionUser | null, id: number) {
  const course = visibleCourse(db, user, id);
  const view = courseWithSessions(db, course);
  const mine = user
    ? db
        .select()
        .from(enrollments)
        .where(and(eq(enrollments.userId, user.id), inArray(enrollments.sessionId, view.sessions.map((s) => s.id).concat(0)), inArray(enrollments.status, ['enrolled', 'waitlisted', 'completed', 'not_completed'])))
        .all()
        .map((e) => ({ id: e.id, sessionId: e.sessionId, status: e.status, position: waitlistRank(db, e) }))
    : [];
  return { course: view, canEdit: canEditCourse(db, user, course), mine };
}

/** Whose view of the catalog a cache entry holds: the public one, or one signed-in user's. */
export const catalogScope = (user: SessionUser | null) => (isAdmin(user) ? 'admin' : (user?.id ?? 'public'));

/** Courses without an upcoming session sort last; the same expression is indexed (courses_catalog_soonest_idx). */
const SOONEST = sql`coalesce(${courses.nextStartsAt}, 9007199254740991)`;

/** The catalog: the courses the user may see (published ones for most), filtered, sorted and paginated. */
export function listCourses(db: DbOrTx, user: SessionUser | null, q: CourseListQuery, { providerByName = false } = {}) {
  const where: SQL[] = [courseVisibleTo(user)];
  if (q.category) where.push(eq(courses.category, q.category));
  if (q.mode) where.push(eq(courses.mode, q.mode));
  if (q.price === 'free') where.push(eq(courses.priceCny, 0));
  if (q.price === 'paid') where.push(sql`${courses.priceCny} > 0`);
  // Languages are a JSON array of known codes, so a LIKE on the quoted code is exact and index-only.
  if (q.language) where.push(sql`${courses.languages} LIKE ${`%"${q.language}"%`}`);
  if (q.provider && providerByName) {
    // the catalog page's search box (issue 17: not a list of thousands of providers): a slug, or part of a name in either language
    const like = `%${q.provider.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`EXISTS (SELECT 1 FROM organizations o WHERE (o.slug = ${q.provider} OR o.name LIKE ${like} ESCAPE '\\' OR o.name_zh LIKE ${like} ESCAPE '\\')
      AND (o.id = ${courses.organizationId} OR EXISTS (SELECT 1 FROM course_partners cp WHERE cp.course_id = ${courses.id} AND cp.organization_id = o.id)))`);
  } else if (q.provider) {
    where.push(sql`(${courses.organizationId} = (SELECT id FROM organizations WHERE slug = ${q.provider})
      OR EXISTS (SELECT 1 FROM course_partners cp JOIN organizations o ON o.id = cp.organization_id WHERE cp.course_id = ${courses.id} AND o.slug = ${q.provider}))`);
  }
  if (q.startsWithin) {
    const now = new Date();
    const until = new Date(now.getTime() + q.startsWithin * 86_400_000);
    where.push(gte(courses.nextStartsAt, now), lte(courses.nextStartsAt, until));
  }
  const order =
    q.sort === 'newest'
      ? [desc(courses.publishedAt), desc(courses.id)]
      : q.sort === 'price'
        ? [asc(courses.priceCny), asc(courses.id)]
        : q.sort === 'title'
          ? [asc(courses.title), asc(courses.id)]
          : [SOONEST, asc(courses.id)];
  const rows = db
    .select()
    .from(courses)
    .where(and(...where))
    .orderBy(...order)
    .limit(q.perPage)
    .offset((q.page - 1) * q.perPage)
    .all();
  // The total depends on the filters only, so every page and order of one filter set shares it.
  const filterKey = JSON.stringify([catalogScope(user), providerByName, q.category, q.language, q.mode, q.provider, q.price, q.startsWithin]);
  const total = cachedCatalog(db, `count|${filterKey}`, () => db.select({ n: count() }).from(courses).where(and(...where)).get()!.n);
  const providers = providersOf(db, rows);
  return { items: rows.map((c) => courseView(c, providers.get(c.id)!)), total, page: q.page, perPage: q.perPage };
}

/** The name of the organization with this slug in `lang`, for the catalog's provider search box. */
export function providerName(db: DbOrTx, lang: 'en' | 'zh-cn', slug: string): string | null {
  const o = db.select({ name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.slug, slug)).get();
  return o ? (lang === 'en' ? o.name : (o.nameZh ?? o.name)) : null;
}

/** Verified organizations of a providing type, for the partner choices on the course form. */
export function providerOptions(db: DbOrTx) {
  return cachedCatalog(db, 'providers', () => db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .where(and(eq(organizations.status, 'verified'), inArray(organizations.type, [...PROVIDING_TYPES])))
    .orderBy(asc(organizations.name))
    .all());
}

/** Organizations the user may create courses for (editor or owner, verified, providing type). */
export function organizationsUserEdits(db: DbOrTx, user: SessionUser) {
  return db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(
        eq(memberships.userId, user.id),
        inArray(memberships.role, ['owner', 'editor']),
        eq(organizations.status, 'verified'),
        inArray(organizations.type, [...PROVIDING_TYPES]),
      ),
    )
    .orderBy(asc(organizations.name))
    .all();
}

/** Courses (any status) the user can edit, for the provider's dashboard. */
export function coursesUserEdits(db: DbOrTx, user: SessionUser) {
  const orgIds = db
    .select({ id: memberships.organizationId })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), inArray(memberships.role, ['owner', 'editor'])))
    .all()
    .map((m) => m.id);
  if (!orgIds.length && !isAdmin(user)) return [];
  const rows = db
    .select()
    .from(courses)
    .where(
      isAdmin(user)
        ? undefined
        : or(inArray(courses.organizationId, orgIds), sql`EXISTS (SELECT 1 FROM course_partners cp WHERE cp.course_id = ${courses.id} AND cp.organization_id IN (${sql.join(orgIds.map((i) => sql`${i}`), sql`, `)}))`),
    )
    .orderBy(desc(courses.updatedAt))
    .limit(200)
    .all();
  const providers = providersOf(db, rows);
  return rows.map((c) => courseView(c, providers.get(c.id)!));
}

/** The roster of one session, for the course's providers. */
export function getRoster(db: DbOrTx, user: SessionUser, sessionId: number) {
  const session = db.select().from(courseSessions).where(eq(courseSessions.id, sessionId)).get();
  if (!session) throw new NotFound('No session has that number.');
  const course = db.select().from(courses).where(eq(courses.id, session.courseId)).get()!;
  if (!canEditCourse(db, user, course)) throw new NotFound('No session has that number.');
  const rows = db
    .select({
      id: enrollments.id,
      userId: users.id,
      name: users.displayName,
      email: users.email,
      status: enrollments.status,
      waitlistPosition: enrollments.waitlistPosition,
      enrolledAt: enrollments.enrolledAt,
      createdAt: enrollments.createdAt,
      certificateCode: certificates.code,
      certificateRevokedAt: certificates.revokedAt,
    })
    .from(enrollments)
    .innerJoin(users, eq(users.id, enrollments.userId))
    .leftJoin(certificates, eq(certificates.enrollmentId, enrollments.id))
    .where(eq(enrollments.sessionId, sessionId))
    .orderBy(sql`CASE ${enrollments.status} WHEN 'waitlisted' THEN 1 ELSE 0 END`, asc(enrollments.waitlistPosition), asc(enrollments.id))
    .all();
  let rank = 0;
  const entries = rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    status: r.status,
    position: r.status === 'waitlisted' ? ++rank : null,
    enrolledAt: r.enrolledAt?.toISOString() ?? null,
    requestedAt: r.createdAt.toISOString(),
    certificateCode: r.certificateCode && !r.certificateRevokedAt ? r.certificateCode : null,
  }));
  const waitlisted = entries.filter((e) => e.status === 'waitlisted').length;
  return { course: courseView(course, providersOf(db, [course]).get(course.id)!), session: sessionView(session, waitlisted), entries };
}

const CSV_COLUMNS = ['name', 'email', 'status', 'position', 'enrolledAt', 'requestedAt', 'certificateCode'] as const;

/** CSV with a UTF-8 byte-order mark so Excel opens Chinese names correctly; formulas are defused. */
export function rosterCsv(roster: ReturnType<typeof getRoster>): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(','), ...roster.entries.map((e) => CSV_COLUMNS.map((k) => cell(e[k])).join(','))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The user's enrollments with their courses and sessions, newest session first. */
export function myEnrollments(db: DbOrTx, userId: string) {
  const rows = db
    .select({ enrollment: enrollments, session: courseSessions, course: courses, certificateCode: certificates.code, certificateRevokedAt: certificates.revokedAt })
    .from(enrollments)
    .innerJoin(courseSessions, eq(courseSessions.id, enrollments.sessionId))
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .leftJoin(certificates, eq(certificates.enrollmentId, enrollments.id))
    .where(eq(enrollments.userId, userId))
    .orderBy(desc(courseSessions.startsAt), desc(enrollments.id))
    .all();
  return rows.map((r) => ({
    id: r.enrollment.id,
    status: r.enrollment.status,
    position: waitlistRank(db, r.enrollment),
    sessionId: r.session.id,
    startsAt: r.session.startsAt.toISOString(),
    endsAt: r.session.endsAt.toISOString(),
    timezone: r.session.timezone,
    location: r.session.location,
    onlineUrl: r.session.onlineUrl,
    cancellationDeadline: r.session.cancellationDeadline.toISOString(),
    course: { id: r.course.id, title: r.course.title, titleZh: r.course.titleZh },
    certificateCode: r.certificateCode && !r.certificateRevokedAt ? r.certificateCode : null,
  }));
}

/** One of the user's own enrollments (for the page that asks before cancelling it), or null. */
export function myEnrollment(db: DbOrTx, user: SessionUser, enrollmentId: number) {
  return myEnrollments(db, user.id).find((e) => e.id === enrollmentId) ?? null;
}

/** Sessions for an iCalendar file: one session, or every live seat of a user. */
export function calendarSessions(db: DbOrTx, filter: { sessionId: number } | { userId: string }) {
  const base = db
    .select({ session: courseSessions, course: courses })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId));
  if ('sessionId' in filter) {
    return base.where(and(eq(courseSessions.id, filter.sessionId), courseVisibleTo(null))).all();
  }
  return base
    .innerJoin(enrollments, eq(enrollments.sessionId, courseSessions.id))
    .where(and(eq(enrollments.userId, filter.userId), inArray(enrollments.status, ['enrolled', 'completed', 'not_completed', 'session_cancelled'])))
    .orderBy(asc(courseSessions.startsAt))
    .all();
}

/** A certificate by its public code; revoked ones are reported as not found. */
export function getCertificate(db: DbOrTx, code: string) {
  const normalized = code.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (normalized.length !== 16) throw new NotFound('No valid certificate has that code.');
  const formatted = normalized.match(/.{4}/g)!.join('-');
  const c = db.select().from(certificates).where(eq(certificates.code, formatted)).get();
  if (!c || c.revokedAt) throw new NotFound('No valid certificate has that code.');
  return {
    code: c.code,
    valid: true,
    recipientName: c.recipientName,
    courseId: c.courseId,
    courseTitle: c.courseTitle,
    courseTitleZh: c.courseTitleZh,
    providers: c.providers,
    sessionStartsAt: c.sessionStartsAt.toISOString(),
    issuedAt: c.issuedAt.toISOString(),
  };
}

export function userForCalendarToken(db: DbOrTx, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return db.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.token, token)).get()?.userId ?? null;
}


/** What the "new course" form offers: leads the user edits, and every verified provider as a partner. */
export function newCourseForm(db: DbOrTx, user: SessionUser) {
  return { leads: organizationsUserEdits(db, user), partners: providerOptions(db) };
}

/** The edit page: the course if visible (else null), whether the user may edit it, partner options. */
export function editCourseForm(db: DbOrTx, user: SessionUser, id: number) {
  try {
    const page = getCoursePage(db, user, id);
    return { course: page.course, canEdit: page.canEdit, partners: providerOptions(db) };
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** The session edit page: null when the session is not on this course or not visible. */
export function editSessionForm(db: DbOrTx, user: SessionUser, courseId: number, sessionId: number) {
  const found = editCourseForm(db, user, courseId);
  const session = found?.course.sessions.find((s) => s.id === sessionId);
  if (!found || !session) return null;
  return { course: found.course, session, canEdit: found.canEdit };
}

/** The roster page: null when the session is not on this course or the user is not a provider. */
export function rosterPage(db: DbOrTx, user: SessionUser, courseId: number, sessionId: number) {
  try {
    const roster = getRoster(db, user, sessionId);
    return roster.course.id === courseId ? roster : null;
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** "My courses": the user's enrollments, their feed token and the courses they manage. */
export function myCoursesPage(db: Db, user: SessionUser) {
  return { items: myEnrollments(db, user.id), feedToken: calendarFeedToken(db, user.id), managed: coursesUserEdits(db, user) };
}

/** A valid certificate by code, or null (for pages). */
export function findCertificate(db: DbOrTx, code: string) {
  try {
    return getCertificate(db, code);
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}
