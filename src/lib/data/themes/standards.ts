/**
 * Open data (issue 18): the standards theme's datasets.
 *
 * Public here means what an anonymous reader of /standards sees (`standardVisibleTo(null)`,
 * src/lib/standards/policy.ts): standards from the moment they reached public comment, and for
 * good after (even when later sent back to drafting, or abandoned). Drafts still in committee
 * before public comment are the body's business and are never counted, not even in a stage total.
 * Comments and votes are counted only on public standards, and only as counts: their text, their
 * authors and voters' names stay on the standard's own page.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import { DISPOSITIONS, memberships, STANDARD_STATES, standardComments, standards, standardTransitions, standardVersions, standardVotes, type StandardState } from '@db/schema';
import { DAY_MS, REVIEW_DUE_STATES, REVIEW_INTERVAL_YEARS, STAGE_CODES, TRANSITIONS } from '~/lib/standards/lifecycle';
import { standardVisibleTo } from '~/lib/standards/policy';
import type { Column, Dataset, Localized } from '../types';
import { median, rate, shanghaiYear, yearsBetween } from '../periods';

const STATE_CODES: Record<StandardState, Localized> = {
  proposed: { 'zh-cn': '提案', en: 'Proposed' },
  project_approved: { 'zh-cn': '已立项', en: 'Project approved' },
  drafting: { 'zh-cn': '起草', en: 'Drafting' },
  member_consultation: { 'zh-cn': '会员征求意见', en: 'Member consultation' },
  public_comment: { 'zh-cn': '公开征求意见', en: 'Public comment' },
  comment_resolution: { 'zh-cn': '意见处理', en: 'Comment resolution' },
  review_ballot: { 'zh-cn': '审查投票', en: 'Review ballot' },
  approved: { 'zh-cn': '已批准', en: 'Approved' },
  published: { 'zh-cn': '已发布', en: 'Published' },
  under_review: { 'zh-cn': '复审', en: 'Under review' },
  confirmed: { 'zh-cn': '确认继续有效', en: 'Confirmed' },
  revised: { 'zh-cn': '修订', en: 'To be revised' },
  withdrawn: { 'zh-cn': '已废止', en: 'Withdrawn' },
  abandoned: { 'zh-cn': '已终止', en: 'Abandoned' },
};

/** The states a public standard can be in: public comment and every state reachable from it. */
export const PUBLIC_STATES: StandardState[] = (() => {
  const reached = new Set<StandardState>(['public_comment']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of TRANSITIONS) {
      if (reached.has(t.from) && !reached.has(t.to)) {
        reached.add(t.to);
        grew = true;
      }
    }
  }
  return STANDARD_STATES.filter((s) => reached.has(s));
})();

/** Every ISO stage code a standard can carry, with its stage's name: abandoned drafts carry NN.98 of the stage they left. */
const STAGE_CODE_LABELS: Record<string, Localized> = (() => {
  const labels: Record<string, Localized> = {};
  const label = (code: string, state: StandardState): Localized => ({ 'zh-cn': `${code} ${STATE_CODES[state]['zh-cn']}`, en: `${code} ${STATE_CODES[state].en}` });
  for (const state of STANDARD_STATES) if (state !== 'abandoned') labels[STAGE_CODES[state]] = label(STAGE_CODES[state], state);
  for (const t of TRANSITIONS) if (t.to === 'abandoned') labels[`${STAGE_CODES[t.from].slice(0, 2)}.98`] = label(`${STAGE_CODES[t.from].slice(0, 2)}.98`, 'abandoned');
  return labels;
})();

const DISPOSITION_CODES: Record<(typeof DISPOSITIONS)[number] | 'pending', Localized> = {
  accepted: { 'zh-cn': '采纳', en: 'Accepted' },
  partially_accepted: { 'zh-cn': '部分采纳', en: 'Partially accepted' },
  not_accepted: { 'zh-cn': '不采纳', en: 'Not accepted' },
  noted: { 'zh-cn': '备注', en: 'Noted' },
  pending: { 'zh-cn': '待处理', en: 'Pending' },
};

/** Bands of comments received by one draft. */
export const COMMENT_BANDS = [
  { code: '0', min: 0, max: 0 },
  { code: '1-9', min: 1, max: 9 },
  { code: '10-49', min: 10, max: 49 },
  { code: '50-99', min: 50, max: 99 },
  { code: '100+', min: 100, max: Infinity },
] as const;
const BAND_CODES: Record<string, Localized> = {
  '0': { 'zh-cn': '无意见', en: 'None' },
  '1-9': { 'zh-cn': '1–9 条', en: '1–9' },
  '10-49': { 'zh-cn': '10–49 条', en: '10–49' },
  '50-99': { 'zh-cn': '50–99 条', en: '50–99' },
  '100+': { 'zh-cn': '100 条及以上', en: '100 or more' },
};

const isPublic = standardVisibleTo(null);

function standardsByStage(db: Db) {
  const rows = db.all<{ state: StandardState; stage_code: string; n: number }>(
    sql`SELECT ${standards.state} AS state, ${standards.stageCode} AS stage_code, count(*) AS n FROM ${standards} WHERE ${isPublic} GROUP BY 1, 2`,
  );
  const out = rows.map((r) => ({ stage_code: r.stage_code, state: r.state, standards: r.n }));
  // every stage a public standard can be at is listed, even when none is there today
  for (const state of PUBLIC_STATES) {
    if (state !== 'abandoned' && !out.some((r) => r.state === state)) out.push({ stage_code: STAGE_CODES[state], state, standards: 0 });
  }
  return out.sort((a, b) => a.stage_code.localeCompare(b.stage_code));
}

/** The latest public comment period of each public standard whose period has closed, by the Shanghai year it closed. */
function publicCommentDays(db: Db, now = new Date()) {
  const periods = db.all<{ year: number; days: number }>(
    sql`SELECT ${shanghaiYear(standards.commentClosesAt)} AS year, (${standards.commentClosesAt} - ${standards.commentOpensAt}) * 1.0 / ${DAY_MS} AS days
        FROM ${standards} WHERE ${isPublic} AND ${standards.commentOpensAt} IS NOT NULL AND ${standards.commentClosesAt} <= ${now.getTime()}
        ORDER BY 1, 2`,
  );
  const years = [...new Set(periods.map((p) => p.year))];
  return years.map((year) => {
    const days = periods.filter((p) => p.year === year).map((p) => p.days);
    return { year, standards: days.length, median_days: median(days), min_days: days[0]!, max_days: days.at(-1)! };
  });
}

function commentDispositions(db: Db) {
  const rows = db.all<{ decision: string | null; n: number }>(
    sql`SELECT c.decision AS decision, count(*) AS n FROM ${standardComments} c JOIN ${standards} ON ${standards.id} = c.standard_id WHERE ${isPublic} GROUP BY 1`,
  );
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return (Object.keys(DISPOSITION_CODES) as (keyof typeof DISPOSITION_CODES)[]).map((disposition) => {
    const comments = rows.find((r) => (r.decision ?? 'pending') === disposition)?.n ?? 0;
    return { disposition, comments, share: rate(comments, total) };
  });
}

function commentsPerDraft(db: Db) {
  const bandOf = sql.raw(`CASE ${COMMENT_BANDS.map((b) => (Number.isFinite(b.max) ? `WHEN n <= ${b.max} THEN '${b.code}'` : `ELSE '${b.code}'`)).join(' ')} END`);
  const rows = db.all<{ band: string; drafts: number; comments: number }>(
    sql`SELECT ${bandOf} AS band, count(*) AS drafts, sum(n) AS comments
        FROM (SELECT (SELECT count(*) FROM ${standardComments} c WHERE c.standard_id = ${standards.id}) AS n FROM ${standards} WHERE ${isPublic}) GROUP BY 1`,
  );
  return COMMENT_BANDS.map(({ code }) => {
    const r = rows.find((x) => x.band === code);
    return { comments_band: code, drafts: r?.drafts ?? 0, comments: r?.comments ?? 0 };
  });
}

/**
 * The current review ballot of each public standard that has had one, as its page shows it: the
 * body's voting members who did not draft the standard are eligible, and only their votes in the
 * current round count. Grouped by the Shanghai year the round opened.
 */
function ballotTurnout(db: Db) {
  const rows = db.all<{ year: number; ballots: number; eligible: number; voted: number; approve: number; disapprove: number; abstain: number }>(
    sql`WITH ballot AS (
          SELECT ${standards.id} AS id, ${standards.organizationId} AS organization_id, ${standards.ballotRound} AS round,
            (SELECT max(t.at) FROM ${standardTransitions} t WHERE t.standard_id = ${standards.id} AND t.to_state = 'review_ballot') AS opened
          FROM ${standards} WHERE ${isPublic} AND ${standards.ballotRound} > 0),
        tally AS (
          SELECT b.id, b.opened, count(m.user_id) AS eligible, count(v.user_id) AS voted,
            coalesce(sum(v.position = 'approve'), 0) AS approve, coalesce(sum(v.position = 'disapprove'), 0) AS disapprove, coalesce(sum(v.position = 'abstain'), 0) AS abstain
          FROM ballot b
          LEFT JOIN ${memberships} m ON m.organization_id = b.organization_id AND m.voting_member = 1
            AND m.user_id NOT IN (SELECT sv.created_by FROM ${standardVersions} sv WHERE sv.standard_id = b.id AND sv.created_by IS NOT NULL)
          LEFT JOIN ${standardVotes} v ON v.standard_id = b.id AND v.round = b.round AND v.user_id = m.user_id
          GROUP BY b.id)
        SELECT ${shanghaiYear(sql`opened`)} AS year, count(*) AS ballots, sum(eligible) AS eligible, sum(voted) AS voted,
          sum(approve) AS approve, sum(disapprove) AS disapprove, sum(abstain) AS abstain
        FROM tally GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ ...r, turnout: rate(r.voted, r.eligible) }));
}

/** Counts per year with the years between filled in, so a line does not skip a year with none. */
function perYear(rows: { year: number; n: number }[], key: string) {
  if (rows.length === 0) return [];
  const n = new Map(rows.map((r) => [r.year, r.n]));
  return yearsBetween(rows[0]!.year, rows.at(-1)!.year).map((year) => ({ year, [key]: n.get(year) ?? 0 }));
}

function publishedPerYear(db: Db) {
  const rows = db.all<{ year: number; n: number }>(
    sql`SELECT ${shanghaiYear(standards.publishedAt)} AS year, count(*) AS n FROM ${standards} WHERE ${isPublic} AND ${standards.publishedAt} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  return perYear(rows, 'published');
}

function reviewsDue(db: Db) {
  const states = sql.join(REVIEW_DUE_STATES.map((s) => sql`${s}`), sql`, `);
  const rows = db.all<{ year: number; n: number }>(
    sql`SELECT ${shanghaiYear(standards.publishedAt)} + ${REVIEW_INTERVAL_YEARS} AS year, count(*) AS n FROM ${standards}
        WHERE ${isPublic} AND ${standards.publishedAt} IS NOT NULL AND ${standards.state} IN (${states}) GROUP BY 1 ORDER BY 1`,
  );
  return perYear(rows, 'standards');
}

const yearColumn = (meaning: Localized): Column => ({ key: 'year', type: 'year', label: { 'zh-cn': '年份', en: 'Year' }, meaning });
const count = (key: string, label: Localized, meaning: Localized): Column => ({ key, type: 'integer', label, meaning });
const daysColumn = (key: string, label: Localized, meaning: Localized): Column => ({ key, type: 'number', label, meaning });

export const standardsDatasets: Dataset[] = [
  {
    id: 'standards-by-stage',
    theme: 'standards',
    title: { 'zh-cn': '团体标准（按阶段）', en: 'Group standards by stage' },
    description: {
      'zh-cn': '已公开征求意见的团体标准按当前阶段的数量，附 ISO 协调阶段代码；征求意见前仍在起草中的草案不公开，不计入。',
      en: 'Group standards that have reached public comment, by their current stage with its ISO harmonized stage code; drafts still in committee before public comment are not public and not counted.',
    },
    columns: [
      {
        key: 'stage_code',
        type: 'string',
        label: { 'zh-cn': '阶段代码', en: 'Stage code' },
        meaning: { 'zh-cn': 'ISO 协调阶段代码（如 40.20 征求意见，60.60 已发布；NN.98 为在 NN 阶段终止）', en: 'ISO harmonized stage code (40.20 public comment, 60.60 published; NN.98 abandoned at stage NN)' },
        codes: STAGE_CODE_LABELS,
      },
      { key: 'state', type: 'string', label: { 'zh-cn': '阶段', en: 'Stage' }, meaning: { 'zh-cn': '标准当前所处的阶段', en: 'The stage the standard is at now' }, codes: STATE_CODES },
      count('standards', { 'zh-cn': '标准数', en: 'Standards' }, { 'zh-cn': '处于该阶段的公开标准数', en: 'Public standards at this stage' }),
    ],
    chart: { kind: 'bar', x: 'stage_code', y: ['standards'] },
    compute: standardsByStage,
  },
  {
    id: 'standards-public-comment-days',
    theme: 'standards',
    title: { 'zh-cn': '公开征求意见期（天）', en: 'Days in public comment' },
    description: {
      'zh-cn': '征求意见期已结束的标准，其（最近一轮）公开征求意见期的天数，按截止年份（上海时间）给出中位数、最短与最长。',
      en: 'How many days the (latest) public comment period of each standard whose period has closed lasted: median, shortest and longest, by the year it closed (Shanghai time).',
    },
    columns: [
      yearColumn({ 'zh-cn': '征求意见截止的年份（上海时间）', en: 'Year the comment period closed (Shanghai time)' }),
      count('standards', { 'zh-cn': '标准数', en: 'Standards' }, { 'zh-cn': '该年截止征求意见的公开标准数', en: 'Public standards whose comment period closed that year' }),
      daysColumn('median_days', { 'zh-cn': '中位数（天）', en: 'Median (days)' }, { 'zh-cn': '征求意见期天数的中位数', en: 'Median length of the comment period, in days' }),
      daysColumn('min_days', { 'zh-cn': '最短（天）', en: 'Shortest (days)' }, { 'zh-cn': '最短的征求意见期天数', en: 'Shortest comment period, in days' }),
      daysColumn('max_days', { 'zh-cn': '最长（天）', en: 'Longest (days)' }, { 'zh-cn': '最长的征求意见期天数', en: 'Longest comment period, in days' }),
    ],
    chart: { kind: 'line', x: 'year', y: ['median_days', 'min_days', 'max_days'] },
    compute: (db) => publicCommentDays(db),
  },
  {
    id: 'standards-comment-dispositions',
    theme: 'standards',
    title: { 'zh-cn': '意见处理结果', en: 'How comments were disposed of' },
    description: {
      'zh-cn': '公开标准收到的意见（会员征求意见与公开征求意见）按处理结果的数量与占比；只计数，不含意见内容。',
      en: 'Comments on public standards (from member consultation and public comment) by how they were disposed of, with each one’s share; counts only, never the comments themselves.',
    },
    columns: [
      { key: 'disposition', type: 'string', label: { 'zh-cn': '处理结果', en: 'Disposition' }, meaning: { 'zh-cn': '起草组对意见的处理；待处理为尚未处理', en: 'The drafting committee’s decision on the comment; pending when not yet decided' }, codes: DISPOSITION_CODES },
      count('comments', { 'zh-cn': '意见数', en: 'Comments' }, { 'zh-cn': '得到该处理结果的意见数', en: 'Comments with this disposition' }),
      { key: 'share', type: 'rate', label: { 'zh-cn': '占比', en: 'Share' }, meaning: { 'zh-cn': '占全部意见的比例（0–1）', en: 'Share of all comments (0–1)' } },
    ],
    chart: { kind: 'bar', x: 'disposition', y: ['comments'] },
    compute: commentDispositions,
  },
  {
    id: 'standards-comments-per-draft',
    theme: 'standards',
    title: { 'zh-cn': '每项草案收到的意见数', en: 'Comments per draft' },
    description: {
      'zh-cn': '公开标准按收到意见条数分档的数量，及各档意见总数。',
      en: 'Public standards grouped by how many comments each received, with the comments in each group.',
    },
    columns: [
      { key: 'comments_band', type: 'string', label: { 'zh-cn': '意见条数', en: 'Comments received' }, meaning: { 'zh-cn': '一项草案收到的意见条数所在区间', en: 'The range the number of comments on one draft falls in' }, codes: BAND_CODES },
      count('drafts', { 'zh-cn': '草案数', en: 'Drafts' }, { 'zh-cn': '收到该区间条数意见的公开标准数', en: 'Public standards with that many comments' }),
      count('comments', { 'zh-cn': '意见数', en: 'Comments' }, { 'zh-cn': '这些草案收到的意见总数', en: 'Comments those drafts received in all' }),
    ],
    chart: { kind: 'bar', x: 'comments_band', y: ['drafts'] },
    compute: commentsPerDraft,
  },
  {
    id: 'standards-ballot-turnout',
    theme: 'standards',
    title: { 'zh-cn': '审查投票参与率', en: 'Review ballot turnout' },
    description: {
      'zh-cn': '公开标准当前一轮审查投票的参与情况，按投票开始的年份（上海时间）汇总：有投票权且未参与起草的成员数、已投票数（含弃权）及各立场票数。',
      en: 'Turnout in the current review ballot of public standards, by the year the ballot opened (Shanghai time): eligible voters (voting members who did not draft the standard), those who voted (abstentions included), and the votes by position.',
    },
    columns: [
      yearColumn({ 'zh-cn': '本轮投票开始的年份（上海时间）', en: 'Year the ballot round opened (Shanghai time)' }),
      count('ballots', { 'zh-cn': '投票数', en: 'Ballots' }, { 'zh-cn': '审查投票轮次数（每项标准取当前一轮）', en: 'Ballot rounds (each standard’s current round)' }),
      count('eligible', { 'zh-cn': '有投票资格', en: 'Eligible' }, { 'zh-cn': '有投票权且未参与起草的成员人次（按行业组织现有成员计算，与标准页面所示一致）', en: 'Voting members who did not draft the standard, summed over the ballots (the body’s current members, as the standard’s page shows)' }),
      count('voted', { 'zh-cn': '已投票', en: 'Voted' }, { 'zh-cn': '已投票的有资格成员人次（含弃权）', en: 'Eligible voters who voted, abstentions included' }),
      count('approve', { 'zh-cn': '赞成', en: 'Approve' }, { 'zh-cn': '赞成票数', en: 'Votes to approve' }),
      count('disapprove', { 'zh-cn': '反对', en: 'Disapprove' }, { 'zh-cn': '反对票数', en: 'Votes to disapprove' }),
      count('abstain', { 'zh-cn': '弃权', en: 'Abstain' }, { 'zh-cn': '弃权票数', en: 'Abstentions' }),
      { key: 'turnout', type: 'rate', label: { 'zh-cn': '参与率', en: 'Turnout' }, meaning: { 'zh-cn': '已投票人次占有投票资格人次的比例（0–1）', en: 'Voted as a share of eligible (0–1)' } },
    ],
    chart: { kind: 'line', x: 'year', y: ['turnout'] },
    compute: ballotTurnout,
  },
  {
    id: 'standards-published-per-year',
    theme: 'standards',
    title: { 'zh-cn': '每年发布的团体标准', en: 'Group standards published per year' },
    description: {
      'zh-cn': '按发布年份（上海时间，即标准编号中的年份）统计的团体标准数，含此后已复审、修订或废止的标准。',
      en: 'Group standards by the year they were published (Shanghai time, the year in the standard’s number), including those since reviewed, revised or withdrawn.',
    },
    columns: [
      yearColumn({ 'zh-cn': '发布年份（上海时间）', en: 'Year of publication (Shanghai time)' }),
      count('published', { 'zh-cn': '发布数', en: 'Published' }, { 'zh-cn': '该年发布的标准数', en: 'Standards published that year' }),
    ],
    chart: { kind: 'line', x: 'year', y: ['published'] },
    compute: publishedPerYear,
  },
  {
    id: 'standards-reviews-due',
    theme: 'standards',
    title: { 'zh-cn': '到期复审的团体标准', en: 'Group standards due for review' },
    description: {
      'zh-cn': `现行有效（已发布或确认继续有效）的团体标准按复审到期年份统计：发布后 ${REVIEW_INTERVAL_YEARS} 年内应复审；已过去的年份表示逾期未复审。`,
      en: `Group standards in force (published or confirmed) by the year their review falls due, ${REVIEW_INTERVAL_YEARS} years after publication; a year already past means the review is overdue.`,
    },
    columns: [
      yearColumn({ 'zh-cn': '复审到期的年份', en: 'Year the review falls due' }),
      count('standards', { 'zh-cn': '标准数', en: 'Standards' }, { 'zh-cn': '该年到期复审的现行标准数', en: 'Standards in force due for review that year' }),
    ],
    chart: { kind: 'line', x: 'year', y: ['standards'] },
    compute: reviewsDue,
  },
];
