import { z } from 'zod';
import { markRead } from '~/lib/notifications/notify';
import { defineFormAction } from './form';
import { run } from './run';

export const notifications = {
  /** Marks the given notifications (or, with none given, all) of the signed-in user as read. */
  markRead: defineFormAction({
    input: z.object({ ids: z.array(z.coerce.number().int().positive()).max(200) }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        // markRead is scoped to the user's own rows, so other people's ids change nothing.
        markRead(db, requireUser().id, input.ids);
        return { marked: true };
      }),
  }),
};
