/**
 * Open data, talent theme (issue 18): every figure of every dataset equals a count made here, in
 * JavaScript, from the courses, sessions, enrollments and completions this test made through the
 * courses service; drafts, unpublished courses and cancelled sessions count nowhere; quarters are
 * Shanghai's (a certificate issued at 23:30 on 31 March belongs to Q1, one at 00:45 on 1 April to Q2).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrollments } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { courseInput, sessionInput } from '../src/lib/courses/schemas';
import { cancelEnrollment, createCourse, createSession, enrollInSession, markCompletion, publishCourse, unpublishCourse, updateSession } from '../src/lib/courses/service';
import { datasetById } from '../src/lib/data/registry';
import { shanghaiQuarter } from '../src/lib/data/periods';
import { talentDatasets } from '../src/lib/data/themes/talent';
import type { Row } from '../src/lib/data/types';
import { addMembership, addOrganization, insertUsers } from './courses.fixtures';
import { testDb } from './helpers/db';
import { expectRowsFit, expectWellFormed } from './helpers/dataset-shape';

const db = testDb();
afterAll(() => {
  vi.useRealTimers();
  db.cleanup();
});

const person = (id: string): SessionUser => ({ id, email: `${id}@example.com`, displayName: id, locale: 'en', roles: [] });
const shanghai = (local: string) => new Date(`${local}+08:00`);
const setClock = (local: string) => vi.setSystemTime(shanghai(local));

type Category = 'logistics' | 'payments_finance' | 'entrepreneurship' | 'marketing';
type Mode = 'online' | 'in_person' | 'blended';
type Fate = 'published' | 'draft' | 'unpublished';
interface PlannedCourse {
  key: string;
  category: Category;
  mode: Mode;
  languages: ('zh-cn' | 'en')[];
  priceCny: number;
  fate: Fate;
  id?: number;
}
/** Quarters written out by hand, in Shanghai time: the test's own reading of each start. */
interface PlannedSession {
  course: string;
  startsAt: string;
  quarter: string;
  capacity: number;
  waitlistLimit: number;
  learners: number;
  cancelled?: boolean;
  id?: number;
}

const COURSES: PlannedCourse[] = [
  { key: 'logistics', category: 'logistics', mode: 'online', languages: ['zh-cn', 'en'], priceCny: 0, fate: 'published' },
  { key: 'payments', category: 'payments_finance', mode: 'in_person', languages: ['zh-cn'], priceCny: 800, fate: 'published' },
  { key: 'startup-blended', category: 'entrepreneurship', mode: 'blended', languages: ['en'], priceCny: 0, fate: 'published' },
  { key: 'startup-online', category: 'entrepreneurship', mode: 'online', languages: ['zh-cn'], priceCny: 500, fate: 'published' },
  { key: 'startup-online-free', category: 'entrepreneurship', mode: 'online', languages: ['zh-cn', 'en'], priceCny: 0, fate: 'published' },
  { key: 'draft', category: 'logistics', mode: 'online', languages: ['zh-cn'], priceCny: 0, fate: 'draft' },
  { key: 'withdrawn', category: 'marketing', mode: 'blended', languages: ['en'], priceCny: 0, fate: 'unpublished' },
  { key: 'withdrawn-startup', category: 'entrepreneurship', mode: 'in_person', languages: ['zh-cn'], priceCny: 0, fate: 'unpublished' },
];

const SESSIONS: PlannedSession[] = [
  { course: 'logistics', startsAt: '2026-03-31T23:00:00', quarter: '2026-Q1', capacity: 3, waitlistLimit: 5, learners: 5 },
  { course: 'logistics', startsAt: '2026-04-01T00:30:00', quarter: '2026-Q2', capacity: 4, waitlistLimit: 2, learners: 2 },
  { course: 'payments', startsAt: '2026-05-15T10:00:00', quarter: '2026-Q2', capacity: 2, waitlistLimit: 3, learners: 4 },
  { course: 'payments', startsAt: '2026-06-01T10:00:00', quarter: '2026-Q2', capacity: 10, waitlistLimit: 0, learners: 3, cancelled: true },
  { course: 'startup-blended', startsAt: '2026-08-01T09:00:00', quarter: '2026-Q3', capacity: 5, waitlistLimit: 0, learners: 3 },
  { course: 'startup-online', startsAt: '2026-09-30T20:00:00', quarter: '2026-Q3', capacity: 2, waitlistLimit: 1, learners: 3 },
  { course: 'draft', startsAt: '2026-05-01T10:00:00', quarter: '2026-Q2', capacity: 7, waitlistLimit: 0, learners: 0 },
  { course: 'withdrawn', startsAt: '2026-04-10T10:00:00', quarter: '2026-Q2', capacity: 6, waitlistLimit: 2, learners: 7 },
  { course: 'withdrawn-startup', startsAt: '2026-08-10T10:00:00', quarter: '2026-Q3', capacity: 4, waitlistLimit: 0, learners: 2 },
];

/** Who is marked when, in Shanghai time: `completed` of the session's seats are marked completed, `notCompleted` not. */
const MARKING: { session: number; at: string; completed: number; notCompleted: number; certificateQuarter: string }[] = [
  { session: 0, at: '2026-03-31T23:30:00', completed: 2, notCompleted: 1, certificateQuarter: '2026-Q1' },
  { session: 1, at: '2026-04-01T00:45:00', completed: 2, notCompleted: 0, certificateQuarter: '2026-Q2' },
  { session: 4, at: '2026-08-01T12:00:00', completed: 3, notCompleted: 0, certificateQuarter: '2026-Q3' },
  { session: 7, at: '2026-04-10T12:00:00', completed: 4, notCompleted: 2, certificateQuarter: '2026-Q2' },
  { session: 8, at: '2026-08-10T12:00:00', completed: 2, notCompleted: 0, certificateQuarter: '2026-Q3' },
];

const provider = person('provider-0');
/** What the test did, learner by learner, as it saw it from the service's answers. */
const seats: { session: number; enrollmentId: number; status: 'enrolled' | 'waitlisted' | 'cancelled' | 'completed' | 'not_completed'; certificateQuarter?: string; revoked?: boolean }[] = [];

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  setClock('2026-01-10T10:00:00');
  const [p] = insertUsers(db, 1, 'provider');
  const learners = insertUsers(db, 40, 'learner').map((u) => person(u.id));
  const university = addOrganization(db, 'fudan-test', 'university');
  addMembership(db, university.id, p!.id);

  for (const c of COURSES) {
    const input = courseInput.parse({
      organizationSlug: university.slug,
      title: `Course ${c.key}`,
      summary: 'A course made for the open-data figures.',
      category: c.category,
      languages: c.languages,
      mode: c.mode,
      priceCny: c.priceCny,
    });
    c.id = createCourse(db, provider, input).id;
    if (c.fate !== 'draft') publishCourse(db, provider, c.id);
  }
  const courseOf = (key: string) => COURSES.find((c) => c.key === key)!;
  SESSIONS.forEach((s, index) => {
    const start = shanghai(s.startsAt);
    const input = sessionInput.parse({
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      timezone: 'Asia/Shanghai',
      capacity: s.capacity,
      waitlistLimit: s.waitlistLimit,
      enrollmentClosesAt: start.toISOString(),
      cancellationDeadline: start.toISOString(),
    });
    s.id = createSession(db, provider, courseOf(s.course).id!, input).id;
    for (let i = 0; i < s.learners; i++) {
      const e = enrollInSession(db, learners[index * 4 + i]!, s.id);
      seats.push({ session: index, enrollmentId: e.id, status: e.status as 'enrolled' | 'waitlisted' });
    }
  });

  // The third session loses one seated learner (who cancels) and promotes the first in line.
  const leaving = seats.find((x) => x.session === 2 && x.status === 'enrolled')!;
  const leaver = db.select({ userId: enrollments.userId }).from(enrollments).where(eq(enrollments.id, leaving.enrollmentId)).get()!;
  const { promoted } = cancelEnrollment(db, person(leaver.userId), leaving.enrollmentId);
  leaving.status = 'cancelled';
  for (const id of promoted) seats.find((x) => x.enrollmentId === id)!.status = 'enrolled';

  updateSession(db, provider, SESSIONS[3]!.id!, { cancelled: true, cancelReason: 'Venue unavailable' });
  for (const x of seats.filter((x) => x.session === 3)) x.status = 'cancelled';

  for (const m of [...MARKING].sort((a, b) => shanghai(a.at).getTime() - shanghai(b.at).getTime())) {
    setClock(m.at);
    const seated = seats.filter((x) => x.session === m.session && x.status === 'enrolled');
    seated.slice(0, m.completed).forEach((x) => {
      markCompletion(db, provider, x.enrollmentId, true);
      Object.assign(x, { status: 'completed', certificateQuarter: m.certificateQuarter });
    });
    seated.slice(m.completed, m.completed + m.notCompleted).forEach((x) => {
      markCompletion(db, provider, x.enrollmentId, false);
      x.status = 'not_completed';
    });
  }
  // A certificate taken back: issued at the start of Q2, then marked not completed after all.
  setClock('2026-08-20T09:00:00');
  const revoked = seats.find((x) => x.session === 1 && x.status === 'completed')!;
  markCompletion(db, provider, revoked.enrollmentId, false);
  Object.assign(revoked, { status: 'not_completed', revoked: true });

  setClock('2026-10-01T09:00:00');
  for (const c of COURSES.filter((c) => c.fate === 'unpublished')) unpublishCourse(db, provider, c.id!);
});

const compute = (id: string): Row[] => datasetById(id)!.compute(db);
const published = () => COURSES.filter((c) => c.fate === 'published');
const publicSessions = () => SESSIONS.map((s, index) => ({ ...s, index })).filter((s) => !s.cancelled && published().some((c) => c.key === s.course));
const seatsOf = (index: number) => seats.filter((x) => x.session === index);
const holding = (index: number) => seatsOf(index).filter((x) => ['enrolled', 'completed', 'not_completed'].includes(x.status)).length;
const waiting = (index: number) => seatsOf(index).filter((x) => x.status === 'waitlisted').length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const publicQuarters = () => [...new Set(publicSessions().map((s) => s.quarter))].sort();

describe('talent datasets', () => {
  it('are well formed and registered, and their rows fit their columns', () => {
    expectWellFormed(talentDatasets, 'talent');
    for (const d of talentDatasets) {
      expect(datasetById(d.id)).toBe(d);
      const rows = d.compute(db);
      expect(rows.length, d.id).toBeGreaterThan(0);
      expectRowsFit(d, rows);
    }
  });

  it('courses by category, mode and language count published courses only', () => {
    const expectBy = (key: 'category' | 'mode', codes: string[], rows: Row[]) => {
      expect(rows.map((r) => r[key])).toEqual(codes);
      for (const row of rows) {
        const matching = published().filter((c) => c[key] === row[key]);
        expect(row, String(row[key])).toEqual({ [key]: row[key], courses: matching.length, free_courses: matching.filter((c) => c.priceCny === 0).length });
      }
    };
    expectBy('category', ['entrepreneurship', 'logistics', 'payments_finance', 'compliance_tax', 'marketing', 'data', 'operations'], compute('courses-by-category'));
    expectBy('mode', ['online', 'in_person', 'blended'], compute('courses-by-mode'));
    // The unpublished marketing course and the draft logistics course count nowhere.
    expect(compute('courses-by-category').find((r) => r.category === 'marketing')!.courses).toBe(0);
    expect(compute('courses-by-category').find((r) => r.category === 'logistics')!.courses).toBe(1);
    expect(compute('courses-by-language')).toEqual(
      ['zh-cn', 'en'].map((language) => ({ language, courses: published().filter((c) => (c.languages as string[]).includes(language)).length })),
    );
  });

  it('seats offered and filled per quarter, by the Shanghai quarter each scheduled session of a published course starts in', () => {
    const rows = compute('seats-per-quarter');
    expect(rows.map((r) => r.quarter)).toEqual(publicQuarters());
    expect(rows.map((r) => r.quarter)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
    for (const row of rows) {
      const inQuarter = publicSessions().filter((s) => s.quarter === row.quarter);
      const offered = sum(inQuarter.map((s) => s.capacity));
      const filled = sum(inQuarter.map((s) => holding(s.index)));
      expect(row, String(row.quarter)).toEqual({ quarter: row.quarter, sessions: inQuarter.length, seats_offered: offered, seats_filled: filled, fill_rate: filled / offered });
    }
    // The session at 23:00 on 31 March (15:00 UTC) is Q1; the one at 00:30 on 1 April (16:30 UTC on 31 March) is Q2.
    expect(rows[0]).toMatchObject({ quarter: '2026-Q1', sessions: 1, seats_offered: 3 });
  });

  it('waitlist lengths per quarter sum what each session page shows', () => {
    const rows = compute('waitlists-per-quarter');
    expect(rows.map((r) => r.quarter)).toEqual(publicQuarters());
    for (const row of rows) {
      const inQuarter = publicSessions().filter((s) => s.quarter === row.quarter);
      const lengths = inQuarter.map((s) => waiting(s.index));
      expect(row, String(row.quarter)).toEqual({
        quarter: row.quarter,
        sessions: inQuarter.length,
        sessions_with_waitlist: lengths.filter((n) => n > 0).length,
        people_waiting: sum(lengths),
        longest_waitlist: Math.max(...lengths),
      });
    }
    expect(sum(rows.map((r) => r.people_waiting as number))).toBeGreaterThan(0);
  });

  it('completions per session quarter and valid certificates per issuing quarter, in Shanghai time', () => {
    const rows = compute('completions-per-quarter');
    const counted = seats.filter((x) => publicSessions().some((s) => s.index === x.session));
    const quarterOf = (index: number) => SESSIONS[index]!.quarter;
    const quarters = [...new Set([...counted.filter((x) => x.status === 'completed' || x.status === 'not_completed').map((x) => quarterOf(x.session)), ...counted.filter((x) => x.certificateQuarter && !x.revoked).map((x) => x.certificateQuarter!)])].sort();
    expect(rows.map((r) => r.quarter)).toEqual(quarters);
    for (const row of rows) {
      const completed = counted.filter((x) => x.status === 'completed' && quarterOf(x.session) === row.quarter).length;
      const notCompleted = counted.filter((x) => x.status === 'not_completed' && quarterOf(x.session) === row.quarter).length;
      const certificates = counted.filter((x) => x.status === 'completed' && !x.revoked && x.certificateQuarter === row.quarter).length;
      expect(row, String(row.quarter)).toEqual({ quarter: row.quarter, completions: completed, not_completed: notCompleted, completion_rate: completed + notCompleted ? completed / (completed + notCompleted) : null, certificates });
    }
    // Issued at 23:30 on 31 March in Shanghai (15:30 UTC): Q1. At 00:45 on 1 April (16:45 UTC on 31 March): Q2, less the one revoked.
    expect(rows.find((r) => r.quarter === '2026-Q1')!.certificates).toBe(2);
    expect(rows.find((r) => r.quarter === '2026-Q2')!.certificates).toBe(1);
  });

  it('entrepreneurship courses by mode: courses, sessions, seats and completions of published ones only', () => {
    const rows = compute('entrepreneurship-courses');
    expect(rows.map((r) => r.mode)).toEqual(['online', 'in_person', 'blended']);
    for (const row of rows) {
      const ours = published().filter((c) => c.category === 'entrepreneurship' && c.mode === row.mode);
      const sessions = publicSessions().filter((s) => ours.some((c) => c.key === s.course));
      expect(row, String(row.mode)).toEqual({
        mode: row.mode,
        courses: ours.length,
        free_courses: ours.filter((c) => c.priceCny === 0).length,
        sessions: sessions.length,
        seats_offered: sum(sessions.map((s) => s.capacity)),
        seats_filled: sum(sessions.map((s) => holding(s.index))),
        completions: sum(sessions.map((s) => seatsOf(s.index).filter((x) => x.status === 'completed').length)),
      });
    }
    // The in-person entrepreneurship course was unpublished, with its completions: nothing of it shows.
    expect(rows.find((r) => r.mode === 'in_person')).toEqual({ mode: 'in_person', courses: 0, free_courses: 0, sessions: 0, seats_offered: 0, seats_filled: 0, completions: 0 });
  });
});

describe('quarters in Shanghai time', () => {
  it('puts each instant stored as epoch milliseconds in the quarter of its Shanghai calendar date, at every edge', () => {
    const quarterOf = (iso: string) => db.get<{ q: string }>(sql`SELECT ${shanghaiQuarter(sql`${new Date(iso).getTime()}`)} AS q`).q;
    expect(quarterOf('2026-03-31T23:30:00+08:00')).toBe('2026-Q1');
    expect(quarterOf('2026-04-01T00:00:00+08:00')).toBe('2026-Q2');
    expect(quarterOf('2026-06-30T23:59:59.999+08:00')).toBe('2026-Q2');
    expect(quarterOf('2026-07-01T00:00:00+08:00')).toBe('2026-Q3');
    expect(quarterOf('2026-09-30T16:00:00Z')).toBe('2026-Q4');
    expect(quarterOf('2026-12-31T23:30:00+08:00')).toBe('2026-Q4');
    expect(quarterOf('2027-01-01T00:30:00+08:00')).toBe('2027-Q1');
  });
});
