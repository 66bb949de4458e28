import { api, intParam, json } from '~/lib/http/api';
import { appealJson, requireVisibleAppeal } from '~/lib/credit/appeals';

export const GET = api(({ ctx, db, requireUser }) => json(appealJson(requireVisibleAppeal(db, requireUser(), intParam(ctx.params.id)))));
