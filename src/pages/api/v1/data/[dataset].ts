import { api, json } from '~/lib/http/api';
import { datasetBody } from '~/lib/data/formats';
import { figuresForParam, figuresHeaders } from '~/lib/data/http';

export const GET = api(({ db, ctx }) => {
  const figures = figuresForParam(db, ctx.params.dataset);
  return json(datasetBody(figures), 200, figuresHeaders(figures, 'api'));
});
