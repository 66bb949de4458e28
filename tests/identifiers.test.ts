/** Identifier validation with known good and bad values. */
import { describe, expect, it } from 'vitest';
import { doiKey, doiProblem, normalizeDoi } from '../src/lib/identifiers/doi';
import { isValidOrcid, normalizeOrcid, orcidProblem } from '../src/lib/identifiers/orcid';
import { isValidRor } from '../src/lib/identifiers/ror';
import { projectInput } from '../src/lib/research/schemas';
import { organizationInput } from '../src/lib/organizations/schemas';
import { companySection } from '../src/lib/settlement/schemas';
import { normalizeUscc, USCC_MESSAGES, usccCheckCharacter, usccProblem } from '../src/lib/identifiers/uscc';
import { dictionaries } from '../src/i18n/dict';

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

  describe('unified social credit codes (GB 32100)', () => {
    const VALID = ['91350100M000100Y43', '9144030071526726XG', '914403001922038216', '91330100799655058B'];

    it('accepts real codes and computes their check characters', () => {
      for (const code of VALID) {
        expect(usccProblem(code)).toBeNull();
        expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
      }
    });

    it('reads a code typed with spaces or in lower case', () => {
      expect(normalizeUscc(' 9144 0300 7152 6726xg ')).toBe('9144030071526726XG');
      expect(usccProblem('9144 0300 7152 6726xg')).toBeNull();
    });

    it('refuses a wrong check character', () => {
      expect(usccProblem('91350100M000100Y44')).toBe('uscc.check');
      expect(usccProblem('9144030071526726XF')).toBe('uscc.check');
      expect(usccProblem('914403001922038217')).toBe('uscc.check');
      // two characters swapped keep the format but not the check
      expect(usccProblem('91330100799655085B')).toBe('uscc.check');
    });

    it('refuses codes of the wrong shape', () => {
      expect(usccProblem('')).toBe('uscc.format');
      expect(usccProblem('91330100799655058')).toBe('uscc.format'); // 17 characters
      expect(usccProblem('91330100799655058BB')).toBe('uscc.format'); // 19
      expect(usccProblem('9133010079965505SB')).toBe('uscc.format'); // S is not in the alphabet
      expect(usccProblem('91330I00799655058B')).toBe('uscc.format'); // the division must be digits
      expect(usccProblem('91350100M000100Y4O')).toBe('uscc.format'); // O is never used
    });

    it('has its messages in both languages', () => {
      for (const key of ['uscc.format', 'uscc.check'] as const) {
        expect(dictionaries.en[key]).toBe(USCC_MESSAGES[key]);
        expect(dictionaries['zh-cn'][key]).toMatch(/统一社会信用代码/);
        expect(dictionaries['zh-cn'][`err:${USCC_MESSAGES[key]}`]).toBe(dictionaries['zh-cn'][key]);
      }
    });

    it('checks the code in the organization and settlement forms', () => {
      const org = (creditCode: string) => organizationInput.safeParse({ name: 'Xiamen Trading', type: 'company', creditCode });
      expect(org('91350100 m000100y43').data?.creditCode).toBe('91350100M000100Y43');
      expect(org('91350100M000100Y44').error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['creditCode', USCC_MESSAGES['uscc.check']]]);
      expect(org('91350100M00').error?.issues.map((i) => i.message)).toEqual([USCC_MESSAGES['uscc.format']]);
      expect(organizationInput.safeParse({ name: 'Xiamen Trading', type: 'company' }).data?.creditCode).toBeUndefined();
      const company = (creditCode: string) => companySection.safeParse({ name: 'Jing’an Parcel Data Ltd.', creditCode, role: 'Founder', employees: 5 });
      expect(company('91310106MA1FL5678Q').success).toBe(true);
      expect(company('91310106MA1FL5678X').error?.issues.map((i) => i.message)).toEqual([USCC_MESSAGES['uscc.check']]);
    });
  });
});
