import { api, intParam, json } from '~/lib/http/api';
import { appealJson, decideAppeal } from '~/lib/credit/appeals';
import { appealDecisionInput } from '~/lib/credit/notice-schemas';

export const POST = api(async ({ ctx, db, body, requireUser }) => json(appealJson(decideAppeal(db, requireUser(), intParam(ctx.params.id), await body(appealDecisionInput)))));
