/**
 * Settlement forms. Most take the raw FormData because a route's criteria and an officer's
 * checklist of missing items have keys that only the data knows; the service validates.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { Invalid } from '~/lib/errors';
import { noteInput, transitionInput, SECTIONS, type Section } from '~/lib/settlement/schemas';
import { addNote, createApplication, saveAnswers, submitApplication, transition } from '~/lib/settlement/service';
import { run } from './run';

const idOf = (form: FormData) => {
  const id = Number(form.get('id'));
  if (!Number.isSafeInteger(id) || id < 1) throw new Invalid('Some fields are not valid.', { id: ['Unknown application.'] });
  return id;
};

/** Text fields of a form, without the routing fields. */
function valuesOf(form: FormData, skip: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  form.forEach((v, k) => {
    if (typeof v === 'string' && !skip.includes(k) && !k.startsWith('_')) values[k] = v;
  });
  return values;
}

export const settlement = {
  start: defineAction({
    accept: 'form',
    input: z.object({ route: z.string().min(1).max(80) }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: createApplication(db, requireUser(), input.route).id })),
  }),

  saveStep: defineAction({
    accept: 'form',
    input: z.instanceof(FormData),
    handler: (form, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const id = idOf(form);
        const step = String(form.get('step')) as Section;
        if (!SECTIONS.includes(step)) throw new Invalid('Some fields are not valid.', { step: ['Unknown step.'] });
        const values = valuesOf(form, ['id', 'step']);
        saveAnswers(db, requireUser(), id, { [step]: values }, { partial: false });
        return { id, step };
      }),
  }),

  submit: defineAction({
    accept: 'form',
    input: z.object({ id: z.coerce.number().int().positive() }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => submitApplication(db, requireUser(), input.id)),
  }),

  /** Every move of a case: the applicant's replies and withdrawals, the officers' and approvers' steps. */
  transition: defineAction({
    accept: 'form',
    input: z.instanceof(FormData),
    handler: (form, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const id = idOf(form);
        const items = [
          ...form.getAll('itemKeys').map(String),
          ...String(form.get('itemsText') ?? '')
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        ];
        const raw = {
          to: form.get('to'),
          reasons: form.getAll('reasons').map(String),
          text: String(form.get('text') ?? '').trim() || undefined,
          items: items.length ? items : undefined,
          dueDate: String(form.get('dueDate') ?? '') || undefined,
          assignee: String(form.get('assignee') ?? '') || undefined,
        };
        if (!raw.reasons.length) delete (raw as { reasons?: unknown }).reasons;
        const parsed = transitionInput.safeParse(raw);
        if (!parsed.success) throw new Invalid('Some fields are not valid.', Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? '_'), [i.message]])));
        return transition(db, requireUser(), id, parsed.data);
      }),
  }),

  addNote: defineAction({
    accept: 'form',
    input: noteInput.extend({ id: z.coerce.number().int().positive() }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: addNote(db, requireUser(), input.id, input.body).id })),
  }),
};
