/**
 * One visibility rule per domain: for every viewer and every state a record can be in, the list
 * (API), the single record (API GET and the HTML page), search and the feeds must give the same
 * answer, and that answer must be the rule's. Research, standards and courses each decide it with
 * one SQL condition (`projectVisibleTo`/`findingVisibleTo`, `standardVisibleTo`, `courseVisibleTo`).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRoles, users } from '../db/schema';
import { addMembership, addOrganization, courseBody } from './courses.fixtures';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const VIEWERS = ['anonymous', 'member', 'other', 'admin'] as const;
type Viewer = (typeof VIEWERS)[number];
const tokens: Partial<Record<Viewer, string>> = {};

type Kind = 'standard' | 'course' | 'project' | 'finding';
interface Row {
  kind: Kind;
  state: string;
  id: number;
  /** A word only this record's title carries, to find it in search. */
  word: string;
  seenBy: Viewer[];
}
const rows: Row[] = [];
const PRIVATE: Viewer[] = ['member', 'admin'];
const EVERYONE: Viewer[] = [...VIEWERS];

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

beforeAll(async () => {
  server = await startServer();
  for (const v of ['member', 'other', 'admin'] as const) tokens[v] = await server.api.signUp(`${v}@visibility.test`, v);
  const id = (v: Viewer) => server.db.select().from(users).where(eq(users.email, `${v}@visibility.test`)).get()!.id;
  server.db.insert(userRoles).values({ userId: id('admin'), role: 'admin' }).run();
  const body = addOrganization(server.db, 'vis-body', 'industry_body');
  const uni = addOrganization(server.db, 'vis-uni', 'university');
  const lab = addOrganization(server.db, 'vis-lab', 'university', 'pending');
  const elsewhere = addOrganization(server.db, 'vis-elsewhere', 'company');
  addMembership(server.db, body.id, id('member'), 'owner');
  addMembership(server.db, uni.id, id('member'), 'editor');
  addMembership(server.db, lab.id, id('member'), 'editor');
  addMembership(server.db, elsewhere.id, id('other'), 'owner');
  const m = tokens.member!;

  // standards: a proposal is the body's business; from public comment on it is everyone's
  const std = async (word: string) => (await ok(server.api.post('/standards', { organizationSlug: body.slug, title: `Standard ${word}` }, m), 201)).id as number;
  rows.push({ kind: 'standard', state: 'proposed', id: await std('glimstdproposed'), word: 'glimstdproposed', seenBy: PRIVATE });
  const open = await std('glimstdopen');
  for (const to of ['project_approved', 'drafting']) await ok(server.api.post(`/standards/${open}/transitions`, { to }, m));
  await ok(server.api.post(`/standards/${open}/versions`, { bodyMd: '## 1 Scope\n\nLabels on parcels.' }, m), 201);
  await ok(server.api.post(`/standards/${open}/transitions`, { to: 'public_comment', commentPeriodDays: 30 }, m));
  rows.push({ kind: 'standard', state: 'public_comment', id: open, word: 'glimstdopen', seenBy: EVERYONE });

  // courses: drafts and unpublished courses are their providers' editors' business
  const course = async (word: string) => (await ok(server.api.post('/courses', courseBody(uni.slug, { title: `Course ${word}`, titleZh: `课程 ${word}` }), m), 201)).id as number;
  rows.push({ kind: 'course', state: 'draft', id: await course('glimcoursedraft'), word: 'glimcoursedraft', seenBy: PRIVATE });
  const published = await course('glimcoursepublished');
  await ok(server.api.post(`/courses/${published}/publish`, {}, m));
  rows.push({ kind: 'course', state: 'published', id: published, word: 'glimcoursepublished', seenBy: EVERYONE });
  const unpublished = await course('glimcourseunpublished');
  await ok(server.api.post(`/courses/${unpublished}/publish`, {}, m));
  await ok(server.api.post(`/courses/${unpublished}/unpublish`, {}, m));
  rows.push({ kind: 'course', state: 'unpublished', id: unpublished, word: 'glimcourseunpublished', seenBy: PRIVATE });

  // research: a project is public once its lead is verified; findings once published in a public project
  const project = async (org: string, word: string) =>
    (await ok(server.api.post('/research/projects', { organizationSlug: org, title: `Project ${word}`, abstractMd: 'An abstract long enough.', status: 'active', startDate: '2026-01-01' }, m), 201)).id as number;
  const pub = await project(uni.slug, 'glimprojpublic');
  rows.push({ kind: 'project', state: 'verified lead', id: pub, word: 'glimprojpublic', seenBy: EVERYONE });
  const priv = await project(lab.slug, 'glimprojpending');
  rows.push({ kind: 'project', state: 'pending lead', id: priv, word: 'glimprojpending', seenBy: PRIVATE });
  const finding = async (projectId: number, word: string, extra: Record<string, unknown> = {}) => {
    const f = await ok(server.api.post(`/research/projects/${projectId}/findings`, { type: 'report', title: `Finding ${word}`, licence: 'CC-BY-4.0', access: 'open', ...extra }, m), 201);
    await ok(server.api.post(`/research/findings/${f.id}/versions`, { bodyMd: `Body glimbody${word}` }, m), 201);
    return f.id as number;
  };
  rows.push({ kind: 'finding', state: 'draft', id: await finding(pub, 'glimfinddraft'), word: 'glimfinddraft', seenBy: PRIVATE });
  const openFinding = await finding(pub, 'glimfindopen');
  await ok(server.api.post(`/research/findings/${openFinding}/publish`, {}, m));
  rows.push({ kind: 'finding', state: 'published', id: openFinding, word: 'glimfindopen', seenBy: EVERYONE });
  const embargoed = await finding(pub, 'glimfindembargoed', { access: 'embargoed', embargoUntil: '2099-01-01' });
  await ok(server.api.post(`/research/findings/${embargoed}/publish`, {}, m));
  rows.push({ kind: 'finding', state: 'published, embargoed', id: embargoed, word: 'glimfindembargoed', seenBy: EVERYONE });
  const withdrawn = await finding(pub, 'glimfindunpublished');
  await ok(server.api.post(`/research/findings/${withdrawn}/publish`, {}, m));
  await ok(server.api.post(`/research/findings/${withdrawn}/unpublish`, { reason: 'Under review' }, tokens.admin));
  rows.push({ kind: 'finding', state: 'unpublished', id: withdrawn, word: 'glimfindunpublished', seenBy: PRIVATE });
  rows.push({ kind: 'finding', state: 'draft, pending lead', id: await finding(priv, 'glimfindpending'), word: 'glimfindpending', seenBy: PRIVATE });
}, 180_000);
afterAll(() => server?.stop());

const API_PATH: Record<Kind, string> = { standard: '/standards', course: '/courses', project: '/research/projects', finding: '/research/findings' };
const PAGE_PATH: Record<Kind, string> = { standard: '/en/standards', course: '/en/courses', project: '/en/research/projects', finding: '/en/research/findings' };

/** The ids of `kind` that the list shows to the viewer. */
async function listed(kind: Kind, token?: string): Promise<Set<number>> {
  if (kind === 'finding') {
    // findings are listed on their project, whichever projects the viewer may see
    const projects = await listed('project', token);
    const ids = new Set<number>();
    for (const p of projects) for (const f of (await ok(server.api.get(`/research/projects/${p}`, token))).findings) ids.add(f.id);
    return ids;
  }
  const query = kind === 'standard' ? '?q=Standard' : '?perPage=100';
  const res = await ok(server.api.get(`${API_PATH[kind]}${query}`, token));
  return new Set(res.items.map((i: { id: number }) => i.id));
}

const pageStatus = async (path: string, token?: string) =>
  (await fetch(`${server.url}${path}`, { headers: token ? { cookie: `portal_session=${token}` } : {}, redirect: 'manual' })).status;

async function searchHit(row: Row, token?: string) {
  const res = await ok(server.api.get(`/search?q=${row.word}`, token));
  return res.hits.some((h: { type: string; id: string }) => h.type === row.kind && h.id === String(row.id));
}

describe('one visibility rule per domain', () => {
  it.each(['standard', 'course', 'project', 'finding'] as const)('%s: list, API record, page, search and feed agree for every viewer and state', async (kind) => {
    const disagreements: string[] = [];
    const mine = rows.filter((r) => r.kind === kind);
    expect(mine.length).toBeGreaterThan(1);
    for (const viewer of VIEWERS) {
      const token = tokens[viewer];
      const list = await listed(kind, token);
      for (const row of mine) {
        const expected = row.seenBy.includes(viewer);
        const answers = {
          list: list.has(row.id),
          api: (await server.api.get(`${API_PATH[kind]}/${row.id}`, token)).status === 200,
          page: (await pageStatus(`${PAGE_PATH[kind]}/${row.id}`, token)) === 200,
          // search holds what nobody signed in may see, for everyone
          search: await searchHit(row, token),
        };
        for (const [door, seen] of Object.entries(answers)) {
          const want = door === 'search' ? row.seenBy.includes('anonymous') : expected;
          if (seen !== want) disagreements.push(`${kind} (${row.state}) for ${viewer}: ${door} says ${seen ? 'visible' : 'hidden'}`);
        }
      }
    }
    const feed = kind === 'standard' ? '/standards/feed.atom' : kind === 'finding' ? '/research/feed.atom' : null;
    if (feed) {
      const atom = await fetch(`${server.url}${feed}`).then((r) => r.text());
      for (const row of mine) {
        const inFeed = atom.includes(row.word);
        if (inFeed !== row.seenBy.includes('anonymous')) disagreements.push(`${kind} (${row.state}): feed says ${inFeed ? 'visible' : 'hidden'}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('an embargoed text: the API, the page and search agree on who reads it', async () => {
    const row = rows.find((r) => r.state === 'published, embargoed')!;
    const body = `glimbody${row.word}`;
    for (const viewer of VIEWERS) {
      const token = tokens[viewer];
      const api = await ok(server.api.get(`/research/findings/${row.id}`, token));
      const page = await fetch(`${server.url}/en/research/findings/${row.id}`, { headers: token ? { cookie: `portal_session=${token}` } : {} }).then((r) => r.text());
      const readsIt = viewer === 'member'; // the project's people, whatever the access; not admins, not the public
      expect({ viewer, api: api.bodyVisible, text: api.versions[0].bodyMd !== null, page: page.includes(body) }).toEqual({ viewer, api: readsIt, text: readsIt, page: readsIt });
    }
    const hits = (await ok(server.api.get(`/search?q=${body}`))).hits;
    expect(hits).toEqual([]);
  });
});
