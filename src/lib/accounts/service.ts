/** Accounts: sign-up, sign-in, password change and reset. Writes only; reads are in queries.ts. */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx, type Tx } from '@db/client';
import { passwordResetTokens, sessions, userRoles, users, type PlatformRole } from '@db/schema';
import { recordAudit } from '~/lib/audit/log';
import { decoyHash, hashPassword, verifyPassword } from '~/lib/auth/password';
import { passwordWeaknesses } from '~/lib/auth/password-strength';
import { endOtherSessions, startSession } from '~/lib/auth/sessions';
import { localizePath, useTranslations } from '~/i18n';
import { Conflict, Invalid, NotFound } from '~/lib/errors';
import { langOf, queueEmail } from '~/lib/notifications/notify';
import { clear, limits, refundAttempt, takeAttempt } from './rate-limit';
import type { SignUpInput } from './schemas';
import { markEmailVerified, sendSignUpAttemptEmail, sendVerificationEmail, sha256 } from './verification';

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

function newUserId() {
  return randomBytes(10).toString('hex');
}

export function findUserByEmail(db: DbOrTx, email: string) {
  return db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .get();
}

/**
 * Creates an account whose address is not verified yet and mails it a verification link. An
 * address that already has an account gets the same answer (and costs the same password hash);
 * its owner is mailed that someone tried to sign up with it. Nobody is signed in here.
 */
/** `next`: where the person was going (a same-site path), carried in the mailed links. */
export async function signUp(db: Db, input: SignUpInput, origin: string, next?: string) {
  const passwordHash = await hashPassword(input.password);
  write(db, (tx) => {
    const existing = findUserByEmail(tx, input.email);
    if (existing) {
      sendSignUpAttemptEmail(tx, existing, origin, next);
      return;
    }
    const user = tx
      .insert(users)
      .values({ id: newUserId(), email: input.email, displayName: input.displayName, passwordHash, locale: input.locale ?? 'zh-cn' })
      .returning()
      .get();
    sendVerificationEmail(tx, user, origin, next);
    recordAudit(tx, { actorId: user.id, action: 'user.signed_up', subjectType: 'user', subjectId: user.id });
  });
}

/**
 * Checks credentials. Unknown email and wrong password get the same answer and cost the same
 * time. Every attempt is counted against the account and the IP address before the password is
 * checked (so concurrent guesses cannot overrun the limit); success clears the account's count
 * and gives the address its attempt back.
 */
export async function signIn(db: Db, email: string, password: string, ip: string) {
  const accountKey = `signin:account:${email.toLowerCase()}`;
  const ipKey = `signin:ip:${ip}`;
  takeAttempt(db, [
    { key: accountKey, limit: limits.signInAccount },
    { key: ipKey, limit: limits.signInIp },
  ]);
  const user = findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok) {
    throw new Invalid('That email and password do not match an account.', {
      password: ['That email and password do not match an account.'],
    });
  }
  write(db, (tx) => {
    clear(tx, accountKey);
    refundAttempt(tx, ipKey);
  });
  const session = await startSession(db, user.id);
  return { userId: user.id, ...session };
}

/** Refuses a new password that is easy to guess for this person (sign-up checks it in its schema). */
function assertHardToGuess(password: string, user: { email: string; displayName: string }) {
  const weaknesses = passwordWeaknesses(password, user);
  if (weaknesses.length) throw new Invalid(weaknesses[0]!, { newPassword: weaknesses });
}

/** Every reset link of the user stops working (after a reset or a password change). */
function retireResetTokens(tx: Tx, userId: string) {
  tx.update(passwordResetTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)))
    .run();
}

/** Changes the password, ends every other session of the user and retires their reset links. */
export async function changePassword(db: Db, userId: string, currentToken: string | null, current: string, next: string) {
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) throw new NotFound();
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw new Invalid('Your current password is not right.', { currentPassword: ['Your current password is not right.'] });
  }
  assertHardToGuess(next, user);
  const passwordHash = await hashPassword(next);
  write(db, (tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    retireResetTokens(tx, userId);
    endOtherSessions(tx, userId, currentToken ?? undefined);
    recordAudit(tx, { actorId: userId, action: 'user.password_changed', subjectType: 'user', subjectId: userId });
  });
}


/**
 * Queues a reset link to the address if it has an account. Answers the same either way so the
 * form does not reveal who has an account; requests are limited per IP address.
 */
export function requestPasswordReset(db: Db, email: string, ip: string, origin: string) {
  const ipKey = `reset:ip:${ip}`;
  takeAttempt(db, [{ key: ipKey, limit: limits.resetIp }]);
  const user = findUserByEmail(db, email);
  if (!user) return;
  const token = randomBytes(24).toString('hex');
  const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
  write(db, (tx) => {
    tx.insert(passwordResetTokens).values({ tokenHash: sha256(token), userId: user.id, expiresAt }).run();
    const lang = langOf(user.locale);
    const t = useTranslations(lang);
    const link = `${origin}${localizePath('/reset-password', lang)}?token=${token}`;
    queueEmail(tx, user.email, t('accounts.reset.mail.subject'), t('accounts.reset.mail.body', { link }), expiresAt);
  });
  return token;
}

/**
 * Sets a new password with a single-use, expiring token, ends all sessions of the user and
 * retires their other reset links.
 */
export async function resetPassword(db: Db, token: string, newPassword: string) {
  const row = db
    .select()
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, sha256(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
    .get();
  const invalid = () =>
    new Invalid('This reset link has expired or was already used. Ask for a new one.', {
      token: ['This reset link has expired or was already used. Ask for a new one.'],
    });
  if (!row) throw invalid();
  const user = db.select().from(users).where(eq(users.id, row.userId)).get()!;
  assertHardToGuess(newPassword, user);
  const passwordHash = await hashPassword(newPassword);
  write(db, (tx) => {
    // Mark used first, guarded on still unused, so two concurrent uses cannot both succeed.
    const used = tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.tokenHash, row.tokenHash), isNull(passwordResetTokens.usedAt)))
      .run();
    if (used.changes !== 1) throw invalid();
    retireResetTokens(tx, row.userId);
    tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, row.userId)).run();
    // The reset link reached the address, which proves it.
    markEmailVerified(tx, row.userId);
    clear(tx, `signin:account:${user.email.toLowerCase()}`);
    recordAudit(tx, { actorId: row.userId, action: 'user.password_reset', subjectType: 'user', subjectId: row.userId });
  });
}

/** Replaces a user's platform roles. Refuses to remove the last admin. */
export function setPlatformRoles(db: Db, actorId: string, email: string, roles: PlatformRole[]) {
  const user = findUserByEmail(db, email);
  if (!user) throw new NotFound('No account has that email.');
  return write(db, (tx) => {
    const before = tx.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, user.id)).all().map((r) => r.role);
    if (before.includes('admin') && !roles.includes('admin')) {
      const admins = tx.select({ n: sql<number>`count(*)` }).from(userRoles).where(eq(userRoles.role, 'admin')).get()!.n;
      if (admins <= 1) throw new Conflict('This is the last admin; grant the role to someone else first.', 'last_admin');
    }
    tx.delete(userRoles).where(eq(userRoles.userId, user.id)).run();
    for (const role of new Set(roles)) tx.insert(userRoles).values({ userId: user.id, role }).run();
    recordAudit(tx, {
      actorId,
      action: 'user.roles_changed',
      subjectType: 'user',
      subjectId: user.id,
      details: { email: user.email, before, after: [...new Set(roles)] },
    });
    return { id: user.id, email: user.email, roles: [...new Set(roles)] };
  });
}
