/**
 * A readable comparison of two versions' Markdown sources: word (or line) differences as HTML in
 * which every character of user text is escaped, insertions in <ins> and deletions in <del>. The
 * result is safe to output as HTML because it contains no markup other than those two tags.
 */
import { diffArrays, diffLines } from 'diff';
import { ContentCache } from '../memo';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface DiffResult {
  html: string;
  added: number;
  removed: number;
}

/**
 * Words as Intl.Segmenter sees them: Latin words, and Chinese words rather than whole runs of
 * Han characters (which a whitespace-based word diff would mark as changed in one piece).
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const tokens = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);

function wordParts(before: string, after: string) {
  return diffArrays(tokens(before), tokens(after)).map((p) => ({ value: p.value.join(''), added: p.added, removed: p.removed, count: p.count }));
}

/** Diffs by mode and the two texts (published versions never change; an edited draft is a new key). */
const diffs = new ContentCache<DiffResult>(16_000_000, (d) => d.html.length);

export function diffVersions(before: string, after: string, mode: 'words' | 'lines' = 'words'): DiffResult {
  return diffs.get(`${mode}|${before.length}:${before}\u0000${after}`, () => computeDiff(before, after, mode));
}

function computeDiff(before: string, after: string, mode: 'words' | 'lines'): DiffResult {
  const parts = mode === 'lines' ? diffLines(before, after) : wordParts(before, after);
  let added = 0;
  let removed = 0;
  const html = parts
    .map((part) => {
      const text = escapeHtml(part.value);
      if (part.added) {
        added += part.count ?? 1;
        return `<ins>${text}</ins>`;
      }
      if (part.removed) {
        removed += part.count ?? 1;
        return `<del>${text}</del>`;
      }
      return text;
    })
    .join('');
  return { html, added, removed };
}
