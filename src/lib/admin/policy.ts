/** The admin area's one door: every admin query, service and action asks this first. */
import type { SessionUser } from '~/lib/auth/sessions';
import { Forbidden, Unauthenticated } from '~/lib/errors';
import { isAdmin } from '~/lib/organizations/policy';

export function requireAdmin(user: SessionUser | null | undefined): SessionUser {
  if (!user) throw new Unauthenticated();
  if (!isAdmin(user)) throw new Forbidden('Only platform admins may do that.');
  return user;
}
