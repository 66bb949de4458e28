/**
 * `npx vitest run --config tests/bench/research.vitest.config.ts`: registers BENCH_PROJECTS projects (default 2,000)
 * through the real service (audit, search indexing included) in a temporary database, then
 * measures the browse query with each filter, one finding page's reads, the diff of two 60 KB
 * versions, and the three citation formats. Bounded: well under two minutes on 2 cores.
 */
import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { it } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { memberships, organizations, users } from '../../db/schema';
import { RESEARCH_TOPICS, PROJECT_STATUSES } from '../../db/schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { formatCitation } from '../../src/lib/research/citation';
import { diffVersions } from '../../src/lib/research/diff';
import { citationData } from '../../src/lib/research/metadata';
import { getFinding, listProjects } from '../../src/lib/research/queries';
import { projectInput } from '../../src/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding } from '../../src/lib/research/service';

it('measures the research registry', () => {
const out = (line: string) => writeSync(1, line + '\n');

const N = Number(process.env.BENCH_PROJECTS ?? 2000);
const dir = mkdtempSync(path.join(tmpdir(), 'research-bench-'));
const db = openDatabase(path.join(dir, 'bench.db'));
const user: SessionUser = { id: 'bench', email: 'bench@example.com', displayName: 'Bench', locale: 'en', roles: [] };
db.insert(users).values({ id: user.id, email: user.email, displayName: 'Bench', passwordHash: 'x' }).run();
const org = db.insert(organizations).values({ slug: 'uni', name: 'Uni', type: 'university', status: 'verified' }).returning().get();
db.insert(memberships).values({ organizationId: org.id, userId: user.id, role: 'editor' }).run();
const COUNTRIES = ['CN', 'US', 'DE', 'JP', 'GB', 'FR', 'BR', 'SG', 'AU', 'RU'];

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

let started = performance.now();
for (let i = 0; i < N; i++) {
  const year = 2015 + Math.floor(rand() * 12);
  createProject(
    db,
    user,
    projectInput.parse({
      organizationSlug: 'uni',
      title: `Project ${i} on cross-border ${pick(['logistics', 'payments', 'returns', 'customs'])}`,
      titleZh: `跨境电商${pick(['物流', '支付', '退货', '海关'])}研究 ${i}`,
      abstractMd: `An abstract for project ${i}. 关于跨境电商的研究摘要。`,
      status: pick(PROJECT_STATUSES),
      startDate: `${year}-0${1 + Math.floor(rand() * 9)}-01`,
      endDate: `${year + 1 + Math.floor(rand() * 3)}-12-31`,
      keywords: ['cross-border', `k${i % 50}`],
      topics: [pick(RESEARCH_TOPICS), pick(RESEARCH_TOPICS)],
      corridors: [{ origin: 'CN', destination: pick(COUNTRIES.slice(1)) }],
    }),
  );
}
const createMs = performance.now() - started;

function time(label: string, runs: number, fn: () => unknown) {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const ms = (performance.now() - t0) / runs;
  out(`| ${label} | ${ms.toFixed(3)} ms |`);
}

out(`\nResearch registry, ${N} projects (${process.version}, ${new Date().toISOString()})\n`);
out(`| operation | mean |\n|---|---|`);
out(`| createProject (write + audit + search upsert) | ${(createMs / N).toFixed(3)} ms |`);
time('browse: no filter, page 1 of 20', 200, () => listProjects(db, null, { page: 1, perPage: 20 }));
time('browse: no filter, page 200', 200, () => listProjects(db, null, { page: 200, perPage: 20 }));
time('browse: status', 200, () => listProjects(db, null, { status: 'active', page: 1, perPage: 20 }));
time('browse: topic', 200, () => listProjects(db, null, { topic: 'logistics', page: 1, perPage: 20 }));
time('browse: corridor CN-DE', 200, () => listProjects(db, null, { corridor: 'CN-DE', page: 1, perPage: 20 }));
time('browse: year 2020', 200, () => listProjects(db, null, { year: 2020, page: 1, perPage: 20 }));
time('browse: organization + topic + year', 200, () => listProjects(db, null, { organization: 'uni', topic: 'tax', year: 2021, page: 1, perPage: 20 }));

const body = Array.from({ length: 600 }, (_, i) => `Paragraph ${i}: 跨境电商供应链金融的第 ${i} 段，costs fell ${i % 9}% this year.`).join('\n\n');
const changed = body.replace(/costs fell 3%/g, 'costs fell 4%').replace(/第 10\d 段/g, '第十段');
const finding = createFinding(db, user, 1, { type: 'working_paper', title: 'Bench paper', licence: 'CC-BY-4.0', access: 'open' } as never);
addVersion(db, user, finding.id, { bodyMd: body } as never);
publishFinding(db, user, finding.id);
addVersion(db, user, finding.id, { bodyMd: changed, changelog: 'bench' } as never);
publishFinding(db, user, finding.id);
time('finding page reads (getFinding)', 200, () => getFinding(db, null, finding.id));
out(`| (version body size) | ${(Buffer.byteLength(body) / 1024).toFixed(0)} KB |`);
time('diff of two versions, words (Intl.Segmenter)', 5, () => diffVersions(body, changed, 'words'));
time('diff of two versions, lines', 20, () => diffVersions(body, changed, 'lines'));
const view = getFinding(db, null, finding.id);
const cite = citationData(view, view.versions[1]!, 'https://portal.example');
time('cite: bibtex + ris + csl-json', 2000, () => ['bibtex', 'ris', 'csl-json'].map((f) => formatCitation(f as 'bibtex', cite)));

db.$client.close();
rmSync(dir, { recursive: true, force: true });
});
