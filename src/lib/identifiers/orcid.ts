/**
 * ORCID iDs: 16 characters in four groups, the last a check character computed with
 * ISO 7064 MOD 11-2 over the first 15 digits (`X` stands for 10). Accepts the https://orcid.org/ form.
 */
export function normalizeOrcid(value: string): string {
  return value
    .trim()
    .replace(/^https?:\/\/(www\.)?orcid\.org\//i, '')
    .toUpperCase();
}

export function orcidCheckCharacter(first15: string): string {
  let total = 0;
  for (const ch of first15) total = (total + Number(ch)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

/** Why an ORCID iD is not valid, or null when it is. */
export function orcidProblem(value: string): string | null {
  const id = normalizeOrcid(value);
  if (!/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(id)) {
    return 'Enter an ORCID iD like 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097.';
  }
  const digits = id.replace(/-/g, '');
  if (orcidCheckCharacter(digits.slice(0, 15)) !== digits[15]) {
    return 'This ORCID iD’s last character does not match its check digit; check it for a typo.';
  }
  return null;
}

export const isValidOrcid = (value: string) => orcidProblem(value) === null;
