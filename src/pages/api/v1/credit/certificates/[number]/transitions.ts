import { api, json } from '~/lib/http/api';
import { transitionCertificate } from '~/lib/credit/certificates';
import { certificateMoveInput } from '~/lib/credit/certificate-schemas';
import { certificateSummary } from '~/lib/credit/certificate-queries';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  return json(certificateSummary(transitionCertificate(db, user, ctx.params.number ?? '', await body(certificateMoveInput))));
});
