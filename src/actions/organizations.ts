import { publicOrigin } from '~/lib/http/origin';
import {
  invitationAcceptInput,
  changeDecisionForm,
  changeRejectForm,
  invitationCancelForm,
  memberForm,
  memberRemoveForm,
  organizationEditForm,
  organizationInput,
  rejectForm,
  verifyForm,
} from '~/lib/organizations/schemas';
import {
  addMember,
  approveOrganizationChange,
  cancelInvitation,
  createOrganization,
  rejectOrganization,
  rejectOrganizationChange,
  removeMember,
  updateOrganization,
  verifyOrganization,
} from '~/lib/organizations/service';
import { acceptInvitation } from '~/lib/organizations/invitations';
import { defineFormAction } from './form';
import { run } from './run';

/** The organization's names in both languages, so the page that confirms a decision names it in the reader's. */
const names = (org: { name: string; nameZh: string | null }) => ({ name: org.name, nameZh: org.nameZh });

export const organizations = {
  create: defineFormAction({
    input: organizationInput,
    handler: (input, ctx) => run(ctx, ({ db, requireUser }) => ({ slug: createOrganization(db, requireUser(), input).slug })),
  }),
  update: defineFormAction({
    input: organizationEditForm,
    handler: ({ slug, ...input }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        // The form posts every field, so an empty optional field means "clear it".
        const changes = { ...input, nameZh: input.nameZh ?? null, descriptionMd: input.descriptionMd ?? null, website: input.website ?? null, rorId: input.rorId ?? null, code: input.code ?? null, creditCode: input.creditCode ?? null };
        return { slug: updateOrganization(db, requireUser(), slug, changes).slug };
      }),
  }),
  addMember: defineFormAction({
    input: memberForm,
    handler: ({ slug, email, role, votingMember, intent }, ctx) =>
      run(ctx, ({ db, requireUser }) => ({ ...addMember(db, requireUser(), slug, { email, role, votingMember }, publicOrigin()), intent: intent ?? 'add' })),
  }),
  removeMember: defineFormAction({
    input: memberRemoveForm,
    handler: ({ slug, userId }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        removeMember(db, requireUser(), slug, userId);
        return { removed: true };
      }),
  }),
  cancelInvitation: defineFormAction({
    input: invitationCancelForm,
    handler: ({ slug, email }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        cancelInvitation(db, requireUser(), slug, email);
        return { cancelled: true };
      }),
  }),
  acceptInvitation: defineFormAction({
    input: invitationAcceptInput,
    handler: ({ token }, ctx) => run(ctx, ({ db, requireUser }) => acceptInvitation(db, requireUser(), token)),
  }),
  verify: defineFormAction({
    input: verifyForm,
    handler: ({ slug }, ctx) => run(ctx, ({ db, requireUser }) => names(verifyOrganization(db, requireUser(), slug))),
  }),
  reject: defineFormAction({
    input: rejectForm,
    handler: ({ slug, reason }, ctx) => run(ctx, ({ db, requireUser }) => names(rejectOrganization(db, requireUser(), slug, reason))),
  }),
  /** Admins: the waiting change of a verified organization's name or type. */
  approveChange: defineFormAction({
    input: changeDecisionForm,
    handler: ({ slug }, ctx) => run(ctx, ({ db, requireUser }) => names(approveOrganizationChange(db, requireUser(), slug))),
  }),
  rejectChange: defineFormAction({
    input: changeRejectForm,
    handler: ({ slug, reason }, ctx) => run(ctx, ({ db, requireUser }) => names(rejectOrganizationChange(db, requireUser(), slug, reason))),
  }),
};
