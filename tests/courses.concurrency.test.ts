/**
 * 300 different users enroll at the same moment over HTTP in a session with 25 seats and a
 * 100-place waitlist. Exactly 25 get seats, 100 get waitlist positions 1..100, 175 hear "full".
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, courseSessions, enrollments, notifications } from '../db/schema';
import { insertUsers, providerSetup, publishedSession } from './courses.fixtures';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('an enrollment burst', () => {
  it('fills 25 seats, then 100 waitlist places in order, refuses the rest, and promotes in waitlist order', async () => {
    const provider = await providerSetup(server, 'burst-provider@example.com', 'burst');
    const { sessionId } = await publishedSession(server, provider, { capacity: 25, waitlistLimit: 100 });
    const students = insertUsers(server.db, 300, 'burst');

    const results = await Promise.all(students.map((s) => server.api.post(`/sessions/${sessionId}/enrollments`, {}, s.token)));

    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const enrolled = results.filter((r) => r.status === 201 && r.body.status === 'enrolled');
    const waitlisted = results.filter((r) => r.status === 201 && r.body.status === 'waitlisted');
    const full = results.filter((r) => r.status === 409);
    expect(enrolled).toHaveLength(25);
    expect(waitlisted).toHaveLength(100);
    expect(full).toHaveLength(175);
    expect(full.every((r) => r.body.error.code === 'full')).toBe(true);
    expect(waitlisted.map((r) => r.body.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(server.db.select().from(courseSessions).where(eq(courseSessions.id, sessionId)).get()!.enrolledCount).toBe(25);

    // The first ten in line, by position, before anyone cancels.
    const line = server.db
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.sessionId, sessionId), eq(enrollments.status, 'waitlisted')))
      .orderBy(asc(enrollments.waitlistPosition))
      .all();
    const firstTen = line.slice(0, 10).map((e) => e.userId);

    const tokenOf = new Map(students.map((s) => [s.id, s.token]));
    const seated = server.db.select().from(enrollments).where(and(eq(enrollments.sessionId, sessionId), eq(enrollments.status, 'enrolled'))).all().slice(0, 10);
    const cancels = await Promise.all(seated.map((e) => server.api.delete(`/enrollments/${e.id}`, tokenOf.get(e.userId))));
    expect(cancels.map((c) => c.status)).toEqual(Array(10).fill(200));

    const promoted = server.db
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.sessionId, sessionId), eq(enrollments.status, 'enrolled'), inArray(enrollments.userId, firstTen)))
      .all();
    expect(promoted.map((e) => e.userId).sort()).toEqual([...firstTen].sort());
    // Promotions happened in waitlist order: the audit trail lists them by position.
    const positionOf = new Map(promoted.map((e) => [String(e.id), e.waitlistPosition]));
    const trail = server.db.select().from(auditLog).where(eq(auditLog.action, 'enrollment.promoted')).orderBy(asc(auditLog.id)).all();
    expect(trail.map((a) => positionOf.get(a.subjectId))).toEqual(line.slice(0, 10).map((e) => e.waitlistPosition));
    expect(server.db.select().from(courseSessions).where(eq(courseSessions.id, sessionId)).get()!.enrolledCount).toBe(25);

    // The promoted students were told; the 11th in line now sees position 1.
    const notes = server.db.select().from(notifications).where(and(inArray(notifications.userId, firstTen), eq(notifications.kind, 'course.promoted'))).all();
    expect(new Set(notes.map((n) => n.userId)).size).toBe(10);
    const eleventh = line[10]!;
    const mine = await server.api.get('/me/enrollments', tokenOf.get(eleventh.userId));
    expect(mine.body.items[0]).toMatchObject({ status: 'waitlisted', position: 1 });
  }, 120_000);
});
