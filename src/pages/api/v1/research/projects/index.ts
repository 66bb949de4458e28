import { api, json } from '~/lib/http/api';
import { getProject, listProjects, projectView } from '~/lib/research/queries';
import { projectInput, projectListQuery } from '~/lib/research/schemas';
import { createProject } from '~/lib/research/service';

export const GET = api(({ db, user, query }) => json(listProjects(db, user, query(projectListQuery))));

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const project = createProject(db, user, await body(projectInput));
  return json(projectView(getProject(db, user, project.id)), 201);
});
