/**
 * ROR ids: `0` + 6 characters of Crockford base32 + 2 check digits (ISO 7064 MOD 97-10 over the
 * number the 7 characters encode). Accepts the https://ror.org/ form.
 */
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

export function normalizeRor(value: string): string {
  return value.trim().toLowerCase().replace(/^https?:\/\/(www\.)?ror\.org\//, '');
}

export function isValidRor(value: string): boolean {
  const id = normalizeRor(value);
  if (!/^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$/.test(id)) return false;
  let n = 0n;
  for (const ch of id.slice(0, 7)) n = n * 32n + BigInt(CROCKFORD.indexOf(ch));
  const check = 98n - ((n * 100n) % 97n);
  return check === BigInt(id.slice(7));
}
