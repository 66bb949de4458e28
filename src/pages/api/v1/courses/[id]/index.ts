import { api, intParam, json } from '~/lib/http/api';
import { getCourse } from '~/lib/courses/queries';
import { courseUpdate } from '~/lib/courses/schemas';
import { updateCourse } from '~/lib/courses/service';

export const GET = api(({ ctx, db, user }) => json(getCourse(db, user, intParam(ctx.params.id))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  updateCourse(db, user, id, await body(courseUpdate));
  return json(getCourse(db, user, id));
});
