/**
 * Open data (issue 18): the research theme's datasets.
 *
 * Public here means what an anonymous reader of /research sees, through the registry's own
 * visibility rules (src/lib/research/policy.ts): projects whose lead organization is verified;
 * findings that are published (not drafts, not unpublished) on such projects. An embargoed
 * finding's existence is public (it is listed), its text is not until the embargo ends, so it is
 * counted but never as openly accessible before its date.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import { PROJECT_STATUSES, RESEARCH_TOPICS, researchFindings, researchFunding, researchProjects, type ProjectStatus } from '@db/schema';
import { countryName, isCountryCode, minorUnitDigits } from '~/lib/research/codes';
import { findingBodyVisibleTo, findingVisibleTo, projectVisibleTo } from '~/lib/research/policy';
import type { Column, Dataset, Localized } from '../types';
import { quartersBetween, rate, shanghaiQuarter } from '../periods';

const STATUS_CODES: Record<ProjectStatus, Localized> = {
  planned: { 'zh-cn': '计划中', en: 'Planned' },
  active: { 'zh-cn': '进行中', en: 'Active' },
  completed: { 'zh-cn': '已完成', en: 'Completed' },
  terminated: { 'zh-cn': '已终止', en: 'Terminated' },
};

const TOPIC_CODES: Record<(typeof RESEARCH_TOPICS)[number], Localized> = {
  logistics: { 'zh-cn': '跨境物流', en: 'Logistics' },
  payments_finance: { 'zh-cn': '支付与金融', en: 'Payments and finance' },
  customs_compliance: { 'zh-cn': '海关与合规', en: 'Customs and compliance' },
  tax: { 'zh-cn': '税收', en: 'Tax' },
  platforms_marketplaces: { 'zh-cn': '平台与市场', en: 'Platforms and marketplaces' },
  marketing: { 'zh-cn': '营销与品牌', en: 'Marketing and brands' },
  data_ai: { 'zh-cn': '数据与人工智能', en: 'Data and AI' },
  consumer_protection: { 'zh-cn': '消费者保护', en: 'Consumer protection' },
  talent_education: { 'zh-cn': '人才与教育', en: 'Talent and education' },
  standards_credit: { 'zh-cn': '标准与信用', en: 'Standards and credit' },
  trade_policy: { 'zh-cn': '贸易政策', en: 'Trade policy' },
  sustainability: { 'zh-cn': '绿色与可持续', en: 'Sustainability' },
};

/** How a published finding's text may be read today. */
export const FINDING_ACCESS_STATES = ['open', 'embargo_ended', 'embargoed', 'metadata_only'] as const;
const ACCESS_CODES: Record<(typeof FINDING_ACCESS_STATES)[number], Localized> = {
  open: { 'zh-cn': '公开', en: 'Open' },
  embargo_ended: { 'zh-cn': '限期已满，已公开', en: 'Embargo ended, open' },
  embargoed: { 'zh-cn': '限期不公开', en: 'Embargoed' },
  metadata_only: { 'zh-cn': '仅公开元数据', en: 'Metadata only' },
};

/** ISO 3166-1 alpha-2 countries with their names in both languages, from the ICU data Node ships. */
const COUNTRY_CODES: Record<string, Localized> = (() => {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const codes: Record<string, Localized> = {};
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      if (isCountryCode(code)) codes[code] = { 'zh-cn': countryName(code, 'zh-cn'), en: countryName(code, 'en') };
    }
  }
  return codes;
})();

const projectsColumn = (meaning: Localized): Column => ({ key: 'projects', type: 'integer', label: { 'zh-cn': '项目数', en: 'Projects' }, meaning });
const statusColumn: Column = {
  key: 'status',
  type: 'string',
  label: { 'zh-cn': '项目状态', en: 'Status' },
  meaning: { 'zh-cn': '项目当前的状态', en: 'The project’s current status' },
  codes: STATUS_CODES,
};

/** One count per public project and status. */
function projectsByStatus(db: Db) {
  const rows = db
    .select({ status: researchProjects.status, n: sql<number>`count(*)` })
    .from(researchProjects)
    .where(projectVisibleTo(null))
    .groupBy(researchProjects.status)
    .all();
  const n = new Map(rows.map((r) => [r.status, r.n]));
  return PROJECT_STATUSES.map((status) => ({ status, projects: n.get(status) ?? 0 }));
}

/** Public projects per topic and status: a project with several topics counts under each. */
function projectsByTopic(db: Db) {
  const rows = db.all<{ topic: string; status: ProjectStatus; n: number }>(
    sql`SELECT t.value AS topic, ${researchProjects.status} AS status, count(DISTINCT ${researchProjects.id}) AS n
        FROM ${researchProjects}, json_each(${researchProjects.topics}) t
        WHERE ${projectVisibleTo(null)} GROUP BY t.value, ${researchProjects.status}`,
  );
  return RESEARCH_TOPICS.map((topic) => {
    const of = (status: ProjectStatus) => rows.find((r) => r.topic === topic && r.status === status)?.n ?? 0;
    const byStatus = Object.fromEntries(PROJECT_STATUSES.map((s) => [s, of(s)]));
    return { topic, projects: PROJECT_STATUSES.reduce((sum, s) => sum + of(s), 0), ...byStatus };
  });
}

function tradeCorridors(db: Db) {
  return db
    .all<{ origin: string; destination: string; projects: number }>(
      sql`SELECT json_extract(c.value, '$.origin') AS origin, json_extract(c.value, '$.destination') AS destination, count(DISTINCT ${researchProjects.id}) AS projects
          FROM ${researchProjects}, json_each(${researchProjects.corridors}) c
          WHERE ${projectVisibleTo(null)} GROUP BY 1, 2 ORDER BY projects DESC, origin, destination`,
    )
    .map((r) => ({ corridor: `${r.origin}-${r.destination}`, origin: r.origin, destination: r.destination, projects: r.projects }));
}

/** A sum of minor units in the currency's major unit (fen → yuan), never converted between currencies. */
const major = (minor: number | null, currency: string | null) => (minor === null || !currency ? null : minor / 10 ** minorUnitDigits(currency));

function fundingByFunder(db: Db) {
  return db
    .all<{ funder: string; currency: string | null; projects: number; awards: number; amount: number | null }>(
      sql`SELECT f.funder AS funder, f.currency AS currency, count(DISTINCT f.project_id) AS projects, count(*) AS awards, sum(f.amount_minor) AS amount
          FROM ${researchFunding} f JOIN ${researchProjects} ON ${researchProjects.id} = f.project_id
          WHERE ${projectVisibleTo(null)} GROUP BY f.funder, f.currency ORDER BY f.funder, f.currency`,
    )
    .map((r) => ({ ...r, amount: major(r.amount, r.currency) }));
}

function fundingByCurrency(db: Db) {
  return db
    .all<{ currency: string; projects: number; awards: number; amount: number }>(
      sql`SELECT f.currency AS currency, count(DISTINCT f.project_id) AS projects, count(*) AS awards, sum(f.amount_minor) AS amount
          FROM ${researchFunding} f JOIN ${researchProjects} ON ${researchProjects.id} = f.project_id
          WHERE ${projectVisibleTo(null)} AND f.amount_minor IS NOT NULL GROUP BY f.currency ORDER BY f.currency`,
    )
    .map((r) => ({ ...r, amount: major(r.amount, r.currency) }));
}

/** Published findings of public projects, by access and whether the text is public today. */
function findingsByAccess(db: Db, now = new Date()) {
  const rows = db.all<{ access: string; body_public: number; n: number }>(
    sql`SELECT ${researchFindings.access} AS access, ${findingBodyVisibleTo(null, now)} AS body_public, count(*) AS n
        FROM ${researchFindings} WHERE ${findingVisibleTo(null)} GROUP BY 1, 2`,
  );
  const state = (r: (typeof rows)[number]) => (r.access === 'embargoed' ? (r.body_public ? 'embargo_ended' : 'embargoed') : r.access);
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return FINDING_ACCESS_STATES.map((access) => {
    const findings = rows.filter((r) => state(r) === access).reduce((sum, r) => sum + r.n, 0);
    return { access, findings, share: rate(findings, total) };
  });
}

/** Findings by the Shanghai quarter of their first publication, with how many are openly readable today. */
function findingsPerQuarter(db: Db, now = new Date()) {
  const rows = db.all<{ quarter: string; findings: number; open: number }>(
    sql`SELECT ${shanghaiQuarter(researchFindings.publishedAt)} AS quarter, count(*) AS findings, sum(${findingBodyVisibleTo(null, now)}) AS open
        FROM ${researchFindings} WHERE ${findingVisibleTo(null)} AND ${researchFindings.publishedAt} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  if (rows.length === 0) return [];
  const byQuarter = new Map(rows.map((r) => [r.quarter, r]));
  return quartersBetween(rows[0]!.quarter, rows.at(-1)!.quarter).map((quarter) => {
    const r = byQuarter.get(quarter);
    const findings = r?.findings ?? 0;
    const open = r?.open ?? 0;
    return { quarter, findings, openly_accessible: open, open_share: rate(open, findings) };
  });
}

const currencyColumn: Column = {
  key: 'currency',
  type: 'string',
  label: { 'zh-cn': '币种', en: 'Currency' },
  meaning: { 'zh-cn': 'ISO 4217 币种代码；各币种金额分别合计，不作换算；资助未写明金额时为空', en: 'ISO 4217 currency code; amounts are summed per currency and never converted; empty for awards that state no amount' },
};
const awardsColumn: Column = {
  key: 'awards',
  type: 'integer',
  label: { 'zh-cn': '资助项数', en: 'Awards' },
  meaning: { 'zh-cn': '公开项目登记的资助条目数', en: 'Funding awards listed on public projects' },
};
const amountColumn: Column = {
  key: 'amount',
  type: 'number',
  label: { 'zh-cn': '资助金额', en: 'Amount' },
  meaning: {
    'zh-cn': '登记金额之和，以该币种的主单位计（如元、美元）；未填金额的资助不计入',
    en: 'Sum of the amounts given, in the currency’s major unit (yuan, dollars); awards without an amount are not included',
  },
};
const countryColumn = (key: 'origin' | 'destination', label: Localized, meaning: Localized): Column => ({ key, type: 'string', label, meaning, codes: COUNTRY_CODES });

export const researchDatasets: Dataset[] = [
  {
    id: 'research-projects-by-status',
    theme: 'research',
    title: { 'zh-cn': '研究项目（按状态）', en: 'Research projects by status' },
    description: {
      'zh-cn': '科研项目库中公开项目（牵头单位已认证）按当前状态的数量。',
      en: 'Public projects in the research registry (those whose lead organization is verified) by current status.',
    },
    columns: [statusColumn, projectsColumn({ 'zh-cn': '处于该状态的公开项目数', en: 'Public projects in this status' })],
    chart: { kind: 'bar', x: 'status', y: ['projects'] },
    compute: projectsByStatus,
  },
  {
    id: 'research-projects-by-topic',
    theme: 'research',
    title: { 'zh-cn': '研究项目（按主题）', en: 'Research projects by topic' },
    description: {
      'zh-cn': '各研究主题下的公开项目数及其状态分布；一个项目涉及多个主题时在每个主题下各计一次。',
      en: 'Public projects under each research topic, and by status; a project with several topics counts once under each.',
    },
    columns: [
      { key: 'topic', type: 'string', label: { 'zh-cn': '研究主题', en: 'Topic' }, meaning: { 'zh-cn': '受控研究主题', en: 'The controlled research topic' }, codes: TOPIC_CODES },
      projectsColumn({ 'zh-cn': '涉及该主题的公开项目数', en: 'Public projects with this topic' }),
      ...PROJECT_STATUSES.map(
        (s): Column => ({
          key: s,
          type: 'integer',
          label: STATUS_CODES[s],
          meaning: { 'zh-cn': `其中状态为“${STATUS_CODES[s]['zh-cn']}”的项目数`, en: `Of which ${STATUS_CODES[s].en.toLowerCase()}` },
        }),
      ),
    ],
    chart: { kind: 'bar', x: 'topic', y: ['projects'] },
    compute: projectsByTopic,
  },
  {
    id: 'research-trade-corridors',
    theme: 'research',
    title: { 'zh-cn': '研究涉及的贸易通道', en: 'Trade corridors studied' },
    description: {
      'zh-cn': '公开项目登记的跨境贸易通道（起运国 → 目的国）及涉及每条通道的项目数。',
      en: 'The cross-border trade corridors (origin → destination) that public projects study, with how many projects study each.',
    },
    columns: [
      {
        key: 'corridor',
        type: 'string',
        label: { 'zh-cn': '贸易通道', en: 'Corridor' },
        meaning: { 'zh-cn': '起运国与目的国代码，以连字符相连（如 CN-DE）', en: 'Origin and destination codes joined by a hyphen (such as CN-DE)' },
      },
      countryColumn('origin', { 'zh-cn': '起运国', en: 'Origin' }, { 'zh-cn': '起运国或地区（ISO 3166-1 二位字母代码）', en: 'Country of origin (ISO 3166-1 alpha-2)' }),
      countryColumn('destination', { 'zh-cn': '目的国', en: 'Destination' }, { 'zh-cn': '目的国或地区（ISO 3166-1 二位字母代码）', en: 'Country of destination (ISO 3166-1 alpha-2)' }),
      projectsColumn({ 'zh-cn': '研究该通道的公开项目数', en: 'Public projects studying this corridor' }),
    ],
    chart: { kind: 'bar', x: 'corridor', y: ['projects'] },
    compute: tradeCorridors,
  },
  {
    id: 'research-funding-by-funder',
    theme: 'research',
    title: { 'zh-cn': '研究资助（按资助方与币种）', en: 'Research funding by funder and currency' },
    description: {
      'zh-cn': '公开项目登记的资助，按资助方名称与币种汇总；各币种金额分别合计，从不换算。',
      en: 'Funding listed on public projects, by funder name and currency; amounts are summed per currency and never converted.',
    },
    columns: [
      { key: 'funder', type: 'string', label: { 'zh-cn': '资助方', en: 'Funder' }, meaning: { 'zh-cn': '项目登记的资助方名称', en: 'The funder’s name as the project gives it' } },
      { ...currencyColumn, meaning: { 'zh-cn': 'ISO 4217 币种代码；未填金额的资助为空', en: 'ISO 4217 currency code; empty for awards without an amount' } },
      projectsColumn({ 'zh-cn': '获该资助方资助的公开项目数', en: 'Public projects funded by this funder' }),
      awardsColumn,
      amountColumn,
    ],
    compute: fundingByFunder,
  },
  {
    id: 'research-funding-by-currency',
    theme: 'research',
    title: { 'zh-cn': '研究资助总额（按币种）', en: 'Research funding totals by currency' },
    description: {
      'zh-cn': '公开项目登记的资助金额按币种合计；不同币种不相加、不换算。',
      en: 'The amounts of funding listed on public projects, summed per currency; currencies are never added together or converted.',
    },
    columns: [
      currencyColumn,
      projectsColumn({ 'zh-cn': '登记了该币种资助金额的公开项目数', en: 'Public projects with an amount in this currency' }),
      { ...awardsColumn, meaning: { 'zh-cn': '公开项目中登记了该币种金额的资助条目数', en: 'Funding awards on public projects with an amount in this currency' } },
      amountColumn,
    ],
    chart: { kind: 'bar', x: 'currency', y: ['awards'] },
    compute: fundingByCurrency,
  },
  {
    id: 'research-findings-access',
    theme: 'research',
    title: { 'zh-cn': '研究成果的公开获取', en: 'Open access to research findings' },
    description: {
      'zh-cn': '已发布的研究成果按获取方式的数量与占比：公开、限期已满后公开、仍在限期内、仅公开元数据。',
      en: 'Published research findings by how their text may be read today: open, open after an embargo ended, still embargoed, metadata only; with each one’s share.',
    },
    columns: [
      {
        key: 'access',
        type: 'string',
        label: { 'zh-cn': '获取方式', en: 'Access' },
        meaning: { 'zh-cn': '成果正文今天能否公开阅读；限期以上海时间当日零时为界', en: 'Whether the text can be read openly today; an embargo ends at 00:00 Shanghai time on its date' },
        codes: ACCESS_CODES,
      },
      { key: 'findings', type: 'integer', label: { 'zh-cn': '成果数', en: 'Findings' }, meaning: { 'zh-cn': '公开项目中已发布的成果数', en: 'Published findings of public projects' } },
      { key: 'share', type: 'rate', label: { 'zh-cn': '占比', en: 'Share' }, meaning: { 'zh-cn': '占全部已发布成果的比例（0–1）', en: 'Share of all published findings (0–1)' } },
    ],
    chart: { kind: 'bar', x: 'access', y: ['findings'] },
    compute: (db) => findingsByAccess(db),
  },
  {
    id: 'research-findings-per-quarter',
    theme: 'research',
    title: { 'zh-cn': '每季度发布的研究成果', en: 'Research findings published per quarter' },
    description: {
      'zh-cn': '公开项目的研究成果按首次发布所在季度（上海时间）统计，及其中今天可公开阅读正文的数量与比例。',
      en: 'Findings of public projects by the quarter (Shanghai time) of their first publication, with how many of them can be read openly today.',
    },
    columns: [
      { key: 'quarter', type: 'quarter', label: { 'zh-cn': '季度', en: 'Quarter' }, meaning: { 'zh-cn': '首次发布所在季度（上海时间）', en: 'Quarter of first publication (Shanghai time)' } },
      { key: 'findings', type: 'integer', label: { 'zh-cn': '成果数', en: 'Findings' }, meaning: { 'zh-cn': '该季度首次发布且仍为已发布状态的成果数', en: 'Findings first published that quarter and still published' } },
      {
        key: 'openly_accessible',
        type: 'integer',
        label: { 'zh-cn': '可公开阅读', en: 'Openly accessible' },
        meaning: { 'zh-cn': '其中正文今天可公开阅读的（公开获取，或限期已满）', en: 'Of which the text can be read openly today (open access, or the embargo has ended)' },
      },
      { key: 'open_share', type: 'rate', label: { 'zh-cn': '公开比例', en: 'Open share' }, meaning: { 'zh-cn': '可公开阅读的比例（0–1）', en: 'Share openly accessible (0–1)' } },
    ],
    chart: { kind: 'line', x: 'quarter', y: ['findings', 'openly_accessible'] },
    compute: (db) => findingsPerQuarter(db),
  },
];
