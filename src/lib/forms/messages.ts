/**
 * zod's own messages ("Invalid input: expected string, received null") are written for
 * developers. Any issue a schema does not word itself gets one of these plain sentences instead,
 * set once for every parse (z.config), and each has its Chinese text in src/i18n/dict/forms.ts or,
 * for those with a number, in src/i18n/errors.ts. A schema's own message still wins.
 */
import { z } from 'zod';
import type * as core from 'zod/v4/core';

export const REQUIRED = 'This field is required.';
export const CHECK_FIELD = 'Check this field.';
export const CHECK_FORMAT = 'Check the format of this field.';
export const CHOOSE_OPTION = 'Choose one of the options.';
export const ENTER_NUMBER = 'Enter a number.';
export const ENTER_WHOLE_NUMBER = 'Enter a whole number.';
export const ENTER_DATE = 'Enter a valid date.';
export const ENTER_EMAIL = 'Enter an email address like name@example.com.';
export const ENTER_LINK = 'Enter a full link starting with https://.';

const NUMBERS = new Set(['number', 'int', 'bigint']);
const missing = (input: unknown) => input === undefined || input === null || (typeof input === 'string' && input.trim() === '');

export function fieldMessage(issue: core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (missing(issue.input)) return REQUIRED;
      if (issue.expected === 'int') return ENTER_WHOLE_NUMBER;
      if (NUMBERS.has(issue.expected)) return ENTER_NUMBER;
      if (issue.expected === 'date') return ENTER_DATE;
      return CHECK_FIELD;
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? REQUIRED : `Use at least ${n} characters.`;
      if (NUMBERS.has(issue.origin)) return issue.inclusive ? `Enter a number of at least ${n}.` : `Enter a number greater than ${n}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return n <= 1 ? REQUIRED : `Choose at least ${n}.`;
      return CHECK_FIELD;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return `Use at most ${n} characters.`;
      if (NUMBERS.has(issue.origin)) return issue.inclusive ? `Enter a number no greater than ${n}.` : `Enter a number less than ${n}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at most ${n}.`;
      return CHECK_FIELD;
    }
    case 'invalid_format':
      if (issue.format === 'email') return ENTER_EMAIL;
      if (issue.format === 'url') return ENTER_LINK;
      if (['date', 'datetime', 'time'].includes(issue.format)) return ENTER_DATE;
      return CHECK_FORMAT;
    case 'invalid_value':
      return CHOOSE_OPTION;
    default:
      return CHECK_FIELD;
  }
}

z.config({ customError: fieldMessage });
