import { z } from 'zod';
import { ballotRulesInput, commentInput, dispositionInput, proposeInput, transitionInput, versionInput, voteInput } from '~/lib/standards/schemas';
import { addComment, addVersion, castVote, disposeComment, proposeStandard, setBallotRules, transitionStandard } from '~/lib/standards/service';
import { defineFormAction } from './form';
import { run } from './run';

const id = z.coerce.number().int().positive();

export const standards = {
  propose: defineFormAction({
    input: proposeInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: proposeStandard(db, requireUser(), input).id })),
  }),
  addVersion: defineFormAction({
    input: versionInput.extend({ standardId: id }),
    handler: ({ standardId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ number: addVersion(db, requireUser(), standardId, input).number })),
  }),
  transition: defineFormAction({
    input: transitionInput.extend({ standardId: id }),
    handler: ({ standardId, ...input }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { standard, revision } = transitionStandard(db, requireUser(), standardId, input);
        return { state: standard.state, revisionId: revision?.id ?? null };
      }),
  }),
  comment: defineFormAction({
    input: commentInput.extend({ standardId: id }),
    handler: ({ standardId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: addComment(db, requireUser(), standardId, input).id })),
  }),
  dispose: defineFormAction({
    input: dispositionInput.extend({ commentId: id }),
    handler: ({ commentId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: disposeComment(db, requireUser(), commentId, input).id })),
  }),
  ballotRules: defineFormAction({
    input: ballotRulesInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => setBallotRules(db, requireUser(), input)),
  }),
  vote: defineFormAction({
    input: voteInput.safeExtend({ standardId: id }),
    handler: ({ standardId, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ position: castVote(db, requireUser(), standardId, input).position })),
  }),
};
