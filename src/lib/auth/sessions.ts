/**
 * The only module that imports lucia. Sessions live in the `sessions` table; lucia's session id is
 * the token, sent as a cookie by browsers and as `Authorization: Bearer` by API clients. The table
 * keeps only a SHA-256 of it (the adapter hashes every id on its way in), so a copy of the
 * database or a backup holds no token that signs anyone in.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, ne } from 'drizzle-orm';
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Db, DbOrTx } from '@db/client';
import { sessions, userRoles, users, type PlatformRole } from '@db/schema';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  roles: PlatformRole[];
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<Record<never, never>, Omit<SessionUser, 'id'>>;
    DatabaseUserAttributes: Omit<SessionUser, 'id'>;
  }
}

/** What the `sessions` table stores in place of a token. */
export function sessionDigest(token: string) {
  return createHash('sha256').update(token).digest('hex');
}

function adapter(db: Db): Adapter {
  const toSession = (row: typeof sessions.$inferSelect): DatabaseSession => ({
    id: row.id,
    userId: row.userId,
    expiresAt: new Date(row.expiresAt * 1000),
    attributes: {},
  });
  return {
    async getSessionAndUser(sessionId) {
      const row = db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, sessionDigest(sessionId)))
        .get();
      if (!row) return [null, null];
      const roles = db
        .select({ role: userRoles.role })
        .from(userRoles)
        .where(eq(userRoles.userId, row.user.id))
        .all()
        .map((r) => r.role);
      const user: DatabaseUser = {
        id: row.user.id,
        attributes: { email: row.user.email, displayName: row.user.displayName, locale: row.user.locale, roles },
      };
      // lucia hands this id back to updateSessionExpiration/deleteSession and to the caller: the token.
      return [{ ...toSession(row.session), id: sessionId }, user];
    },
    // The ids listed here are digests, not tokens (which are not kept): good for counting, not for use.
    async getUserSessions(userId) {
      return db.select().from(sessions).where(eq(sessions.userId, userId)).all().map(toSession);
    },
    async setSession(session) {
      db.insert(sessions)
        .values({ id: sessionDigest(session.id), userId: session.userId, expiresAt: Math.floor(session.expiresAt.getTime() / 1000) })
        .run();
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      db.update(sessions)
        .set({ expiresAt: Math.floor(expiresAt.getTime() / 1000) })
        .where(eq(sessions.id, sessionDigest(sessionId)))
        .run();
    },
    async deleteSession(sessionId) {
      db.delete(sessions).where(eq(sessions.id, sessionDigest(sessionId))).run();
    },
    async deleteUserSessions(userId) {
      db.delete(sessions).where(eq(sessions.userId, userId)).run();
    },
    async deleteExpiredSessions() {
      db.delete(sessions)
        .where(lt(sessions.expiresAt, Math.floor(Date.now() / 1000)))
        .run();
    },
  };
}

const instances = new WeakMap<Db, Lucia>();

function lucia(db: Db): Lucia {
  let instance = instances.get(db);
  if (!instance) {
    instance = new Lucia(adapter(db), {
      // Sliding expiry: lucia extends a session used in the second half of its life.
      sessionExpiresIn: new TimeSpan(30, 'd'),
      sessionCookie: { name: 'portal_session', attributes: { sameSite: 'lax' } },
      getUserAttributes: (a) => ({ email: a.email, displayName: a.displayName, locale: a.locale, roles: a.roles }),
    });
    instances.set(db, instance);
  }
  return instance;
}

export const SESSION_COOKIE = 'portal_session';

/** Starts a new session (a fresh id at every sign-in, so a planted id is never promoted). */
export async function startSession(db: Db, userId: string) {
  const session = await lucia(db).createSession(userId, {});
  return { token: session.id, expiresAt: session.expiresAt };
}

export async function validateSessionToken(db: Db, token: string) {
  const { session, user } = await lucia(db).validateSession(token);
  if (!session) return null;
  return { token: session.id, expiresAt: session.expiresAt, fresh: session.fresh, user: user as SessionUser };
}

export async function endSession(db: Db, token: string) {
  await lucia(db).invalidateSession(token);
}

/** Ends every session of a user except the one whose token is `keep` (used after a password change). */
export function endOtherSessions(db: DbOrTx, userId: string, keep?: string) {
  db.delete(sessions)
    .where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, sessionDigest(keep))) : eq(sessions.userId, userId))
    .run();
}

export function readBearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9]+)$/.exec(header.trim());
  return match ? match[1]! : null;
}

export interface CookieOptions {
  secure: boolean;
}

/** Session cookie attributes: HttpOnly, SameSite=Lax, Secure when the site is served over HTTPS. */
export function sessionCookie(token: string, expiresAt: Date, { secure }: CookieOptions) {
  return {
    name: SESSION_COOKIE,
    value: token,
    options: { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', expires: expiresAt },
  };
}

export function blankSessionCookie({ secure }: CookieOptions) {
  return {
    name: SESSION_COOKIE,
    value: '',
    options: { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge: 0 },
  };
}
