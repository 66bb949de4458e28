/**
 * `courseVisibleTo`, the one condition behind the catalog, every course load and search: drafts
 * are seen by editors and owners of the lead or of a partner organization (and admins), nobody
 * else; published courses by everyone, and only they are in search. Run over a real SQLite file, with the services.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { courses, userRoles, users } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { courseVisibleTo } from '../src/lib/courses/policy';
import { courseInput, sessionInput } from '../src/lib/courses/schemas';
import { createCourse, createSession, publishCourse, requireVisibleCourse, unpublishCourse, updateSession } from '../src/lib/courses/service';
import { addMembership, addOrganization } from './courses.fixtures';
import { testDb } from './helpers/db';

let db: ReturnType<typeof testDb>;
beforeEach(() => (db = testDb()));
afterEach(() => db.cleanup());

const person = (id: string, roles: SessionUser['roles'] = []): SessionUser => {
  db.insert(users).values({ id, email: `${id}@example.com`, displayName: id, passwordHash: 'x' }).run();
  for (const role of roles) db.insert(userRoles).values({ userId: id, role }).run();
  return { id, email: `${id}@example.com`, displayName: id, locale: 'en', roles };
};
const draft = (owner: SessionUser, lead: string, partnerSlugs: string[] = []) =>
  createCourse(db, owner, courseInput.parse({ organizationSlug: lead, partnerSlugs, title: `Course of ${lead}`, summary: 'A summary long enough.', category: 'logistics', languages: ['en'], mode: 'online', priceCny: 0 }));
const sees = (user: SessionUser | null, id: number) => !!db.select({ id: courses.id }).from(courses).where(and(eq(courses.id, id), courseVisibleTo(user))).get();

describe('course visibility', () => {
  it('shows a draft to editors and owners of its lead and partners and to admins, to nobody else; a published course to all', () => {
    const lead = addOrganization(db, 'lead-uni', 'university');
    const partner = addOrganization(db, 'partner-co', 'company');
    const other = addOrganization(db, 'other-ngo', 'ngo');
    const owner = person('owner');
    addMembership(db, lead.id, owner.id, 'owner');
    const leadEditor = person('lead-editor');
    addMembership(db, lead.id, leadEditor.id, 'editor');
    const partnerEditor = person('partner-editor');
    addMembership(db, partner.id, partnerEditor.id, 'editor');
    const partnerMember = person('partner-member');
    addMembership(db, partner.id, partnerMember.id, 'member');
    const stranger = person('stranger');
    addMembership(db, other.id, stranger.id, 'owner'); // edits for some other organization only
    const admin = person('admin', ['admin']);
    // Someone who edits for many organizations, none of them this course's: still not shown.
    const busy = person('busy');
    for (let i = 0; i < 50; i++) addMembership(db, addOrganization(db, `org-${i}`, 'company').id, busy.id, 'editor');

    const course = draft(owner, lead.slug, [partner.slug]);
    const alone = draft(owner, lead.slug);
    for (const user of [owner, leadEditor, partnerEditor, admin]) expect(sees(user, course.id), user.id).toBe(true);
    for (const user of [partnerMember, stranger, busy, null]) expect(sees(user, course.id), user?.id ?? 'anonymous').toBe(false);
    // without the partner, its editor no longer sees the lead's other draft
    expect(sees(partnerEditor, alone.id)).toBe(false);
    expect(sees(leadEditor, alone.id)).toBe(true);
    // the lookup every write starts with (a query kept per connection, the viewer a placeholder) agrees, user after user
    for (const user of [owner, stranger, leadEditor, partnerMember, partnerEditor, null, admin, busy, owner, stranger]) {
      const found = (() => { try { return requireVisibleCourse(db, user, course.id).id === course.id; } catch { return false; } })();
      expect(found, user?.id ?? 'anonymous').toBe(sees(user, course.id));
    }
    expect(() => requireVisibleCourse(db, stranger, course.id)).toThrow('No course has that number.');
    expect(requireVisibleCourse(db, partnerEditor, course.id).id).toBe(course.id);

    const indexed = (id: number) => db.$client.prepare(`SELECT title FROM search_documents WHERE kind = 'course' AND doc_id = ?`).pluck().get(String(id));
    createSession(db, owner, course.id, sessionInput.parse({ startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString(), timezone: 'Asia/Shanghai', capacity: 5, waitlistLimit: 0 }));
    expect(indexed(course.id)).toBeUndefined(); // a draft is not searchable
    publishCourse(db, owner, course.id);
    for (const user of [owner, partnerMember, stranger, busy, null]) expect(sees(user, course.id), user?.id ?? 'anonymous').toBe(true);
    expect(sees(null, alone.id)).toBe(false);
    expect(indexed(course.id)).toBe('Course of lead-uni');
    expect(indexed(alone.id)).toBeUndefined();
    unpublishCourse(db, owner, course.id);
    expect(indexed(course.id)).toBeUndefined();
    expect(sees(stranger, course.id)).toBe(false);
  });
});

describe('a course’s next start (denormalized for the catalog)', () => {
  it('is its earliest upcoming scheduled session, kept up to date as sessions are added and cancelled', () => {
    const lead = addOrganization(db, 'next-uni', 'university');
    const owner = person('next-owner');
    addMembership(db, lead.id, owner.id, 'owner');
    const course = draft(owner, lead.slug);
    const next = () => db.select({ at: courses.nextStartsAt }).from(courses).where(eq(courses.id, course.id)).get()!.at;
    const at = (days: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000);
    const session = (days: number) => createSession(db, owner, course.id, sessionInput.parse({ startsAt: at(days).toISOString(), endsAt: at(days + 0.1).toISOString(), timezone: 'Asia/Shanghai', capacity: 5, waitlistLimit: 0 }));
    expect(next()).toBeNull();
    const later = session(20);
    expect(next()).toEqual(at(20));
    const sooner = session(3);
    expect(next()).toEqual(at(3));
    session(40);
    expect(next()).toEqual(at(3));
    publishCourse(db, owner, course.id);
    expect(next()).toEqual(at(3));
    updateSession(db, owner, sooner.id, { cancelled: true, cancelReason: 'Room unavailable.' });
    expect(next()).toEqual(at(20));
    updateSession(db, owner, later.id, { cancelled: true, cancelReason: 'Room unavailable.' });
    expect(next()).toEqual(at(40));
  });
});
