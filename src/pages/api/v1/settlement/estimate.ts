import { api, json } from '~/lib/http/api';
import { estimateInput } from '~/lib/settlement/schemas';
import { estimate } from '~/lib/settlement/service';
import { estimateOut } from '~/lib/settlement/openapi';

export const POST = api(async ({ db, body }) => json(estimateOut(estimate(db, await body(estimateInput)))));
