import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { organizations, standardBodySettings, standards, standardVersions, users } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { SEED_STANDARD_MD } from '../db/seed/standards';
import { searchIndex } from '../src/lib/search';
import { transitionStandard } from '../src/lib/standards/service';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
let body: typeof organizations.$inferSelect;

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startServer();
  tokens.outsider = await server.api.signUp('outsider@example.com'); // the server migrates its database on first use
  await seed(server.db);
  for (const name of ['standards', 'provider', 'researcher', 'student']) tokens[name] = await login(name);
  body = server.db.select().from(organizations).where(eq(organizations.slug, 'shanghai-cross-border-e-commerce-association')).get()!;
}, 120_000);
afterAll(() => server?.stop());

describe('a draft before public comment is the body’s business', () => {
  it('is hidden from non-members in the API and in search, then public once open for comment', async () => {
    const created = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Zephyrine parcel labelling', titleZh: '包裹标签规范' }, tokens.standards);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'proposed' });
    const id = created.body.id;

    expect((await server.api.get(`/standards/${id}`)).status).toBe(404);
    expect((await server.api.get(`/standards/${id}`, tokens.outsider)).status).toBe(404);
    expect((await server.api.get(`/standards/${id}`, tokens.provider)).body).toMatchObject({ id, state: 'proposed', stageCode: '00.00' });
    const listed = await server.api.get('/standards?q=Zephyrine', tokens.outsider);
    expect(listed.body.total).toBe(0);
    expect((await server.api.get('/standards?q=Zephyrine', tokens.provider)).body.total).toBe(1);
    expect((await server.api.get(`/standards/${id}/comments.csv`)).status).toBe(404);
    const page = await fetch(`${server.url}/en/standards/${id}`);
    expect(page.status).toBe(404);

    expect((await server.api.post(`/standards/${id}/transitions`, { to: 'project_approved' }, tokens.standards)).status).toBe(200);
    expect((await server.api.post(`/standards/${id}/transitions`, { to: 'drafting' }, tokens.standards)).status).toBe(200);
    const v = await server.api.post(`/standards/${id}/versions`, { bodyMd: '## 1 Scope\n\nZephyrine labels.\n\n## 2 Labels\n\n| Field | Size |\n|---|---|\n| Code | 10 mm |' }, tokens.standards);
    expect(v.status).toBe(201);
    expect(v.body.number).toBe(1);
    expect((await searchIndex.search(server.db, { q: 'Zephyrine' })).hits.filter((h) => h.type === 'standard')).toHaveLength(0);

    const open = await server.api.post(`/standards/${id}/transitions`, { to: 'public_comment', commentPeriodDays: 45 }, tokens.standards);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ state: 'public_comment', stageCode: '40.20' });
    expect((await server.api.get(`/standards/${id}`)).status).toBe(200);
    const hits = (await searchIndex.search(server.db, { q: 'Zephyrine' })).hits.filter((h) => h.type === 'standard');
    expect(hits.map((h) => h.id)).toEqual([String(id)]);
    const feed = await fetch(`${server.url}/standards/feed.atom`).then((r) => r.text());
    expect(feed).toContain('包裹标签规范');
    const bodyFeed = await fetch(`${server.url}/standards/${body.slug}/feed.atom?lang=en`).then((r) => r.text());
    expect(bodyFeed).toContain('Zephyrine parcel labelling');
  });

  it('an abandoned pre-public draft never becomes visible', async () => {
    const { body: c } = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Quillwort returns' }, tokens.standards);
    const res = await server.api.post(`/standards/${c.id}/transitions`, { to: 'abandoned', reason: 'Merged elsewhere' }, tokens.standards);
    expect(res.body).toMatchObject({ state: 'abandoned', stageCode: '00.98' });
    expect((await server.api.get(`/standards/${c.id}`)).status).toBe(404);
  });
});

describe('refusals', () => {
  it('answers 409 with the reason, 403 for the wrong role, 401 without a token', async () => {
    const { body: c } = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Refusal sample' }, tokens.standards);
    const skip = await server.api.post(`/standards/${c.id}/transitions`, { to: 'published' }, tokens.standards);
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toMatch(/cannot move to published.*project_approved/);
    expect((await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' }, tokens.provider)).status).toBe(403);
    expect((await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' })).status).toBe(401);
    expect((await server.api.post('/standards', { organizationSlug: body.slug, title: 'Not mine' }, tokens.outsider)).status).toBe(403);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'drafting' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: '## 1 Scope\n\nx' }, tokens.standards);
    const short = await server.api.post(`/standards/${c.id}/transitions`, { to: 'public_comment', commentPeriodDays: 29 }, tokens.standards);
    expect(short.status).toBe(409);
    expect(short.body.error.message).toMatch(/at least 30 days/);
    expect((await server.api.post(`/standards/${c.id}/versions`, { bodyMd: 'no numbered headings' }, tokens.standards)).status).toBe(400);
  });
});

describe('comments on the seeded standard', () => {
  it('anchor to a clause, are disposed of with a reason, notify the commenter, and fill the resolution table', async () => {
    const list = await server.api.get('/standards?body=shanghai-cross-border-e-commerce-association&stage=40.20');
    const seeded = list.body.items.find((s: { title: string }) => s.title.startsWith('Credit grading'));
    expect(seeded).toMatchObject({ state: 'public_comment', stageCode: '40.20', organization: { code: 'SCBEA' } });
    const id = seeded.id;

    const bad = await server.api.post(`/standards/${id}/comments`, { clause: '9.9', type: 'technical', text: 'x' }, tokens.outsider);
    expect(bad.status).toBe(400);
    expect((await server.api.post(`/standards/${id}/comments`, { clause: '5.1', type: 'technical', text: 'x' })).status).toBe(401);
    const c = await server.api.post(`/standards/${id}/comments`, { clause: '5.1', type: 'technical', text: 'B band too wide, "really"', proposedChange: '=B: 65–69' }, tokens.outsider);
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ version: 1, clause: '5.1' });

    expect((await server.api.post(`/standards/comments/${c.body.id}/disposition`, { decision: 'noted', reason: 'x' }, tokens.outsider)).status).toBe(403);
    const d = await server.api.post(`/standards/comments/${c.body.id}/disposition`, { decision: 'partially_accepted', reason: 'Narrowed to 62–69.', resolvedInVersion: 1 }, tokens.standards);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ decision: 'partially_accepted', resolvedInVersion: 1 });
    const outsiderId = server.db.select().from(users).where(eq(users.email, 'outsider@example.com')).get()!.id;
    const notes = await server.api.get('/me', tokens.outsider);
    expect(notes.status).toBe(200);
    const rows = server.db.$client.prepare('select title, url from notifications where user_id = ?').all(outsiderId) as { title: string; url: string }[];
    expect(rows.some((r) => r.title.endsWith('：部分采纳') && r.url.includes(`/standards/${id}/resolution#comment-${c.body.id}`))).toBe(true);

    const csv = await fetch(`${server.url}/api/v1/standards/${id}/comments.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('序号 No.');
    expect(text).toContain('"B band too wide, ""really"""');
    expect(text).toContain(`"'=B: 65–69"`); // formula injection defused
    expect(text).toContain('部分采纳 partially_accepted');
    const html = await fetch(`${server.url}/standards/${id}/resolution`).then((r) => r.text());
    expect(html).toContain('征求意见汇总处理表');
    expect(html).toContain('Narrowed to 62–69.');
  });
});

describe('diff', () => {
  it('compares two versions clause by clause', async () => {
    const { body: c } = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Diff sample' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'drafting' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: SEED_STANDARD_MD }, tokens.standards);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: SEED_STANDARD_MD.replace('| AAA | ≥ 90 |', '| AAA | ≥ 92 |') }, tokens.standards);
    const d = await server.api.get(`/standards/${c.id}/diff?from=1&to=2`, tokens.standards);
    expect(d.status).toBe(200);
    const changed = d.body.clauses.filter((x: { status: string }) => x.status !== 'unchanged');
    expect(changed.map((x: { id: string }) => x.id)).toEqual(['5.1']);
    expect(changed[0].tables[0].rows[1].cells[1]).toEqual({ status: 'changed', old: '≥ 90', new: '≥ 92' });
    const page = await fetch(`${server.url}/en/standards/${c.id}/diff?from=1&to=2`);
    expect(page.status).toBe(404); // still a members-only draft, and this request has no session
  });
});

describe('comments carried forward to a new version', () => {
  it('follow a clause renumbered by an insertion, and say when it was also edited, in the API and on both pages', async () => {
    const { body: c } = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Carry-forward sample' }, tokens.standards);
    for (const to of ['project_approved', 'drafting']) expect((await server.api.post(`/standards/${c.id}/transitions`, { to }, tokens.standards)).status).toBe(200);
    const v1 = '## 4 Indicators\n\n### 4.1 Fulfilment\n\nOn-time delivery is measured over 12 months of orders.\n\n### 4.2 Returns\n\nReturns are refunded within 7 days of receipt by the seller.\n\n### 4.3 Complaints\n\nComplaints are counted per thousand orders and weighed by severity.';
    expect((await server.api.post(`/standards/${c.id}/versions`, { bodyMd: v1 }, tokens.standards)).status).toBe(201);
    expect((await server.api.post(`/standards/${c.id}/transitions`, { to: 'member_consultation' }, tokens.standards)).status).toBe(200);
    const on42 = await server.api.post(`/standards/${c.id}/comments`, { clause: '4.2', type: 'technical', text: 'Seven days is too long.' }, tokens.provider);
    const on43 = await server.api.post(`/standards/${c.id}/comments`, { clause: '4.3', type: 'editorial', text: 'Define severity.' }, tokens.provider);
    expect([on42.status, on43.status]).toEqual([201, 201]);
    expect((await server.api.post(`/standards/${c.id}/transitions`, { to: 'drafting' }, tokens.standards)).status).toBe(200);
    // v2 inserts a new 4.2; the old 4.2 becomes 4.3 and is edited, the old 4.3 becomes 4.4 untouched
    const v2 = v1
      .replace('### 4.2 Returns', '### 4.2 Logistics\n\nParcels are tracked from the bonded warehouse to the door.\n\n### 4.3 Returns')
      .replace('### 4.3 Complaints', '### 4.4 Complaints')
      .replace('within 7 days', 'within 5 days');
    expect((await server.api.post(`/standards/${c.id}/versions`, { bodyMd: v2 }, tokens.standards)).status).toBe(201);

    const comments = await server.api.get(`/standards/${c.id}/comments`, tokens.standards);
    expect(comments.status).toBe(200);
    const carried = Object.fromEntries(comments.body.items.map((x: { id: number; carriedForward: unknown }) => [x.id, x.carriedForward]));
    expect(carried[on42.body.id]).toEqual({ status: 'moved', clause: '4.3', moved: true, changed: true });
    expect(carried[on43.body.id]).toEqual({ status: 'moved', clause: '4.4', moved: true, changed: false });

    const page = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie: `portal_session=${tokens.standards}` } }).then((r) => r.text());
    const en = await page(`/en/standards/${c.id}`);
    const zh = await page(`/standards/${c.id}`);
    // each comment sits under the clause its text went to
    const section = (html: string, clause: string) => html.slice(html.indexOf(`id="clause-${clause}"`), html.indexOf('</section>', html.indexOf(`id="clause-${clause}"`)));
    expect(section(en, '4.3')).toContain('Seven days is too long.');
    expect(section(en, '4.3')).toContain('made on version 1 clause 4.2; now 4.3, and changed');
    expect(section(en, '4.4')).toContain('made on version 1 clause 4.3; now 4.4<');
    expect(section(en, '4.2')).not.toContain('Seven days is too long.');
    expect(section(zh, '4.3')).toContain('针对第 1 版 4.2 提出，现为 4.3，且已修改');
    const resolution = await page(`/en/standards/${c.id}/resolution`);
    expect(resolution).toContain('made on version 1 clause 4.2; now 4.3, and changed');
    const csv = await fetch(`${server.url}/api/v1/standards/${c.id}/comments.csv`, { headers: { authorization: `Bearer ${tokens.standards}` } }).then((r) => r.text());
    expect(csv).toContain('已移至 4.3 并修改 moved to 4.3 and changed');
  });
});

describe('publication numbers', () => {
  it('are gapless and unique when several standards are published at once, from the server and another process', async () => {
    const now = new Date();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = server.db
        .insert(standards)
        .values({ organizationId: body.id, title: `Concurrent ${i}`, state: 'approved', stageCode: '50.99', everPublic: true, createdBy: 'demo-standards', createdAt: now, updatedAt: now })
        .returning()
        .get();
      server.db.insert(standardVersions).values({ standardId: s.id, number: 1, bodyMd: '## 1 Scope\n\nx', createdBy: 'demo-standards', createdAt: now }).run();
      ids.push(s.id);
    }
    const requests = ids.slice(0, 4).map((id) => server.api.post(`/standards/${id}/transitions`, { to: 'published', effectiveDate: '2099-01-01' }, tokens.standards));
    // meanwhile this test process, on its own connection to the same file, publishes the fifth
    const editor = { id: 'demo-standards', email: 'standards@demo.portal.test', displayName: 'x', locale: 'zh-cn', roles: [] };
    const local = transitionStandard(server.db, editor, ids[4]!, { to: 'published' }).standard.number;
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const year = now.getUTCFullYear();
    const numbers = [...results.map((r) => r.body.number as string), local!].sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => `T/SCBEA 00${n}—${year}`));
    const detail = await server.api.get(`/standards/${ids[0]}`);
    expect(detail.body).toMatchObject({ state: 'published', stageCode: '60.60', effectiveDate: '2099-01-01' });
    expect(detail.body.number).toMatch(/^T\/SCBEA 00\d—\d{4}$/);
    const html = await fetch(`${server.url}/en/standards/${ids[0]}`).then((r) => r.text());
    expect(html).toContain(detail.body.number);
    expect(html).toContain('Effective 1 Jan 2099'); // formatted like every other date on the page
    expect(html).toContain(`Review due by`);
  });
});

describe('pages', () => {
  const page = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { cookie: `portal_session=${token}` } : {} });

  it('the ballot panel explains what is still needed, and members vote through the API', async () => {
    const now = new Date();
    const s = server.db
      .insert(standards)
      .values({ organizationId: body.id, title: 'Ballot sample', titleZh: '投票样例', state: 'review_ballot', stageCode: '50.00', everPublic: true, ballotRound: 1, createdBy: 'demo-standards', createdAt: now, updatedAt: now })
      .returning()
      .get();
    server.db.insert(standardVersions).values({ standardId: s.id, number: 1, bodyMd: '## 1 Scope\n\nx', createdBy: 'demo-standards', createdAt: now }).run();
    // eligible: provider and researcher (standards@ drafted version 1); quorum 2 of 2
    expect((await server.api.post(`/standards/${s.id}/ballot/votes`, { position: 'approve' }, tokens.standards)).status).toBe(403);
    expect((await server.api.post(`/standards/${s.id}/ballot/votes`, { position: 'disapprove' }, tokens.provider)).status).toBe(400);
    expect((await server.api.post(`/standards/${s.id}/ballot/votes`, { position: 'approve' }, tokens.provider)).status).toBe(200);
    let html = await page(`/en/standards/${s.id}`, tokens.researcher).then((r) => r.text());
    expect(html).toContain('Turnout: 1 of 2; quorum 2.');
    expect(html).toContain('1 more voters to reach the quorum');
    expect(html).toContain('name="position"'); // the researcher may vote
    const refused = await server.api.post(`/standards/${s.id}/transitions`, { to: 'approved' }, tokens.standards);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/quorum is not met: 1 of 2/);
    await server.api.post(`/standards/${s.id}/ballot/votes`, { position: 'disapprove', reason: 'Grades too coarse' }, tokens.researcher);
    html = await page(`/en/standards/${s.id}`, tokens.researcher).then((r) => r.text());
    expect(html).toContain('Your vote: Disapprove');
    expect(html).toContain('at least 3 approvals (2 more)');
    await server.api.post(`/standards/${s.id}/ballot/votes`, { position: 'approve' }, tokens.researcher); // changed before the ballot closes
    const approved = await server.api.post(`/standards/${s.id}/transitions`, { to: 'approved' }, tokens.standards);
    expect(approved.body).toMatchObject({ state: 'approved', stageCode: '50.99' });
  });

  it('list filters, diff page, resolution table and feeds render', async () => {
    const list = await page('/en/standards?stage=public_comment').then((r) => r.text());
    expect(list).toContain('Credit grading of cross-border e-commerce sellers');
    expect(list).not.toContain('Ballot sample');
    const zh = await page('/standards?q=%E4%BF%A1%E7%94%A8').then((r) => r.text());
    expect(zh).toContain('跨境电子商务卖家信用等级评价规范');
    const { body: c } = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Diff page sample' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'project_approved' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/transitions`, { to: 'drafting' }, tokens.standards);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: SEED_STANDARD_MD }, tokens.standards);
    await server.api.post(`/standards/${c.id}/versions`, { bodyMd: SEED_STANDARD_MD.replace('| AAA | ≥ 90 |', '| AAA | ≥ 92 |').replace('近 12 个月', '近 24 个月') }, tokens.standards);
    const diff = await page(`/en/standards/${c.id}/diff?from=1&to=2`, tokens.provider);
    expect(diff.status).toBe(200);
    const html = await diff.text();
    expect(html).toContain('2 of 15 clauses differ.');
    expect(html).toMatch(/<del[^>]*>≥ 90<\/del>\s*<ins[^>]*>≥ 92<\/ins>/);
    expect((await page(`/en/standards/${c.id}/diff?from=1&to=2`, tokens.outsider)).status).toBe(404);
    expect((await page('/standards/no-such-body/feed.atom')).status).toBe(404);
    await seed(server.db); // idempotent: no third copy of the demo standard
    const again = await server.api.get('/standards?q=Credit%20grading%20of%20cross-border');
    // the drafting demo's copy in public comment, and the published one the credit scheme rests on
    expect(again.body.items.map((s: { state: string }) => s.state).sort()).toEqual(['public_comment', 'published']);
  });
});

describe('ballot rules per body', () => {
  it('the owner sets them through the form; nobody else can reach it', async () => {
    const page = (path: string, token?: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, redirect: 'manual', headers: { ...(token ? { cookie: `portal_session=${token}` } : {}), ...(init.headers ?? {}) } });
    expect((await page(`/en/standards/rules/${body.slug}`, tokens.provider)).status).toBe(404);
    expect((await page(`/en/standards/rules/${body.slug}`)).status).toBe(404);
    const form = await page(`/en/standards/rules/${body.slug}`, tokens.standards).then((r) => r.text());
    expect(form).toContain('value="2"');
    const action = form.match(/action="([^"]*ballotRules[^"]*)"/)![1]!.replace(/&amp;/g, '&');
    const post = (token: string, fields: Record<string, string>) =>
      page(action.startsWith('/') ? action : `/en/standards/rules/${body.slug}${action}`, token, {
        method: 'POST',
        body: new URLSearchParams({ organizationSlug: body.slug, ...fields }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      });
    const bad = await post(tokens.standards, { quorumNumerator: '4', quorumDenominator: '3', passNumerator: '1', passDenominator: '2' });
    expect(await bad.text()).toContain('A share cannot exceed the whole.');
    const refused = await post(tokens.provider, { quorumNumerator: '1', quorumDenominator: '2', passNumerator: '1', passDenominator: '2' });
    expect(refused.status).not.toBe(303);
    const ok = await post(tokens.standards, { quorumNumerator: '1', quorumDenominator: '2', passNumerator: '1', passDenominator: '2' });
    expect(ok.status).toBe(303);
    const rules = server.db.select().from(standardBodySettings).where(eq(standardBodySettings.organizationId, body.id)).get();
    expect(rules).toMatchObject({ quorumNumerator: 1, quorumDenominator: 2, passNumerator: 1, passDenominator: 2 });
    server.db.delete(standardBodySettings).run();
  });
});

describe('a standard with many comments (issue 17)', () => {
  it('pages the comment table and the API, keeps the CSV whole, and shows readers the latest few comments of a clause', async () => {
    const created = await server.api.post('/standards', { organizationSlug: body.slug, title: 'Much-discussed parcel seals' }, tokens.standards);
    const id = created.body.id as number;
    for (const to of ['project_approved', 'drafting']) expect((await server.api.post(`/standards/${id}/transitions`, { to }, tokens.standards)).status).toBe(200);
    expect((await server.api.post(`/standards/${id}/versions`, { bodyMd: '## 1 Scope\n\nParcel seals.\n\n## 2 Seals\n\nSeals are tamper-evident.' }, tokens.standards)).status).toBe(201);
    expect((await server.api.post(`/standards/${id}/transitions`, { to: 'public_comment', commentPeriodDays: 45 }, tokens.standards)).status).toBe(200);
    const ids: number[] = [];
    for (let i = 1; i <= 55; i++) {
      const c = await server.api.post(`/standards/${id}/comments`, { clause: '2', type: 'technical', text: `Comment number ${i}.` }, tokens.outsider);
      expect(c.status).toBe(201);
      ids.push(c.body.id);
    }

    const first = await server.api.get(`/standards/${id}/comments`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 55, open: 55, page: 1, perPage: 20, pages: 3 });
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[0]).toMatchObject({ serial: 1, text: 'Comment number 1.' });
    expect((await server.api.get(`/standards/${id}/comments?perPage=50`)).body.items).toHaveLength(50);
    const second = await server.api.get(`/standards/${id}/comments?page=2&perPage=50`);
    expect(second.body.items.map((c: { serial: number }) => c.serial)).toEqual([51, 52, 53, 54, 55]);
    expect(second.body.items[4].text).toBe('Comment number 55.');
    expect((await server.api.get(`/standards/${id}/comments?perPage=10&page=6`)).body.items.map((c: { text: string }) => c.text)).toEqual(['Comment number 51.', 'Comment number 52.', 'Comment number 53.', 'Comment number 54.', 'Comment number 55.']);
    expect((await server.api.get(`/standards/${id}/comments?perPage=101`)).status).toBe(400);
    const csv = await fetch(`${server.url}/api/v1/standards/${id}/comments.csv`).then((r) => r.text());
    expect(csv).toContain('Comment number 1.');
    expect(csv).toContain('Comment number 55.');

    const table = async (q = '') => {
      const res = await fetch(`${server.url}/en/standards/${id}/resolution${q}`);
      return { status: res.status, html: await res.text() };
    };
    const p1 = await table();
    expect(p1.html).toContain('55 comments, 55 awaiting disposition');
    expect(p1.html).toContain('Comment number 50.');
    expect(p1.html).not.toContain('Comment number 51.');
    expect(p1.html).toContain(`href="/en/standards/${id}/resolution?page=2" rel="next"`);
    const p2 = await table('?page=2');
    expect(p2.html).toContain('Comment number 55.');
    expect(p2.html).not.toContain('Comment number 1.');
    expect(p2.html).toMatch(/<td[^>]*>51<\/td>/);
    expect((await table('?page=3')).status).toBe(404);
    expect((await table('?page=0')).status).toBe(404);

    // a reader sees the latest three comments of the clause and a link to the table; the body's editor sees them all, each with its form
    const reader = await fetch(`${server.url}/en/standards/${id}`).then((r) => r.text());
    expect(reader.match(/data-testid="comment"/g)).toHaveLength(3);
    expect(reader).toContain('Comment number 55.');
    expect(reader).not.toContain('Comment number 52.');
    expect(reader).toContain('52 earlier comments: see the comment-resolution table');
    const editor = await fetch(`${server.url}/en/standards/${id}`, { headers: { cookie: `portal_session=${tokens.standards}` } }).then((r) => r.text());
    expect(editor.match(/data-testid="comment"/g)).toHaveLength(55);

    // the commenter's notice links to the page of the table that has the comment
    expect((await server.api.post(`/standards/comments/${ids[52]}/disposition`, { decision: 'noted', reason: 'Seen.' }, tokens.standards)).status).toBe(200);
    expect((await server.api.post(`/standards/comments/${ids[0]}/disposition`, { decision: 'noted', reason: 'Seen.' }, tokens.standards)).status).toBe(200);
    const urls = (server.db.$client.prepare('select url from notifications where url like ?').all(`/standards/${id}/resolution%`) as { url: string }[]).map((r) => r.url);
    expect(urls).toContain(`/standards/${id}/resolution?page=2#comment-${ids[52]}`);
    expect(urls).toContain(`/standards/${id}/resolution#comment-${ids[0]}`);
    expect((await server.api.get(`/standards/${id}/comments`)).body).toMatchObject({ total: 55, open: 53 });

    // twenty newer comments elsewhere: the page shows readers none of the older ones, only counts and the link
    for (let i = 1; i <= 20; i++) expect((await server.api.post(`/standards/${id}/comments`, { clause: '1', type: 'editorial', text: `Scope comment ${i}.` }, tokens.outsider)).status).toBe(201);
    const later = await fetch(`${server.url}/en/standards/${id}`).then((r) => r.text());
    expect(later.match(/data-testid="comment"/g)).toHaveLength(3);
    expect(later).toContain('Scope comment 20.');
    expect(later).not.toContain('Comment number 55.');
    expect(later).toContain('55 earlier comments: see the comment-resolution table');
    expect(later).toContain('17 earlier comments: see the comment-resolution table');
  }, 120_000);
});
