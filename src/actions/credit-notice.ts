/** Public notice forms: objecting, disposing of an objection, appealing and deciding an appeal. */
import { z } from 'zod';
import { decideAppeal, fileAppeal } from '~/lib/credit/appeals';
import { appealDecisionInput, appealInput, objectionDispositionInput, objectionInput } from '~/lib/credit/notice-schemas';
import { disposeObjection, fileObjection } from '~/lib/credit/objections';
import { defineFormAction } from './form';
import { run } from './run';

const id = (error: string) => z.coerce.number({ error }).int({ error }).positive({ error });

export const creditNotice = {
  object: defineFormAction({
    input: objectionInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: fileObjection(db, requireUser(), input).id })),
  }),

  dispose: defineFormAction({
    input: objectionDispositionInput.extend({ objectionId: id('Unknown objection.') }),
    handler: ({ objectionId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: disposeObjection(db, requireUser(), objectionId, input).id })),
  }),

  appeal: defineFormAction({
    input: appealInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: fileAppeal(db, requireUser(), input).id })),
  }),

  decideAppeal: defineFormAction({
    input: appealDecisionInput.extend({ appealId: id('Unknown appeal.') }),
    handler: ({ appealId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: decideAppeal(db, requireUser(), appealId, input).id })),
  }),
};
