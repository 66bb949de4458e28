/**
 * Every form action is defined here, so every form's data is read one way: `formInput` turns the
 * FormData into the schema's input (an empty optional field is "not given"), and a failed
 * validation becomes the same field messages a service's `Invalid` gives (through `run`).
 * Astro's own form parsing is not used: it turns an empty field into null, which optional fields refuse.
 */
import { defineAction, type ActionAPIContext } from 'astro:actions';
import type { z } from 'zod';
import { formInput } from '~/lib/forms/input';
import { parseWith } from '~/lib/http/api';
import { run } from './run';

export function defineFormAction<S extends z.ZodType, R>({ input, handler }: { input: S; handler: (input: z.output<S>, ctx: ActionAPIContext) => R | Promise<R> }) {
  return defineAction({
    accept: 'form',
    handler: async (form: FormData, ctx) => handler(await run(ctx, () => parseWith(input as z.ZodType<z.output<S>>, formInput(form, input))), ctx),
  });
}
