/**
 * recordAudit and notify write their rows with kept hand-written statements (they run on every
 * write): the rows must be stored exactly as drizzle stores them for the schema (times in ms,
 * details as JSON text, defaults), and read back through the schema as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, notifications, users } from '../db/schema';
import { write } from '../db/client';
import { listAudit, recordAudit } from '../src/lib/audit/log';
import { listNotifications, notify, unreadCount } from '../src/lib/notifications/notify';
import { testDb } from './helpers/db';

let db: ReturnType<typeof testDb>;
beforeEach(() => {
  db = testDb();
  db.insert(users).values([
    { id: 'zh', email: 'zh@example.com', displayName: '张', passwordHash: 'x' },
    { id: 'en', email: 'en@example.com', displayName: 'E', passwordHash: 'x', locale: 'en' },
  ]).run();
});
afterEach(() => db.cleanup());

const stored = (table: string, id: number) => db.$client.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;
/** A stored row without its id and time, and the time's type. */
const shape = (row: Record<string, unknown>) => {
  const { id: _id, created_at, ...fields } = row;
  return { ...fields, created_at: typeof created_at };
};

describe('audit and notification rows', () => {
  it('store an audit entry as drizzle stores one, and read back with its details and time', () => {
    const before = Date.now();
    write(db, (tx) => recordAudit(tx, { actorId: 'zh', action: 'course.published', subjectType: 'course', subjectId: 7, details: { from: 'draft', list: [1, 'a'], nested: { ok: true } } }));
    recordAudit(db, { actorId: null, action: 'system.tick', subjectType: 'system', subjectId: 'x' });
    const viaDrizzle = db.insert(auditLog).values({ actorId: 'zh', action: 'course.published', subjectType: 'course', subjectId: '7', details: { from: 'draft', list: [1, 'a'], nested: { ok: true } } }).returning().get();
    const withoutDetails = db.insert(auditLog).values({ actorId: null, action: 'system.tick', subjectType: 'system', subjectId: 'x' }).returning().get();
    expect(shape(stored('audit_log', 1))).toEqual(shape(stored('audit_log', viaDrizzle.id)));
    expect(shape(stored('audit_log', 2))).toEqual(shape(stored('audit_log', withoutDetails.id)));
    const [newest, , , first] = listAudit(db);
    expect(first).toMatchObject({ actorId: 'zh', action: 'course.published', subjectType: 'course', subjectId: '7', details: { from: 'draft', list: [1, 'a'], nested: { ok: true } } });
    expect(first!.at.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(first!.at.getTime()).toBeLessThanOrEqual(Date.now() + 1);
    expect(newest!.details).toBeNull();
    expect(listAudit(db, { subjectType: 'course', subjectId: '7' })).toHaveLength(2);
  });

  it('store a notice in its reader’s language as drizzle stores one, and none for an unknown user', () => {
    write(db, (tx) => {
      notify(tx, 'zh', { kind: 'organization.verified', params: { organization: { en: 'Acme', zh: '阿克米' } }, url: '/organizations/acme' });
      notify(tx, 'en', { kind: 'organization.verified', params: { organization: { en: 'Acme', zh: '阿克米' } }, note: 'Welcome.' });
      notify(tx, 'nobody', { kind: 'organization.verified', params: { organization: { en: 'Acme', zh: '阿克米' } } });
    });
    const [zh] = listNotifications(db, 'zh').rows;
    const [en] = listNotifications(db, 'en').rows;
    expect(zh!.title).toContain('阿克米');
    expect(zh).toMatchObject({ kind: 'organization.verified', url: '/organizations/acme', readAt: null });
    expect(en!.title).toContain('Acme');
    expect(en!.body).toContain('Welcome.');
    expect(en!.url).toBeNull();
    expect(Math.abs(zh!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(db.$client.prepare('SELECT count(*) n FROM notifications').get()).toEqual({ n: 2 });
    expect(unreadCount(db, 'zh')).toBe(1);
    const viaDrizzle = db.insert(notifications).values({ userId: 'zh', kind: 'organization.verified', title: zh!.title, body: zh!.body, url: '/organizations/acme' }).returning().get();
    expect(shape(stored('notifications', zh!.id))).toEqual(shape(stored('notifications', viaDrizzle.id)));
  });
});
