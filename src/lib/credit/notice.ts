/**
 * Public notice (公示): a decided grade is public for the scheme's notice days and anyone signed in
 * may object. What stops a grant: the notice has not closed, or an objection has no disposition
 * (the same gate as standards' comment resolution). The public reads here: the list of current
 * notices, one notice, and its Atom feed. Objectors are never named in any of them.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditAssessments as a, creditObjections, creditSchemes, organizations } from '@db/schema';
import { NotFound } from '~/lib/errors';
import { clauseAnchor } from '~/lib/standards/clauses';

type Assessment = typeof a.$inferSelect;

export const NOTICES_PER_PAGE = 20;

/** One rule for which assessments have a public notice page: on notice now, or granted after one. */
export const noticePublic: SQL = and(isNotNull(a.noticeOpensAt), or(eq(a.state, 'public_notice'), eq(a.state, 'granted')))!;

/** Objections of the assessment still waiting for the body's disposition. */
export function undisposedObjections(db: DbOrTx, assessmentId: number): number {
  return db
    .select({ n: count() })
    .from(creditObjections)
    .where(and(eq(creditObjections.assessmentId, assessmentId), isNull(creditObjections.decision)))
    .get()!.n;
}

/** Why the assessment cannot be granted yet (an English message with a dictionary entry), or null. */
export function grantBlocker(db: DbOrTx, assessment: Assessment, now: Date): string | null {
  if (assessment.noticeClosesAt && now < assessment.noticeClosesAt) return 'The public notice is still open: a grade is granted only after its last day.';
  if (undisposedObjections(db, assessment.id) > 0) return 'An objection has no disposition yet: the committee disposes of every objection before a grade is granted.';
  return null;
}

/** Whether objections are still taken: on notice and before the notice closes. */
export const objectionsOpen = (assessment: Pick<Assessment, 'state' | 'noticeClosesAt'>, now: Date) =>
  assessment.state === 'public_notice' && !!assessment.noticeClosesAt && now < assessment.noticeClosesAt;

const summaryColumns = {
  id: a.id,
  grade: a.grade,
  computedGrade: a.computedGrade,
  score: a.score,
  state: a.state,
  noticeOpensAt: a.noticeOpensAt,
  noticeClosesAt: a.noticeClosesAt,
  entitySlug: organizations.slug,
  entityName: organizations.name,
  entityNameZh: organizations.nameZh,
  creditCode: organizations.creditCode,
  schemeId: creditSchemes.id,
  schemeName: creditSchemes.name,
  schemeNameZh: creditSchemes.nameZh,
};

interface SummaryRow {
  id: number;
  grade: string | null;
  computedGrade: string | null;
  noticeOpensAt: Date | null;
  noticeClosesAt: Date | null;
  entitySlug: string;
  entityName: string;
  entityNameZh: string | null;
  creditCode: string | null;
  schemeId: number;
  schemeName: string;
  schemeNameZh: string | null;
}

function noticeSummary(r: SummaryRow) {
  return {
    id: r.id,
    company: { slug: r.entitySlug, name: r.entityName, nameZh: r.entityNameZh, creditCode: r.creditCode },
    scheme: { id: r.schemeId, name: r.schemeName, nameZh: r.schemeNameZh },
    grade: r.grade ?? '',
    /** The committee decided another grade than the scheme computed. */
    adjusted: !!r.grade && r.grade !== r.computedGrade,
    noticeOpensAt: r.noticeOpensAt!.toISOString(),
    noticeClosesAt: r.noticeClosesAt?.toISOString() ?? null,
  };
}
export type NoticeSummary = ReturnType<typeof noticeSummary>;

/** Current public notices, the latest opened first. */
export function listNotices(db: DbOrTx, { page = 1 }: { page?: number } = {}) {
  const where = and(noticePublic, eq(a.state, 'public_notice'));
  const rows = db
    .select(summaryColumns)
    .from(a)
    .innerJoin(organizations, eq(organizations.id, a.entityId))
    .innerJoin(creditSchemes, eq(creditSchemes.id, a.schemeId))
    .where(where)
    .orderBy(desc(a.noticeOpensAt), desc(a.id))
    .limit(NOTICES_PER_PAGE)
    .offset((page - 1) * NOTICES_PER_PAGE)
    .all();
  const total = db.select({ n: count() }).from(a).where(where).get()!.n;
  return { items: rows.map(noticeSummary), total, page, perPage: NOTICES_PER_PAGE };
}

/** Counts anyone may see, and the dispositions without their authors or the objections' words. */
export function objectionCounts(db: DbOrTx, assessmentIds: number[]) {
  const counts = new Map<number, { total: number; disposed: number }>();
  if (!assessmentIds.length) return counts;
  const rows = db
    .select({ id: creditObjections.assessmentId, total: count(), disposed: sql<number>`sum(${creditObjections.decision} IS NOT NULL)` })
    .from(creditObjections)
    .where(inArray(creditObjections.assessmentId, assessmentIds))
    .groupBy(creditObjections.assessmentId)
    .all();
  for (const r of rows) counts.set(r.id, { total: r.total, disposed: Number(r.disposed) });
  return counts;
}

/**
 * One public notice: the proposed grade, the points per indicator linked to the standard's
 * clauses, the deadline, the objection counts and the dispositions. 404 for an assessment that
 * was never on notice.
 */
export function noticeDetail(db: DbOrTx, assessmentId: number, now = new Date()) {
  const row = db
    .select({ ...summaryColumns, scores: a.scores, indicators: creditSchemes.indicators, standardId: creditSchemes.standardId, standardNumber: creditSchemes.standardNumber, standardVersion: creditSchemes.standardVersion, bodyId: creditSchemes.organizationId, entityId: a.entityId })
    .from(a)
    .innerJoin(organizations, eq(organizations.id, a.entityId))
    .innerJoin(creditSchemes, eq(creditSchemes.id, a.schemeId))
    .where(and(eq(a.id, assessmentId), noticePublic))
    .get();
  if (!row) throw new NotFound('No public notice has that number.');
  const body = db.select({ name: organizations.name, nameZh: organizations.nameZh, slug: organizations.slug }).from(organizations).where(eq(organizations.id, row.bodyId)).get()!;
  const indicators = row.indicators.map((i) => ({
    key: i.key,
    label: i.label,
    labelZh: i.labelZh ?? null,
    clause: i.clause,
    maxPoints: i.maxPoints,
    points: row.scores?.[i.key]?.points ?? null,
    href: `/standards/${row.standardId}#${clauseAnchor(i.clause)}`,
  }));
  const dispositions = db
    .select({ id: creditObjections.id, decision: creditObjections.decision, reason: creditObjections.dispositionReason, disposedAt: creditObjections.disposedAt })
    .from(creditObjections)
    .where(and(eq(creditObjections.assessmentId, row.id), isNotNull(creditObjections.decision)))
    .orderBy(asc(creditObjections.id))
    .all()
    .map((d) => ({ id: d.id, decision: d.decision!, reason: d.reason ?? '', disposedAt: d.disposedAt!.toISOString() }));
  const counts = objectionCounts(db, [row.id]).get(row.id) ?? { total: 0, disposed: 0 };
  return {
    ...noticeSummary(row),
    state: row.state,
    bodyId: row.bodyId,
    entityId: row.entityId,
    body,
    standard: { id: row.standardId, number: row.standardNumber, version: row.standardVersion },
    score: row.score,
    maxScore: indicators.reduce((s, i) => s + i.maxPoints, 0),
    indicators,
    objections: counts,
    dispositions,
    open: objectionsOpen({ state: row.state, noticeClosesAt: row.noticeClosesAt }, now),
  };
}
export type NoticeDetail = ReturnType<typeof noticeDetail>;

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The Atom feed (RFC 4287) of current public notices, in one language; every text is XML-escaped. */
export function noticesFeed(db: DbOrTx, origin: string, lang: 'zh-cn' | 'en'): string {
  const { items } = listNotices(db);
  const prefix = lang === 'en' ? '/en' : '';
  const host = new URL(origin).hostname;
  const updated = items.reduce((m, i) => Math.max(m, Date.parse(i.noticeOpensAt)), 0);
  const self = `${origin}/credit/notices.atom${lang === 'en' ? '?lang=en' : ''}`;
  const entries = items.map((n) => {
    const company = lang === 'en' ? n.company.name : (n.company.nameZh ?? n.company.name);
    const scheme = lang === 'en' ? n.scheme.name : (n.scheme.nameZh ?? n.scheme.name);
    const until = n.noticeClosesAt ? n.noticeClosesAt.slice(0, 10) : '';
    const title = lang === 'en' ? `${company}: proposed grade ${n.grade}` : `${company}：拟评定等级 ${n.grade}`;
    const adjusted = n.adjusted ? (lang === 'en' ? ' · adjusted by the committee' : ' · 经评审委员会调整') : '';
    const summary = `${scheme}${n.company.creditCode ? ` · ${n.company.creditCode}` : ''}${adjusted}${until ? (lang === 'en' ? ` · objections until ${until}` : ` · 异议截止 ${until}`) : ''}`;
    return `  <entry>
    <id>tag:${xml(host)},2026:credit-notice-${n.id}</id>
    <title>${xml(title)}</title>
    <link rel="alternate" type="text/html" href="${xml(`${origin}${prefix}/credit/notices/${n.id}`)}"/>
    <published>${n.noticeOpensAt}</published>
    <updated>${n.noticeOpensAt}</updated>
    <summary>${xml(summary)}</summary>
  </entry>`;
  });
  const feedTitle = lang === 'en' ? 'Credit grades on public notice' : '信用等级评价公示';
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang === 'en' ? 'en' : 'zh-CN'}">
  <id>${xml(self)}</id>
  <title>${xml(feedTitle)}</title>
  <updated>${new Date(updated || Date.now()).toISOString()}</updated>
  <author><name>Shanghai Cross-border E-commerce Portal</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}${prefix}/credit/notices`)}"/>
${entries.join('\n')}
</feed>
`;
}

/** A notice in the API: what the page shows, without the ids only the pages use. */
export function noticeJson(d: NoticeDetail) {
  const { bodyId: _body, entityId: _entity, body, ...rest } = d;
  return { ...rest, body: { slug: body.slug, name: body.name, nameZh: body.nameZh } };
}
