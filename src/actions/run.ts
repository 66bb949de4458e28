/**
 * The forms' door to the services: maps domain errors to ActionErrors (the status picks the code)
 * and keeps a domain error's field messages in `locals.formErrors` so the page can show them next
 * to the fields. Pages read both through `formState` (src/lib/forms/state.ts).
 */
import { ActionError, type ActionAPIContext } from 'astro:actions';
import { getDb, type Db } from '@db/client';
import type { SessionUser } from '~/lib/auth/sessions';
import { DomainError, TooManyRequests, Unauthenticated } from '~/lib/errors';

const CODES: Record<number, ActionError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'CONTENT_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

export interface ActionDoor {
  db: Db;
  user: SessionUser | null;
  requireUser(): SessionUser;
}

export async function run<T>(ctx: ActionAPIContext, fn: (door: ActionDoor) => Promise<T> | T): Promise<T> {
  try {
    return await fn({
      db: getDb(),
      user: ctx.locals.user,
      requireUser() {
        if (!ctx.locals.user) throw new Unauthenticated();
        return ctx.locals.user;
      },
    });
  } catch (err) {
    if (err instanceof DomainError) {
      ctx.locals.formErrors = err.fields ?? {};
      if (err instanceof TooManyRequests) ctx.locals.formErrors._retryAfter = [String(err.retryAfterSeconds)];
      throw new ActionError({ code: CODES[err.status] ?? 'BAD_REQUEST', message: err.message });
    }
    throw err;
  }
}
