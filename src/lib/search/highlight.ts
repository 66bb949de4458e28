/**
 * Highlighting on the ORIGINAL text: the index only holds analyzed terms, so we find the matched
 * words again here (Latin words by their stem or prefix, Chinese words by substring) and wrap them
 * in `<mark>`; everything else is HTML-escaped.
 */
import { compounds, foldAndStem, runs } from './analyze';

/** What a query matched, as the highlighter needs it. */
export interface MatchTerms {
  /** Stems of Latin words (the query's, its synonyms' and its typo corrections'). */
  stems: Set<string>;
  /** Folded Latin prefixes (the last word as typed). */
  prefixes: string[];
  /** Chinese words, longest first. */
  han: string[];
}

export const emptyTerms = (): MatchTerms => ({ stems: new Set(), prefixes: [], han: [] });

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

type Range = [start: number, end: number];

/** Latin letters with diacritics: words that fold to ASCII without being ASCII. */
const MARKED_LATIN = /[\u00C0-\u024F\u1E00-\u1EFF]/;
const HAN_START = /^\p{Script=Han}/u;
/** A word as runs() reads it, starting exactly at lastIndex. */
const WORD_AT = /[\p{L}\p{N}]+/uy;
const isHyphen = (c: number) => c === 0x2d || (c >= 0x2010 && c <= 0x2013);

/**
 * Where a match can start, per query: one of its Han words; two letters that begin one of its
 * stems or prefixes, in either case (a stem keeps the first two letters of its word: Porter only
 * rewrites endings); or a hyphen (after the "e" of "e-commerce"). Each candidate is then checked
 * exactly, so that a long text is scanned by the regular-expression engine rather than word by
 * word. null when a term is too short or not ASCII for that.
 */
const candidateExprs = new WeakMap<MatchTerms, RegExp | null>();
function candidates(terms: MatchTerms): RegExp | null {
  if (candidateExprs.has(terms)) return candidateExprs.get(terms)!;
  const heads = new Set<string>();
  const latin = [...terms.stems, ...terms.prefixes];
  for (const t of latin) heads.add(t.slice(0, 2));
  if (!latin.every((t) => /^[a-z0-9]{2}/.test(t))) {
    candidateExprs.set(terms, null);
    return null;
  }
  const anyCase = (c: string) => (c.toUpperCase() === c ? c : `[${c}${c.toUpperCase()}]`);
  const alternatives = terms.han.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (heads.size) alternatives.push(...[...heads].map((h) => anyCase(h[0]!) + anyCase(h[1]!)), '[-\u2010-\u2013]');
  const expr = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : null;
  candidateExprs.set(terms, expr);
  return expr;
}

/** Whether a word can start after this character (runs() starts one after a Han run, too). */
const BEFORE_WORD = /[^\p{L}\p{N}]|\p{Script=Han}/u;
const startsWord = (text: string, at: number) => at === 0 || BEFORE_WORD.test(text[at - 1]!);

function latinMatches(word: string, terms: MatchTerms): boolean {
  const [f, s] = foldAndStem(word);
  return terms.stems.has(s) || terms.stems.has(f) || terms.prefixes.some((p) => f.startsWith(p));
}

/** Ranges of `text` (already NFKC-normalized) that match, found from candidates. */
function matchRanges(text: string, terms: MatchTerms): Range[] {
  const expr = candidates(terms);
  if (!expr || MARKED_LATIN.test(text)) return matchRangesByWord(text, terms);
  const ranges: Range[] = [];
  expr.lastIndex = 0;
  for (let m = expr.exec(text); m; m = expr.exec(text)) {
    let at = m.index;
    if (HAN_START.test(m[0])) {
      ranges.push([at, at + m[0].length]);
      continue;
    }
    if (m[0].length === 1) {
      // a hyphen: a candidate only after a one-letter word ("e-commerce")
      at -= 1;
      if (at < 0 || BEFORE_WORD.test(text[at]!) || !startsWord(text, at)) continue;
    } else if (!startsWord(text, at)) {
      continue;
    }
    WORD_AT.lastIndex = at;
    const word = WORD_AT.exec(text)![0];
    const end = at + word.length;
    if (latinMatches(word, terms)) ranges.push([at, end]);
    if (isHyphen(text.charCodeAt(end))) {
      WORD_AT.lastIndex = end + 1;
      const next = WORD_AT.exec(text)?.[0];
      if (next && !HAN_START.test(next) && latinMatches(word + next, terms)) ranges.push([at, end + 1 + next.length]);
    }
    expr.lastIndex = Math.max(expr.lastIndex, end);
  }
  return merge(ranges);
}

/** Ranges of `text` (already NFKC-normalized) that match, word by word. */
function matchRangesByWord(text: string, terms: MatchTerms): Range[] {
  const ranges: Range[] = [];
  const tokens = runs(text);
  for (const r of [...tokens, ...compounds(text, tokens)]) {
    if (r.han) {
      const covered = new Array<boolean>(r.text.length).fill(false);
      for (const w of terms.han) {
        for (let at = r.text.indexOf(w); at !== -1; at = r.text.indexOf(w, at + w.length)) {
          for (let i = at; i < at + w.length; i++) covered[i] = true;
        }
      }
      let i = 0;
      while (i < covered.length) {
        if (!covered[i]) {
          i++;
          continue;
        }
        let j = i;
        while (j < covered.length && covered[j]) j++;
        ranges.push([r.start + i, r.start + j]);
        i = j;
      }
    } else if (latinMatches(r.text, terms)) {
      ranges.push([r.start, r.end]);
    }
  }
  return merge(ranges);
}

function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // a compound and its parts overlap: keep the outermost
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function render(text: string, ranges: Range[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const a = Math.max(s, from);
    const b = Math.min(e, to);
    out += escapeHtml(text.slice(at, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    at = b;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text, escaped, with matches marked (for titles). */
export function highlightAll(text: string | null | undefined, terms: MatchTerms): string {
  if (!text) return '';
  const t = text.normalize('NFKC');
  return render(t, matchRanges(t, terms), 0, t.length);
}

/**
 * Text as snippets show it: NFKC-normalized (full-width letters and digits become ASCII, as the
 * index reads them), every run of white space one space. The index stores summaries and bodies
 * in this form, so that building a page of snippets normalizes nothing.
 */
export const snippetText = (text: string) => text.normalize('NFKC').replace(/\s+/g, ' ').trim();

/** The start of `text` (in snippetText form), escaped, `…` where it was cut. */
export function plainSnippet(text: string, size = 160): string {
  return escapeHtml(text.slice(0, size)) + (text.length > size ? '…' : '');
}

/**
 * The best window of `text` (in snippetText form), about `size` characters, escaped, matches
 * marked, `…` where text was cut; null when nothing in it matches.
 */
export function markedSnippet(text: string, terms: MatchTerms, size = 160): string | null {
  const ranges = matchRanges(text, terms);
  if (!ranges.length) return null;
  // Chinese carries about twice the meaning per character: show a shorter window.
  const width = /\p{Script=Han}/u.test(text) ? Math.round(size * 0.6) : size;
  let best = 0;
  let bestCount = -1;
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges[i]![0];
    let count = 0;
    for (let j = i; j < ranges.length && ranges[j]![1] <= start + width; j++) count++;
    if (count > bestCount) [best, bestCount] = [i, count];
  }
  let from = Math.max(0, ranges[best]![0] - Math.round(width / 4));
  if (from > 0) {
    // start on a word boundary: the first space after the cut, if it comes before the match
    const space = text.indexOf(' ', from);
    if (space !== -1 && space < ranges[best]![0]) from = space + 1;
  }
  let to = Math.min(text.length, from + width);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > ranges[best]![1]) to = space;
  }
  return (from > 0 ? '…' : '') + render(text, ranges, from, to) + (to < text.length ? '…' : '');
}
