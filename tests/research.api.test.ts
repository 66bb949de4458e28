/** The research API against the real server: the story end to end, permissions, citations, search, feed. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, userRoles, users } from '../db/schema';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let researcher: string, industry: string, stranger: string, admin: string;
let projectId: number, findingId: number;

function orgWith(slug: string, type: 'university' | 'company', status: 'verified' | 'pending', editorEmail?: string) {
  const org = server.db.insert(organizations).values({ slug, name: slug, nameZh: `${slug} 中文名`, type, status }).returning().get();
  if (editorEmail) {
    const u = server.db.select().from(users).where(eq(users.email, editorEmail)).get()!;
    server.db.insert(memberships).values({ organizationId: org.id, userId: u.id, role: 'editor' }).run();
  }
  return org;
}

beforeAll(async () => {
  server = await startServer();
  researcher = await server.api.signUp('researcher@uni.test', '孙悦');
  industry = await server.api.signUp('editor@company.test', 'Company Editor');
  stranger = await server.api.signUp('stranger@example.test', 'Stranger');
  admin = await server.api.signUp('admin@example.test', 'Admin');
  const adminUser = server.db.select().from(users).where(eq(users.email, 'admin@example.test')).get()!;
  server.db.insert(userRoles).values({ userId: adminUser.id, role: 'admin' }).run();
  orgWith('hpu', 'university', 'verified', 'researcher@uni.test');
  orgWith('pujiang', 'company', 'verified', 'editor@company.test');
  orgWith('unverified-lab', 'university', 'pending', 'researcher@uni.test');
});
afterAll(() => server?.stop());

describe('a researcher’s story', () => {
  it('registers a project with a company partner and a funding award', async () => {
    const res = await server.api.post(
      '/research/projects',
      {
        organizationSlug: 'hpu',
        title: 'Supply chain finance for cross-border sellers',
        titleZh: '跨境卖家供应链金融',
        acronym: 'SCF',
        abstractMd: 'How **small sellers** finance inventory.',
        status: 'active',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        keywords: ['supply chain finance', '跨境电商'],
        topics: ['payments_finance'],
        corridors: [{ origin: 'cn', destination: 'DE' }],
        people: [{ name: '孙悦', orcid: 'https://orcid.org/0000-0002-1825-0097', role: 'pi', email: 'researcher@uni.test' }],
        partners: [{ organizationSlug: 'pujiang', role: 'industry_partner' }],
        funding: [{ funder: 'Shanghai Science Fund', awardNumber: 'SSF-2026-01', amountMinor: 50000000, currency: 'cny' }],
      },
      researcher,
    );
    expect(res.status).toBe(201);
    projectId = res.body.id;
    expect(res.body).toMatchObject({
      corridors: [{ origin: 'CN', destination: 'DE' }],
      people: [{ name: '孙悦', orcid: '0000-0002-1825-0097', role: 'pi' }],
      funding: [{ amountMinor: 50000000, currency: 'CNY' }],
    });
    expect(res.body.organizations.map((o: any) => o.role)).toEqual(['lead', 'industry_partner']);
    const list = await server.api.get('/research/projects?corridor=CN-DE&topic=payments_finance&year=2027');
    expect(list.body.items.map((p: any) => p.id)).toEqual([projectId]);
  });

  it('explains invalid identifiers and dates field by field', async () => {
    const res = await server.api.post(
      '/research/projects',
      {
        organizationSlug: 'hpu', title: 'Bad', abstractMd: 'An abstract of some length.', status: 'active', startDate: '2026-05-01', endDate: '2026-04-01',
        people: [{ name: 'X', role: 'pi', orcid: '0000-0002-1825-0098' }],
        funding: [{ funder: 'F', amountMinor: 100, currency: 'ABC' }],
      },
      researcher,
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['endDate', 'funding.0.currency', 'people.0.orcid']);
    expect(res.body.error.fields['people.0.orcid'][0]).toMatch(/check digit/);
  });

  it('publishes a working paper, then a second version with a changelog; both readable, diffable and citable', async () => {
    const f = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'working_paper', title: 'Inventory finance', titleZh: '库存融资与跨境物流', licence: 'CC-BY-4.0', access: 'open', doi: 'https://doi.org/10.5555/SCF.2026' }, researcher);
    expect(f.status).toBe(201);
    findingId = f.body.id;
    expect(f.body.doi).toBe('10.5555/SCF.2026');
    const dup = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'report', title: 'Copy', licence: 'CC-BY-4.0', access: 'open', doi: 'doi:10.5555/scf.2026' }, researcher);
    expect(dup.status).toBe(409);

    expect((await server.api.post(`/research/findings/${findingId}/versions`, { bodyMd: '# 结果\n\n融资成本下降 5%。' }, researcher)).body).toEqual({ number: 1, publishedAt: null });
    expect((await server.api.get(`/research/findings/${findingId}`)).status).toBe(404); // a draft is not public
    expect((await server.api.post(`/research/findings/${findingId}/publish`, {}, stranger)).status).toBe(404);
    expect((await server.api.post(`/research/findings/${findingId}/publish`, {}, researcher)).body).toMatchObject({ number: 1, status: 'published' });

    const noChangelog = await server.api.post(`/research/findings/${findingId}/versions`, { bodyMd: 'v2' }, industry);
    expect(noChangelog.status).toBe(400);
    expect(noChangelog.body.error.fields.changelog).toBeDefined();
    expect((await server.api.post(`/research/findings/${findingId}/versions`, { bodyMd: '# 结果\n\n融资成本下降 7%。', changelog: 'Corrected the figure' }, industry)).status).toBe(201);
    expect((await server.api.post(`/research/findings/${findingId}/publish`, {}, industry)).body.number).toBe(2);

    const editPublished = await server.api.patch(`/research/findings/${findingId}/versions/1`, { bodyMd: 'rewritten' }, researcher);
    expect(editPublished.status).toBe(409);

    const pub = await server.api.get(`/research/findings/${findingId}`);
    expect(pub.body.versions.map((v: any) => [v.number, v.bodyMd, v.changelog])).toEqual([
      [1, '# 结果\n\n融资成本下降 5%。', null],
      [2, '# 结果\n\n融资成本下降 7%。', 'Corrected the figure'],
    ]);
    const diff = await server.api.get(`/research/findings/${findingId}/diff?from=1&to=2`);
    expect(diff.body.html).toBe('# 结果\n\n融资成本下降 <del>5</del><ins>7</ins>%。');

    const bib = await fetch(`${server.url}/api/v1/research/findings/${findingId}/versions/1/cite?format=bibtex&lang=zh-cn`);
    expect(bib.headers.get('content-type')).toMatch(/application\/x-bibtex/);
    const bibText = await bib.text();
    expect(bibText).toMatch(/^@techreport\{finding\d+v1_\d{4},/);
    expect(bibText).toContain('title = {{库存融资与跨境物流}}');
    expect(bibText).toContain('author = {{孙悦}}');
    expect(bibText).toContain('doi = {10.5555/SCF.2026}');
    const ris = await (await fetch(`${server.url}/api/v1/research/findings/${findingId}/versions/2/cite?format=ris`)).text();
    const tags = Object.fromEntries(ris.trim().split('\r\n').map((l) => [l.slice(0, 2), l.slice(6)]));
    expect(tags).toMatchObject({ TY: 'RPRT', TI: 'Inventory finance', AU: '孙悦', DO: '10.5555/SCF.2026', ET: 'Version 2', PB: 'hpu' });
    const csl = JSON.parse(await (await fetch(`${server.url}/api/v1/research/findings/${findingId}/versions/2/cite?format=csl-json`)).text());
    expect(csl[0]).toMatchObject({ type: 'report', genre: 'Working paper', version: '2', DOI: '10.5555/SCF.2026', author: [{ literal: '孙悦' }] });
    expect((await server.api.get(`/research/findings/${findingId}/versions/3/cite?format=ris`)).status).toBe(404);
    expect((await server.api.get(`/research/findings/${findingId}/versions/1/cite?format=docx`)).status).toBe(400);
  });

  it('describes the finding to machines: citation_* meta tags and schema.org JSON-LD', async () => {
    const html = await (await fetch(`${server.url}/en/research/findings/${findingId}?v=2`)).text();
    expect(html).toContain('<meta name="citation_title" content="Inventory finance">');
    expect(html).toContain('<meta name="citation_author" content="孙悦">');
    expect(html).toContain('<meta name="citation_doi" content="10.5555/SCF.2026">');
    const ld = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
    expect(ld).toContainEqual(expect.objectContaining({ '@type': 'ScholarlyArticle', version: '2', name: 'Inventory finance', sourceOrganization: expect.objectContaining({ '@type': 'ResearchProject' }) }));
    const project = await (await fetch(`${server.url}/research/projects/${projectId}`)).text();
    expect(project).toContain('"@type":"ResearchProject"');
    const doc = await server.api.get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/research/projects', '/research/findings/{id}/versions/{n}/cite']));
  });

  it('shows every page in both languages without untranslated keys, and pages the browse list', async () => {
    for (const path of ['/research', `/research/projects/${projectId}`, `/research/findings/${findingId}?from=1&to=2`]) {
      for (const prefix of ['', '/en']) {
        const res = await fetch(`${server.url}${prefix}${path}`);
        expect(res.status, prefix + path).toBe(200);
        expect((await res.text()).match(/\bresearch\.[a-zA-Z]+\.?[a-zA-Z]*/g) ?? [], prefix + path).toEqual([]);
      }
    }
    const zh = await (await fetch(`${server.url}/research/projects/${projectId}`)).text();
    expect(zh).toContain('跨境卖家供应链金融');
    expect(zh).toContain('产业合作伙伴');
    expect(zh).toContain('¥500,000.00');
    await server.api.post('/research/projects', { organizationSlug: 'hpu', title: 'Second project', abstractMd: 'Another abstract here.', status: 'planned', startDate: '2025-01-01' }, researcher);
    const first = await server.api.get('/research/projects?perPage=1&page=1');
    const second = await server.api.get('/research/projects?perPage=1&page=2');
    expect(first.body.total).toBe(2);
    expect(first.body.items[0].id).not.toBe(second.body.items[0].id);
    const page = await (await fetch(`${server.url}/en/research?perPage=1`)).text();
    expect(page).toContain('href="/en/research?perPage=1&amp;page=2" rel="next"');
  });

  it('filters the browse list by an organization typed in a search box (a slug or part of a name), not picked from thousands of options', async () => {
    const titles = async (q: string) => {
      const html = await (await fetch(`${server.url}/en/research?${q}`)).text();
      expect(html).not.toContain('<option value="pujiang"');
      return ['Supply chain finance for cross-border sellers', 'Second project'].filter((t) => html.includes(t));
    };
    expect(await titles('organization=pujiang')).toEqual(['Supply chain finance for cross-border sellers']);
    expect(await titles('organization=UJI')).toEqual(['Supply chain finance for cross-border sellers']);
    expect(await titles(`organization=${encodeURIComponent('hpu 中文')}`)).toEqual(['Supply chain finance for cross-border sellers', 'Second project']);
    expect(await titles('organization=%25')).toEqual([]);
    expect(await (await fetch(`${server.url}/en/research?organization=pujiang`)).text()).toMatch(/<input id="filter-org" name="organization" type="search" value="pujiang"/);
    // the API keeps the exact slug
    expect((await server.api.get('/research/projects?organization=uji')).body.total).toBe(0);
    expect((await server.api.get('/research/projects?organization=pujiang')).body.total).toBe(1);
  });

  it('finds the Chinese finding by a two-character word through the search API', async () => {
    const res = await server.api.get(`/search?q=${encodeURIComponent('物流')}&type=finding`);
    expect(res.status).toBe(200);
    expect(res.body.hits.map((h: any) => h.id)).toContain(String(findingId));
  });

  it('lists the finding in the Atom feed, and an admin’s unpublish takes it out of feed and search', async () => {
    const tricky = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'report', title: 'R&D <costs> "2026"', licence: 'MIT', access: 'metadata_only' }, researcher);
    await server.api.post(`/research/findings/${tricky.body.id}/versions`, { bodyMd: 'x' }, researcher);
    await server.api.post(`/research/findings/${tricky.body.id}/publish`, {}, researcher);
    const feed = await fetch(`${server.url}/research/feed.atom?lang=en`);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const xml = await feed.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain(`/en/research/findings/${findingId}`);
    expect(xml).toContain('<title>R&amp;D &lt;costs&gt; &quot;2026&quot;</title>');
    expect(xml).not.toContain('<costs>');
    expect((await server.api.post(`/research/findings/${findingId}/unpublish`, { reason: 'Under review' }, researcher)).status).toBe(403);
    expect((await server.api.post(`/research/findings/${findingId}/unpublish`, { reason: 'Under review' }, admin)).status).toBe(200);
    expect(await (await fetch(`${server.url}/research/feed.atom`)).text()).not.toContain(`/research/findings/${findingId}`);
    const search = await server.api.get(`/search?q=${encodeURIComponent('物流')}&type=finding`);
    expect(search.body.hits.map((h: any) => h.id)).not.toContain(String(findingId));
    expect((await server.api.get(`/research/findings/${findingId}`)).status).toBe(404);
    expect((await server.api.get(`/research/findings/${findingId}`, researcher)).body.status).toBe('unpublished');
  });
});

describe('permissions', () => {
  it('answers 401 without a token, 403 to a stranger on a public project, 404 on a hidden one', async () => {
    expect((await server.api.patch(`/research/projects/${projectId}`, { acronym: 'X' })).status).toBe(401);
    expect((await server.api.patch(`/research/projects/${projectId}`, { acronym: 'X' }, stranger)).status).toBe(403);
    expect((await server.api.patch(`/research/projects/${projectId}`, { acronym: 'SCF-2' }, industry)).status).toBe(200);
    const hidden = await server.api.post('/research/projects', { organizationSlug: 'unverified-lab', title: 'Hidden work', abstractMd: 'Not public until verified.', status: 'planned', startDate: '2026-01-01' }, researcher);
    expect(hidden.status).toBe(201);
    expect((await server.api.get(`/research/projects/${hidden.body.id}`)).status).toBe(404);
    expect((await server.api.patch(`/research/projects/${hidden.body.id}`, { acronym: 'X' }, stranger)).status).toBe(404);
    expect((await server.api.post('/research/projects', { organizationSlug: 'hpu', title: 'Not mine', abstractMd: 'Some abstract text.', status: 'planned', startDate: '2026-01-01' }, stranger)).status).toBe(403);
  });

  it('hides an embargoed body from the public but not from the project’s people', async () => {
    const f = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'dataset', title: 'Embargoed data', licence: 'CC0-1.0', access: 'embargoed', embargoUntil: '2099-01-01' }, researcher);
    await server.api.post(`/research/findings/${f.body.id}/versions`, { bodyMd: 'secret table' }, researcher);
    await server.api.post(`/research/findings/${f.body.id}/publish`, {}, researcher);
    const pub = await server.api.get(`/research/findings/${f.body.id}`, stranger);
    expect(pub.body).toMatchObject({ title: 'Embargoed data', bodyVisible: false, versions: [{ number: 1, bodyMd: null }] });
    const page = await (await fetch(`${server.url}/en/research/findings/${f.body.id}`)).text();
    expect(page).toContain('Embargoed data');
    expect(page).not.toContain('secret table');
    expect((await server.api.get(`/research/findings/${f.body.id}`, researcher)).body.versions[0].bodyMd).toBe('secret table');
  });
});
