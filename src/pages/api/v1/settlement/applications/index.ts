import { api, json } from '~/lib/http/api';
import { createApplicationInput } from '~/lib/settlement/schemas';
import { publicState } from '~/lib/settlement/policy';
import { createApplication, listMyApplications } from '~/lib/settlement/service';

export const GET = api(({ db, requireUser }) =>
  json({ items: listMyApplications(db, requireUser()).map(({ app, route }) => ({ id: app.id, reference: app.reference, state: publicState(app.state), route: route.slug })) }),
);

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const { route } = await body(createApplicationInput);
  const app = createApplication(db, user, route);
  return json({ id: app.id, state: app.state, route }, 201);
});
