import { api, json } from '~/lib/http/api';
import { invitationAcceptInput } from '~/lib/organizations/schemas';
import { acceptInvitation } from '~/lib/organizations/invitations';

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const { token } = await body(invitationAcceptInput);
  return json(acceptInvitation(db, user, token));
});
