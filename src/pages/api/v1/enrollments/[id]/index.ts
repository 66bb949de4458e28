import { api, intParam, json } from '~/lib/http/api';
import { cancelEnrollment } from '~/lib/courses/service';

export const DELETE = api(({ ctx, db, requireUser }) => json(cancelEnrollment(db, requireUser(), intParam(ctx.params.id))));
