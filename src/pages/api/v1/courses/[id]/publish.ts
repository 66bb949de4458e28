import { api, intParam, json } from '~/lib/http/api';
import { getCourse } from '~/lib/courses/queries';
import { publishCourse } from '~/lib/courses/service';

export const POST = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  publishCourse(db, user, id);
  return json(getCourse(db, user, id));
});
