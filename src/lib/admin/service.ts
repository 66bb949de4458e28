/** Admin writes. Each checks the acting user is an admin itself: actions and routes are public doors. */
import { write, type Db } from '@db/client';
import type { PlatformRole } from '@db/schema';
import { setPlatformRoles } from '~/lib/accounts/service';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Conflict, NotFound } from '~/lib/errors';
import { requeueMail } from '~/lib/mail/outbox';
import { requireAdmin } from './policy';

/** Replaces a user's platform roles (audit-logged; the last admin keeps the role). */
export function changeUserRoles(db: Db, actor: SessionUser | null, email: string, roles: PlatformRole[]) {
  const admin = requireAdmin(actor);
  return setPlatformRoles(db, admin.id, email, roles);
}

/**
 * "Retry now" on a waiting or dead-lettered mail: queued for the next drain with a fresh set of
 * attempts (audit-logged). Mail already sent, being sent right now, or expired is left alone.
 */
export function retryMailNow(db: Db, actor: SessionUser | null, id: number) {
  const admin = requireAdmin(actor);
  return write(db, (tx) => {
    const before = requeueMail(tx, id);
    if (!before) throw new NotFound('No such email in the outbox.');
    if (before.state === 'sent' || before.state === 'sending') throw new Conflict('This email is already sent or being sent.', 'mail_not_waiting');
    if (before.state === 'expired') throw new Conflict('This email has expired and is not sent any more.', 'mail_expired');
    recordAudit(tx, {
      actorId: admin.id,
      action: 'email.retry',
      subjectType: 'email',
      subjectId: id,
      details: { to: before.toAddress, state: before.state, attempts: before.attempts, lastError: before.lastError },
    });
    return { id };
  });
}
