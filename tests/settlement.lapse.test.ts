/** The scheduled lapse check, run against a real database with a clock we choose. */
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { settlementApplications, settlementEvents, notifications, users } from '../db/schema';
import { seedSettlement } from '../db/seed/settlement';
import { createApplication, lapseOverdue } from '../src/lib/settlement/service';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

describe('lapseOverdue', () => {
  it('lapses only cases whose due date (a Shanghai calendar day) has passed', () => {
    seedSettlement(db);
    db.insert(users).values({ id: 'u1', email: 'u1@example.com', displayName: 'U1', passwordHash: 'x' }).run();
    const user = { id: 'u1', email: 'u1@example.com', displayName: 'U1', locale: 'en', roles: [] };
    const a = createApplication(db, user, 'entrepreneur-talent');
    const b = createApplication(db, user, 'entrepreneur-talent');
    db.update(settlementApplications).set({ state: 'information_requested', dueDate: '2026-03-10', reference: 'SH-TS-2026-000901' }).where(eq(settlementApplications.id, a.id)).run();
    db.update(settlementApplications).set({ state: 'incomplete', dueDate: '2026-03-11', reference: 'SH-TS-2026-000902' }).where(eq(settlementApplications.id, b.id)).run();

    // 2026-03-10 23:30 in Shanghai is still the due day: nothing lapses.
    expect(lapseOverdue(db, new Date('2026-03-10T15:30:00Z'))).toBe(0);
    // 2026-03-11 00:30 in Shanghai: the first case is past its day, the second is on its day.
    expect(lapseOverdue(db, new Date('2026-03-10T16:30:00Z'))).toBe(1);
    const state = (id: number) => db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.state;
    expect(state(a.id)).toBe('lapsed');
    expect(state(b.id)).toBe('incomplete');
    const event = db.select().from(settlementEvents).where(eq(settlementEvents.applicationId, a.id)).all().at(-1)!;
    expect(event).toMatchObject({ fromState: 'information_requested', toState: 'lapsed', actorId: null });
    const notice = db.select().from(notifications).where(eq(notifications.userId, 'u1')).all().at(-1)!;
    expect(notice.title).toContain('SH-TS-2026-000901');
    expect(lapseOverdue(db, new Date('2026-03-10T16:30:00Z'))).toBe(0); // running again changes nothing
  });
});
