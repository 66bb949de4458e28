import { api, json } from '~/lib/http/api';
import { verifyEmailInput } from '~/lib/accounts/schemas';
import { verifyEmail } from '~/lib/accounts/verification';
import { getMe, publicUser } from '~/lib/accounts/queries';

export const POST = api(async ({ db, body }) => {
  const { token } = await body(verifyEmailInput);
  const session = await verifyEmail(db, token);
  return json({ token: session.token, user: publicUser(getMe(db, session.userId)!) });
});
