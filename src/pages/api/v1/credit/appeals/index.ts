import { api, json } from '~/lib/http/api';
import { appealJson, fileAppeal } from '~/lib/credit/appeals';
import { appealInput } from '~/lib/credit/notice-schemas';

export const POST = api(async ({ db, body, requireUser }) => json(appealJson(fileAppeal(db, requireUser(), await body(appealInput))), 201));
