/**
 * How long the draft page's query takes with many comments, and how long a clause diff takes.
 * Run: npx tsx tests/bench/standards-detail.ts   (prints a small table; results in standards-detail.txt)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../db/client';
import { memberships, organizations, standardComments, users } from '../../db/schema';
import { SEED_STANDARD_MD } from '../../db/seed/standards';
import { parseClauses } from '../../src/lib/standards/clauses';
import { diffVersions } from '../../src/lib/standards/diff';
import { standardDetail } from '../../src/lib/standards/queries';
import { addVersion, proposeStandard, transitionStandard } from '../../src/lib/standards/service';

const dir = mkdtempSync(path.join(tmpdir(), 'std-bench-'));
const db = openDatabase(path.join(dir, 'bench.db'));
const editor = { id: 'editor', email: 'e@b.test', displayName: 'Editor', locale: 'en', roles: [] as never[] };
db.insert(users).values({ id: 'editor', email: 'e@b.test', displayName: 'Editor', passwordHash: 'x' }).run();
const org = db.insert(organizations).values({ slug: 'b', name: 'B', type: 'industry_body', code: 'B', status: 'verified' }).returning().get();
db.insert(memberships).values({ organizationId: org.id, userId: 'editor', role: 'owner' }).run();

// a larger draft: the seed standard with clause 4 repeated into 40 sub-clauses
const extra = Array.from({ length: 40 }, (_, i) => `### 4.${i + 4} 指标 ${i} Indicator ${i}\n\n${'按近 12 个月数据计算的履约指标。 Measured over the last 12 months. '.repeat(6)}`).join('\n\n');
const v1 = SEED_STANDARD_MD.replace('## 5 信用等级', `${extra}\n\n## 5 信用等级`);
const v2 = v1.replaceAll('近 12 个月', '近 24 个月').replace('| AAA | ≥ 90 |', '| AAA | ≥ 92 |');
const t0 = new Date('2026-01-01T00:00:00Z');
const s = proposeStandard(db, editor, { organizationSlug: 'b', title: 'Bench' }, t0);
transitionStandard(db, editor, s.id, { to: 'project_approved' }, t0);
transitionStandard(db, editor, s.id, { to: 'drafting' }, t0);
addVersion(db, editor, s.id, { bodyMd: v1 }, t0);
const clauses = parseClauses(v1).filter((c) => c.id !== '0');
const COMMENTS = 500;
for (let i = 0; i < COMMENTS; i++) {
  const c = clauses[i % clauses.length]!;
  db.insert(standardComments).values({ standardId: s.id, versionNumber: 1, clause: c.id, originalText: c.body, type: 'technical', text: `comment ${i}`, authorId: 'editor', madeDuring: 'public_comment', createdAt: t0 }).run();
}
transitionStandard(db, editor, s.id, { to: 'public_comment', commentPeriodDays: 30 }, t0);
transitionStandard(db, editor, s.id, { to: 'comment_resolution' }, new Date('2026-02-01T00:00:00Z'));
addVersion(db, editor, s.id, { bodyMd: v2 }, new Date('2026-02-02T00:00:00Z'));

function time(label: string, runs: number, fn: () => unknown) {
  fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2)} ms`);
}
console.log(`draft: ${clauses.length} clauses, ${v1.length} characters; ${COMMENTS} comments on version 1, latest is version 2`);
time('parseClauses(v1)', 200, () => parseClauses(v1));
time('diffVersions(v1, v2) (most clauses changed)', 20, () => diffVersions(v1, v2));
time(`standardDetail with ${COMMENTS} carried-forward comments`, 20, () => standardDetail(db, editor, s.id));
db.$client.close();
rmSync(dir, { recursive: true, force: true });
