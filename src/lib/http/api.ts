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
/** Arrays and objects inside each other; no request of ours needs more than a few levels. */
export const MAX_JSON_DEPTH = 32;

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

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** A JSON answer before it becomes a Response (toResponse): public reads give serve.mjs this to write. */
export interface JsonReply {
  status: number;
  body: string | null;
  headers: Record<string, string>;
}

export function jsonReply(data: unknown, status = 200, headers: Record<string, string> = {}): JsonReply {
  return { status, body: status === 204 ? null : JSON.stringify(data), headers: { ...JSON_TYPE, ...headers } };
}

export const toResponse = (reply: JsonReply): Response => new Response(reply.body, reply);

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return toResponse(jsonReply(data, status, headers));
}

/** Every thrown error as `{"error":{"code","message","fields"?}}`: a domain error's own status, else 500. */
export function errorReply(err: unknown): JsonReply {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err instanceof TooManyRequests) headers['retry-after'] = String(err.retryAfterSeconds);
    return jsonReply(
      { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
      err.status,
      headers,
    );
  }
  console.error(err);
  return jsonReply({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, 500);
}

export const errorResponse = (err: unknown): Response => toResponse(errorReply(err));

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
  // JSON.parse copes with any depth, but validating 10,000 levels overflows the stack: a 500
  if (nestsDeeper(text, MAX_JSON_DEPTH)) throw new Invalid(`The body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid('The body is not valid JSON.');
  }
}

/** Whether JSON text opens more than `max` arrays or objects inside each other (strings skipped). */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
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

/**
 * A public GET that needs nobody's session: query parameters in, JSON out, errors mapped as `api`
 * maps them. Its Astro route serves it with `publicRoute`, and src/cli/serve.mjs serves the same
 * function directly (see src/direct-routes.ts), without the request pipeline that costs as much
 * CPU as a search does.
 */
export type PublicRead = (params: URLSearchParams) => Promise<JsonReply>;

export function publicRead<P>(
  schema: ZodType<P>,
  run: (db: Db, params: P) => Promise<unknown> | unknown,
  headers: Record<string, string> = {},
): PublicRead {
  return async (params) => {
    try {
      return jsonReply(await run(getDb(), parseWith(schema, Object.fromEntries(params))), 200, headers);
    } catch (err) {
      return errorReply(err);
    }
  };
}

export const publicRoute =
  (read: PublicRead): APIRoute =>
  async (ctx) =>
    toResponse(await read(ctx.url.searchParams));
