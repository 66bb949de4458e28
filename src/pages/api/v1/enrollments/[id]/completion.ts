import { api, intParam, json } from '~/lib/http/api';
import { completionInput } from '~/lib/courses/schemas';
import { markCompletion } from '~/lib/courses/service';

const input = completionInput.omit({ enrollmentId: true });

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const { completed } = await body(input);
  return json(markCompletion(db, user, intParam(ctx.params.id), completed));
});
