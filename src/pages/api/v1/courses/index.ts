import { api, json } from '~/lib/http/api';
import { getCourse, listCourses } from '~/lib/courses/queries';
import { courseInput, courseListQuery } from '~/lib/courses/schemas';
import { createCourse } from '~/lib/courses/service';

export const GET = api(({ db, user, query }) => json(listCourses(db, user, query(courseListQuery))));

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const course = createCourse(db, user, await body(courseInput));
  return json(getCourse(db, user, course.id), 201);
});
