/**
 * The content-keyed caches behind rendered Markdown, parsed clauses and diffs
 * (src/lib/memo.ts): an entry is found only by the very input it was computed from, so an
 * edited text is computed afresh, and the cache stays within its size.
 */
import { describe, expect, it } from 'vitest';
import { ContentCache } from '../src/lib/memo';
import { renderMarkdown } from '../src/lib/markdown/render';
import { parseClauses } from '../src/lib/standards/clauses';
import { diffVersions } from '../src/lib/research/diff';

describe('ContentCache', () => {
  it('computes once per input and again for a different input', () => {
    const cache = new ContentCache<string>(1000, (v) => v.length);
    let calls = 0;
    const upper = (s: string) => cache.get(s, () => (calls++, s.toUpperCase()));
    expect(upper('draft one')).toBe('DRAFT ONE');
    expect(upper('draft one')).toBe('DRAFT ONE');
    expect(calls).toBe(1);
    expect(upper('draft two')).toBe('DRAFT TWO');
    expect(calls).toBe(2);
  });

  it('drops the least recently used entries beyond its size, and does not keep an entry larger than a quarter of it', () => {
    const cache = new ContentCache<string>(100, (v) => v.length);
    let calls = 0;
    const get = (k: string) => cache.get(k, () => (calls++, k));
    for (let i = 0; i < 10; i++) get(`k${i}`.padEnd(10, '.')); // 20 characters each: the first five go
    calls = 0;
    get('k9'.padEnd(10, '.'));
    expect(calls).toBe(0);
    get('k0'.padEnd(10, '.'));
    expect(calls).toBe(1);
    calls = 0;
    const big = 'x'.repeat(30);
    get(big);
    get(big);
    expect(calls).toBe(2);
  });
});

describe('cached renderers give what the uncached ones gave', () => {
  it('renders an edited text afresh, with the options of each call', () => {
    const a = renderMarkdown('## Title\n\nfirst text', { lang: 'en' });
    expect(a).toContain('first text');
    expect(renderMarkdown('## Title\n\nsecond text', { lang: 'en' })).toContain('second text');
    expect(renderMarkdown('## Title\n\nfirst text', { lang: 'en' })).toBe(a);
    expect(renderMarkdown('## Title\n\nfirst text', { lang: 'en', headingLevel: 4 })).toContain('<h4');
  });

  it('parses and diffs edited versions afresh', () => {
    expect(parseClauses('## 1 Scope\n\nold').find((c) => c.id === '1')!.body).toBe('old');
    expect(parseClauses('## 1 Scope\n\nnew').find((c) => c.id === '1')!.body).toBe('new');
    expect(diffVersions('a b', 'a c').html).toContain('<ins>c</ins>');
    expect(diffVersions('a b', 'a d').html).toContain('<ins>d</ins>');
  });
});
