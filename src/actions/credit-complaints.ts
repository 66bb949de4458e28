/** Complaint forms: filing one, and every move of it (answer, reply, closing). */
import { z } from 'zod';
import { fileComplaintInput, complaintTransitionInput } from '~/lib/credit/complaint-schemas';
import { fileComplaint, transitionComplaint } from '~/lib/credit/complaints';
import { defineFormAction } from './form';
import { run } from './run';

export const creditComplaints = {
  file: defineFormAction({
    input: fileComplaintInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: fileComplaint(db, requireUser(), input).id })),
  }),

  transition: defineFormAction({
    input: complaintTransitionInput.extend({ id: z.coerce.number({ error: 'Unknown complaint.' }).int({ error: 'Unknown complaint.' }).positive({ error: 'Unknown complaint.' }) }),
    handler: ({ id, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: transitionComplaint(db, requireUser(), id, input).id, to: input.to })),
  }),
};
