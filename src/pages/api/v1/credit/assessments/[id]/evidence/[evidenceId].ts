import { api, intParam } from '~/lib/http/api';
import { evidenceResponse } from '~/lib/credit/evidence-download';
import { openEvidence } from '~/lib/credit/evidence';

export const GET = api(({ ctx, db, requireUser }) => evidenceResponse(openEvidence(db, requireUser(), intParam(ctx.params.id), intParam(ctx.params.evidenceId))));
