import { api, json } from '~/lib/http/api';
import { getCertificate } from '~/lib/courses/queries';

export const GET = api(({ ctx, db }) => json(getCertificate(db, ctx.params.code ?? '')));
