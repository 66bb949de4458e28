/** Forms of credit schemes, credit roles and conflicts of interest (issue 16). */
import { conflictForm, creditRoleForm, creditRoleRemoveForm, schemeCreateForm, schemeSettingsForm, schemeTransitionForm } from '~/lib/credit/scheme-schemas';
import { declareConflict, grantCreditRole, revokeCreditRole } from '~/lib/credit/roles';
import { createScheme, transitionScheme, updateSchemeSettings } from '~/lib/credit/schemes';
import { defineFormAction } from './form';
import { run } from './run';

export const creditSchemes = {
  create: defineFormAction({
    input: schemeCreateForm,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ id: createScheme(db, requireUser(), input).id })),
  }),
  transition: defineFormAction({
    input: schemeTransitionForm,
    handler: ({ id, to }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: transitionScheme(db, requireUser(), id, to).id, to })),
  }),
  settings: defineFormAction({
    input: schemeSettingsForm,
    handler: ({ id, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ id: updateSchemeSettings(db, requireUser(), id, input).id })),
  }),
  grantRole: defineFormAction({
    input: creditRoleForm,
    handler: ({ body, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ body, ...grantCreditRole(db, requireUser(), body, input) })),
  }),
  revokeRole: defineFormAction({
    input: creditRoleRemoveForm,
    handler: ({ body, ...input }, ctx) => run(ctx, ({ db, requireUser }) => ({ body, ...revokeCreditRole(db, requireUser(), body, input) })),
  }),
  declareConflict: defineFormAction({
    input: conflictForm,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => declareConflict(db, requireUser(), input)),
  }),
};
