import { api, intParam, json } from '~/lib/http/api';
import { assessmentView } from '~/lib/credit/assessment-queries';
import { patchAssessmentInput } from '~/lib/credit/assessment-schemas';
import { loadAssessment, saveAnswers } from '~/lib/credit/assessments';

export const GET = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json(assessmentView(db, user, loadAssessment(db, user, intParam(ctx.params.id))));
});

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadAssessment(db, user, id); // 404 before reading a body from someone who cannot see the case
  return json(assessmentView(db, user, saveAnswers(db, user, id, await body(patchAssessmentInput))));
});
