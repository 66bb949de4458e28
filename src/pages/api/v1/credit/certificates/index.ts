import { api, json } from '~/lib/http/api';
import { certificateFeed } from '~/lib/credit/certificate-queries';
import { certificateFeedQuery } from '~/lib/credit/certificate-schemas';

/** Certificates in the order they changed: the change feed banks and regulators follow. */
export const GET = api(({ db, query }) => {
  const { updatedSince, ...filter } = query(certificateFeedQuery);
  return json(certificateFeed(db, { ...filter, updatedSince: updatedSince ? new Date(updatedSince) : undefined }));
});
