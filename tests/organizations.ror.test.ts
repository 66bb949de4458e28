import { describe, expect, it } from 'vitest';
import { isValidRor, normalizeRor } from '../src/lib/identifiers/ror';
import { organizationInput } from '../src/lib/organizations/schemas';

describe('ROR ids', () => {
  it('accepts a real id and its https://ror.org/ form', () => {
    expect(isValidRor('03yrm5c26')).toBe(true);
    expect(isValidRor('https://ror.org/03yrm5c26')).toBe(true);
    expect(isValidRor(' HTTPS://ROR.ORG/03YRM5C26 ')).toBe(true);
    expect(normalizeRor('https://ror.org/03yrm5c26')).toBe('03yrm5c26');
  });

  it('rejects an id whose check digits do not match', () => {
    for (const last of '012345789') expect(isValidRor(`03yrm5c2${last}`)).toBe(false);
    expect(isValidRor('04yrm5c26')).toBe(false);
  });

  it('rejects malformed ids', () => {
    for (const bad of ['', '3yrm5c26', '13yrm5c26', '03yrm5c2', '03yrm5c266', '03yrl5c26', 'https://example.org/03yrm5c26']) {
      expect(isValidRor(bad), bad).toBe(false);
    }
  });

  it('is what the organization form checks, storing the bare id', () => {
    expect(organizationInput.parse({ name: 'Lab', type: 'research_facility', rorId: 'https://ror.org/03yrm5c26' }).rorId).toBe('03yrm5c26');
    expect(organizationInput.safeParse({ name: 'Lab', type: 'research_facility', rorId: '03yrm5c27' }).success).toBe(false);
  });
});
