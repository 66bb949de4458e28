/** PORTAL_ADMIN_EMAIL + PORTAL_ADMIN_PASSWORD at start: create that admin, or give an existing account the role. */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import { userRoles, users } from '@db/schema';
import { recordAudit } from '~/lib/audit/log';
import { hashPassword } from '~/lib/auth/password';
import { passwordWeaknesses } from '~/lib/auth/password-strength';

export async function ensureAdminFromEnv(db: Db, env = process.env): Promise<string | null> {
  const email = env.PORTAL_ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.PORTAL_ADMIN_PASSWORD;
  if (!email) return null;
  let user = db.select().from(users).where(sql`lower(${users.email}) = ${email}`).get();
  if (!user) {
    if (!password || password.length < 10) throw new Error('PORTAL_ADMIN_PASSWORD must have at least 10 characters to create the admin account.');
    const weaknesses = passwordWeaknesses(password, { email, displayName: 'Administrator' });
    if (weaknesses.length) throw new Error(`PORTAL_ADMIN_PASSWORD is refused: ${weaknesses.join(' ')}`);
    const id = randomBytes(10).toString('hex');
    // The operator chose this address: it counts as verified.
    db.insert(users).values({ id, email, displayName: 'Administrator', passwordHash: await hashPassword(password), emailVerifiedAt: new Date() }).run();
    user = db.select().from(users).where(eq(users.id, id)).get()!;
  }
  const had = db.select().from(userRoles).where(sql`${userRoles.userId} = ${user.id} AND ${userRoles.role} = 'admin'`).get();
  if (!had) {
    db.insert(userRoles).values({ userId: user.id, role: 'admin' }).run();
    recordAudit(db, { actorId: null, action: 'user.roles_changed', subjectType: 'user', subjectId: user.id, details: { email, granted: ['admin'], via: 'PORTAL_ADMIN_EMAIL' } });
  }
  return user.id;
}
