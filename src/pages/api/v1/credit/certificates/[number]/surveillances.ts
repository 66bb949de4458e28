import { api, json } from '~/lib/http/api';
import { recordSurveillance } from '~/lib/credit/certificates';
import { surveillanceInput } from '~/lib/credit/certificate-schemas';
import { certificateSummary } from '~/lib/credit/certificate-queries';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  return json(certificateSummary(recordSurveillance(db, user, ctx.params.number ?? '', await body(surveillanceInput))), 201);
});
