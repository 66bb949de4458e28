/**
 * Settlement forms. Every one reads its form through `defineFormAction` (one conversion: an empty
 * field is "not given"). A step's answers have keys only the route's data knows, so the step form
 * takes its other fields as they come (a loose object) and the service validates them against the
 * route.
 */
import { z } from 'zod';
import { multiLine, singleLine } from '~/lib/forms/text';
import { noteInput, routeEditInput, transitionInput, SECTIONS } from '~/lib/settlement/schemas';
import { addNote, createApplication, saveAnswers, submitApplication, transition, updateRoute, updateRule } from '~/lib/settlement/service';
import { defineFormAction } from './form';
import { run } from './run';

const caseId = z.coerce.number({ error: 'Unknown application.' }).int({ error: 'Unknown application.' }).positive({ error: 'Unknown application.' });

/** A JSON text box (a route's criteria or checklist), checked by `schema` once parsed. */
const jsonText = <S extends z.ZodType>(schema: S, missing: string) =>
  z
    .string({ error: missing })
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'This is not valid JSON.' });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const settlement = {
  start: defineFormAction({
    input: z.object({ route: singleLine(80).min(1) }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: createApplication(db, requireUser(), input.route).id })),
  }),

  saveStep: defineFormAction({
    input: z.looseObject({ id: caseId, step: z.enum(SECTIONS, { error: 'Unknown step.' }) }),
    handler: ({ id, step, ...values }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
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
    input: z.object({
      id: caseId,
      to: transitionInput.shape.to,
      reasons: z.array(singleLine(60).min(1)),
      text: transitionInput.shape.text,
      /** Checklist items ticked, and anything else typed one per line. */
      itemKeys: z.array(singleLine(60).min(1)),
      itemsText: multiLine(20_000).optional(),
      dueDate: transitionInput.shape.dueDate,
      assignee: transitionInput.shape.assignee,
    }),
    handler: ({ id, reasons, itemKeys, itemsText, ...rest }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const typed = (itemsText ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
        const items = [...itemKeys, ...typed];
        return transition(db, requireUser(), id, { ...rest, reasons: reasons.length ? reasons : undefined, items: items.length ? items : undefined });
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
    input: z.object({
      slug: singleLine(80).min(1),
      name: routeEditInput.shape.name.unwrap(),
      nameZh: routeEditInput.shape.nameZh.unwrap(),
      // an emptied summary is an empty summary, not "unchanged"
      summary: routeEditInput.shape.summary.unwrap().default(''),
      summaryZh: routeEditInput.shape.summaryZh.unwrap().default(''),
      active: z.boolean(),
      criteria: jsonText(routeEditInput.shape.criteria.unwrap(), 'Enter the criteria as JSON.'),
      checklist: jsonText(routeEditInput.shape.checklist.unwrap(), 'Enter the checklist as JSON.'),
    }),
    handler: ({ slug, ...changes }, ctx) => run(ctx, ({ db, requireUser }) => ({ slug: updateRoute(db, requireUser(), slug, changes).slug })),
  }),
};
