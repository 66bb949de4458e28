/** Admin writes. Each checks the acting user is an admin itself: actions and routes are public doors. */
import type { Db } from '@db/client';
import type { PlatformRole } from '@db/schema';
import { setPlatformRoles } from '~/lib/accounts/service';
import type { SessionUser } from '~/lib/auth/sessions';
import { requireAdmin } from './policy';

/** Replaces a user's platform roles (audit-logged; the last admin keeps the role). */
export function changeUserRoles(db: Db, actor: SessionUser | null, email: string, roles: PlatformRole[]) {
  const admin = requireAdmin(actor);
  return setPlatformRoles(db, admin.id, email, roles);
}
