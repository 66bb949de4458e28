import { synonymGroupDeleteForm, synonymGroupEditForm, synonymGroupForm } from '~/lib/search/schemas';
import { createSynonymGroup, deleteSynonymGroup, parseTerms, updateSynonymGroup } from '~/lib/search/synonyms';
import { defineFormAction } from './form';
import { run } from './run';

/** Admin editing of search synonyms; the services refuse anyone who is not a platform admin. */
export const search = {
  addSynonyms: defineFormAction({
    input: synonymGroupForm,
    handler: (input, ctx) => run(ctx, ({ db, user }) => createSynonymGroup(db, user, parseTerms(input.terms))),
  }),
  updateSynonyms: defineFormAction({
    input: synonymGroupEditForm,
    handler: (input, ctx) => run(ctx, ({ db, user }) => updateSynonymGroup(db, user, input.id, parseTerms(input.terms))),
  }),
  deleteSynonyms: defineFormAction({
    input: synonymGroupDeleteForm,
    handler: (input, ctx) =>
      run(ctx, ({ db, user }) => {
        deleteSynonymGroup(db, user, input.id);
        return { id: input.id };
      }),
  }),
};
