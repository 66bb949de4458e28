import { api, intParam, json } from '~/lib/http/api';
import { standardApiView, standardDetail } from '~/lib/standards/queries';

export const GET = api(({ ctx, db, user }) => json(standardApiView(standardDetail(db, user, intParam(ctx.params.id)))));
