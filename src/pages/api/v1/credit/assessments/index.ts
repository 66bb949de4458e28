import { api, json } from '~/lib/http/api';
import { bodyQueue } from '~/lib/credit/assessment-queries';
import { createAssessmentInput, queueInput } from '~/lib/credit/assessment-schemas';
import { createAssessment } from '~/lib/credit/assessments';

export const GET = api(({ db, query, requireUser }) => {
  const user = requireUser();
  const queue = bodyQueue(db, user, query(queueInput));
  return json({
    ...queue,
    items: queue.items.map((i) => ({
      id: i.id,
      state: i.state,
      entity: i.entitySlug,
      entityName: i.entityName,
      entityNameZh: i.entityNameZh,
      scheme: i.schemeName,
      schemeZh: i.schemeNameZh,
      submittedAt: i.submittedAt?.toISOString() ?? null,
      dueDate: i.dueDate,
    })),
  });
});

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(createAssessmentInput);
  const created = createAssessment(db, user, input);
  return json({ id: created.id, state: created.state, scheme: created.schemeId, entity: input.entity }, 201);
});
