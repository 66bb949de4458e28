/** Open data API (issue 18): GET /api/v1/data and /api/v1/data/{dataset}. */
import { z } from 'zod';
import type { RouteDoc } from '~/lib/http/openapi';
import { THEMES } from './types';

const tag = 'Open data';
const localized = z.object({ 'zh-cn': z.string(), en: z.string() });
const theme = z.enum(THEMES as [string, ...string[]]);

const listItem = z.object({
  id: z.string(),
  theme,
  title: localized,
  description: localized,
  computedAt: z.string().describe('When the figures were computed (ISO 8601)'),
  links: z.object({ page: z.string(), csv: z.string(), json: z.string(), api: z.string() }),
});

const column = z.object({
  key: z.string(),
  type: z.enum(['string', 'integer', 'number', 'rate', 'date', 'quarter', 'year']),
  label: localized,
  meaning: localized,
  codes: z.record(z.string(), localized).optional().describe('A coded column’s display names; rows carry the code'),
  suppressed: z.boolean().describe('Whether cells of this column are withheld (null) when their count is under the threshold'),
});

const dataset = z.object({
  id: z.string(),
  theme,
  title: localized,
  description: localized,
  computedAt: z.string(),
  columns: z.array(column),
  suppression: z.object({ threshold: z.number().describe('Cells under suppression whose count is under this are null') }),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))).describe('Flat rows keyed by column key; rates are fractions 0–1; null is withheld or no value'),
});

export const dataRoutes: RouteDoc[] = [
  { method: 'get', path: '/data', tag, summary: 'Every published dataset: id, theme, titles, when its figures were computed, and its page, downloads and API address', responses: { 200: z.object({ items: z.array(listItem) }) } },
  {
    method: 'get',
    path: '/data/{dataset}',
    tag,
    summary: 'One dataset’s rows (aggregates over public records; small cells withheld as null). Cacheable: Cache-Control public, ETag and Last-Modified name the computation; If-None-Match with that ETag answers 304 without a body',
    responses: { 200: dataset, 304: null },
    errors: { 400: 'The id is not lowercase words joined by hyphens (at most 80 characters)', 404: 'No dataset has that id' },
  },
];
