/**
 * Who can be rated: a verified organization of type `company` carrying a valid unified social
 * credit code (GB 32100). Registration leaves the code optional; applying for a grade needs it.
 */
import type { organizations } from '@db/schema';
import { usccProblem } from '~/lib/identifiers/uscc';

type Entity = Pick<typeof organizations.$inferSelect, 'type' | 'status' | 'creditCode'>;

export const RATABLE_PROBLEMS = {
  not_company: 'Only companies are rated; this organization is not registered as a company.',
  not_verified: 'The company has not been verified yet.',
  no_credit_code: 'Add the company’s unified social credit code to its profile before applying.',
  bad_credit_code: 'The company’s unified social credit code is not valid; correct it on its profile before applying.',
} as const;
export type RatableProblem = keyof typeof RATABLE_PROBLEMS;

/** Why the organization cannot apply for a credit grade (a code; its English in RATABLE_PROBLEMS), or null. */
export function ratableEntityProblem(org: Entity): RatableProblem | null {
  if (org.type !== 'company') return 'not_company';
  if (org.status !== 'verified') return 'not_verified';
  if (!org.creditCode) return 'no_credit_code';
  return usccProblem(org.creditCode) ? 'bad_credit_code' : null;
}
