/**
 * The research forms as a browser posts them (no JavaScript): authorization happens in the
 * service (a stranger's post changes nothing), rows keep their errors, publishing needs a
 * changelog after the first version, and an admin unpublishes with a reason.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, organizations, researchProjectPeople, researchProjects, userRoles, users } from '../db/schema';
import { postForm, verifyEmail } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let owner: string, stranger: string, admin: string;
let projectId: number;

beforeAll(async () => {
  server = await startServer();
  owner = await server.api.signUp('owner@uni.test', '孙悦');
  await verifyEmail(server, 'owner@uni.test'); // a person is linked to a verified account only
  stranger = await server.api.signUp('stranger@example.test');
  admin = await server.api.signUp('admin@example.test');
  const adminId = server.db.select().from(users).where(eq(users.email, 'admin@example.test')).get()!.id;
  server.db.insert(userRoles).values({ userId: adminId, role: 'admin' }).run();
  const org = server.db.insert(organizations).values({ slug: 'uni', name: 'Uni', nameZh: '大学', type: 'university', status: 'verified' }).returning().get();
  server.db.insert(organizations).values({ slug: 'firm', name: 'Firm', type: 'company', status: 'verified' }).run();
  const ownerId = server.db.select().from(users).where(eq(users.email, 'owner@uni.test')).get()!.id;
  server.db.insert(memberships).values({ organizationId: org.id, userId: ownerId, role: 'editor' }).run();
});
afterAll(() => server?.stop());

const projectFields = {
  organizationSlug: 'uni',
  title: 'Returns logistics',
  titleZh: '跨境退货物流',
  abstractMd: 'How returns flow back across borders.',
  status: 'active',
  startDate: '2026-02-01',
  endDate: '',
  keywords: '退货, returns',
  topics: ['logistics', 'customs_compliance'],
  personName: ['孙悦', '', 'Li Lei'],
  personRole: ['pi', 'researcher', 'researcher'],
  personOrcid: ['', '', '0000-0002-1825-0098'],
  personEmail: ['owner@uni.test', '', ''],
  partnerSlug: ['firm', ''],
  partnerRole: ['industry_partner', 'partner'],
  funder: ['City fund'],
  awardNumber: ['A-1'],
  amount: ['1,250,000.50'],
  currency: ['cny'],
  corridorOrigin: ['CN'],
  corridorDestination: ['JP'],
};

describe('the project form', () => {
  it('puts a row’s error on the row the user typed in and keeps the rows', async () => {
    const res = await postForm(server, '/en/research/projects/new', 'research.createProject', projectFields, owner);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-personOrcid-2-error"[^>]*>[^<]*check digit/);
    expect(html).toContain('value="Li Lei"');
    expect(html).toContain('value="跨境退货物流"');
  });

  it('registers the project with amounts converted to minor units, then redirects to it', async () => {
    const res = await postForm(server, '/en/research/projects/new', 'research.createProject', { ...projectFields, personOrcid: ['', '', '0000-0002-1825-0097'] }, owner);
    expect(res.status).toBe(303);
    projectId = Number(/\/en\/research\/projects\/(\d+)$/.exec(res.headers.get('location')!)![1]);
    const project = (await server.api.get(`/research/projects/${projectId}`)).body;
    expect(project).toMatchObject({
      keywords: ['退货', 'returns'],
      topics: ['logistics', 'customs_compliance'],
      corridors: [{ origin: 'CN', destination: 'JP' }],
      people: [{ name: '孙悦', role: 'pi' }, { name: 'Li Lei', orcid: '0000-0002-1825-0097' }],
      funding: [{ funder: 'City fund', awardNumber: 'A-1', amountMinor: 125000050, currency: 'CNY' }],
    });
    expect(project.organizations.map((o: any) => [o.slug, o.role])).toEqual([['uni', 'lead'], ['firm', 'industry_partner']]);
  });

  it('refuses a stranger’s edit in the service, whatever the form says', async () => {
    const res = await postForm(server, `/en/research/projects/${projectId}/edit`, 'research.updateProject', { ...projectFields, id: String(projectId), title: 'Hijacked' }, stranger);
    expect(res.status).toBe(403);
    expect(server.db.select().from(researchProjects).where(eq(researchProjects.id, projectId)).get()!.title).toBe('Returns logistics');
    const page = await fetch(`${server.url}/en/research/projects/${projectId}/edit`, { headers: { cookie: `portal_session=${stranger}` } });
    expect(page.status).toBe(403);
  });

  it('keeps linked people linked when the edit form is saved unchanged', async () => {
    const form = await (await fetch(`${server.url}/en/research/projects/${projectId}/edit`, { headers: { cookie: `portal_session=${owner}` } })).text();
    expect(form).toContain('value="owner@uni.test"');
    const res = await postForm(server, `/en/research/projects/${projectId}/edit`, 'research.updateProject', { ...projectFields, id: String(projectId), personOrcid: ['', '', '0000-0002-1825-0097'], acronym: 'RL' }, owner);
    expect(res.status).toBe(303);
    const people = server.db.select().from(researchProjectPeople).where(eq(researchProjectPeople.projectId, projectId)).all();
    expect(people.find((p) => p.name === '孙悦')?.userId).toBeTruthy();
    expect(server.db.select().from(researchProjects).where(eq(researchProjects.id, projectId)).get()!.acronym).toBe('RL');
  });
});

describe('finding, versions and publishing through forms', () => {
  it('adds a finding and two versions, asking for a changelog the second time; an admin unpublishes with a reason', async () => {
    const created = await postForm(server, `/en/research/projects/${projectId}/findings/new`, 'research.createFinding', { projectId: String(projectId), type: 'working_paper', title: 'Returns paper', licence: 'CC-BY-4.0', access: 'open', doi: '' }, owner);
    expect(created.status).toBe(303);
    const findingId = Number(/findings\/(\d+)\/versions\/new$/.exec(created.headers.get('location')!)![1]);
    const page = `/en/research/findings/${findingId}/versions/new`;
    expect((await postForm(server, page, 'research.saveVersion', { findingId: String(findingId), bodyMd: 'First text.' }, owner)).status).toBe(303);
    expect((await postForm(server, `/en/research/findings/${findingId}`, 'research.publish', { findingId: String(findingId) }, stranger)).status).toBe(404);
    expect((await postForm(server, `/en/research/findings/${findingId}`, 'research.publish', { findingId: String(findingId) }, owner)).status).toBe(303);
    const missing = await postForm(server, page, 'research.saveVersion', { findingId: String(findingId), bodyMd: 'Second text.' }, owner);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/id="f-changelog-error"[^>]*>[^<]*Say what changed/);
    expect((await postForm(server, page, 'research.saveVersion', { findingId: String(findingId), bodyMd: 'Second text.', changelog: 'Clearer.' }, owner)).status).toBe(303);
    expect((await postForm(server, `/en/research/findings/${findingId}`, 'research.publish', { findingId: String(findingId) }, owner)).status).toBe(303);
    const html = await (await fetch(`${server.url}/en/research/findings/${findingId}?from=1&to=2`)).text();
    expect(html).toContain('<del>First</del><ins>Second</ins>');

    const details = { findingId: String(findingId), type: 'working_paper', title: 'Returns paper', licence: 'CC-BY-4.0', access: 'open' };
    expect((await postForm(server, `/en/research/findings/${findingId}/edit`, 'research.updateFinding', { ...details, doi: 'https://doi.org/10.5555/RET.1' }, stranger)).status).toBe(403);
    expect((await postForm(server, `/en/research/findings/${findingId}/edit`, 'research.updateFinding', { ...details, doi: 'https://doi.org/10.5555/RET.1' }, owner)).status).toBe(303);
    expect((await server.api.get(`/research/findings/${findingId}`)).body.doi).toBe('10.5555/RET.1');

    expect((await postForm(server, `/en/research/findings/${findingId}`, 'research.unpublish', { findingId: String(findingId), reason: 'x' }, admin)).status).toBe(400);
    expect((await postForm(server, `/en/research/findings/${findingId}`, 'research.unpublish', { findingId: String(findingId), reason: 'Plagiarism complaint' }, admin)).status).toBe(303);
    expect((await fetch(`${server.url}/en/research/findings/${findingId}`)).status).toBe(404);
    const audit = server.db.select().from(auditLog).where(eq(auditLog.action, 'research.finding_unpublished')).get();
    expect(audit).toMatchObject({ subjectId: String(findingId), details: { reason: 'Plagiarism complaint' } });
  });
});
