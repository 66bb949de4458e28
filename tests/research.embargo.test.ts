/**
 * An embargo that ends puts the finding's body into search by itself: the real server's scheduled
 * check, with the server's clock moved past midnight in Shanghai while it runs; and two processes
 * checking at once re-index a finding once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, users } from '../db/schema';
import { shanghaiDay } from '../src/i18n';
import { indexEndedEmbargoes } from '../src/lib/research/embargo';
import { findingInput, projectInput } from '../src/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding } from '../src/lib/research/service';
import { searchIndex } from '../src/lib/search';
import { testDb } from './helpers/db';
import { startServer, type TestServer } from './helpers/server';

const DAY = 86_400_000;
const clockFile = path.join(mkdtempSync(path.join(tmpdir(), 'portal-clock-')), 'offset');
let server: TestServer;
let researcher: string;
let projectId: number;

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  server = await startServer({
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(import.meta.dirname, 'helpers/clock.mjs')).href}`.trim(),
    TEST_CLOCK_FILE: clockFile,
    RESEARCH_EMBARGO_INTERVAL_MS: '200',
  });
  researcher = await server.api.signUp('embargo@uni.test', 'Researcher');
  const org = server.db.insert(organizations).values({ slug: 'emb-uni', name: 'Embargo University', type: 'university', status: 'verified', verifiedAt: new Date() }).returning().get();
  const user = server.db.select().from(users).where(eq(users.email, 'embargo@uni.test')).get()!;
  server.db.insert(memberships).values({ organizationId: org.id, userId: user.id, role: 'editor' }).run();
  const project = await server.api.post(
    '/research/projects',
    { organizationSlug: 'emb-uni', title: 'Embargo project', abstractMd: 'A project about embargoes.', status: 'active', startDate: '2026-01-01', people: [{ name: 'R', role: 'pi' }] },
    researcher,
  );
  expect(project.status).toBe(201);
  projectId = project.body.id;
});
afterAll(() => server?.stop());

const search = async (q: string) => (await server.api.get(`/search?q=${encodeURIComponent(q)}&type=finding`)).body.hits.map((h: { id: string }) => h.id);

describe('an embargo that ends', () => {
  it('makes the body findable without a reindex, once the server’s clock passes midnight in Shanghai', async () => {
    const tomorrow = shanghaiDay(Date.now() + DAY);
    const f = await server.api.post(`/research/projects/${projectId}/findings`, { type: 'report', title: 'Embargoed report', licence: 'CC-BY-4.0', access: 'embargoed', embargoUntil: tomorrow }, researcher);
    expect(f.status).toBe(201);
    const id = String(f.body.id);
    await server.api.post(`/research/findings/${id}/versions`, { bodyMd: 'The quokkaphant effect on bonded warehouses.' }, researcher);
    expect((await server.api.post(`/research/findings/${id}/publish`, {}, researcher)).status).toBe(200);

    expect(await search('Embargoed report')).toContain(id); // the metadata is public at once
    await new Promise((r) => setTimeout(r, 600)); // several scheduled checks: the embargo has not ended
    expect(await search('quokkaphant')).not.toContain(id);

    // The server's clock moves to a moment after 00:00 on the embargo date in Shanghai.
    const ends = new Date(`${tomorrow}T00:00:00+08:00`).getTime();
    writeFileSync(clockFile, String(ends + 1000 - Date.now()));
    const deadline = Date.now() + 10_000;
    while (!(await search('quokkaphant')).includes(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await search('quokkaphant')).toEqual([id]);

    // Another process's check afterwards (here the test's own connection) finds nothing left to do.
    expect(indexEndedEmbargoes(server.db, new Date(ends + 5000))).toBe(0);
  });
});

describe('the embargo check in two processes at once', () => {
  const db = testDb();
  afterAll(() => db.cleanup());

  it('re-indexes the finding once, and its body is found', async () => {
    db.insert(users).values({ id: 'two-proc', email: 'two@uni.test', displayName: 'Two', passwordHash: 'x', emailVerifiedAt: new Date() }).run();
    const user = { id: 'two-proc', email: 'two@uni.test', displayName: 'Two', locale: 'en', roles: [] };
    const org = db.insert(organizations).values({ slug: 'two-uni', name: 'Two University', type: 'university', status: 'verified', verifiedAt: new Date() }).returning().get();
    db.insert(memberships).values({ organizationId: org.id, userId: user.id, role: 'editor' }).run();
    const project = createProject(db, user, projectInput.parse({ organizationSlug: 'two-uni', title: 'Two', abstractMd: 'Two processes.', status: 'active', startDate: '2026-01-01', people: [{ name: 'R', role: 'pi' }] }));
    const finding = createFinding(db, user, project.id, findingInput.parse({ type: 'report', title: 'Walled report', licence: 'CC-BY-4.0', access: 'embargoed', embargoUntil: '2026-03-02' }));
    addVersion(db, user, finding.id, { bodyMd: 'The walrusquill index of customs delays.' } as never);
    publishFinding(db, user, finding.id, new Date('2026-03-01T10:00:00Z')); // 18:00 in Shanghai, the day before
    expect(indexEndedEmbargoes(db, new Date('2026-03-01T12:00:00Z'))).toBe(0);
    const found = async () => (await searchIndex.search(db, { q: 'walrusquill', kinds: ['finding'] })).hits.map((h) => h.id);
    expect(await found()).toEqual([]);

    const run = promisify(execFile);
    const tsx = path.resolve(import.meta.dirname, '../node_modules/.bin/tsx');
    const script = path.resolve(import.meta.dirname, 'embargo-checker.ts');
    const barrier = mkdtempSync(path.join(tmpdir(), 'embargo-barrier-'));
    const after = '2026-03-01T16:00:05Z'; // five seconds into 2 March in Shanghai
    const counts = await Promise.all([run(tsx, [script, db.$client.name, barrier, after], { timeout: 60_000 }), run(tsx, [script, db.$client.name, barrier, after], { timeout: 60_000 })]);
    rmSync(barrier, { recursive: true, force: true });
    expect(counts.map((c) => Number(c.stdout)).sort()).toEqual([0, 1]);
    expect(await found()).toEqual([String(finding.id)]);
  }, 90_000);
});
