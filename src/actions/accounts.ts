import { defineAction } from 'astro:actions';
import { publicOrigin } from '~/lib/http/origin';
import type { ActionAPIContext } from 'astro:actions';
import { changePasswordInput, resetInput, resetRequestInput, signInInput, signUpInput, verifyEmailInput } from '~/lib/accounts/schemas';
import { changePassword, requestPasswordReset, resetPassword, signIn, signUp } from '~/lib/accounts/service';
import { resendVerification, verifyEmail } from '~/lib/accounts/verification';
import { sessionCookie } from '~/lib/auth/sessions';
import { clientIp } from '~/lib/http/client-ip';
import { safeNext } from '~/lib/http/safe-next';
import { isSecure } from '~/middleware';
import { defineFormAction } from './form';
import { run } from './run';

function setSession(ctx: ActionAPIContext, token: string, expiresAt: Date) {
  const c = sessionCookie(token, expiresAt, { secure: isSecure(ctx.request, ctx.url) });
  ctx.cookies.set(c.name, c.value, c.options);
}

export const accounts = {
  signUp: defineFormAction({
    input: signUpInput,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        // The page passes on where the person was going (`?next=`), so the mailed link returns there.
        const next = safeNext(ctx.url.searchParams.get('next'), '') || undefined;
        await signUp(db, { ...input, locale: input.locale ?? ctx.locals.lang }, publicOrigin(), next);
        return { email: input.email };
      }),
  }),
  signIn: defineFormAction({
    input: signInInput,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const { token, expiresAt } = await signIn(db, input.email, input.password, clientIp(ctx));
        setSession(ctx, token, expiresAt);
        return { signedIn: true };
      }),
  }),
  changePassword: defineFormAction({
    input: changePasswordInput,
    handler: (input, ctx) =>
      run(ctx, async ({ db, requireUser }) => {
        await changePassword(db, requireUser().id, ctx.locals.sessionToken, input.currentPassword, input.newPassword);
        return { changed: true };
      }),
  }),
  requestReset: defineFormAction({
    input: resetRequestInput,
    handler: (input, ctx) =>
      run(ctx, ({ db }) => {
        requestPasswordReset(db, input.email, clientIp(ctx), publicOrigin());
        return { requested: true };
      }),
  }),
  verifyEmail: defineFormAction({
    input: verifyEmailInput,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const { token, expiresAt } = await verifyEmail(db, input.token);
        setSession(ctx, token, expiresAt);
        return { verified: true };
      }),
  }),
  resendVerification: defineAction({
    accept: 'form',
    handler: (_input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        resendVerification(db, requireUser().id, clientIp(ctx), publicOrigin());
        return { resent: true };
      }),
  }),
  resetPassword: defineFormAction({
    input: resetInput,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        await resetPassword(db, input.token, input.newPassword);
        return { reset: true };
      }),
  }),
};
