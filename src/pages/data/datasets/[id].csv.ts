import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { datasetCsv } from '~/lib/data/formats';
import { figuresForParam, figuresHeaders } from '~/lib/data/http';
import { errorResponse } from '~/lib/http/api';

/** A dataset as CSV (UTF-8 with BOM), withheld cells "< 10". */
export const GET: APIRoute = ({ params }) => {
  try {
    const figures = figuresForParam(getDb(), params.id);
    return new Response(datasetCsv(figures), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${figures.dataset.id}.csv"`, ...figuresHeaders(figures, 'csv') },
    });
  } catch (err) {
    return errorResponse(err);
  }
};
