import { api, json } from '~/lib/http/api';
import { listNotices, objectionCounts } from '~/lib/credit/notice';
import { noticesQuery } from '~/lib/credit/notice-schemas';

export const GET = api(({ db, query }) => {
  const list = listNotices(db, query(noticesQuery));
  const counts = objectionCounts(db, list.items.map((n) => n.id));
  return json({ ...list, items: list.items.map((n) => ({ ...n, objections: counts.get(n.id) ?? { total: 0, disposed: 0 } })) });
});
