import { z } from 'zod';
import { EMAIL_STATES, PLATFORM_ROLES } from '@db/schema';
import { email } from '~/lib/accounts/schemas';

/** The roles form on the admin users page: the whole set of roles the user should have. */
export const setRolesInput = z.object({
  email,
  roles: z.array(z.enum(PLATFORM_ROLES, { error: 'Choose roles from the list.' })).max(PLATFORM_ROLES.length),
});

const cursor = z.coerce.number().int().positive().optional().catch(undefined);
const text = z.string().trim().max(200).optional().catch(undefined);

/** Query string of the audit log browser; anything malformed is ignored rather than refused. */
export const auditQuery = z.object({ action: text, subjectType: text, subjectId: text, actor: text, before: cursor });

export const outboxQuery = z.object({ to: text, state: z.enum(EMAIL_STATES).optional().catch(undefined), before: cursor, retried: cursor });

/** The "retry now" button on a waiting or dead-lettered mail in /admin/outbox. */
export const retryMailInput = z.object({ id: z.coerce.number().int().positive() });

export const usersQuery = z.object({ email: text, page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined) });
