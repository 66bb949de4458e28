/** Writing each language properly: plurals, lists, dates and ranges, Chinese punctuation, audit names. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_STATES } from '../db/schema/settlement';
import { ENROLLMENT_STATUSES } from '../db/schema/courses';
import { formatCount, formatDate, formatDateRange, formatList, useTranslations } from '../src/i18n';
import { dictionaries, domainDictionaries } from '../src/i18n/dict';

describe('plurals', () => {
  it('English says “1 result”, “2 results”, “0 results”; Chinese has one form', () => {
    expect(formatCount('en', 'common.results', 1)).toBe('1 result');
    expect(formatCount('en', 'common.results', 2)).toBe('2 results');
    expect(formatCount('en', 'common.results', 0)).toBe('0 results');
    expect(formatCount('en', 'std.toc.comments', 1)).toBe('1 comment');
    expect(formatCount('zh-cn', 'std.toc.comments', 1)).toBe('1 条意见');
    // The translator itself picks the form whenever a count is given, so pages need no other call.
    expect(useTranslations('en')('admin.overview.audit', { count: 1 })).toBe('1 audit entry');
    expect(useTranslations('en')('std.resolution.caption', { count: 2, open: 1 })).toBe('2 comments, 1 awaiting disposition');
    expect(useTranslations('zh-cn')('common.results', { count: 3 })).toBe('共 3 条');
  });
});

describe('lists', () => {
  it('joins with 、 in Chinese and commas in English', () => {
    expect(formatList('zh-cn', ['中文', '英文'])).toBe('中文、英文');
    expect(formatList('en', ['Chinese', 'English'])).toBe('Chinese, English');
    expect(formatList('en', ['PDF', 'JPEG', 'PNG'])).toBe('PDF, JPEG, PNG');
    expect(formatList('en', [])).toBe('');
  });
});

describe('dates', () => {
  const start = '2026-12-26T09:00:00+08:00';
  it('writes a time range on one day with the date once', () => {
    expect(formatDateRange('en', start, '2026-12-26T17:00:00+08:00')).toBe('26 Dec 2026, 09:00–17:00');
    expect(formatDateRange('zh-cn', start, '2026-12-26T17:00:00+08:00')).toBe('2026年12月26日 09:00–17:00');
  });
  it('writes both ends of a range across days, in the zone given', () => {
    expect(formatDateRange('en', start, '2026-12-27T17:00:00+08:00')).toBe('26 Dec 2026, 09:00 – 27 Dec 2026, 17:00');
    expect(formatDateRange('zh-cn', start, '2026-12-27T17:00:00+08:00')).toBe('2026年12月26日 09:00 – 2026年12月27日 17:00');
    expect(formatDateRange('en', '2031-09-01T10:00:00+08:00', '2031-09-01T13:00:00+08:00', 'Europe/Berlin')).toBe('1 Sept 2031, 04:00–07:00');
  });
  it('a date with its time reads like the date alone (年月日 in Chinese, not 2026/12/26)', () => {
    expect(formatDate('zh-cn', start)).toBe('2026年12月26日');
    expect(formatDate('zh-cn', start, 'datetime')).toBe('2026年12月26日 09:00');
    expect(formatDate('en', start, 'datetime')).toBe('26 Dec 2026, 09:00');
  });
});

describe('Chinese punctuation in our dictionaries', () => {
  it('uses full-width colons, commas and brackets after Chinese text', () => {
    const offending: string[] = [];
    for (const dict of domainDictionaries) {
      for (const [key, text] of Object.entries(dict['zh-cn'])) {
        const prose = text.replace(/https?:\/\/\S*/g, '').replace(/doi:/g, '');
        if (/[\u3400-\u9fff][:,;?!(]|[\u3400-\u9fff] \(|\)[\u3400-\u9fff]/.test(prose)) offending.push(`${key}: ${text}`);
      }
    }
    expect(offending).toEqual([]);
  });
  it('the label colon and brackets pages use are the language’s own', () => {
    expect(dictionaries['zh-cn']['common.colon']).toBe('：');
    expect(dictionaries.en['common.colon']).toBe(': ');
    expect(useTranslations('zh-cn')('common.inParens', { text: 'Asia/Shanghai' })).toBe('（Asia/Shanghai）');
  });
});

describe('audit log names', () => {
  const root = path.resolve(import.meta.dirname, '..', 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : /\.(ts|astro)$/.test(name) ? [full] : [];
    });

  it('every action the code records and every object type has a name in both languages', () => {
    const actions = new Set<string>();
    const subjects = new Set<string>(['settlement_application']);
    for (const file of files(root)) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('recordAudit(')) continue;
      for (const m of text.matchAll(/action: '([a-z_.]+)'/g)) actions.add(m[1]!);
      for (const m of text.matchAll(/subjectType: '([a-z_]+)'/g)) subjects.add(m[1]!);
    }
    for (const s of ENROLLMENT_STATUSES) actions.add(`enrollment.${s}`);
    for (const s of APPLICATION_STATES) if (s !== 'draft') actions.add(`settlement.${s}`);
    expect(actions.size).toBeGreaterThan(50);
    const missing = [
      ...[...actions].map((a) => `audit.action.${a}`),
      ...[...subjects].map((s) => `audit.subject.${s}`),
    ].filter((key) => !dictionaries.en[key] || !dictionaries['zh-cn'][key]);
    expect(missing).toEqual([]);
  });
});
