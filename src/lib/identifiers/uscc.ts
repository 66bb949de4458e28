/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
 * alphabet without I, O, S, V and Z. The last is a check character: the weighted sum of the first 17
 * (weights 3^i mod 31), taken mod 31 and subtracted from 31, indexes the alphabet (31 reads as 0).
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normalizeUscc(value: string): string {
  return value.trim().replace(/[\s-]/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null when one of them is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why a code is not a valid unified social credit code (a dictionary key), or null when it is. */
export function usccProblem(value: string): 'uscc.format' | 'uscc.check' | null {
  const code = normalizeUscc(value);
  // Registration authority and category, six digits of administrative division, nine of organization code, check.
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return 'uscc.format';
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'uscc.check';
}

export const isValidUscc = (value: string) => usccProblem(value) === null;

/** The English sentence for each problem (the API's words; dictionaries carry `err:` Chinese and the `uscc.*` keys). */
export const USCC_MESSAGES = {
  'uscc.format': 'Enter the 18-character unified social credit code as on the business licence, like 91310115MA1K4B2C3J.',
  'uscc.check': 'The last character of this unified social credit code does not match the others; check the code against the business licence.',
} as const;

/** Why a code is not valid, as the sentence a form shows beside the field, or null. */
export function usccMessage(value: string): string | null {
  const problem = usccProblem(value);
  return problem ? USCC_MESSAGES[problem] : null;
}
