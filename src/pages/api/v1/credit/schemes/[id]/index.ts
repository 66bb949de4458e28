import { schemeDetail } from '~/lib/credit/schemes';
import { api, intParam, json } from '~/lib/http/api';

export const GET = api(({ ctx, db, user }) => json(schemeDetail(db, user, intParam(ctx.params.id)).view));
