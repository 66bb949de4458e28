import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { datasetBody } from '~/lib/data/formats';
import { figuresForParam, figuresHeaders } from '~/lib/data/http';
import { errorResponse, json } from '~/lib/http/api';

/** A dataset as JSON: the API's answer, withheld cells null. */
export const GET: APIRoute = ({ params }) => {
  try {
    const figures = figuresForParam(getDb(), params.id);
    return json(datasetBody(figures), 200, { 'content-disposition': `attachment; filename="${figures.dataset.id}.json"`, ...figuresHeaders(figures, 'json') });
  } catch (err) {
    return errorResponse(err);
  }
};
