/**
 * Settlement forms. Most take the raw FormData because a route's criteria and an officer's
 * checklist of missing items have keys that only the data knows; the service validates.
 */
import { z } from 'zod';
import { Invalid } from '~/lib/errors';
import { singleLine } from '~/lib/forms/text';
import { noteInput, routeEditInput, transitionInput, SECTIONS, type Section } from '~/lib/settlement/schemas';
import { addNote, createApplication, saveAnswers, submitApplication, transition, updateRoute, updateRule } from '~/lib/settlement/service';
import { zodFields } from '~/lib/errors';
import { defineFormAction } from './form';
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
  start: defineFormAction({
    input: z.object({ route: singleLine(80).min(1) }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: createApplication(db, requireUser(), input.route).id })),
  }),

  saveStep: defineFormAction({
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

  submit: defineFormAction({
    input: z.object({ id: z.coerce.number().int().positive() }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => submitApplication(db, requireUser(), input.id)),
  }),

  /** Every move of a case: the applicant's replies and withdrawals, the officers' and approvers' steps. */
  transition: defineFormAction({
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

  addNote: defineFormAction({
    input: noteInput.extend({ id: z.coerce.number().int().positive() }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: addNote(db, requireUser(), input.id, input.body).id })),
  }),

  /** Admins: one points rule. */
  editRule: defineFormAction({
    input: z.object({
      id: z.coerce.number().int().positive(),
      points: z.coerce.number().int().min(-200, { error: 'Enter whole points between -200 and 500.' }).max(500, { error: 'Enter whole points between -200 and 500.' }),
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Enter the date as YYYY-MM-DD.' }),
      sourceUrl: z.url({ error: 'Enter the source as a full https:// link.' }),
      sourceLabel: singleLine(500).min(1),
      illustrative: z.coerce.boolean().default(false),
    }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { id, ...changes } = input;
        return { id: updateRule(db, requireUser(), id, changes).id };
      }),
  }),

  /** Admins: a route's names, summary, whether it is open, and its criteria and checklist (JSON). */
  editRoute: defineFormAction({
    input: z.instanceof(FormData),
    handler: (form, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const slug = String(form.get('slug') ?? '');
        const fields: Record<string, string[]> = {};
        const parseJson = (name: string) => {
          try {
            return JSON.parse(String(form.get(name) ?? ''));
          } catch {
            fields[name] = ['This is not valid JSON.'];
            return undefined;
          }
        };
        const raw = {
          name: String(form.get('name') ?? ''),
          nameZh: String(form.get('nameZh') ?? ''),
          summary: String(form.get('summary') ?? ''),
          summaryZh: String(form.get('summaryZh') ?? ''),
          active: form.get('active') === 'yes',
          criteria: parseJson('criteria'),
          checklist: parseJson('checklist'),
        };
        if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
        const parsed = routeEditInput.safeParse(raw);
        if (!parsed.success) throw new Invalid('Some fields are not valid.', Object.fromEntries(Object.entries(zodFields(parsed.error.issues)).map(([k, v]) => [k.split('.')[0]!, v])));
        return { slug: updateRoute(db, requireUser(), slug, parsed.data).slug };
      }),
  }),
};
