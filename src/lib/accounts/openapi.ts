import { z } from 'zod';
import type { RouteDoc } from '~/lib/http/openapi';
import { authOutput, signInInput, signUpInput, signUpOutput, userOutput, verifyEmailInput } from './schemas';

export const meOutput = userOutput.extend({
  memberships: z.array(
    z.object({ organizationSlug: z.string(), organizationName: z.string(), role: z.string(), status: z.string() }),
  ),
});

export const accountRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/auth/signup',
    tag: 'Accounts',
    summary: 'Create an account and mail a link to verify its address (valid 24 hours, single use); the same answer when the address already has an account, whose owner is told by mail instead',
    body: signUpInput,
    responses: { 202: signUpOutput },
    errors: {
      400: 'A field is not valid; a weak password (too short, too common, or guessable from the address or name) is refused with the reasons in `fields.password`',
    },
  },
  { method: 'post', path: '/auth/verify', tag: 'Accounts', summary: 'Verify the address with the token from the mailed link and get a session token; an expired or used token is a 400', body: verifyEmailInput, responses: { 200: authOutput } },
  {
    method: 'post',
    path: '/auth/login',
    tag: 'Accounts',
    summary: 'Sign in and get a session token; attempts are limited per account and per IP address',
    body: signInInput,
    responses: { 200: authOutput },
    errors: {
      400: 'The email and password do not match an account (the same answer for an unknown address)',
      429: 'Too many attempts for this account or from this address: wait the seconds `Retry-After` gives',
    },
  },
  { method: 'post', path: '/auth/logout', tag: 'Accounts', summary: 'End this session', auth: true, responses: { 204: null } },
  { method: 'get', path: '/me', tag: 'Accounts', summary: 'The signed-in user with memberships and platform roles', auth: true, responses: { 200: meOutput } },
];
