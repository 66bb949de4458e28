import { api, intParam, json } from '~/lib/http/api';
import { noticeDetail, noticeJson } from '~/lib/credit/notice';

export const GET = api(({ ctx, db }) => json(noticeJson(noticeDetail(db, intParam(ctx.params.id)))));
