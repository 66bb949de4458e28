/** Credit certification API, schemes (issue 16). */
import { z } from 'zod';
import { SCHEME_STATES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { schemeCreateInput, schemeListQuery, schemeTransitionInput } from './scheme-schemas';

const indicator = z.object({
  key: z.string().describe('i1, i2, … in table order'),
  label: z.string(),
  labelZh: z.string().optional(),
  maxPoints: z.number().int().describe('The most points an assessor may award; a weight in per cent is points out of 100'),
  clause: z.string().describe('The clause of the standard the indicator rests on: the one whose heading names it, else the indicator clause'),
});
const band = z.object({ grade: z.string(), minScore: z.number().int().describe('The grade goes to a total of at least this many points') });

export const schemeOutput = z.object({
  id: z.number(),
  name: z.string(),
  nameZh: z.string().nullable(),
  state: z.enum(SCHEME_STATES),
  body: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), code: z.string().nullable() }),
  standard: z.object({ id: z.number(), number: z.string(), version: z.number().describe('The version whose clauses were parsed') }),
  indicatorClause: z.string(),
  bandClause: z.string(),
  indicators: z.array(indicator),
  bands: z.array(band).describe('Best first, minimums strictly falling'),
  maxScore: z.number(),
  validityMonths: z.number(),
  surveillanceMonths: z.number(),
  noticeDays: z.number(),
  complaintResponseDays: z.number(),
  complaintThreshold: z.number(),
  complaintWindowMonths: z.number(),
  commitmentText: z.string(),
  commitmentTextZh: z.string().nullable(),
  transitionDeadline: z.string().nullable().describe('YYYY-MM-DD: set when the standard was revised or withdrawn; certificates must move to the new basis by then'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const tag = 'Credit';

export const creditSchemesRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/credit/schemes',
    tag,
    summary: 'Active and retired credit schemes, active first, paged',
    query: schemeListQuery,
    responses: { 200: z.object({ items: z.array(schemeOutput), total: z.number(), page: z.number(), perPage: z.number() }) },
  },
  {
    method: 'post',
    path: '/credit/schemes',
    tag,
    summary: 'Create a draft scheme from a published standard of a verified industry body (its owners and editors) and two clauses: the indicator table and the grade-band table; answers the parse for confirmation',
    auth: true,
    body: schemeCreateInput,
    responses: { 201: schemeOutput },
    errors: { 400: 'A clause does not exist or its table does not parse; `fields.indicatorClause` / `fields.bandClause` say which row', 403: 'Not an owner or editor of the standard’s body', 409: 'The standard is not published' },
  },
  { method: 'get', path: '/credit/schemes/{id}', tag, summary: 'One scheme (drafts: the body’s owners and editors only, else 404)', responses: { 200: schemeOutput } },
  {
    method: 'post',
    path: '/credit/schemes/{id}/transitions',
    tag,
    summary: 'Activate a draft (after confirming its parse) or retire an active scheme (the body’s owners and editors)',
    auth: true,
    body: schemeTransitionInput,
    responses: { 200: schemeOutput },
    errors: { 409: 'The move is not allowed from the scheme’s state; the message says why' },
  },
];
