import { defineAction } from 'astro:actions';
import { synonymGroupDeleteForm, synonymGroupEditForm, synonymGroupForm } from '~/lib/search/schemas';
import { createSynonymGroup, deleteSynonymGroup, parseTerms, updateSynonymGroup } from '~/lib/search/synonyms';
import { run } from './run';

/** Admin editing of search synonyms; the services refuse anyone who is not a platform admin. */
export const search = {
  addSynonyms: defineAction({
    accept: 'form',
    input: synonymGroupForm,
    handler: (input, ctx) => run(ctx, ({ db, user }) => createSynonymGroup(db, user, parseTerms(input.terms))),
  }),
  updateSynonyms: defineAction({
    accept: 'form',
    input: synonymGroupEditForm,
    handler: (input, ctx) => run(ctx, ({ db, user }) => updateSynonymGroup(db, user, input.id, parseTerms(input.terms))),
  }),
  deleteSynonyms: defineAction({
    accept: 'form',
    input: synonymGroupDeleteForm,
    handler: (input, ctx) =>
      run(ctx, ({ db, user }) => {
        deleteSynonymGroup(db, user, input.id);
        return { id: input.id };
      }),
  }),
};
