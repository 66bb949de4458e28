/**
 * The live badge a rated company embeds in its shop (`<img src=".../credit/{number}/badge.svg">`):
 * the body's code, the grade and the status in words, and that the portal verifies it. It is the
 * hottest public path, so src/cli/serve.mjs answers it without Astro (src/direct-routes.ts): one
 * indexed query, a strong ETag from the certificate's id, last change and language, and a short
 * max-age, so a repeat view costs a 304 and a change (a suspension) shows within five minutes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CertificateState } from '@db/schema';
import { getDb, type DbOrTx } from '@db/client';
import { preferredLang, useTranslations, type Lang } from '~/i18n';
import type { JsonReply } from '~/lib/http/api';
import { ifNoneMatchHits } from '~/lib/http/conditional';
import { prepared } from '~/lib/search/statements';
import { escapeHtml as escapeXml } from '~/lib/search/highlight';
import { refreshCertificate } from './certificates';
import { looksLikeNumber, normalizeNumber, stateTone } from './public';

/** Bumped when the badge's drawing changes, so caches holding the old drawing revalidate to the new. */
const DRAWING = 1;
export const BADGE_CACHE = 'public, max-age=300';

/** Background colours with white text at a contrast of at least 4.5:1 (WCAG AA), one per tone. */
const TONE_FILL = { ok: '#116329', warn: '#7a4b00', danger: '#b42318', ended: '#57606a' } as const;

interface BadgeRow {
  id: number;
  number: string;
  grade: string;
  state: CertificateState;
  updated_at: number;
  body_code: string | null;
  body_name: string;
}

function badgeRow(db: DbOrTx, number: string): BadgeRow | undefined {
  return prepared(
    db,
    `SELECT c.id, c.number, c.grade, c.state, c.updated_at, b.code AS body_code, b.name AS body_name
       FROM credit_certificates c JOIN organizations b ON b.id = c.organization_id
      WHERE c.number = ?`,
  ).get(number) as BadgeRow | undefined;
}

/** `?lang=en|zh-cn` wins; otherwise the browser's Accept-Language, Chinese by default. */
export function badgeLang(langParam: string | null, acceptLanguage: string | null | undefined): Lang {
  if (langParam === 'en') return 'en';
  if (langParam === 'zh-cn' || langParam === 'zh') return 'zh-cn';
  return preferredLang(acceptLanguage ?? null);
}

/** If-None-Match against one strong tag (weak comparison, as RFC 9110 asks for If-None-Match). */
export const matchesTag = ifNoneMatchHits;

export function badgeSvg(row: Pick<BadgeRow, 'number' | 'grade' | 'state' | 'body_code' | 'body_name'>, lang: Lang): string {
  const t = useTranslations(lang);
  const status = t(`credit.public.state.${row.state}`);
  const body = row.body_code ?? row.body_name;
  const fill = TONE_FILL[stateTone(row.state)];
  const verified = t('credit.public.badge.verified');
  const label = t('credit.public.badge.label', { body, grade: row.grade, status, number: row.number });
  const font = `font-family="system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48" viewBox="0 0 200 48" role="img" aria-label="${escapeXml(label)}">` +
    `<title>${escapeXml(label)}</title>` +
    `<rect x="0.5" y="0.5" width="199" height="47" rx="5" fill="#ffffff" stroke="${fill}"/>` +
    `<rect width="64" height="48" rx="5" fill="${fill}"/>` +
    `<text x="32" y="24" ${font} font-size="18" font-weight="700" fill="#ffffff" text-anchor="middle">${escapeXml(row.grade)}</text>` +
    `<text x="32" y="40" ${font} font-size="11" fill="#ffffff" text-anchor="middle">${escapeXml(status)}</text>` +
    `<text x="72" y="20" ${font} font-size="12" font-weight="700" fill="#1b1f24">${escapeXml(t('credit.public.badge.title', { body }))}</text>` +
    `<text x="72" y="37" ${font} font-size="11" fill="#57606a">${escapeXml(verified)}</text>` +
    `</svg>`
  );
}

export interface BadgeRequest {
  langParam: string | null;
  acceptLanguage?: string | null;
  ifNoneMatch?: string | null;
}

/** The badge's answer: 200 with the SVG, 304 when the browser's copy is current, 404 for an unknown number. */
export function badgeReply(db: DbOrTx, rawNumber: string, req: BadgeRequest, now = new Date()): JsonReply {
  const lang = badgeLang(req.langParam, req.acceptLanguage);
  // Embedded in other sites' pages: their <img> must be allowed to load it.
  const headers: Record<string, string> = { 'cross-origin-resource-policy': 'cross-origin' };
  if (!req.langParam) headers.vary = 'Accept-Language';
  const number = normalizeNumber(rawNumber);
  if (looksLikeNumber(number)) refreshCertificate(db, number, now);
  const row = looksLikeNumber(number) ? badgeRow(db, number) : undefined;
  if (!row) {
    const text = useTranslations(lang)('credit.public.badge.notFound');
    const body =
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48" viewBox="0 0 200 48" role="img" aria-label="${escapeXml(text)}">` +
      `<rect x="0.5" y="0.5" width="199" height="47" rx="5" fill="#ffffff" stroke="#57606a"/>` +
      `<text x="100" y="29" font-family="system-ui,sans-serif" font-size="12" fill="#1b1f24" text-anchor="middle">${escapeXml(text)}</text></svg>`;
    return { status: 404, body, headers: { ...headers, 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=60' } };
  }
  const etag = `"b${DRAWING}-${row.id}-${row.updated_at}-${lang}"`;
  headers.etag = etag;
  headers['cache-control'] = BADGE_CACHE;
  if (matchesTag(req.ifNoneMatch, etag)) return { status: 304, body: null, headers };
  return { status: 200, body: badgeSvg(row, lang), headers: { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' } };
}

/** The direct route of src/direct-routes.ts: `/credit/{number}/badge.svg`. */
export function badgeRead(match: RegExpExecArray, params: URLSearchParams, headers: IncomingHttpHeaders): JsonReply {
  const accept = headers['accept-language'];
  const inm = headers['if-none-match'];
  return badgeReply(getDb(), match[1]!, {
    langParam: params.get('lang'),
    acceptLanguage: Array.isArray(accept) ? accept.join(',') : accept,
    ifNoneMatch: Array.isArray(inm) ? inm.join(',') : inm,
  });
}
