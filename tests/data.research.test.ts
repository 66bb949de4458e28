/**
 * Open data, research theme (issue 18): every figure of every research dataset equals a count made
 * here from the rows the test seeded through the registry's services, and nothing that is not
 * public (projects whose lead is not verified, draft and unpublished findings, embargoed text)
 * is counted as public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, users, type ProjectStatus, type ResearchTopic } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { datasetById } from '../src/lib/data/registry';
import { researchDatasets } from '../src/lib/data/themes/research';
import type { Row } from '../src/lib/data/types';
import { listProjects, listRecentFindings } from '../src/lib/research/queries';
import { projectInput } from '../src/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding, unpublishFinding } from '../src/lib/research/service';
import { expectRowsFit, expectWellFormed } from './helpers/dataset-shape';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

const rows = (id: string): Row[] => datasetById(id)!.compute(db);

function makeUser(id: string, roles: SessionUser['roles'] = []): SessionUser {
  db.insert(users).values({ id, email: `${id}@example.com`, displayName: id, passwordHash: 'x', emailVerifiedAt: new Date() }).run();
  return { id, email: `${id}@example.com`, displayName: id, locale: 'en', roles };
}

interface SeededProject {
  public: boolean;
  status: ProjectStatus;
  topics: ResearchTopic[];
  corridors: { origin: string; destination: string }[];
  funding: { funder: string; amountMinor?: number; currency?: string }[];
}

/** Everything the test creates, kept so that the expected figures are counted from it in JS. */
const PROJECTS: SeededProject[] = [
  {
    public: true,
    status: 'active',
    topics: ['logistics', 'payments_finance'],
    corridors: [{ origin: 'CN', destination: 'DE' }, { origin: 'CN', destination: 'US' }],
    funding: [
      { funder: 'Shanghai Science Fund', amountMinor: 250000050, currency: 'CNY' },
      { funder: 'Horizon Europe', amountMinor: 10000000, currency: 'EUR' },
      { funder: 'Shanghai Science Fund' },
    ],
  },
  {
    public: true,
    status: 'completed',
    topics: ['logistics'],
    corridors: [{ origin: 'CN', destination: 'DE' }],
    funding: [{ funder: 'Shanghai Science Fund', amountMinor: 100000, currency: 'CNY' }],
  },
  { public: true, status: 'planned', topics: ['tax'], corridors: [], funding: [] },
  {
    public: true,
    status: 'active',
    topics: ['logistics', 'tax'],
    corridors: [{ origin: 'US', destination: 'CN' }],
    funding: [{ funder: 'Horizon Europe', amountMinor: 5000025, currency: 'EUR' }],
  },
  { public: true, status: 'terminated', topics: ['marketing'], corridors: [{ origin: 'CN', destination: 'DE' }], funding: [] },
  // led by an organization that is not verified: not public, so never counted
  {
    public: false,
    status: 'active',
    topics: ['logistics', 'data_ai'],
    corridors: [{ origin: 'CN', destination: 'DE' }, { origin: 'JP', destination: 'CN' }],
    funding: [{ funder: 'Secret Fund', amountMinor: 99900, currency: 'CNY' }, { funder: 'Horizon Europe', amountMinor: 777, currency: 'EUR' }],
  },
];

type FindingFate = 'published' | 'draft' | 'unpublished';
interface SeededFinding {
  project: number;
  access: 'open' | 'embargoed' | 'metadata_only';
  embargoUntil?: string;
  publishedAt?: Date;
  fate: FindingFate;
  /** The quarter the test expects, written out by hand for the boundary cases. */
  quarter?: string;
}

const FINDINGS: SeededFinding[] = [
  // 23:59:59 on 31 March in Shanghai: still the first quarter
  { project: 0, access: 'open', publishedAt: new Date('2026-03-31T15:59:59.999Z'), fate: 'published', quarter: '2026-Q1' },
  // 00:00 on 1 April in Shanghai (still 31 March in UTC): the second quarter
  { project: 0, access: 'open', publishedAt: new Date('2026-03-31T16:00:00.000Z'), fate: 'published', quarter: '2026-Q2' },
  // embargo far ahead: listed and counted, but its text is not open
  { project: 1, access: 'embargoed', embargoUntil: '2099-01-01', publishedAt: new Date('2026-05-10T04:00:00Z'), fate: 'published', quarter: '2026-Q2' },
  // embargo over: open today
  { project: 1, access: 'embargoed', embargoUntil: '2020-01-01', publishedAt: new Date('2025-12-31T16:30:00Z'), fate: 'published', quarter: '2026-Q1' },
  { project: 3, access: 'metadata_only', publishedAt: new Date('2025-01-15T02:00:00Z'), fate: 'published', quarter: '2025-Q1' },
  { project: 3, access: 'open', publishedAt: new Date('2025-12-31T15:59:00Z'), fate: 'published', quarter: '2025-Q4' },
  // never published, and published then taken down by an admin: neither is public
  { project: 0, access: 'open', fate: 'draft' },
  { project: 3, access: 'open', publishedAt: new Date('2025-08-01T00:00:00Z'), fate: 'unpublished' },
  // on the project whose lead is not verified: cannot be published, stays a draft
  { project: 5, access: 'open', fate: 'draft' },
];

beforeAll(() => {
  const editor = makeUser('editor');
  const admin = makeUser('admin', ['admin']);
  const org = (slug: string, status: 'verified' | 'pending') => {
    const o = db.insert(organizations).values({ slug, name: slug, type: 'university', status }).returning().get();
    db.insert(memberships).values({ organizationId: o.id, userId: editor.id, role: 'editor' }).run();
    return o;
  };
  org('verified-uni', 'verified');
  org('pending-uni', 'pending');
  const ids = PROJECTS.map((p, i) =>
    createProject(
      db,
      editor,
      projectInput.parse({
        title: `Project ${i}`,
        abstractMd: 'An abstract of the project.',
        status: p.status,
        startDate: '2025-01-01',
        organizationSlug: p.public ? 'verified-uni' : 'pending-uni',
        topics: p.topics,
        corridors: p.corridors,
        funding: p.funding,
      }),
    ).id,
  );
  FINDINGS.forEach((f, i) => {
    const finding = createFinding(db, editor, ids[f.project]!, { type: 'report', title: `Finding ${i}`, licence: 'CC-BY-4.0', access: f.access, embargoUntil: f.embargoUntil });
    addVersion(db, editor, finding.id, { bodyMd: 'The text.' });
    if (f.fate === 'draft') return;
    publishFinding(db, editor, finding.id, f.publishedAt);
    if (f.fate === 'unpublished') unpublishFinding(db, admin, finding.id, 'Withdrawn for a correction.');
  });
});

const publicProjects = () => PROJECTS.filter((p) => p.public);
const publicFindings = () => FINDINGS.filter((f) => f.fate === 'published' && PROJECTS[f.project]!.public);
/** Whether the text is open today, decided here from the seeded dates (embargoes end at 00:00 Shanghai time). */
const openToday = (f: SeededFinding) => f.access === 'open' || (f.access === 'embargoed' && new Date(`${f.embargoUntil}T00:00:00+08:00`) <= new Date());
const shanghaiQuarter = (d: Date) => {
  const local = new Date(d.getTime() + 8 * 3_600_000);
  return `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
};

describe('research datasets', () => {
  it('projects by status: public projects only, every status listed', () => {
    const expected = (['planned', 'active', 'completed', 'terminated'] as const).map((status) => ({ status, projects: publicProjects().filter((p) => p.status === status).length }));
    expect(rows('research-projects-by-status')).toEqual(expected);
    expect(expected.find((r) => r.status === 'active')!.projects).toBe(2); // the hidden active project is not among them
  });

  it('projects by topic and status: a project counts once under each of its topics', () => {
    const got = rows('research-projects-by-topic');
    expect(got).toHaveLength(12);
    for (const row of got) {
      const withTopic = publicProjects().filter((p) => p.topics.includes(row.topic as ResearchTopic));
      expect(row).toEqual({
        topic: row.topic,
        projects: withTopic.length,
        planned: withTopic.filter((p) => p.status === 'planned').length,
        active: withTopic.filter((p) => p.status === 'active').length,
        completed: withTopic.filter((p) => p.status === 'completed').length,
        terminated: withTopic.filter((p) => p.status === 'terminated').length,
      });
    }
    expect(got.find((r) => r.topic === 'logistics')!.projects).toBe(3);
    expect(got.find((r) => r.topic === 'data_ai')!.projects).toBe(0); // only the hidden project has it
  });

  it('trade corridors: origin → destination counts over public projects, largest first', () => {
    const counts = new Map<string, number>();
    for (const p of publicProjects()) for (const c of p.corridors) counts.set(`${c.origin}-${c.destination}`, (counts.get(`${c.origin}-${c.destination}`) ?? 0) + 1);
    const got = rows('research-trade-corridors');
    expect(got.map((r) => [r.corridor, r.projects])).toEqual(
      [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    );
    for (const r of got) expect(`${r.origin}-${r.destination}`).toBe(r.corridor);
    expect(got.find((r) => r.corridor === 'JP-CN')).toBeUndefined();
    expect(got[0]).toEqual({ corridor: 'CN-DE', origin: 'CN', destination: 'DE', projects: 3 });
  });

  it('funding by funder and currency: sums per currency in major units, never converted', () => {
    const groups = new Map<string, { funder: string; currency: string | null; projects: Set<number>; awards: number; minor: number | null }>();
    publicProjects().forEach((p, i) => {
      for (const f of p.funding) {
        const key = `${f.funder}|${f.currency ?? ''}`;
        const g = groups.get(key) ?? { funder: f.funder, currency: f.currency ?? null, projects: new Set(), awards: 0, minor: null };
        g.projects.add(i);
        g.awards++;
        if (f.amountMinor !== undefined) g.minor = (g.minor ?? 0) + f.amountMinor;
        groups.set(key, g);
      }
    });
    const expected = [...groups.values()]
      .sort((a, b) => a.funder.localeCompare(b.funder) || (a.currency ?? '').localeCompare(b.currency ?? ''))
      .map((g) => ({ funder: g.funder, currency: g.currency, projects: g.projects.size, awards: g.awards, amount: g.minor === null ? null : g.minor / 100 }));
    expect(rows('research-funding-by-funder')).toEqual(expected);
    // written out: CNY 2,500,000.50 + 1,000.00; EUR 100,000 + 50,000.25; the hidden project's funds nowhere
    expect(rows('research-funding-by-funder').filter((r) => r.amount !== null).map((r) => [r.funder, r.currency, r.amount])).toEqual([
      ['Horizon Europe', 'EUR', 150000.25],
      ['Shanghai Science Fund', 'CNY', 2501000.5],
    ]);
    expect(rows('research-funding-by-funder').some((r) => r.funder === 'Secret Fund')).toBe(false);
  });

  it('funding by currency: each currency summed on its own', () => {
    const sum = (cur: string) => publicProjects().flatMap((p) => p.funding).filter((f) => f.currency === cur).reduce((s, f) => s + f.amountMinor!, 0) / 100;
    const projects = (cur: string) => publicProjects().filter((p) => p.funding.some((f) => f.currency === cur && f.amountMinor !== undefined)).length;
    const awards = (cur: string) => publicProjects().flatMap((p) => p.funding).filter((f) => f.currency === cur && f.amountMinor !== undefined).length;
    expect(rows('research-funding-by-currency')).toEqual(
      ['CNY', 'EUR'].map((currency) => ({ currency, projects: projects(currency), awards: awards(currency), amount: sum(currency) })),
    );
  });

  it('findings by access: published findings of public projects, embargoed ones open only once the date has come', () => {
    const list = publicFindings();
    const state = (f: SeededFinding) => (f.access === 'embargoed' ? (openToday(f) ? 'embargo_ended' : 'embargoed') : f.access);
    expect(rows('research-findings-access')).toEqual(
      ['open', 'embargo_ended', 'embargoed', 'metadata_only'].map((access) => {
        const findings = list.filter((f) => state(f) === access).length;
        return { access, findings, share: findings / list.length };
      }),
    );
    expect(rows('research-findings-access').reduce((s, r) => s + (r.findings as number), 0)).toBe(6); // not the draft, unpublished or hidden ones
  });

  it('findings per quarter in Shanghai time, with the quarters between filled in and the boundary on the right side', () => {
    const list = publicFindings();
    for (const f of list) expect(shanghaiQuarter(f.publishedAt!)).toBe(f.quarter);
    const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'];
    expect(rows('research-findings-per-quarter')).toEqual(
      quarters.map((quarter) => {
        const inQuarter = list.filter((f) => f.quarter === quarter);
        const open = inQuarter.filter(openToday).length;
        return { quarter, findings: inQuarter.length, openly_accessible: open, open_share: inQuarter.length ? open / inQuarter.length : null };
      }),
    );
    // 2025-Q3 has only the finding an admin unpublished: zero, not its one
    expect(rows('research-findings-per-quarter').find((r) => r.quarter === '2025-Q3')).toEqual({ quarter: '2025-Q3', findings: 0, openly_accessible: 0, open_share: null });
  });
});

describe('research datasets agree with the public lists', () => {
  it('count the projects /research lists and the findings its feed lists to anonymous readers, no more', () => {
    const sum = (id: string, key: string) => rows(id).reduce((s, r) => s + (r[key] as number), 0);
    expect(sum('research-projects-by-status', 'projects')).toBe(listProjects(db, null, { page: 1, perPage: 1 }).total);
    expect(sum('research-findings-access', 'findings')).toBe(listRecentFindings(db).length);
    expect(sum('research-findings-per-quarter', 'findings')).toBe(listRecentFindings(db).length);
  });
});

describe('research dataset definitions', () => {
  it('are well formed: unique ids, chart columns that exist, rows keyed by the columns, coded values with labels', () => {
    expect(researchDatasets.length).toBe(7);
    expectWellFormed(researchDatasets, 'research');
    for (const d of researchDatasets) expectRowsFit(d, d.compute(db));
  });
});
