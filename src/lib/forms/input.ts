/**
 * The one conversion from a submitted form to the object an action's schema validates. A browser
 * sends every field, filled or not, so a field left empty (or holding only spaces) means "not
 * given": it is left out, and an optional field stays undefined instead of arriving as '' or null.
 * The schema's shape says which fields repeat (arrays: every value, kept in order so parallel
 * rows stay aligned; a list the schema also takes as one comma-separated text gets that text), which are checkboxes (booleans: present or not) and which are nested
 * objects (`a.b` names). A loose object also takes every other filled-in field as text.
 */
import * as core from 'zod/v4/core';

/** The schema that says what a field holds, under optional, nullable, default and pipe wrappers. */
function held(schema: core.$ZodType): core.$ZodType {
  return unwrap(schema).schema;
}

/** Also says whether a preprocessing step came first: such a list also takes one comma-separated text. */
function unwrap(schema: core.$ZodType): { schema: core.$ZodType; preprocessed: boolean } {
  let preprocessed = false;
  for (;;) {
    if (schema instanceof core.$ZodOptional || schema instanceof core.$ZodNullable || schema instanceof core.$ZodDefault || schema instanceof core.$ZodPrefault) {
      schema = schema._zod.def.innerType;
    } else if (schema instanceof core.$ZodPipe) {
      // z.preprocess(fn, s) is a pipe from a transform: what the field holds is its output.
      preprocessed ||= schema._zod.def.in instanceof core.$ZodTransform;
      schema = schema._zod.def.in instanceof core.$ZodTransform ? schema._zod.def.out : schema._zod.def.in;
    } else return { schema, preprocessed };
  }
}

/** A value that says nothing: an empty or blank string, or a file input with no file chosen. */
export const isBlank = (value: FormDataEntryValue | null | undefined): boolean =>
  value === null || value === undefined || (typeof value === 'string' ? value.trim() === '' : value.size === 0 && value.name === '');

/** The form as the schema's input; a schema that is not an object (z.instanceof(FormData)) gets the FormData itself. */
export function formInput(form: FormData, schema: core.$ZodType): unknown {
  const object = held(schema);
  return object instanceof core.$ZodObject ? objectFrom(form, object, '') : form;
}

function objectFrom(form: FormData, schema: core.$ZodObject, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema._zod.def.shape)) {
    const name = prefix + key;
    const { schema: kind, preprocessed } = unwrap(field);
    if (kind instanceof core.$ZodObject) {
      if ([...form.keys()].some((k) => k.startsWith(`${name}.`))) out[key] = objectFrom(form, kind, `${name}.`);
    } else if (kind instanceof core.$ZodArray) {
      const element = held(kind._zod.def.element);
      const values = form.getAll(name);
      // One text box for a list ("tags: a, b"): the schema splits it, and an empty box is not given.
      if (preprocessed && values.length === 1) {
        if (!isBlank(values[0])) out[key] = values[0];
        continue;
      }
      out[key] = element instanceof core.$ZodNumber ? values.map(Number) : values;
    } else if (kind instanceof core.$ZodBoolean) {
      const value = form.get(name);
      out[key] = value === 'true' ? true : value === 'false' ? false : form.has(name);
    } else {
      const value = form.get(name);
      if (isBlank(value)) continue;
      out[key] = kind instanceof core.$ZodNumber && typeof value === 'string' ? Number(value.trim()) : value;
    }
  }
  // A loose object (z.looseObject) also takes the fields its shape does not name, as text: fields
  // only the data knows (a settlement route's questions). Empty ones are not given either.
  const rest = schema._zod.def.catchall;
  if (rest && !(rest instanceof core.$ZodNever) && !prefix) {
    form.forEach((value, name) => {
      if (name in schema._zod.def.shape || name.startsWith('_') || typeof value !== 'string' || isBlank(value) || name in out) return;
      out[name] = value;
    });
  }
  return out;
}
