import { api, intParam, json } from '~/lib/http/api';
import { getProject, projectView } from '~/lib/research/queries';
import { projectUpdate } from '~/lib/research/schemas';
import { updateProject } from '~/lib/research/service';

export const GET = api(({ ctx, db, user }) => json(projectView(getProject(db, user, intParam(ctx.params.id)))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  updateProject(db, user, id, await body(projectUpdate));
  return json(projectView(getProject(db, user, id)));
});
