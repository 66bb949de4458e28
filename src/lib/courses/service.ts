/**
 * Courses and enrollment: writes. Every seat change (taking, freeing, promoting) happens inside
 * one BEGIN IMMEDIATE transaction, and `course_sessions.enrolled_count <= capacity` is a CHECK.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { keptQuery, prepared, write, type Db, type Tx } from '@db/client';
import { calendarFeeds, certificates, coursePartners, courses, courseSessions, enrollments, organizations, users } from '@db/schema';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Conflict, Forbidden, Invalid, NotFound } from '~/lib/errors';
import { both, notify, termInBoth, type Both } from '~/lib/notifications/notify';
import { formatDateRange, useTranslations, type Lang } from '~/i18n';
import { PROVIDING_TYPES, isEditor, keptViewer } from '~/lib/organizations/policy';
import { searchIndex } from '~/lib/search';
import { catalogChanged } from './catalog-cache';
import { canEditCourse, courseVisibleTo } from './policy';
import { courseSearchDocument } from './search';
import type { CourseInput, CourseUpdate, SessionInput, SessionUpdate } from './schemas';

type Course = typeof courses.$inferSelect;
type CourseSession = typeof courseSessions.$inferSelect;
type Enrollment = typeof enrollments.$inferSelect;

const HOUR = 3_600_000;
const courseUrl = (id: number) => `/courses/${id}`;

// ---------------------------------------------------------------- lookups

/** The course if the user may see it, else 404. */
export function requireVisibleCourse(tx: Tx | Db, user: SessionUser | null, id: number): Course {
  // a kept query: every change to a course or its sessions starts here
  const { key, viewer } = keptViewer(user);
  const course = keptQuery(tx, `course visible, ${key}`, (db) => db.select().from(courses).where(and(eq(courses.id, sql.placeholder('id')), courseVisibleTo(viewer))).prepare()).get({ id, viewer: user?.id });
  if (!course) throw new NotFound('No course has that number.');
  return course;
}

/** Visible but not editable answers 403; invisible answers 404. */
function requireEditableCourse(tx: Tx, user: SessionUser, id: number): Course {
  const course = requireVisibleCourse(tx, user, id);
  if (!canEditCourse(tx, user, course)) throw new Forbidden('Only editors of the course’s providers can change it.');
  return course;
}

function requireSession(tx: Tx | Db, user: SessionUser | null, sessionId: number) {
  const session = tx.select().from(courseSessions).where(eq(courseSessions.id, sessionId)).get();
  if (!session) throw new NotFound('No session has that number.');
  const course = tx.select().from(courses).where(and(eq(courses.id, session.courseId), courseVisibleTo(user))).get();
  if (!course) throw new NotFound('No session has that number.');
  return { session, course };
}

function requireEditableSession(tx: Tx, user: SessionUser, sessionId: number) {
  const found = requireSession(tx, user, sessionId);
  if (!canEditCourse(tx, user, found.course)) throw new Forbidden('Only editors of the course’s providers can change its sessions.');
  return found;
}

/** Organizations named as providers must exist, be verified and be of a type that offers education. */
function resolveProvider(tx: Tx, slug: string, field: string) {
  const org = tx.select().from(organizations).where(eq(organizations.slug, slug)).get();
  // Static messages, so that forms can show them in Chinese too.
  const refuse = (message: string) => new Invalid(message, { [field]: [message] });
  if (!org) throw refuse('No organization has that address.');
  if (org.status !== 'verified') throw refuse('That organization is not verified yet.');
  if (!(PROVIDING_TYPES as readonly string[]).includes(org.type)) throw refuse('That organization is not one that offers courses.');
  return org;
}

function setPartners(tx: Tx, courseId: number, leadId: number, slugs: string[]) {
  const ids = [...new Set(slugs.map((s) => resolveProvider(tx, s, 'partnerSlugs').id))].filter((id) => id !== leadId);
  tx.delete(coursePartners).where(eq(coursePartners.courseId, courseId)).run();
  for (const organizationId of ids) tx.insert(coursePartners).values({ courseId, organizationId }).run();
  return ids;
}

/** Keeps the search index in step with the course: in it while published, out of it otherwise. */
function syncSearch(tx: Tx, courseId: number) {
  catalogChanged();
  // the course and whether anyone may see it, in one kept query (this runs on every session written)
  const { course, isPublic } = keptQuery(tx, 'course and whether it is public', (db) =>
    db.select({ course: courses, isPublic: sql<number>`${courseVisibleTo(null)}` }).from(courses).where(eq(courses.id, sql.placeholder('id'))).prepare(),
  ).get({ id: courseId })!;
  if (isPublic) searchIndex.upsert(tx, courseSearchDocument(tx, course));
  else searchIndex.remove(tx, 'course', String(course.id));
}

/** The earliest upcoming scheduled session, denormalized onto the course for sorting and filtering (kept statements: every session written runs them). */
function refreshNextStart(tx: Tx, courseId: number) {
  const next = prepared(tx, `SELECT min(starts_at) FROM course_sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at > ?`).pluck().get(courseId, Date.now()) as number | null;
  prepared(tx, `UPDATE courses SET next_starts_at = ? WHERE id = ?`).run(next ?? null, courseId);
}

// ---------------------------------------------------------------- courses

export function createCourse(db: Db, user: SessionUser, input: CourseInput): Course {
  return write(db, (tx) => {
    const lead = resolveProvider(tx, input.organizationSlug, 'organizationSlug');
    if (!isEditor(tx, user, lead.id)) {
      throw new Forbidden('Only editors of the lead organization can create its courses.');
    }
    const course = tx
      .insert(courses)
      .values({
        organizationId: lead.id,
        title: input.title,
        titleZh: input.titleZh ?? null,
        summary: input.summary,
        summaryZh: input.summaryZh ?? null,
        descriptionMd: input.descriptionMd ?? '',
        category: input.category,
        languages: input.languages,
        mode: input.mode,
        level: input.level ?? 'beginner',
        prerequisites: input.prerequisites ?? '',
        priceCny: input.priceCny,
        tags: input.tags ?? [],
        createdBy: user.id,
      })
      .returning()
      .get();
    const partners = setPartners(tx, course.id, lead.id, input.partnerSlugs ?? []);
    recordAudit(tx, { actorId: user.id, action: 'course.created', subjectType: 'course', subjectId: course.id, details: { title: course.title, lead: lead.slug, partners } });
    return course;
  });
}

export function updateCourse(db: Db, user: SessionUser, id: number, input: CourseUpdate): Course {
  return write(db, (tx) => {
    const course = requireEditableCourse(tx, user, id);
    const { partnerSlugs, ...fields } = input;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const updated = tx
      .update(courses)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(courses.id, course.id))
      .returning()
      .get();
    if (partnerSlugs !== undefined) setPartners(tx, course.id, course.organizationId, partnerSlugs);
    recordAudit(tx, {
      actorId: user.id,
      action: 'course.updated',
      subjectType: 'course',
      subjectId: course.id,
      details: { fields: [...Object.keys(changes), ...(partnerSlugs !== undefined ? ['partnerSlugs'] : [])] },
    });
    syncSearch(tx, course.id);
    return updated;
  });
}

/** Publishing needs a verified lead; it puts the course into search in the same transaction. */
export function publishCourse(db: Db, user: SessionUser, id: number): Course {
  return write(db, (tx) => {
    const course = requireEditableCourse(tx, user, id);
    if (course.status === 'published') throw new Conflict('This course is already published.', 'already_published');
    const lead = tx.select().from(organizations).where(eq(organizations.id, course.organizationId)).get()!;
    if (lead.status !== 'verified') throw new Conflict('The lead organization is not verified, so it cannot publish.', 'organization_not_verified');
    const updated = tx
      .update(courses)
      .set({ status: 'published', publishedAt: course.publishedAt ?? new Date(), updatedAt: new Date() })
      .where(eq(courses.id, id))
      .returning()
      .get();
    refreshNextStart(tx, id);
    recordAudit(tx, { actorId: user.id, action: 'course.published', subjectType: 'course', subjectId: id, details: { from: course.status } });
    syncSearch(tx, id);
    return updated;
  });
}

export function unpublishCourse(db: Db, user: SessionUser, id: number): Course {
  return write(db, (tx) => {
    const course = requireEditableCourse(tx, user, id);
    if (course.status !== 'published') throw new Conflict('This course is not published.', 'not_published');
    const updated = tx.update(courses).set({ status: 'unpublished', updatedAt: new Date() }).where(eq(courses.id, id)).returning().get();
    recordAudit(tx, { actorId: user.id, action: 'course.unpublished', subjectType: 'course', subjectId: id });
    syncSearch(tx, id);
    return updated;
  });
}

// ---------------------------------------------------------------- sessions

interface SessionTimes {
  startsAt: Date;
  endsAt: Date;
  enrollmentOpensAt: Date;
  enrollmentClosesAt: Date;
  cancellationDeadline: Date;
}

function checkTimes(t: SessionTimes) {
  const fields: Record<string, string[]> = {};
  if (t.endsAt <= t.startsAt) fields.endsAt = ['The end must be after the start.'];
  if (t.enrollmentClosesAt <= t.enrollmentOpensAt) fields.enrollmentClosesAt = ['Enrollment must close after it opens.'];
  if (t.enrollmentClosesAt > t.endsAt) fields.enrollmentClosesAt = ['Enrollment must close before the session ends.'];
  if (t.cancellationDeadline > t.endsAt) fields.cancellationDeadline = ['The cancellation deadline must be before the session ends.'];
  if (Object.keys(fields).length) throw new Invalid('Some dates do not fit together.', fields);
}

/** Defaults from the issue: enrollment open from now until the start; cancellation until 24 hours before it. */
export function createSession(db: Db, user: SessionUser, courseId: number, input: SessionInput): CourseSession {
  return write(db, (tx) => {
    const course = requireEditableCourse(tx, user, courseId);
    const now = new Date();
    if (input.startsAt <= now) throw new Invalid('Choose a start in the future.', { startsAt: ['Choose a start in the future.'] });
    const times: SessionTimes = {
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      enrollmentOpensAt: input.enrollmentOpensAt ?? now,
      enrollmentClosesAt: input.enrollmentClosesAt ?? input.startsAt,
      cancellationDeadline: input.cancellationDeadline ?? new Date(input.startsAt.getTime() - 24 * HOUR),
    };
    checkTimes(times);
    const session = tx
      .insert(courseSessions)
      .values({
        courseId: course.id,
        ...times,
        timezone: input.timezone,
        location: input.location ?? '',
        onlineUrl: input.onlineUrl ?? null,
        capacity: input.capacity,
        waitlistLimit: input.waitlistLimit,
      })
      .returning()
      .get();
    refreshNextStart(tx, course.id);
    recordAudit(tx, { actorId: user.id, action: 'session.created', subjectType: 'session', subjectId: session.id, details: { courseId: course.id, ...times, capacity: input.capacity, waitlistLimit: input.waitlistLimit } });
    syncSearch(tx, course.id);
    return session;
  });
}

/**
 * Edits a session. Raising capacity promotes from the waitlist in this same transaction; lowering it
 * below the seats taken is refused. `cancelled: true` cancels the session and tells everyone on it.
 */
export function updateSession(db: Db, user: SessionUser, sessionId: number, input: SessionUpdate): CourseSession {
  return write(db, (tx) => {
    const { session, course } = requireEditableSession(tx, user, sessionId);
    if (session.status === 'cancelled') throw new Conflict('This session was cancelled and can no longer be changed.', 'session_cancelled');
    if (input.cancelled) return cancelSessionInTx(tx, user, session, course, input.cancelReason);
    const times: SessionTimes = {
      startsAt: input.startsAt ?? session.startsAt,
      endsAt: input.endsAt ?? session.endsAt,
      enrollmentOpensAt: input.enrollmentOpensAt ?? session.enrollmentOpensAt,
      enrollmentClosesAt: input.enrollmentClosesAt ?? session.enrollmentClosesAt,
      cancellationDeadline: input.cancellationDeadline ?? session.cancellationDeadline,
    };
    checkTimes(times);
    if (input.capacity !== undefined && input.capacity < session.enrolledCount) {
      const message = 'The capacity cannot go below the number of seats already taken.';
      throw new Conflict(message, 'capacity_below_taken', { capacity: [message] });
    }
    const changes = {
      ...times,
      ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
      ...(input.location !== undefined ? { location: input.location } : {}),
      ...(input.onlineUrl !== undefined ? { onlineUrl: input.onlineUrl } : {}),
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      ...(input.waitlistLimit !== undefined ? { waitlistLimit: input.waitlistLimit } : {}),
    };
    tx.update(courseSessions)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(courseSessions.id, session.id))
      .run();
    const described = describeSessionChanges(session, { ...session, ...changes });
    if (described) tellStudentsOfChanges(tx, user, session, course, described);
    recordAudit(tx, {
      actorId: user.id,
      action: 'session.updated',
      subjectType: 'session',
      subjectId: session.id,
      details: { fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined), capacity: { from: session.capacity, to: input.capacity ?? session.capacity }, notified: described },
    });
    promoteFromWaitlist(tx, user.id, session.id);
    refreshNextStart(tx, course.id);
    syncSearch(tx, course.id);
    return tx.select().from(courseSessions).where(eq(courseSessions.id, session.id)).get()!;
  });
}

type SessionPlace = Pick<CourseSession, 'startsAt' | 'endsAt' | 'timezone' | 'location' | 'onlineUrl'>;

/** When a session runs, in its own zone, as a reader of `lang` writes it. */
const whenText = (lang: Lang, s: SessionPlace) => `${formatDateRange(lang, s.startsAt, s.endsAt, s.timezone)}${lang === 'en' ? ' ' : ''}${useTranslations(lang)('common.inParens', { text: s.timezone })}`;
const whenInBoth = (s: SessionPlace): Both => ({ en: whenText('en', s), zh: whenText('zh-cn', s) });

/**
 * What a student would notice changed: the time (start, end or zone), the place, the online link.
 * One line per change, old → new, in each language; null when the values are the same (a form
 * re-posting them).
 */
export function describeSessionChanges(before: SessionPlace, after: SessionPlace): Both | null {
  const lines = (lang: Lang) => {
    const t = useTranslations(lang);
    const out: string[] = [];
    // To the minute, as the message shows them: a form re-posting `09:00` for 09:00:30 changes nothing a student sees.
    const minute = (d: Date) => Math.floor(d.getTime() / 60_000);
    if (minute(before.startsAt) !== minute(after.startsAt) || minute(before.endsAt) !== minute(after.endsAt) || before.timezone !== after.timezone) {
      out.push(t('notice.course.change.time', { before: whenText(lang, before), after: whenText(lang, after) }));
    }
    if ((before.location ?? '') !== (after.location ?? '')) {
      out.push(t('notice.course.change.location', { before: before.location || '—', after: after.location || '—' }));
    }
    if ((before.onlineUrl ?? null) !== (after.onlineUrl ?? null)) {
      out.push(t('notice.course.change.onlineUrl', { before: before.onlineUrl || '—', after: after.onlineUrl || '—' }));
    }
    return out.join('\n');
  };
  const en = lines('en');
  return en ? { en, zh: lines('zh-cn') } : null;
}

/** Everyone holding a seat or waiting for one hears of a changed time or place, in the editing transaction. */
function tellStudentsOfChanges(tx: Tx, user: SessionUser, session: CourseSession, course: Course, changes: Both) {
  const people = tx
    .selectDistinct({ userId: enrollments.userId })
    .from(enrollments)
    .where(and(eq(enrollments.sessionId, session.id), inArray(enrollments.status, ['enrolled', 'waitlisted'])))
    .all();
  for (const { userId } of people) {
    if (userId === user.id) continue;
    notify(tx, userId, {
      kind: 'course.session_changed',
      params: { course: both(course.title, course.titleZh), changes },
      url: courseUrl(course.id),
      email: true,
    });
  }
}

function cancelSessionInTx(tx: Tx, user: SessionUser, session: CourseSession, course: Course, reason: string | undefined) {
  const affected = tx
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.sessionId, session.id), inArray(enrollments.status, ['enrolled', 'waitlisted'])))
    .all();
  const now = new Date();
  tx.update(enrollments)
    .set({ status: 'session_cancelled', endedAt: now, updatedAt: now })
    .where(and(eq(enrollments.sessionId, session.id), inArray(enrollments.status, ['enrolled', 'waitlisted'])))
    .run();
  tx.update(courseSessions)
    .set({ status: 'cancelled', cancelReason: reason ?? null, enrolledCount: 0, updatedAt: now })
    .where(eq(courseSessions.id, session.id))
    .run();
  recordAudit(tx, { actorId: user.id, action: 'session.cancelled', subjectType: 'session', subjectId: session.id, details: { reason: reason ?? null, affected: affected.length } });
  for (const e of affected) {
    recordAudit(tx, { actorId: user.id, action: 'enrollment.session_cancelled', subjectType: 'enrollment', subjectId: e.id, details: { from: e.status } });
    notify(tx, e.userId, {
      kind: 'course.session_cancelled',
      params: { course: both(course.title, course.titleZh) },
      note: reason,
      url: courseUrl(course.id),
      email: true,
    });
  }
  refreshNextStart(tx, course.id);
  syncSearch(tx, course.id);
  return tx.select().from(courseSessions).where(eq(courseSessions.id, session.id)).get()!;
}

// ---------------------------------------------------------------- enrollment

/** Where someone stands on the waitlist right now: 1 is next in line. */
export function waitlistRank(tx: Tx | Db, enrollment: Pick<Enrollment, 'sessionId' | 'waitlistPosition' | 'status'>): number | null {
  if (enrollment.status !== 'waitlisted' || enrollment.waitlistPosition === null) return null;
  return tx
    .select({ n: count() })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.sessionId, enrollment.sessionId),
        eq(enrollments.status, 'waitlisted'),
        sql`${enrollments.waitlistPosition} <= ${enrollment.waitlistPosition}`,
      ),
    )
    .get()!.n;
}

export function waitlistLength(tx: Tx | Db, sessionId: number): number {
  return tx
    .select({ n: count() })
    .from(enrollments)
    .where(and(eq(enrollments.sessionId, sessionId), eq(enrollments.status, 'waitlisted')))
    .get()!.n;
}

/**
 * Takes a seat if one is left, else a place on the waitlist, else refuses with code `full`.
 * One transaction: the seat count and the enrollment row change together or not at all.
 */
export function enrollInSession(db: Db, user: SessionUser, sessionId: number) {
  return write(db, (tx) => {
    const { session, course } = requireSession(tx, user, sessionId);
    if (course.status !== 'published') throw new Conflict('This course is not open for enrollment.', 'not_published');
    if (session.status === 'cancelled') throw new Conflict('This session was cancelled.', 'session_cancelled');
    const now = new Date();
    if (now < session.enrollmentOpensAt) {
      throw new Conflict('Enrollment for this session has not opened yet.', 'enrollment_not_open');
    }
    if (now >= session.enrollmentClosesAt) throw new Conflict('Enrollment for this session has closed.', 'enrollment_closed');
    const existing = tx
      .select({ id: enrollments.id, status: enrollments.status })
      .from(enrollments)
      .where(and(eq(enrollments.sessionId, session.id), eq(enrollments.userId, user.id), inArray(enrollments.status, ['enrolled', 'waitlisted', 'completed', 'not_completed'])))
      .get();
    if (existing) {
      const message = existing.status === 'waitlisted' ? 'You are already on the waitlist for this session.' : 'You are already enrolled in this session.';
      throw new Conflict(message, 'already_enrolled');
    }
    let enrollment: Enrollment;
    if (session.enrolledCount < session.capacity) {
      tx.update(courseSessions)
        .set({ enrolledCount: sql`${courseSessions.enrolledCount} + 1` })
        .where(eq(courseSessions.id, session.id))
        .run();
      enrollment = tx.insert(enrollments).values({ sessionId: session.id, userId: user.id, status: 'enrolled', enrolledAt: now }).returning().get();
    } else if (waitlistLength(tx, session.id) < session.waitlistLimit) {
      const position = session.waitlistSeq + 1;
      tx.update(courseSessions).set({ waitlistSeq: position }).where(eq(courseSessions.id, session.id)).run();
      enrollment = tx.insert(enrollments).values({ sessionId: session.id, userId: user.id, status: 'waitlisted', waitlistPosition: position }).returning().get();
    } else {
      throw new Conflict('This session is full and so is its waitlist.', 'full');
    }
    recordAudit(tx, { actorId: user.id, action: `enrollment.${enrollment.status}`, subjectType: 'enrollment', subjectId: enrollment.id, details: { sessionId: session.id, waitlistPosition: enrollment.waitlistPosition } });
    return { ...enrollment, position: waitlistRank(tx, enrollment) };
  });
}

/**
 * Fills free seats from the waitlist, first in line first, inside the caller's transaction, and tells
 * each promoted student. Returns the promoted enrollments in order.
 */
export function promoteFromWaitlist(tx: Tx, actorId: string | null, sessionId: number): Enrollment[] {
  const promoted: Enrollment[] = [];
  for (;;) {
    const session = tx.select().from(courseSessions).where(eq(courseSessions.id, sessionId)).get()!;
    if (session.status !== 'scheduled' || session.enrolledCount >= session.capacity) break;
    const next = tx
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.sessionId, sessionId), eq(enrollments.status, 'waitlisted')))
      .orderBy(asc(enrollments.waitlistPosition))
      .limit(1)
      .get();
    if (!next) break;
    const now = new Date();
    tx.update(courseSessions)
      .set({ enrolledCount: sql`${courseSessions.enrolledCount} + 1` })
      .where(eq(courseSessions.id, sessionId))
      .run();
    const row = tx
      .update(enrollments)
      .set({ status: 'enrolled', enrolledAt: now, promotedAt: now, updatedAt: now })
      .where(eq(enrollments.id, next.id))
      .returning()
      .get();
    recordAudit(tx, { actorId, action: 'enrollment.promoted', subjectType: 'enrollment', subjectId: next.id, details: { sessionId, waitlistPosition: next.waitlistPosition } });
    const course = tx.select({ id: courses.id, title: courses.title, titleZh: courses.titleZh }).from(courses).where(eq(courses.id, session.courseId)).get()!;
    notify(tx, next.userId, {
      kind: 'course.promoted',
      params: { course: both(course.title, course.titleZh) },
      url: courseUrl(course.id),
      email: true,
    });
    promoted.push(row);
  }
  return promoted;
}

/**
 * The student cancels their own enrollment (before the deadline) or waitlist place, or a provider
 * removes someone from the roster (status `removed`; the person is told in the same transaction).
 * A freed seat goes to the first person waiting, in this transaction. `providerOnly` refuses (404)
 * anyone who cannot edit the course, even for their own enrollment.
 */
export function cancelEnrollment(db: Db, user: SessionUser, enrollmentId: number, options: { providerOnly?: boolean } = {}) {
  return write(db, (tx) => {
    const enrollment = tx.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).get();
    if (!enrollment) throw new NotFound('No enrollment has that number.');
    const { session, course } = requireSession(tx, user, enrollment.sessionId);
    const own = enrollment.userId === user.id;
    const provider = canEditCourse(tx, user, course);
    // The roster's "remove" button is for providers only; a student's own cancel goes through the same path without it.
    if ((!own || options.providerOnly) && !provider) throw new NotFound('No enrollment has that number.');
    if (enrollment.status !== 'enrolled' && enrollment.status !== 'waitlisted') {
      throw new Conflict('This enrollment is no longer active.', 'not_active');
    }
    const now = new Date();
    if (own && !provider && enrollment.status === 'enrolled' && now > session.cancellationDeadline) {
      throw new Conflict('The cancellation deadline for this session has passed; please contact the provider.', 'deadline_passed');
    }
    const status = own ? 'cancelled' : 'removed';
    tx.update(enrollments).set({ status, endedAt: now, updatedAt: now }).where(eq(enrollments.id, enrollment.id)).run();
    if (enrollment.status === 'enrolled') {
      tx.update(courseSessions)
        .set({ enrolledCount: sql`${courseSessions.enrolledCount} - 1` })
        .where(eq(courseSessions.id, session.id))
        .run();
    }
    recordAudit(tx, { actorId: user.id, action: `enrollment.${status}`, subjectType: 'enrollment', subjectId: enrollment.id, details: { from: enrollment.status, sessionId: session.id } });
    if (!own) {
      notify(tx, enrollment.userId, {
        kind: 'course.removed',
        params: { course: both(course.title, course.titleZh), when: whenInBoth(session), waitlisted: enrollment.status === 'waitlisted' ? termInBoth('notice.course.wasWaitlisted') : '' },
        url: courseUrl(course.id),
        email: true,
      });
    }
    const promoted = promoteFromWaitlist(tx, user.id, session.id);
    return { id: enrollment.id, status, promoted: promoted.map((p) => p.id) };
  });
}

// ---------------------------------------------------------------- completion and certificates

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 16 symbols from a 32-letter alphabet without look-alikes: 80 random bits, e.g. K7QM-3XPA-… */
export function newCertificateCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) code += CODE_ALPHABET[bytes[i]! & 31];
  return code.match(/.{4}/g)!.join('-');
}

/** A provider marks one person completed (issuing a certificate) or not completed (revoking one). */
export function markCompletion(db: Db, user: SessionUser, enrollmentId: number, completed: boolean) {
  return write(db, (tx) => {
    const enrollment = tx.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).get();
    if (!enrollment) throw new NotFound('No enrollment has that number.');
    const { session, course } = requireSession(tx, user, enrollment.sessionId);
    // Someone else's enrollment is not revealed to non-providers, as in cancelEnrollment.
    if (!canEditCourse(tx, user, course)) throw new NotFound('No enrollment has that number.');
    if (!['enrolled', 'completed', 'not_completed'].includes(enrollment.status)) {
      throw new Conflict('Only people holding a seat can be marked.', 'not_enrolled');
    }
    if (new Date() < session.startsAt) throw new Conflict('Completion can be marked once the session has started.', 'not_started');
    const status = completed ? 'completed' : 'not_completed';
    const now = new Date();
    tx.update(enrollments).set({ status, updatedAt: now }).where(eq(enrollments.id, enrollment.id)).run();
    recordAudit(tx, { actorId: user.id, action: `enrollment.${status}`, subjectType: 'enrollment', subjectId: enrollment.id, details: { from: enrollment.status } });
    const existing = tx.select().from(certificates).where(eq(certificates.enrollmentId, enrollment.id)).get();
    let certificate = existing ?? null;
    if (completed) {
      if (!existing) {
        const student = tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, enrollment.userId)).get()!;
        const providers = tx
          .select({ name: organizations.name, nameZh: organizations.nameZh, slug: organizations.slug, id: organizations.id })
          .from(organizations)
          .where(inArray(organizations.id, [course.organizationId, ...tx.select({ id: coursePartners.organizationId }).from(coursePartners).where(eq(coursePartners.courseId, course.id)).all().map((p) => p.id)]))
          .all()
          .sort((a, b) => Number(b.id === course.organizationId) - Number(a.id === course.organizationId))
          .map(({ name, nameZh, slug }) => ({ name, nameZh, slug }));
        certificate = tx
          .insert(certificates)
          .values({
            code: newCertificateCode(),
            enrollmentId: enrollment.id,
            userId: enrollment.userId,
            courseId: course.id,
            recipientName: student.displayName,
            courseTitle: course.title,
            courseTitleZh: course.titleZh,
            providers,
            sessionStartsAt: session.startsAt,
          })
          .returning()
          .get();
        recordAudit(tx, { actorId: user.id, action: 'certificate.issued', subjectType: 'certificate', subjectId: certificate.id, details: { enrollmentId: enrollment.id } });
      } else if (existing.revokedAt) {
        certificate = tx.update(certificates).set({ revokedAt: null }).where(eq(certificates.id, existing.id)).returning().get();
        recordAudit(tx, { actorId: user.id, action: 'certificate.reinstated', subjectType: 'certificate', subjectId: existing.id });
      }
      notify(tx, enrollment.userId, {
        kind: 'course.completed',
        params: { course: both(course.title, course.titleZh) },
        url: `/certificates/${certificate!.code}`,
        email: true,
      });
    } else if (existing && !existing.revokedAt) {
      certificate = tx.update(certificates).set({ revokedAt: now }).where(eq(certificates.id, existing.id)).returning().get();
      recordAudit(tx, { actorId: user.id, action: 'certificate.revoked', subjectType: 'certificate', subjectId: existing.id });
      notify(tx, enrollment.userId, { kind: 'course.not_completed', params: { course: both(course.title, course.titleZh) }, url: courseUrl(course.id) });
    }
    return { id: enrollment.id, status, certificateCode: certificate && !certificate.revokedAt ? certificate.code : null };
  });
}

// ---------------------------------------------------------------- calendar feed

/** The user's secret feed token, created on first use. */
export function calendarFeedToken(db: Db, userId: string): string {
  const existing = db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();
  if (existing) return existing.token;
  return write(db, (tx) => {
    const again = tx.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();
    if (again) return again.token;
    const token = randomBytes(24).toString('base64url');
    tx.insert(calendarFeeds).values({ userId, token }).run();
    recordAudit(tx, { actorId: userId, action: 'calendar_feed.created', subjectType: 'user', subjectId: userId });
    return token;
  });
}

/** A new token: subscriptions using the old address stop working. */
export function rotateCalendarFeedToken(db: Db, userId: string): string {
  return write(db, (tx) => {
    const token = randomBytes(24).toString('base64url');
    tx.insert(calendarFeeds).values({ userId, token }).onConflictDoUpdate({ target: calendarFeeds.userId, set: { token, createdAt: new Date() } }).run();
    recordAudit(tx, { actorId: userId, action: 'calendar_feed.rotated', subjectType: 'user', subjectId: userId });
    return token;
  });
}
