/**
 * Proving an email address: a new account gets a single-use link that expires in 24 hours. Until
 * the address is proved, nothing addressed to it (organization invitations, research project
 * people) is attached to the account; proving it attaches them all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { emailVerificationTokens, users } from '@db/schema';
import { localizePath, useTranslations } from '~/i18n';
import { recordAudit } from '~/lib/audit/log';
import { startSession } from '~/lib/auth/sessions';
import { Invalid } from '~/lib/errors';
import { langOf, queueEmail } from '~/lib/notifications/notify';
import { claimInvitations } from '~/lib/organizations/invitations';
import { linkProjectPeople } from '~/lib/research/people';
import { takeAttempt, type Limit } from './rate-limit';

export const VERIFICATION_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Resending the link: a handful an hour, per account and per IP address. */
const RESEND_LIMIT: Limit = { max: 5, windowSeconds: 60 * 60, blockSeconds: 60 * 60 };

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A fresh random token and the hash the database keeps of it. */
export function newToken() {
  const token = randomBytes(24).toString('base64url');
  return { token, tokenHash: sha256(token) };
}

type Addressee = { id: string; email: string; locale: string };

/** Creates a verification token and queues the link to the account's address, in its owner's language. */
/** `next`: a same-site path (already checked with safeNext) the link returns to once the address is verified. */
export function sendVerificationEmail(tx: DbOrTx, user: Addressee, origin: string, next?: string) {
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(Date.now() + VERIFICATION_TOKEN_TTL_MS);
  tx.insert(emailVerificationTokens).values({ tokenHash, userId: user.id, expiresAt }).run();
  const lang = langOf(user.locale);
  const t = useTranslations(lang);
  const link = `${origin}${localizePath('/verify-email', lang)}?token=${token}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  queueEmail(tx, user.email, t('accounts.verify.mail.subject'), t('accounts.verify.mail.body', { link }), expiresAt);
  return token;
}

/** Tells the owner of an address that someone tried to open a second account with it. */
export function sendSignUpAttemptEmail(tx: DbOrTx, user: Addressee, origin: string, next?: string) {
  const lang = langOf(user.locale);
  const t = useTranslations(lang);
  const body = t('accounts.signupAttempt.mail.body', { signin: `${origin}${localizePath('/signin', lang)}${next ? `?next=${encodeURIComponent(next)}` : ''}`, reset: `${origin}${localizePath('/forgot-password', lang)}` });
  queueEmail(tx, user.email, t('accounts.signupAttempt.mail.subject'), body);
}

/**
 * Records that the account's owner proved the address (once; later proofs change nothing) and
 * attaches what was waiting for it: invitations become memberships, research project people
 * given with this address are linked to the account.
 */
export function markEmailVerified(tx: DbOrTx, userId: string) {
  const user = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return;
  if (!user.emailVerifiedAt) {
    tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId)).run();
    recordAudit(tx, { actorId: userId, action: 'user.email_verified', subjectType: 'user', subjectId: userId });
  }
  claimInvitations(tx, user);
  linkProjectPeople(tx, user);
}

const expiredLink = () =>
  new Invalid('This verification link has expired or was already used. Sign in to ask for a new one.', {
    token: ['This verification link has expired or was already used. Sign in to ask for a new one.'],
  });

/** Uses a verification link: marks the address verified and signs its owner in. */
export async function verifyEmail(db: Db, token: string) {
  const userId = write(db, (tx) => {
    // Marked used guarded on still unused and unexpired, so a link works exactly once.
    const row = tx
      .update(emailVerificationTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(emailVerificationTokens.tokenHash, sha256(token)),
          isNull(emailVerificationTokens.usedAt),
          gt(emailVerificationTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: emailVerificationTokens.userId })
      .get();
    if (!row) throw expiredLink();
    markEmailVerified(tx, row.userId);
    return row.userId;
  });
  const session = await startSession(db, userId);
  return { userId, ...session };
}

/** Mails a fresh link to a signed-in account whose address is not verified yet; limited per account and IP. */
export function resendVerification(db: Db, userId: string, ip: string, origin: string) {
  takeAttempt(db, [
    { key: `verify:account:${userId}`, limit: RESEND_LIMIT },
    { key: `verify:ip:${ip}`, limit: RESEND_LIMIT },
  ]);
  write(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user || user.emailVerifiedAt) return;
    sendVerificationEmail(tx, user, origin);
  });
}
