import { changeUserRoles, retryMailNow } from '~/lib/admin/service';
import { retryMailInput, setRolesInput } from '~/lib/admin/schemas';
import { defineFormAction } from './form';
import { run } from './run';

export const admin = {
  /** Replaces a user's platform roles; the service refuses non-admins and removing the last admin. */
  setRoles: defineFormAction({
    input: setRolesInput,
    handler: (input, ctx) => run(ctx, ({ db, user }) => changeUserRoles(db, user, input.email, input.roles)),
  }),
  /** Sends a waiting or dead-lettered mail at the next drain (audit-logged). */
  retryMail: defineFormAction({
    input: retryMailInput,
    handler: (input, ctx) => run(ctx, ({ db, user }) => retryMailNow(db, user, input.id)),
  }),
};
