import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '~/lib/auth/password';
import { passwordWeaknesses } from '~/lib/auth/password-strength';
import { singleLine } from '~/lib/forms/text';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'An email address has at most 254 characters.')
  .pipe(z.email('Enter an email address like name@example.com.'));

export const newPassword = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

export const signUpInput = z.object({
  email,
  password: newPassword,
  displayName: singleLine(100, { error: 'Enter your name.' }).min(1, 'Enter your name.'),
  locale: z.enum(['zh-cn', 'en']).optional(),
}).superRefine((input, ctx) => {
  // Here rather than on `password` alone: the check needs the email and name (see password-strength.ts).
  if (!newPassword.safeParse(input.password).success) return; // already told: too short or too long
  for (const message of passwordWeaknesses(input.password, input)) ctx.addIssue({ code: 'custom', path: ['password'], message });
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH, 'That password is too long.'),
});

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(MAX_PASSWORD_LENGTH),
  newPassword,
});

export const resetRequestInput = z.object({ email });

export const resetInput = z.object({
  token: z.string().min(10).max(200),
  newPassword,
});

/** The token from a verification link. */
export const verifyEmailInput = z.object({ token: z.string().min(10).max(200) });

/** Sign-up answers this whether or not the address already has an account. */
export const signUpOutput = z.object({ status: z.literal('verification_sent') });

export const userOutput = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.string(),
  roles: z.array(z.string()),
});

export const authOutput = z.object({ token: z.string(), user: userOutput });
