/** Arrangements shared by the courses tests: verified provider organizations and many ready-made users. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, organizations, sessions, users } from '../db/schema';
import { sessionDigest } from '../src/lib/auth/sessions';
import type { TestServer } from './helpers/server';

export async function userId(server: TestServer, token: string): Promise<string> {
  return (await server.api.get('/me', token)).body.id;
}

export function addOrganization(db: Db, slug: string, type: typeof organizations.$inferInsert.type, status: 'verified' | 'pending' = 'verified', nameZh?: string) {
  return db
    .insert(organizations)
    .values({ slug, name: slug.replace(/-/g, ' '), nameZh: nameZh ?? null, type, status, verifiedAt: status === 'verified' ? new Date() : null })
    .returning()
    .get();
}

export function addMembership(db: Db, organizationId: number, userId: string, role: 'owner' | 'editor' | 'member' = 'editor') {
  db.insert(memberships).values({ organizationId, userId, role }).run();
}

/** Users with live session tokens, written straight into the database (no password hashing per user). */
export function insertUsers(db: Db, n: number, prefix: string): { id: string; token: string }[] {
  const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
  const out: { id: string; token: string }[] = [];
  db.transaction((tx) => {
    for (let i = 0; i < n; i++) {
      const id = `${prefix}-${i}`;
      const token = randomBytes(20).toString('hex');
      tx.insert(users).values({ id, email: `${prefix}-${i}@example.com`, displayName: `学员 ${prefix} ${i}`, passwordHash: 'x' }).run();
      tx.insert(sessions).values({ id: sessionDigest(token), userId: id, expiresAt }).run();
      out.push({ id, token });
    }
  });
  return out;
}

export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export interface ProviderSetup {
  token: string;
  userId: string;
  university: typeof organizations.$inferSelect;
  company: typeof organizations.$inferSelect;
}

/** A provider editor of a verified university and a verified company. */
export async function providerSetup(server: TestServer, email: string, suffix: string): Promise<ProviderSetup> {
  const token = await server.api.signUp(email);
  const id = await userId(server, token);
  const university = addOrganization(server.db, `uni-${suffix}`, 'university', 'verified', '大学' + suffix);
  const company = addOrganization(server.db, `co-${suffix}`, 'company', 'verified', '公司' + suffix);
  addMembership(server.db, university.id, id);
  addMembership(server.db, company.id, id);
  return { token, userId: id, university, company };
}

export const courseBody = (lead: string, extra: Record<string, unknown> = {}) => ({
  organizationSlug: lead,
  title: 'Cross-border logistics in practice',
  titleZh: '跨境物流实务',
  summary: 'Customs, bonded warehouses and last-mile delivery for cross-border sellers.',
  descriptionMd: '## Outline\n\n- customs\n- bonded warehouses',
  category: 'logistics',
  languages: ['zh-cn', 'en'],
  mode: 'blended',
  priceCny: 0,
  ...extra,
});

/** Creates and publishes a course with one session; returns their ids. */
export async function publishedSession(server: TestServer, p: ProviderSetup, session: Record<string, unknown> = {}, course: Record<string, unknown> = {}) {
  const c = await server.api.post('/courses', courseBody(p.university.slug, course), p.token);
  if (c.status !== 201) throw new Error(JSON.stringify(c.body));
  const pub = await server.api.post(`/courses/${c.body.id}/publish`, {}, p.token);
  if (pub.status !== 200) throw new Error(JSON.stringify(pub.body));
  const s = await server.api.post(`/courses/${c.body.id}/sessions`, { startsAt: inHours(24 * 10), endsAt: inHours(24 * 10 + 3), timezone: 'Asia/Shanghai', capacity: 2, waitlistLimit: 2, ...session }, p.token);
  if (s.status !== 201) throw new Error(JSON.stringify(s.body));
  return { courseId: c.body.id as number, sessionId: s.body.id as number };
}

export function userById(db: Db, id: string) {
  return db.select().from(users).where(eq(users.id, id)).get();
}
