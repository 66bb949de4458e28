import { api, json } from '~/lib/http/api';
import { signUpInput } from '~/lib/accounts/schemas';
import { signUp } from '~/lib/accounts/service';
import { getMe, publicUser } from '~/lib/accounts/queries';

export const POST = api(async ({ db, body }) => {
  const input = await body(signUpInput);
  const { token, userId } = await signUp(db, input);
  return json({ token, user: publicUser(getMe(db, userId)!) }, 201);
});
