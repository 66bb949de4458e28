import { api, json } from '~/lib/http/api';
import { clientIp } from '~/lib/http/client-ip';
import { signInInput } from '~/lib/accounts/schemas';
import { signIn } from '~/lib/accounts/service';
import { getMe, publicUser } from '~/lib/accounts/queries';

export const POST = api(async ({ ctx, db, body }) => {
  const input = await body(signInInput);
  const { token, userId } = await signIn(db, input.email, input.password, clientIp(ctx));
  return json({ token, user: publicUser(getMe(db, userId)!) });
});
