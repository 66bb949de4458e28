/**
 * Text fields as zod schemas, shared by every domain. A single-line field (a name, a title, a
 * code, a one-line reason) ends up in mail subjects, headers, CSV cells and page titles, so it
 * may hold no control character at all: no CR/LF, no C0/C1 control, no line or paragraph
 * separator, and no bidi embedding, override or isolate (which can make text read differently
 * from what it is). A multi-line field (Markdown, comments) keeps tab, LF and CR and refuses the
 * rest.
 */
import { z } from 'zod';

export const SINGLE_LINE_MESSAGE = 'This field must be a single line without control characters.';
export const CONTROL_CHARACTER_MESSAGE = 'This field must not contain control characters.';

/** C0 and C1 controls, DEL, U+2028/U+2029, bidi embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069. */
const NOT_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, less tab, LF and CR. */
const NOT_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const isSingleLine = (value: string) => !NOT_SINGLE_LINE.test(value);
export const isMultiLineText = (value: string) => !NOT_MULTI_LINE.test(value);

interface TextMessages {
  /** When the value is missing or not a string. */
  error?: string;
  /** When it is longer than `max`; by default "Use at most {max} characters." */
  tooLong?: string;
}

/** Trimmed one-line text of at most `max` characters, without control characters. */
export const singleLine = (max: number, { error, tooLong }: TextMessages = {}) =>
  z
    .string(error ? { error } : undefined)
    .trim()
    .max(max, tooLong ?? `Use at most ${max} characters.`)
    .refine(isSingleLine, SINGLE_LINE_MESSAGE);

/** Trimmed text of at most `max` characters that may span lines (tab, LF, CR) but holds no other control character. */
export const multiLine = (max: number, { error, tooLong }: TextMessages = {}) =>
  z
    .string(error ? { error } : undefined)
    .trim()
    .max(max, tooLong ?? `Use at most ${max} characters.`)
    .refine(isMultiLineText, CONTROL_CHARACTER_MESSAGE);
