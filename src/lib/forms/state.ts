/**
 * Everything a form page needs after a submission: what the user typed (so nothing is lost),
 * field messages (from zod or from the service), the overall message, and the action's data.
 */
import type { AstroGlobal } from 'astro';
import { isInputError } from 'astro:actions';
import type { Lang } from '~/i18n';
import { translateError, translateFieldError } from '~/i18n/errors';

export interface FormState<T> {
  submitted: boolean;
  ok: boolean;
  data: T | undefined;
  /** The message for the whole form, translated. */
  message: string | null;
  /** Field → translated messages. */
  errors: Record<string, string[]>;
  /** What was typed, by field name (passwords are never echoed). */
  values: Record<string, string>;
  /** All values of a multi-valued field (checkbox groups, multi-selects). */
  all: Record<string, string[]>;
}

export async function formState<T>(
  Astro: AstroGlobal,
  result: { data?: T; error?: unknown } | undefined,
): Promise<FormState<T>> {
  const lang = Astro.locals.lang as Lang;
  const state: FormState<T> = { submitted: !!result, ok: !!result && !result.error, data: result?.data, message: null, errors: {}, values: {}, all: {} };
  if (!result) return state;
  if (result.error) {
    const err = result.error as { message: string };
    const raw: Record<string, string[]> = isInputError(result.error)
      ? (result.error.fields as Record<string, string[]>)
      : { ...(Astro.locals.formErrors ?? {}) };
    delete raw._retryAfter;
    for (const [key, messages] of Object.entries(raw)) {
      if (!messages?.length) continue;
      // One entry of a list typed in one box or ticked in a group (`tags.0`) belongs to that field.
      const field = key.replace(/\.\d+$/, '');
      // Shown once each, even when two checks of one field said the same thing.
      state.errors[field] = [...new Set([...(state.errors[field] ?? []), ...messages.map((m) => translateFieldError(lang, m))])];
    }
    // The layout prefixes the page's <title> with "Error: " (GOV.UK's pattern).
    Astro.locals.formFailed = true;
    state.message = isInputError(result.error) ? translateError(lang, 'Some fields are not valid.') : translateError(lang, err.message);
    if (Astro.request.method === 'POST') {
      const form = await Astro.request.formData().catch(() => null);
      form?.forEach((value, key) => {
        if (typeof value !== 'string' || /password/i.test(key)) return;
        state.values[key] ??= value;
        (state.all[key] ??= []).push(value);
      });
    }
  }
  return state;
}
