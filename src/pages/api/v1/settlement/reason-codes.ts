import { api, json } from '~/lib/http/api';
import { REASON_CODES } from '~/lib/settlement/reasons';

export const GET = api(() => json({ items: REASON_CODES }));
