/**
 * Open data (issue 18): the settlement theme, in aggregate only.
 *
 * Counted are submitted cases (a reference number; drafts never count). A case's state is the one
 * its applicant is told (`publicState`): a recommendation is internal, so both recommended states
 * count as "awaiting decision". Nothing else about a case is read: no answers, names, documents,
 * notes, reasons or officers.
 *
 * Small cells (issue 18: "any cell under 10") are withheld by the runtime (Column.suppress), and
 * no published figure lets anyone recover a withheld one by subtraction:
 * - applications by route and state publish no totals, per route or per state;
 * - a median is withheld unless at least 10 decisions stand behind it, a count not published;
 * - a rate is published only when the counts it is made of, and what is left of its denominator,
 *   are each at least 10: approval (approved / decided) needs approved and refused cases; the lapse
 *   and information-request rates, over closed cases (approved, refused, withdrawn, lapsed), need
 *   each of those four, and the information-request rate also 10 closed cases that were asked and
 *   10 that were not. A published rate then only restates cells already shown, so the totals it
 *   implies are sums of published cells. Those counts are computed keys, never columns.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import { APPLICATION_STATES } from '@db/schema';
import { SETTLEMENT_ROUTES } from '@db/seed/settlement';
import { useTranslations } from '~/i18n';
import { publicState, type PublicState } from '~/lib/settlement/policy';
import type { Column, Dataset, Localized, Row } from '../types';

/** The states a submitted case can be in, as its applicant is told them, in lifecycle order. */
export const PUBLIC_STATES: PublicState[] = [...new Set(APPLICATION_STATES.filter((s) => s !== 'draft').map((s) => publicState(s)))];
const CLOSED = ['approved', 'refused', 'withdrawn', 'lapsed'] as const;

const zh = useTranslations('zh-cn');
const en = useTranslations('en');
const both = (key: string): Localized => ({ 'zh-cn': zh(key), en: en(key) });

const routeColumn: Column = {
  key: 'route',
  type: 'string',
  label: { 'zh-cn': '落户渠道', en: 'Route' },
  meaning: { 'zh-cn': '申请的落户渠道（代码）。', en: 'The settlement route applied under (a code).' },
  codes: Object.fromEntries(SETTLEMENT_ROUTES.map((r) => [r.slug, { 'zh-cn': r.nameZh, en: r.name }])),
};

/** Every route, in the order the site lists them, so a route with no cases still shows its (withheld) cells. */
function routeSlugs(db: Db): string[] {
  return db.all<{ slug: string }>(sql`select slug from settlement_routes order by sort, id`).map((r) => r.slug);
}

/** Submitted cases per route and state as the applicant is told it. */
function countsByRouteAndState(db: Db): Map<string, number> {
  const rows = db.all<{ route: string; state: string; n: number }>(sql`
    select r.slug as route,
           case when a.state in ('recommended_approve', 'recommended_refuse') then 'awaiting_decision' else a.state end as state,
           count(*) as n
    from settlement_applications a join settlement_routes r on r.id = a.route_id
    where a.reference is not null and a.state <> 'draft'
    group by 1, 2`);
  return new Map(rows.map((r) => [`${r.route}|${r.state}`, r.n]));
}

const applicationsByState: Dataset = {
  id: 'settlement-applications-by-state',
  theme: 'settlement',
  title: { 'zh-cn': '各落户渠道按状态统计的申请数', en: 'Settlement applications by route and state' },
  description: {
    'zh-cn': '已提交的落户申请按渠道和当前状态（申请人所见的状态）统计。少于 10 件的单元格不予公布，也不公布合计。',
    en: 'Submitted settlement applications by route and current state (the state as the applicant is told it). Cells under 10 are withheld, and no totals are published.',
  },
  columns: [
    routeColumn,
    {
      key: 'state',
      type: 'string',
      label: { 'zh-cn': '状态', en: 'State' },
      meaning: { 'zh-cn': '申请的当前状态（代码）；“待审批”包括内部建议阶段。', en: 'The application’s current state (a code); “awaiting decision” includes the internal recommendation.' },
      codes: Object.fromEntries(PUBLIC_STATES.map((s) => [s, both(`settlement.state.${s}`)])),
    },
    {
      key: 'applications',
      type: 'integer',
      label: { 'zh-cn': '申请数', en: 'Applications' },
      meaning: { 'zh-cn': '处于该状态的已提交申请数；少于 10 件不予公布。', en: 'Submitted applications in this state; withheld when under 10.' },
      suppress: {},
    },
  ],
  chart: { kind: 'bar', x: 'state', y: ['applications'] },
  compute(db) {
    const counts = countsByRouteAndState(db);
    return routeSlugs(db).flatMap((route) => PUBLIC_STATES.map((state) => ({ route, state, applications: counts.get(`${route}|${state}`) ?? 0 })));
  },
};

const DAY_MS = 86_400_000;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const decisionTimes: Dataset = {
  id: 'settlement-decision-times',
  theme: 'settlement',
  title: { 'zh-cn': '各落户渠道从提交到决定的天数中位数', en: 'Median days from submission to decision by route' },
  description: {
    'zh-cn': '已作出决定（批准或不予批准）的申请，从首次提交到决定的日历天数中位数，保留一位小数。决定少于 10 件的渠道不予公布。',
    en: 'Median calendar days from first submission to decision (approval or refusal) over decided applications, to one decimal. Withheld for a route with fewer than 10 decisions.',
  },
  columns: [
    routeColumn,
    {
      key: 'median_days',
      type: 'number',
      label: { 'zh-cn': '天数中位数', en: 'Median days' },
      meaning: { 'zh-cn': '从首次提交到决定的日历天数中位数；决定少于 10 件时不予公布。', en: 'Median calendar days from first submission to decision; withheld when there are fewer than 10 decisions.' },
      suppress: { by: 'decisions' },
    },
  ],
  chart: { kind: 'bar', x: 'route', y: ['median_days'] },
  compute(db) {
    const decided = db.all<{ route: string; ms: number }>(sql`
      select r.slug as route, a.decided_at - a.submitted_at as ms
      from settlement_applications a join settlement_routes r on r.id = a.route_id
      where a.state in ('approved', 'refused') and a.reference is not null and a.decided_at is not null and a.submitted_at is not null`);
    return routeSlugs(db).map((route): Row => {
      const days = decided.filter((d) => d.route === route).map((d) => d.ms / DAY_MS);
      const m = median(days);
      return { route, median_days: m === null ? null : Math.round(m * 10) / 10, decisions: days.length };
    });
  },
};

const rate = (part: number, whole: number) => (whole ? part / whole : null);

const outcomeRates: Dataset = {
  id: 'settlement-outcome-rates',
  theme: 'settlement',
  title: { 'zh-cn': '各落户渠道的批准率、补充信息率和逾期失效率', en: 'Approval, information-request and lapse rates by route' },
  description: {
    'zh-cn': '批准率为已批准占已决定（批准与不予批准）之比；补充信息率和逾期失效率以已结案申请（批准、不予批准、撤回、逾期失效）为分母。构成某一比率的各项件数均不少于 10 件时才公布该比率。',
    en: 'Approval rate: approved among decided (approved or refused). Information-request and lapse rates: among closed applications (approved, refused, withdrawn, lapsed). A rate is published only when every count it is made of is at least 10.',
  },
  columns: [
    routeColumn,
    {
      key: 'approval_rate',
      type: 'rate',
      label: { 'zh-cn': '批准率', en: 'Approval rate' },
      meaning: { 'zh-cn': '已批准件数 ÷ 已决定件数（0–1）；已批准或不予批准少于 10 件时不予公布。', en: 'Approved ÷ decided (0–1); withheld when approved or refused cases are under 10.' },
      suppress: { by: 'approval_basis' },
    },
    {
      key: 'information_request_rate',
      type: 'rate',
      label: { 'zh-cn': '补充信息率', en: 'Information-request rate' },
      meaning: {
        'zh-cn': '曾被要求补充信息的已结案件数 ÷ 已结案件数（0–1）；任一构成件数少于 10 件时不予公布。',
        en: 'Closed cases asked for information at least once ÷ closed cases (0–1); withheld when any count it is made of is under 10.',
      },
      suppress: { by: 'request_basis' },
    },
    {
      key: 'lapse_rate',
      type: 'rate',
      label: { 'zh-cn': '逾期失效率', en: 'Lapse rate' },
      meaning: { 'zh-cn': '逾期失效件数 ÷ 已结案件数（0–1）；任一结案状态少于 10 件时不予公布。', en: 'Lapsed ÷ closed cases (0–1); withheld when any closing state has under 10 cases.' },
      suppress: { by: 'closed_basis' },
    },
  ],
  chart: { kind: 'bar', x: 'route', y: ['approval_rate', 'information_request_rate', 'lapse_rate'] },
  compute(db) {
    const counts = countsByRouteAndState(db);
    const asked = new Map(
      db
        .all<{ route: string; n: number }>(sql`
          select r.slug as route, count(*) as n
          from settlement_applications a join settlement_routes r on r.id = a.route_id
          where a.reference is not null and a.state in ('approved', 'refused', 'withdrawn', 'lapsed')
            and exists (select 1 from settlement_events e where e.application_id = a.id and e.to_state = 'information_requested')
          group by 1`)
        .map((r) => [r.route, r.n]),
    );
    return routeSlugs(db).map((route): Row => {
      const n = (state: string) => counts.get(`${route}|${state}`) ?? 0;
      const closed = CLOSED.reduce((sum, s) => sum + n(s), 0);
      const closedBasis = Math.min(...CLOSED.map(n));
      const a = asked.get(route) ?? 0;
      return {
        route,
        approval_rate: rate(n('approved'), n('approved') + n('refused')),
        information_request_rate: rate(a, closed),
        lapse_rate: rate(n('lapsed'), closed),
        approval_basis: Math.min(n('approved'), n('refused')),
        closed_basis: closedBasis,
        request_basis: Math.min(closedBasis, a, closed - a),
      };
    });
  },
};

export const settlementDatasets: Dataset[] = [applicationsByState, decisionTimes, outcomeRates];
