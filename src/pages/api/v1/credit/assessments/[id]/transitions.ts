import { api, intParam, json } from '~/lib/http/api';
import { assessmentTransitionInput } from '~/lib/credit/assessment-schemas';
import { loadAssessment, transitionAssessment } from '~/lib/credit/assessments';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadAssessment(db, user, id);
  return json(transitionAssessment(db, user, id, await body(assessmentTransitionInput)));
});
