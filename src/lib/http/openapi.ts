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
  /** Status → response schema (or null for an empty body). */
  responses: Record<number, ZodType | null | { contentType: string }>;
}

const toSchema = (schema: ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

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
      else if ('contentType' in schema && typeof schema.contentType === 'string')
        responses[status] = { description: 'OK', content: { [schema.contentType]: {} } };
      else responses[status] = { description: 'OK', content: { 'application/json': { schema: toSchema(schema as ZodType, 'output') } } };
    }
    responses.default = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
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
