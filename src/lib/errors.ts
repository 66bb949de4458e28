/**
 * Typed domain errors. Services throw these; one mapper turns them into HTTP answers for the API
 * (src/lib/http/api.ts) and into ActionErrors for forms (src/actions/run.ts). Anything else is a
 * bug: a 500, logged.
 */
// zod's developer messages never reach a person: every parse uses the plain, translated ones.
import './forms/messages';

export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  readonly status = 400;
  readonly code = 'invalid';
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Sign in first.') {
    super(message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'You are not allowed to do that.') {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  constructor(
    message: string,
    readonly code: string = 'conflict',
    fields?: FieldErrors,
  ) {
    super(message, fields);
  }
}

export class PayloadTooLarge extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Turns a zod error into `{ field: [messages] }` keyed by dotted path. */
export function zodFields(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
