/**
 * markdownToText (search documents, excerpts) takes a shortcut when the source has no `<` or `&`:
 * it drops marked's tags itself instead of running the sanitizer. Its text must be exactly what
 * the sanitizer's way gives, which this test computes with the libraries themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { markdownToText } from '../src/lib/markdown/render';

const marked = new Marked({ gfm: true, breaks: false, async: false });
/** The text as the sanitizer gives it (markdownToText before the shortcut). */
const reference = (md: string) =>
  sanitizeHtml(marked.parse(md) as string, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

const cases: string[] = [
  '',
  'Plain text.',
  '# Title #\n\n## 1 范围 Scope\n\nA *quoted* "word", an apostrophe\'s and > signs >> here.',
  '> A quote "with" quotes\n> and a second line\n\n>> nested',
  '- [ ] open task\n- [x] done task\n\n1. one\n2. two\n   - nested *em* **strong** ~~del~~',
  '| 指标 "a" | 2025 |\n|:---|---:|\n| 信用 \'b\' | 90.5 |\n| x > y | ≥ 90 |',
  '```ts\nconst a = "b" > \'c\';\n```\n\n    indented code "x"\n\n`inline "code" > it`',
  '[a link "t"](https://example.org/a?b=1 "The \\"title\\"") and ![an image "alt"](https://example.org/i.png "img title") and <https://example.org/auto>',
  'www.example.org and https://example.org/x?y=z and someone@example.org',
  'Line one  \nline two\\\nline three\n\n---\n\n***\n\nEscaped \\*stars\\* and \\_under\\_ and \\# hash',
  'Term with trailing spaces   \n\n\n\n   Leading spaces and\ttabs',
  // with `<` or `&`: the sanitizer's way, unchanged
  'R&D and AT&T &copy; &#169; &nbsp;x &lt;tag&gt;',
  'Raw <b>bold</b> and <script>alert("x")</script> <style>p{}</style> <!-- comment --> <textarea>t</textarea> a < b',
];

function corpus(): [string, string][] {
  const root = path.resolve(import.meta.dirname, '..', 'content');
  const files: [string, string][] = [];
  for (const dir of readdirSync(root)) {
    for (const name of readdirSync(path.join(root, dir))) if (name.endsWith('.md')) files.push([`${dir}/${name}`, readFileSync(path.join(root, dir, name), 'utf8')]);
  }
  return files;
}

describe('markdownToText', () => {
  it('gives the sanitizer’s text for every construct, with and without `<` and `&` in the source', () => {
    for (const md of cases) expect(markdownToText(md), md).toBe(reference(md));
  });

  it('gives the sanitizer’s text for a long report of sections, lists, tables, emphasis and links', () => {
    const words = ['跨境', '电商', 'logistics', '"bonded"', "seller's", '> 90', '*em*', '**海关**', '`code`', '[r](https://example.org/r)', '~~old~~'];
    let seed = 7;
    const word = () => words[(seed = (seed * 1103515245 + 12345) % 2147483648) % words.length]!;
    const line = (n: number) => Array.from({ length: n }, word).join(' ');
    const md = Array.from({ length: 80 }, (_, i) => `## ${i} ${line(3)}\n\n${line(40)}\n\n- ${line(6)}\n- ${line(5)}\n\n| a | b |\n|---|---|\n| ${line(2)} | ${i} |\n\n> ${line(10)}`).join('\n\n');
    expect(md.length).toBeGreaterThan(30_000);
    expect(markdownToText(md)).toBe(reference(md));
  });

  it('gives the sanitizer’s text for the portal’s own documents, and for them with the characters that take the long way removed', () => {
    for (const [name, md] of corpus()) {
      expect(markdownToText(md), name).toBe(reference(md));
      const plain = md.replace(/[<&]/g, ' ');
      expect(markdownToText(plain), `${name} without < and &`).toBe(reference(plain));
    }
  });
});
