import { api, json } from '~/lib/http/api';
import { publicOrigin } from '~/lib/http/origin';
import { signUpInput } from '~/lib/accounts/schemas';
import { signUp } from '~/lib/accounts/service';

export const POST = api(async ({ ctx, db, body }) => {
  const input = await body(signUpInput);
  await signUp(db, input, publicOrigin());
  return json({ status: 'verification_sent' }, 202);
});
