import { z } from 'zod';
import type { RouteDoc } from '~/lib/http/openapi';
import { searchOutput, searchParams, suggestOutput, suggestParams } from './schemas';

export const searchRoutes: RouteDoc[] = [
  { method: 'get', path: '/search', tag: 'Search', summary: 'Search everything public (Chinese and English), with facets and highlighted snippets', query: searchParams, responses: { 200: searchOutput } },
  { method: 'get', path: '/search/suggest', tag: 'Search', summary: 'Completions for what has been typed so far', query: suggestParams, responses: { 200: suggestOutput } },
  { method: 'get', path: '/health', tag: 'Meta', summary: 'Liveness check (no database access)', responses: { 200: z.object({ status: z.literal('ok') }) } },
];
