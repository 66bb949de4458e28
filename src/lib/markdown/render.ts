/**
 * The one Markdown renderer. marked does not sanitize, so its HTML always passes through
 * sanitize-html with an allow-list: no scripts, no event handlers, no iframes or SVG, and links
 * only to http(s), mailto and in-page anchors.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { useTranslations, type Lang } from '~/i18n';
import { ContentCache } from '~/lib/memo';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong',
  'del', 's', 'sup', 'sub', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'dl', 'dt', 'dd', 'abbr', 'kbd', 'span', 'input',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'id', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    code: ['class'],
    span: ['id'],
    h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
    ol: ['start'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '')
        ? { ...attribs, rel: 'nofollow noopener noreferrer ugc' }
        : attribs,
    }),
    input: (tagName, attribs) =>
      attribs.type === 'checkbox' ? { tagName, attribs: { ...attribs, disabled: '' } } : { tagName: 'span', attribs: {} },
  },
};

export interface RenderOptions {
  /**
   * The highest level a heading in the document may have: when the document's own top heading is
   * above it, every heading moves down by the difference (capped at h6), keeping the outline.
   * Every page has its own `<h1>`, so the default is 2: a draft's `# Title` becomes an h2 (and its
   * `##` an h3), while a document that starts at `##` is left as written.
   */
  headingLevel?: number;
  /** The page's language, for the label of code blocks (scrollable regions a keyboard can reach). */
  lang?: Lang;
}

/** Marks the div renderMarkdown puts around each table, so that a wide table scrolls on its own. */
const TABLE_WRAPPER = 'data-table-wrapper';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

/**
 * Sanitize options that also move every heading `shift` levels down (never below h6) and make
 * code blocks, which scroll sideways, reachable and named for keyboard and screen-reader users.
 */
const variants = new Map<string, sanitizeHtml.IOptions>();
function sanitizeOptions(shift: number, lang: Lang): sanitizeHtml.IOptions {
  const key = `${shift}|${lang}`;
  let options = variants.get(key);
  if (!options) {
    const moves = Object.fromEntries(
      HEADINGS.map((tag, i) => [tag, (_: string, attribs: sanitizeHtml.Attributes) => ({ tagName: HEADINGS[Math.min(5, i + shift)]!, attribs })]),
    );
    const t = useTranslations(lang);
    const region = (label: string) => ({ tabindex: '0', role: 'region', 'aria-label': t(label) });
    options = {
      ...SANITIZE,
      allowedTags: [...ALLOWED_TAGS, 'div'],
      allowedAttributes: { ...SANITIZE.allowedAttributes, pre: ['tabindex', 'role', 'aria-label'], div: ['class', 'tabindex', 'role', 'aria-label'] },
      transformTags: {
        ...SANITIZE.transformTags,
        ...moves,
        pre: () => ({ tagName: 'pre', attribs: region('common.codeBlock') }),
        // our wrapper around each table (see renderMarkdown); any other div keeps no attributes
        div: (_, attribs) => ({ tagName: 'div', attribs: TABLE_WRAPPER in attribs ? { class: 'table-scroll', ...region('common.table') } : {} }),
      },
    };
    variants.set(key, options);
  }
  return options;
}

/**
 * Rendered HTML by its source and options: pages render the same immutable texts (published
 * versions, clauses, descriptions) on every request, and parsing plus sanitizing is most of a
 * long document's cost. Keyed by the Markdown itself, so an edit is simply a new entry.
 */
const rendered = new ContentCache<string>(32_000_000, (html) => html.length);

/** Renders user-written Markdown to safe HTML, its headings below the page's own (see RenderOptions). */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): string {
  const level = Math.trunc(options.headingLevel ?? 2);
  const lang = options.lang ?? 'zh-cn';
  return rendered.get(`${level}|${lang}|${markdown ?? ''}`, () => render(markdown ?? '', level, lang));
}

function render(markdown: string, headingLevel: number, lang: Lang): string {
  const html = (marked.parse(markdown) as string)
    .replace(/<table(?=[\s>])/gi, `<div ${TABLE_WRAPPER}><table`)
    .replace(/<\/table>/gi, '</table></div>');
  const top = Math.min(7, ...[...html.matchAll(/<h([1-6])[\s>]/gi)].map((m) => Number(m[1])));
  const shift = Math.min(5, Math.max(0, headingLevel - top));
  return sanitizeHtml(html, sanitizeOptions(shift, lang));
}

/** Sanitizes HTML that some other trusted step produced (for example a rendered diff). */
export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Plain text of a Markdown document, for search indexing and summaries. */
export function markdownToText(markdown: string): string {
  return texts.get(markdown ?? '', () => toText(markdown ?? ''));
}

/** Plain texts by their source, for the excerpts list pages show on every request. */
const texts = new ContentCache<string>(8_000_000, (text) => text.length);

function toText(markdown: string): string {
  const html = marked.parse(markdown) as string;
  // Without `<` or `&` in the source, every tag in the HTML is one marked wrote (attribute values
  // escaped, no comments, scripts or entities of the author's) and the only entities are marked's
  // own escapes: dropping the tags and decoding those gives what the sanitizer would, at a
  // fraction of the cost (a 50 KB finding: about 3 ms less each time it is indexed).
  const text = /[<&]/.test(markdown)
    ? sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    : html.replace(/<[^>]*>/g, '');
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
