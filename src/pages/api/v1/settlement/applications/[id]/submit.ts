import { api, intParam, json } from '~/lib/http/api';
import { submitApplication } from '~/lib/settlement/service';

export const POST = api(({ ctx, db, requireUser }) => json(submitApplication(db, requireUser(), intParam(ctx.params.id))));
