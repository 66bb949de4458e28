/** Identifier validation with known good and bad values. */
import { describe, expect, it } from 'vitest';
import { doiKey, doiProblem, normalizeDoi } from '../src/lib/identifiers/doi';
import { isValidOrcid, normalizeOrcid, orcidProblem } from '../src/lib/identifiers/orcid';
import { isValidRor } from '../src/lib/identifiers/ror';
import { projectInput } from '../src/lib/research/schemas';

describe('identifiers', () => {
  it('accepts a valid ORCID iD in bare and URL form, and rejects a wrong check digit', () => {
    expect(isValidOrcid('0000-0002-1825-0097')).toBe(true);
    expect(isValidOrcid('https://orcid.org/0000-0002-1825-0097')).toBe(true);
    expect(normalizeOrcid('https://orcid.org/0000-0002-1694-233x')).toBe('0000-0002-1694-233X');
    expect(isValidOrcid('0000-0002-1694-233X')).toBe(true);
    expect(orcidProblem('0000-0002-1825-0098')).toMatch(/check digit/);
    expect(orcidProblem('0000-0002-1825')).toMatch(/like 0000-0002-1825-0097/);
  });

  it('checks ROR ids with their MOD 97-10 digits', () => {
    expect(isValidRor('03yrm5c26')).toBe(true);
    expect(isValidRor('https://ror.org/03yrm5c26')).toBe(true);
    expect(isValidRor('03yrm5c27')).toBe(false);
  });

  it('normalizes DOIs from resolver and doi: forms and compares them case-insensitively', () => {
    expect(normalizeDoi('https://doi.org/10.1000/XYZ123')).toBe('10.1000/XYZ123');
    expect(normalizeDoi('doi:10.1000/xyz123')).toBe('10.1000/xyz123');
    expect(normalizeDoi('https://dx.doi.org/10.1000/a%2Fb')).toBe('10.1000/a/b');
    expect(doiKey('https://doi.org/10.1000/XYZ123')).toBe(doiKey('DOI:10.1000/xyz123'));
    expect(doiProblem('10.1000/xyz')).toBeNull();
    expect(doiProblem('11.1000/xyz')).toMatch(/Enter a DOI/);
    expect(doiProblem('10.1000')).toMatch(/Enter a DOI/);
  });

  it('explains a bad ORCID iD on the person it belongs to', () => {
    const r = projectInput.safeParse({
      organizationSlug: 'x', title: 'A project', abstractMd: 'An abstract here.', status: 'active', startDate: '2026-01-01',
      people: [{ name: 'A', role: 'pi', orcid: '0000-0002-1825-0098' }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['people.0.orcid', expect.stringMatching(/check digit/)]]);
  });
});
