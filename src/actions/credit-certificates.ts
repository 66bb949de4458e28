/** Credit certificates' forms: the body's moves and surveillances, the company's surrender. */
import { recordSurveillance, transitionCertificate } from '~/lib/credit/certificates';
import { certificateMoveInput, surveillanceInput } from '~/lib/credit/certificate-schemas';
import { singleLine } from '~/lib/forms/text';
import { defineFormAction } from './form';
import { run } from './run';

const number = singleLine(60).min(1);

export const creditCertificates = {
  /** Suspend, reinstate, withdraw (the committee) or surrender (the company). */
  transition: defineFormAction({
    input: certificateMoveInput.extend({ number }),
    handler: ({ number, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ number: transitionCertificate(db, requireUser(), number, input).number })),
  }),

  surveil: defineFormAction({
    input: surveillanceInput.extend({ number }),
    handler: ({ number, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ number: recordSurveillance(db, requireUser(), number, input).number })),
  }),
};

