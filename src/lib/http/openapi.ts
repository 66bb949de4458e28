/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with.
 * Each domain lists its routes in `src/lib/<domain>/openapi.ts`; `documents` below collects them.
 */
import { z, type ZodType } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path with `{param}` placeholders, relative to /api/v1. */
  path: string;
  summary: string;
  tag: string;
  /** Whether a bearer token is required. */
  auth?: boolean;
  body?: ZodType;
  /** Set for multipart uploads instead of a JSON body. */
  multipart?: Record<string, 'string' | 'binary'>;
  query?: ZodType;
  /**
   * Status → response schema, null for an empty body, or the media types of a non-JSON body (with
   * `json`, the schema of the JSON the same status answers otherwise, as a roster does without `?format=csv`).
   */
  responses: Record<number, ZodType | null | { contentType: string | string[]; json?: ZodType }>;
  /**
   * Error statuses worth naming, with when they happen; each answers the Error schema (a 429 also
   * with Retry-After). Any other failure is the `default` Error response.
   */
  errors?: Record<number, string>;
}

const toSchema = (schema: ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function errorResponse(status: number, description: string) {
  if (status !== 429) return { description, content: errorContent };
  return {
    description,
    headers: { 'Retry-After': { required: true, description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } },
    content: errorContent,
  };
}

export function buildOpenApi(routes: RouteDoc[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [, name] of r.path.matchAll(/\{(\w+)\}/g)) {
      parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
    if (r.query) {
      const q = toSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      if (schema === null) responses[status] = { description: 'No content' };
      else if ('contentType' in schema) {
        const content: Record<string, unknown> = schema.json ? { 'application/json': { schema: toSchema(schema.json, 'output') } } : {};
        for (const type of [schema.contentType].flat()) content[type] = {};
        responses[status] = { description: 'OK', content };
      } else responses[status] = { description: 'OK', content: { 'application/json': { schema: toSchema(schema as ZodType, 'output') } } };
    }
    for (const [status, description] of Object.entries(r.errors ?? {})) responses[status] = errorResponse(Number(status), description);
    responses.default = errorResponse(0, 'Error');
    const op: Record<string, unknown> = { summary: r.summary, tags: [r.tag], parameters, responses };
    if (r.auth) op.security = [{ bearer: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } };
    if (r.multipart) {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: Object.fromEntries(
                Object.entries(r.multipart).map(([k, v]) => [k, v === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' }]),
              ),
            },
          },
        },
      };
    }
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shanghai Cross-border E-commerce Portal API',
      version: '1.0.0',
      description:
        'Open JSON API. Public reads need no token. Sign up or log in to get a session token and send it as `Authorization: Bearer <token>`.',
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
