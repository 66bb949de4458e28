import { api, json } from '~/lib/http/api';
import { datasetList } from '~/lib/data/listing';

export const GET = api(({ db }) => json(datasetList(db), 200, { 'access-control-allow-origin': '*' }));
