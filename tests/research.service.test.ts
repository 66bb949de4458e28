/** Research registry services on a real migrated SQLite file: permissions, embargo, immutability, diff, search. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, notifications, organizations, researchFindingVersions, users } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { diffVersions } from '../src/lib/research/diff';
import { getFinding, getProject, listProjects } from '../src/lib/research/queries';
import { projectInput } from '../src/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding, unpublishFinding, updateDraftVersion, updateProject } from '../src/lib/research/service';
import { searchIndex } from '../src/lib/search';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

function makeUser(id: string, roles: SessionUser['roles'] = []): SessionUser {
  db.insert(users).values({ id, email: `${id}@example.com`, displayName: id, passwordHash: 'x', emailVerifiedAt: new Date() }).run();
  return { id, email: `${id}@example.com`, displayName: id, locale: 'en', roles };
}

function makeOrg(slug: string, status: 'verified' | 'pending', editor?: SessionUser) {
  const org = db.insert(organizations).values({ slug, name: slug, nameZh: `${slug}中文`, type: 'university', status }).returning().get();
  if (editor) db.insert(memberships).values({ organizationId: org.id, userId: editor.id, role: 'editor' }).run();
  return org;
}

const base = {
  title: 'Cross-border e-commerce supply chain finance',
  titleZh: '跨境电商供应链金融研究',
  abstractMd: 'We study **financing** for small sellers.',
  status: 'active' as const,
  startDate: '2026-01-01',
};

let editor: SessionUser, researcher: SessionUser, stranger: SessionUser, admin: SessionUser, partnerOwner: SessionUser;
let uni: { slug: string }, company: { slug: string }, pendingOrg: { slug: string };

beforeAll(() => {
  editor = makeUser('editor');
  researcher = makeUser('researcher');
  stranger = makeUser('stranger');
  admin = makeUser('admin', ['admin']);
  partnerOwner = makeUser('partner-owner');
  uni = makeOrg('uni', 'verified', editor);
  company = makeOrg('company', 'verified');
  db.insert(memberships).values({ organizationId: db.select().from(organizations).where(eq(organizations.slug, 'company')).get()!.id, userId: partnerOwner.id, role: 'owner' }).run();
  pendingOrg = makeOrg('pending-org', 'pending', editor);
});

function newProject(overrides: Record<string, unknown> = {}) {
  return createProject(
    db,
    editor,
    projectInput.parse({
      ...base,
      organizationSlug: uni.slug,
      people: [{ name: '孙悦', role: 'pi', orcid: 'https://orcid.org/0000-0002-1825-0097', email: 'researcher@example.com' }],
      partners: [{ organizationSlug: company.slug, role: 'industry_partner' }],
      funding: [{ funder: 'Shanghai Science Fund', awardNumber: 'SSF-1', amountMinor: 250000000, currency: 'CNY' }],
      corridors: [{ origin: 'CN', destination: 'DE' }],
      topics: ['payments_finance'],
      ...overrides,
    }),
  );
}

describe('projects', () => {
  it('records people with normalized ORCID iDs, partners, funding, and notifies who is added', () => {
    const p = newProject();
    const view = getProject(db, null, p.id);
    expect(view.people[0]).toMatchObject({ name: '孙悦', orcid: '0000-0002-1825-0097', role: 'pi', userId: researcher.id });
    expect(view.organizations.map((o) => [o.slug, o.role])).toEqual([['uni', 'lead'], ['company', 'industry_partner']]);
    expect(view.funding[0]).toMatchObject({ amountMinor: 250000000, currency: 'CNY' });
    const notes = db.select().from(notifications).all();
    expect(notes.map((n) => n.userId).sort()).toEqual([partnerOwner.id, researcher.id].sort());
    expect(db.select().from(auditLog).where(eq(auditLog.action, 'research.project_created')).all()).toHaveLength(1);
  });

  it('refuses an end date before the start date, in the schema and in the database', () => {
    const parsed = projectInput.safeParse({ ...base, organizationSlug: 'uni', endDate: '2025-12-31' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['endDate']);
    const p = newProject();
    expect(() => updateProject(db, editor, p.id, { endDate: '2025-01-01' })).toThrow(/end date/);
    expect(() => db.$client.prepare(`UPDATE research_projects SET end_date = '2000-01-01' WHERE id = ?`).run(p.id)).toThrow(/CHECK constraint failed: research_projects_dates/);
  });

  it('lets the linked researcher and its organizations’ editors edit; others get 403, hidden projects 404', () => {
    const p = newProject();
    expect(updateProject(db, researcher, p.id, { acronym: 'SCF' }).acronym).toBe('SCF');
    expect(() => updateProject(db, stranger, p.id, { acronym: 'X' })).toThrow(expect.objectContaining({ status: 403 }));
    // The partner company's owner edits too: the brief gives every organization on the project a say.
    expect(updateProject(db, partnerOwner, p.id, { acronym: 'SCF2' }).acronym).toBe('SCF2');
    const hidden = createProject(db, editor, projectInput.parse({ ...base, organizationSlug: pendingOrg.slug }));
    expect(() => getProject(db, stranger, hidden.id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => updateProject(db, stranger, hidden.id, { acronym: 'X' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => createProject(db, stranger, projectInput.parse({ ...base, organizationSlug: uni.slug }))).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('filters the public list by status, topic, organization, corridor and year', () => {
    const p = newProject({ status: 'planned', topics: ['logistics'], corridors: [{ origin: 'CN', destination: 'BR' }], startDate: '2030-03-01' });
    const ids = (q: Record<string, unknown>) => listProjects(db, null, { page: 1, perPage: 100, ...q }).items.map((i) => i.id);
    expect(ids({ status: 'planned' })).toEqual([p.id]);
    expect(ids({ topic: 'logistics' })).toEqual([p.id]);
    expect(ids({ corridor: 'CN-BR' })).toEqual([p.id]);
    expect(ids({ corridor: 'BR' })).toEqual([p.id]);
    expect(ids({ year: 2030 })).toContain(p.id);
    expect(ids({ year: 2029 })).not.toContain(p.id);
    expect(ids({ status: 'planned', year: 2030 })).toEqual([p.id]);
    expect(ids({ organization: 'company' })).toContain(p.id);
    expect(ids({ organization: 'pending-org' })).toEqual([]);
  });
});

describe('findings and versions', () => {
  it('publishes only when the lead organization is verified', () => {
    const p = createProject(db, editor, projectInput.parse({ ...base, organizationSlug: pendingOrg.slug }));
    const f = createFinding(db, editor, p.id, { type: 'report', title: 'Draft', licence: 'CC-BY-4.0', access: 'open' } as never);
    addVersion(db, editor, f.id, { bodyMd: 'text' } as never);
    expect(() => publishFinding(db, editor, f.id)).toThrow(expect.objectContaining({ code: 'organization_not_verified' }));
  });

  it('keeps published versions immutable (service and trigger) and asks for a changelog after the first', () => {
    const p = newProject();
    const f = createFinding(db, editor, p.id, { type: 'working_paper', title: 'Paper', licence: 'CC-BY-4.0', access: 'open' } as never);
    addVersion(db, editor, f.id, { bodyMd: 'first draft' } as never);
    updateDraftVersion(db, editor, f.id, 1, { bodyMd: 'first text' } as never);
    publishFinding(db, editor, f.id);
    expect(() => updateDraftVersion(db, editor, f.id, 1, { bodyMd: 'changed' } as never)).toThrow(expect.objectContaining({ code: 'version_published' }));
    expect(() => db.$client.prepare(`UPDATE research_finding_versions SET body_md = 'sneaky' WHERE finding_id = ?`).run(f.id)).toThrow(/immutable/);
    expect(() => db.$client.prepare(`DELETE FROM research_finding_versions WHERE finding_id = ?`).run(f.id)).toThrow(/immutable/);
    expect(() => addVersion(db, editor, f.id, { bodyMd: 'second text' } as never)).toThrow(expect.objectContaining({ fields: { changelog: expect.any(Array) } }));
    addVersion(db, researcher, f.id, { bodyMd: 'second text', changelog: 'Rewrote it' } as never);
    publishFinding(db, researcher, f.id);
    const versions = db.select().from(researchFindingVersions).where(eq(researchFindingVersions.findingId, f.id)).all();
    expect(versions.map((v) => [v.number, v.bodyMd])).toEqual([[1, 'first text'], [2, 'second text']]);
    expect(() => addVersion(db, stranger, f.id, { bodyMd: 'x', changelog: 'x' } as never)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('hides an embargoed body from everyone but the project’s people until the date', () => {
    const p = newProject();
    const f = createFinding(db, editor, p.id, { type: 'article', title: 'Embargoed', licence: 'CC-BY-4.0', access: 'embargoed', embargoUntil: '2027-06-01' } as never);
    addVersion(db, editor, f.id, { bodyMd: 'secret results' } as never);
    publishFinding(db, editor, f.id, new Date('2026-12-01T00:00:00Z'));
    const before = new Date('2027-05-31T15:59:00Z'); // 23:59 in Shanghai, the day before
    const after = new Date('2027-05-31T16:00:00Z'); // 00:00 in Shanghai on 1 June
    expect(getFinding(db, null, f.id, before).bodyVisible).toBe(false);
    expect(getFinding(db, stranger, f.id, before).bodyVisible).toBe(false);
    expect(getFinding(db, admin, f.id, before).bodyVisible).toBe(false);
    expect(getFinding(db, researcher, f.id, before).bodyVisible).toBe(true);
    expect(getFinding(db, editor, f.id, before).bodyVisible).toBe(true);
    expect(getFinding(db, null, f.id, after).bodyVisible).toBe(true);
  });

  it('keeps search in step when the project changes: its findings carry the new title', async () => {
    const p = newProject();
    const f = createFinding(db, editor, p.id, { type: 'report', title: 'Quarterly report', licence: 'CC-BY-4.0', access: 'open' } as never);
    addVersion(db, editor, f.id, { bodyMd: 'Numbers.' } as never);
    publishFinding(db, editor, f.id);
    updateProject(db, editor, p.id, { title: 'Renamed zephyrproject' });
    const hits = (await searchIndex.search(db, { q: 'zephyrproject' })).hits.map((h) => `${h.type}:${h.id}`);
    expect(hits).toEqual(expect.arrayContaining([`project:${p.id}`, `finding:${f.id}`]));
  });

  it('lets an admin unpublish with a reason: audit log, out of search, editors told', async () => {
    const p = newProject();
    const f = createFinding(db, editor, p.id, { type: 'policy_brief', title: 'Brief', titleZh: '跨境物流政策简报', licence: 'CC-BY-4.0', access: 'open' } as never);
    addVersion(db, editor, f.id, { bodyMd: '海关数据显示物流成本下降。' } as never);
    publishFinding(db, editor, f.id);
    const search = () => searchIndex.search(db, { q: '物流', kinds: ['finding'] }).then((r) => r.hits.filter((h) => h.type === 'finding').map((h) => h.id));
    expect(await search()).toContain(String(f.id));
    expect(() => unpublishFinding(db, editor, f.id, 'no')).toThrow(expect.objectContaining({ status: 403 }));
    unpublishFinding(db, admin, f.id, 'Contains personal data');
    expect(await search()).not.toContain(String(f.id));
    const entry = db.select().from(auditLog).where(eq(auditLog.action, 'research.finding_unpublished')).get();
    expect(entry?.details).toEqual({ reason: 'Contains personal data' });
    expect(() => getFinding(db, stranger, f.id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(getFinding(db, editor, f.id).finding.status).toBe('unpublished');
    expect(db.select().from(notifications).where(eq(notifications.kind, 'research.finding_unpublished')).all().length).toBeGreaterThan(0);
  });
});

describe('diff', () => {
  it('marks insertions and deletions and escapes whatever the text contains', () => {
    const d = diffVersions('Costs fell <b>5%</b> in 2025.', 'Costs fell <script>alert(1)</script> 7% in 2025.');
    expect(d.html).toContain('<del>');
    expect(d.html).toContain('<ins>');
    expect(d.html).not.toMatch(/<(script|b)>/);
    expect(d.html).toContain('&lt;');
    expect(d.html).not.toContain('<script');
    // Chinese is compared word by word, not as one run of characters.
    expect(diffVersions('样本量为一百二十家卖家。', '样本量为一百四十六家卖家。').html).toBe('样本量为一百<del>二十家</del><ins>四十六家</ins>卖家。');
    const lines = diffVersions('a\nb\n', 'a\nc\n', 'lines');
    expect(lines.html).toBe('a\n<del>b\n</del><ins>c\n</ins>');
  });
});
