/**
 * The JSON API's one door: parses bodies with limits, checks content types, establishes who is
 * calling, and maps every thrown error to `{"error":{"code","message","fields"?}}`.
 */
import type { APIContext, APIRoute } from 'astro';
import type { ZodType } from 'zod';
import { getDb, type Db } from '@db/client';
import type { SessionUser } from '~/lib/auth/sessions';
import {
  DomainError,
  Invalid,
  NotFound,
  PayloadTooLarge,
  TooManyRequests,
  Unauthenticated,
  UnsupportedMediaType,
  zodFields,
} from '~/lib/errors';

export const MAX_JSON_BYTES = 1_000_000;

export interface ApiContext {
  ctx: APIContext;
  db: Db;
  /** The signed-in user, or null. */
  user: SessionUser | null;
  /** The signed-in user; throws 401 when nobody is. */
  requireUser(): SessionUser;
  /** Parses the JSON body against a zod schema; 400/413/415 on failure. */
  body<T>(schema: ZodType<T>): Promise<T>;
  /** Parses query parameters against a zod schema. */
  query<T>(schema: ZodType<T>): T;
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err instanceof TooManyRequests) headers['retry-after'] = String(err.retryAfterSeconds);
    return json(
      { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
      err.status,
      headers,
    );
  }
  console.error(err);
  return json({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, 500);
}

export function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Invalid('Some fields are not valid.', zodFields(result.error.issues));
  return result.data;
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaType('Send the body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES) throw new PayloadTooLarge(`The body is larger than ${MAX_JSON_BYTES} bytes.`);
  const text = await readLimited(request, MAX_JSON_BYTES);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid('The body is not valid JSON.');
  }
}

/** Reads a body as text, giving up (413) as soon as it passes `limit` bytes. */
export async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLarge(`The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Wraps a route handler with the error mapper and the helpers above. */
export function api(handler: (c: ApiContext) => Promise<Response> | Response): APIRoute {
  return async (ctx) => {
    try {
      const user = ctx.locals.user;
      return await handler({
        ctx,
        db: getDb(),
        user,
        requireUser() {
          if (!user) throw new Unauthenticated();
          return user;
        },
        async body(schema) {
          return parseWith(schema, await readJson(ctx.request));
        },
        query(schema) {
          return parseWith(schema, Object.fromEntries(ctx.url.searchParams));
        },
      });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** Reads a positive integer id from a route parameter; 404 when it is not one. */
export function intParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id)) throw new NotFound();
  return id;
}
