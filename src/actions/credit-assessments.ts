/**
 * Credit assessment forms: apply, save the self-assessment and the commitment, and every move of a
 * case. Answers and scores have keys only the scheme knows (`answers.i1.points`, `scores.i2.rationale`),
 * so those forms take them as they come (a loose object) and read them here into the service's input;
 * the service checks them against the scheme with the same field names.
 */
import { z } from 'zod';
import { Invalid, type FieldErrors } from '~/lib/errors';
import { singleLine, multiLine } from '~/lib/forms/text';
import { assessmentTransitionInput } from '~/lib/credit/assessment-schemas';
import type { Db } from '@db/client';
import type { SessionUser } from '~/lib/auth/sessions';
import { createAssessment, indicatorErrors, saveAnswers, schemeOf, transitionAssessment, visibleAssessment } from '~/lib/credit/assessments';
import { defineFormAction } from './form';
import { run } from './run';

const caseId = z.coerce.number({ error: 'Unknown assessment.' }).int({ error: 'Unknown assessment.' }).positive({ error: 'Unknown assessment.' });

/**
 * Rows typed per indicator (`{prefix}.{key}.points` and `{prefix}.{key}.{text}`): an indicator with
 * nothing typed is not given; points must be whole numbers and the text is needed beside them.
 * When something is wrong, what the scheme says of the other rows is told at the same time.
 */
function rowsFrom<T extends string>(db: Db, user: SessionUser, id: number, values: Record<string, unknown>, prefix: 'answers' | 'scores', text: T, missing: string) {
  const rows: Record<string, { points?: string; text?: string }> = {};
  for (const [name, value] of Object.entries(values)) {
    const m = new RegExp(`^${prefix}\\.([a-z0-9_]{1,60})\\.(points|${text})$`).exec(name);
    if (!m || typeof value !== 'string') continue;
    (rows[m[1]!] ??= {})[m[2] === 'points' ? 'points' : 'text'] = value.trim();
  }
  const fields: FieldErrors = {};
  const out: Record<string, { points: number } & Record<T, string>> = {};
  for (const [key, row] of Object.entries(rows)) {
    if (!row.points || !/^\d{1,6}$/.test(row.points)) fields[`${prefix}.${key}.points`] = ['Give whole points.'];
    if (!row.text) fields[`${prefix}.${key}.${text}`] = [missing];
    if (row.points && row.text && /^\d{1,6}$/.test(row.points)) out[key] = { points: Number(row.points), [text]: row.text } as { points: number } & Record<T, string>;
  }
  if (Object.keys(fields).length) {
    const scheme = schemeOf(db, visibleAssessment(db, user, id));
    throw new Invalid('Some fields are not valid.', { ...indicatorErrors(scheme, prefix, out), ...fields });
  }
  return out;
}

export const creditAssessments = {
  apply: defineFormAction({
    input: z.object({ scheme: z.coerce.number({ error: 'Choose a scheme.' }).int().positive({ error: 'Choose a scheme.' }), entity: singleLine(120).min(1, { error: 'Choose a company.' }) }),
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: createAssessment(db, requireUser(), input).id })),
  }),

  /** The self-assessment of every indicator and the commitment, saved together. */
  save: defineFormAction({
    input: z.looseObject({ id: caseId, commitment: z.boolean() }),
    handler: ({ id, commitment, ...values }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        const answers = rowsFrom(db, user, id, values, 'answers', 'statement', 'Explain your self-assessment.');
        saveAnswers(db, user, id, { answers, commitment });
        return { id };
      }),
  }),

  /** Every move of a case; the fields a move needs come with its own form. */
  transition: defineFormAction({
    input: z.looseObject({
      id: caseId,
      to: assessmentTransitionInput.shape.to,
      reason: multiLine(4000).optional(),
      /** The missing items, one a line. */
      itemsText: multiLine(20_000).optional(),
      dueDate: assessmentTransitionInput.shape.dueDate,
      assessor: assessmentTransitionInput.shape.assessor,
      grade: assessmentTransitionInput.shape.grade,
    }),
    handler: ({ id, to, reason, itemsText, dueDate, assessor, grade, ...values }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        const items = itemsText?.split('\n').map((line) => line.trim()).filter(Boolean);
        const scores = to === 'decision' ? rowsFrom(db, user, id, values, 'scores', 'rationale', 'Give the rationale for this score.') : undefined;
        return transitionAssessment(db, user, id, { to, reason, items, dueDate, assessor, grade, scores });
      }),
  }),
};
