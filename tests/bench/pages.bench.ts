/**
 * `npm run bench -- pages` (issue 17): every public page type and every public list API against
 * the benchmarks' trivial Astro page, in one run, on a database at realistic size:
 * 10,000 courses with 30,000 sessions, 5,000 organizations, 2,000 projects with 6,000 findings of
 * about 50 KB, 200 standards with 60 clauses and 500 comments each.
 *
 * The database is written THROUGH THE SERVICES (createOrganization, verifyOrganization,
 * createCourse, createSession, publishCourse, createProject, createFinding, addVersion,
 * publishFinding, proposeStandard, transitionStandard, addVersion, addComment, enrollInSession,
 * markCompletion), so audit rows, search documents, notifications and denormalized columns are
 * what users would cause. Service calls are batched, BATCH to a transaction (a service inside a
 * transaction joins it: db/client.ts `write`); only the accounts are inserted directly, since
 * sign-up's password hashing is not what this measures. The built database is kept at
 * .cache/bench-pages/<fingerprint>.db (the fingerprint covers db/, content/, the counts and DATA_VERSION) and
 * copied for each run, so re-runs skip the build.
 *
 * Load: wrk, 1 thread, 16 connections (as in the issue), BENCH_SECONDS (default 5) per route,
 * the trivial page measured three times across the run (first, middle, last) and each route's
 * ratio taken to the median of those. The server is src/cli/serve.mjs on the benchmarks' own build
 * (tests/helpers/build.ts `bench: true`), one process, as `npm start` runs it.
 *
 * BENCH_SCALE (default 1) scales every count, for a quick try; BENCH_BUILD_ONLY=1 builds (or finds) the
 * database and stops, to time the build; BENCH_ONLY=regex measures only the
 * matching routes; BENCH_CPU_PROF=dir starts the server with `node --cpu-prof` into that folder;
 * BENCH_OUT (default tests/bench/pages.results.md); BENCH_ENTRY=…/server/entry.mjs serves an earlier build;
 * PAGE_CACHE=0 is passed to the server (anonymous answers not kept, src/lib/http/page-cache.ts).
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../../db/client';
import { certificates, COURSE_CATEGORIES, creditCertificates, userRoles, users } from '../../db/schema';
import { seed } from '../../db/seed';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { courseInput, sessionInput } from '../../src/lib/courses/schemas';
import { createCourse, createSession, enrollInSession, markCompletion, publishCourse } from '../../src/lib/courses/service';
import { organizationInput } from '../../src/lib/organizations/schemas';
import { createOrganization, verifyOrganization } from '../../src/lib/organizations/service';
import { findingInput, projectInput } from '../../src/lib/research/schemas';
import { addVersion as addFindingVersion, createFinding, createProject, publishFinding } from '../../src/lib/research/service';
import { addComment, addVersion as addStandardVersion, proposeStandard, transitionStandard } from '../../src/lib/standards/service';
import { ensureServerBuild } from '../helpers/build';
import { processCpuSeconds } from './process-cpu';

const root = path.resolve(import.meta.dirname, '../..');
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const n = (x: number) => Math.max(1, Math.round(x * SCALE));
const COUNTS = {
  organizations: n(5000),
  courses: n(10_000),
  sessionsPerCourse: 3,
  projects: n(2000),
  findingsPerProject: 3,
  findingBytes: 50_000,
  standards: n(200),
  clauses: 60,
  commentsPerStandard: n(500),
};
const BATCH = 200;
/**
 * Change when the generated data or what the services write changes: the cache key covers db/
 * (schema, migrations, demo seed), content/ and the counts, not src/lib, so that a change that
 * only makes reading faster is measured on the very same database.
 */
const DATA_VERSION = 'pages-1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 16;
const OUT = process.env.BENCH_OUT ?? path.join(import.meta.dirname, 'pages.results.md');
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const PROF = process.env.BENCH_CPU_PROF;

// --- deterministic text ---------------------------------------------------------------------------
let rs = 17;
const rand = () => ((rs = (Math.imul(rs, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const ZH = '跨境 电商 物流 供应链 海外仓 平台 卖家 支付 结算 海关 通关 退税 出口 进口 保税 仓储 配送 品牌 营销 直播 选品 数据 合规 知识产权 标准 认证 信用 评价 培训 课程 人才 融资 政策 上海 浦东 临港 自贸区 企业 协会 研究 调查 模型 服务 质量 风险 包裹 快递 库存 定价'.split(' ');
const EN = 'cross border commerce seller buyer platform logistics shipping warehouse customs clearance duty rebate export import bonded payment settlement currency risk finance supply chain inventory pricing marketing brand livestream training course talent policy shanghai pudong lingang enterprise association research survey model quality credit rating parcel compliance data analytics'.split(' ');
const zhSentence = (k: number) => Array.from({ length: k }, () => pick(ZH)).join('') + '。';
const enSentence = (k: number) => {
  const s = Array.from({ length: k }, () => pick(EN)).join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
};

/** About `bytes` of Markdown: sections with Chinese and English paragraphs, a list, a table, emphasis and links. */
function findingBody(i: number, bytes: number) {
  const parts: string[] = [`## 摘要 Summary\n\n${zhSentence(20)} ${enSentence(25)}`];
  let size = Buffer.byteLength(parts[0]!);
  for (let s = 1; size < bytes; s++) {
    const section = [
      `## ${s} ${pick(ZH)}${pick(ZH)} ${pick(EN)} ${pick(EN)}`,
      `${zhSentence(30)}${zhSentence(25)} **${pick(ZH)}${pick(ZH)}** ${enSentence(30)} ${enSentence(20)} See [the report](https://example.org/r/${i}/${s}).`,
      `- ${enSentence(8)}\n- ${zhSentence(10)}\n- *${enSentence(6)}*`,
      `| 指标 Indicator | ${2024 + (s % 3)} | ${2025 + (s % 3)} |\n|---|---|---|\n| ${pick(ZH)} ${pick(EN)} | ${(rand() * 100).toFixed(1)} | ${(rand() * 100).toFixed(1)} |\n| ${pick(ZH)} ${pick(EN)} | ${(rand() * 100).toFixed(1)} | ${(rand() * 100).toFixed(1)} |`,
      `${enSentence(40)} ${zhSentence(40)}`,
    ].join('\n\n');
    parts.push(section);
    size += Buffer.byteLength(section) + 2;
  }
  return parts.join('\n\n');
}

/** A draft with `count` numbered clauses: 10 main clauses with sub-clauses, tables and lists. */
function standardBody(i: number, count: number, revised = false) {
  const mains = 10;
  const subs = Math.max(0, Math.floor((count - mains) / mains));
  const out: string[] = [`# 跨境电商团体标准 ${i} Cross-border group standard ${i}`];
  for (let m = 1; m <= mains; m++) {
    out.push(`## ${m} ${pick(ZH)}${pick(ZH)} ${pick(EN)}`, `${zhSentence(25)} ${enSentence(25)}`);
    for (let s = 1; s <= subs; s++) {
      const text = revised && s % 3 === 0 ? `${zhSentence(18)} ${enSentence(20)} (revised)` : `${zhSentence(18)} ${enSentence(20)}`;
      out.push(`### ${m}.${s} ${pick(ZH)}${pick(ZH)} ${pick(EN)}`, text);
      if (s === 1) out.push(`| 等级 Grade | 分数 Score |\n|---|---|\n| AAA | ≥ ${revised ? 92 : 90} |\n| AA | 80–89 |`);
      if (s === 2) out.push(`- ${enSentence(8)}\n- ${zhSentence(8)}`);
    }
  }
  return out.join('\n\n');
}

// --- the database, through the services -----------------------------------------------------------
export interface Built {
  courseId: number;
  sessionId: number;
  orgSlug: string;
  projectId: number;
  findingId: number;
  findingWithVersionsId: number;
  commentStandardId: number;
  revisedStandardId: number;
  certificateCode: string;
  policySlug: string;
  seconds: number;
  /** Whether this build took up an interrupted one (then `seconds` is the rest only). */
  resumed: boolean;
  counts: typeof COUNTS;
}

const person = (id: string, roles: string[] = []): SessionUser => ({ id, email: `${id}@bench.test`, displayName: id, locale: 'en', roles: roles as SessionUser['roles'] });

function inBatches(db: Db, total: number, each: (i: number, tx: Db) => void) {
  for (let start = 0; start < total; start += BATCH) {
    db.transaction((tx) => {
      for (let i = start; i < Math.min(total, start + BATCH); i++) each(i, tx as unknown as Db);
    });
  }
}

async function build(file: string): Promise<Built> {
  const started = performance.now();
  const db = openDatabase(file);
  // CPU seconds beside the wall clock: on a shared machine the wall clock also counts other people's work
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const cpuStarted = cpu();
  const lap = (what: string) => console.log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s (CPU ${(cpu() - cpuStarted).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)})`);
  // The demo data (policies, settlement routes, demo standards and courses) first, as `npm start` seeds it.
  await seed(db);
  const admin = person('bench-admin', ['admin']);
  const owner = person('bench-owner');
  const student = person('bench-student');
  const commenters = Array.from({ length: 50 }, (_, i) => person(`bench-commenter-${i}`));
  // A build that was interrupted goes on from its last whole step (each step's batches committed).
  const q = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).all(...params) as T[];
  const resumed = q<{ n: number }>(`SELECT count(*) n FROM users WHERE id = 'bench-owner'`)[0]!.n > 0;
  if (!resumed) {
    for (const u of [admin, owner, student, ...commenters]) db.insert(users).values({ id: u.id, email: u.email, displayName: u.displayName, passwordHash: 'x', emailVerifiedAt: new Date() }).run();
    db.insert(userRoles).values({ userId: admin.id, role: 'admin' }).run();
  }
  lap('demo data and accounts');

  // organizations: every type; industry bodies with a standards code
  const TYPES = ['university', 'training_agency', 'company', 'ngo', 'research_facility', 'government', 'industry_body'] as const;
  const slugs: Record<string, string[]> = {};
  if (resumed) for (const o of q<{ slug: string; type: string }>(`SELECT slug, type FROM organizations WHERE slug LIKE 'bench-%' ORDER BY id`)) (slugs[o.type] ??= []).push(o.slug);
  else inBatches(db, COUNTS.organizations, (i, tx) => {
    const type = i < 20 ? 'industry_body' : TYPES[i % (TYPES.length - 1)]!;
    const org = createOrganization(
      tx,
      owner,
      organizationInput.parse({
        name: `Bench ${type.replace('_', ' ')} ${i} ${pick(EN)} ${pick(EN)}`,
        nameZh: `${pick(ZH)}${pick(ZH)}${type === 'university' ? '大学' : '机构'} ${i}`,
        type,
        descriptionMd: `${zhSentence(20)}\n\n${enSentence(30)} **${pick(EN)}** [site](https://example.org/${i}).`,
        website: `https://org${i}.example.org`,
        ...(type === 'industry_body' ? { code: `BB${i}` } : {}),
      }),
    );
    verifyOrganization(tx, admin, org.slug);
    (slugs[type] ??= []).push(org.slug);
  });
  lap(`${COUNTS.organizations} organizations`);

  // courses: 3 sessions each, published; the first session also gets a completed enrollment (a certificate)
  const providers = ['university', 'training_agency', 'company', 'ngo', 'research_facility'].flatMap((t) => slugs[t] ?? []);
  const day = 86_400_000;
  const soon = new Date(Date.now() + 45_000);
  let first: { courseId: number; sessionId: number; enrollmentId: number } | undefined;
  if (resumed) first = q<{ courseId: number; sessionId: number; enrollmentId: number }>(`SELECT s.course_id courseId, s.id sessionId, e.id enrollmentId FROM enrollments e JOIN course_sessions s ON s.id = e.session_id WHERE e.user_id = 'bench-student'`)[0];
  else inBatches(db, COUNTS.courses, (i, tx) => {
    const course = createCourse(
      tx,
      owner,
      courseInput.parse({
        organizationSlug: providers[i % providers.length]!,
        partnerSlugs: i % 5 === 0 ? [providers[(i + 7) % providers.length]!] : [],
        title: `Course ${i}: ${pick(EN)} and ${pick(EN)} for cross-border sellers`,
        titleZh: `课程 ${i}：${pick(ZH)}与${pick(ZH)}实务`,
        summary: enSentence(18),
        summaryZh: zhSentence(20),
        descriptionMd: `## ${pick(EN)}\n\n${enSentence(40)}\n\n${zhSentence(40)}\n\n- ${enSentence(6)}\n- ${enSentence(6)}`,
        category: COURSE_CATEGORIES[i % COURSE_CATEGORIES.length],
        languages: i % 3 === 0 ? ['en'] : ['zh-cn', 'en'],
        mode: ['online', 'in_person', 'blended'][i % 3],
        priceCny: i % 4 === 0 ? 0 : 100 * (i % 9),
        tags: [pick(EN), pick(ZH)],
      }),
    );
    for (let s = 0; s < COUNTS.sessionsPerCourse; s++) {
      const starts = i === 0 && s === 0 ? soon : new Date(Date.now() + (10 + ((i * 3 + s) % 170)) * day);
      const session = createSession(
        tx,
        owner,
        course.id,
        sessionInput.parse({
          startsAt: starts.toISOString(),
          endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(),
          timezone: 'Asia/Shanghai',
          location: `浦东新区 ${pick(ZH)}路 ${i} 号`,
          capacity: 30,
          waitlistLimit: 10,
        }),
      );
      if (i === 0 && s === 0) {
        publishCourse(tx, owner, course.id);
        const enrolled = enrollInSession(tx, student, session.id);
        first = { courseId: course.id, sessionId: session.id, enrollmentId: enrolled.id };
      }
    }
    if (i !== 0) publishCourse(tx, owner, course.id);
  });
  lap(`${COUNTS.courses} courses, ${COUNTS.courses * COUNTS.sessionsPerCourse} sessions`);

  // research: projects led by universities and research facilities; findings of ~50 KB, every 10th with a second version
  const leads = [...(slugs.university ?? []), ...(slugs.research_facility ?? [])];
  const findingIds: number[] = [];
  let projectId = 0;
  if (resumed) {
    findingIds.push(...q<{ id: number }>(`SELECT id FROM research_findings WHERE created_by = 'bench-owner' ORDER BY id`).map((r) => r.id));
    projectId = q<{ id: number }>(`SELECT min(id) id FROM research_projects WHERE created_by = 'bench-owner'`)[0]!.id;
  } else inBatches(db, COUNTS.projects, (i, tx) => {
    const project = createProject(
      tx,
      owner,
      projectInput.parse({
        organizationSlug: leads[i % leads.length]!,
        title: `Project ${i}: ${pick(EN)} ${pick(EN)} in the Shanghai corridor`,
        titleZh: `项目 ${i}：${pick(ZH)}${pick(ZH)}研究`,
        abstractMd: `${zhSentence(40)}\n\n${enSentence(50)}`,
        status: ['planned', 'active', 'completed'][i % 3],
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        keywords: [pick(EN), pick(ZH)],
        topics: ['logistics'],
        people: [{ name: `研究员 ${i} Researcher ${i}`, role: 'pi' }],
        partners: [{ organizationSlug: slugs.company![(i * 13) % slugs.company!.length]!, role: 'industry_partner' }],
      }),
    );
    projectId ||= project.id;
    for (let f = 0; f < COUNTS.findingsPerProject; f++) {
      const k = i * COUNTS.findingsPerProject + f;
      const finding = createFinding(tx, owner, project.id, findingInput.parse({ type: ['article', 'report', 'working_paper'][f % 3], title: `Finding ${k}: ${enSentence(6)}`, titleZh: `成果 ${k}：${zhSentence(8)}`, licence: 'CC-BY-4.0', access: 'open' }));
      const body = findingBody(k, COUNTS.findingBytes);
      addFindingVersion(tx, owner, finding.id, { bodyMd: body });
      publishFinding(tx, owner, finding.id);
      if (k % 10 === 0) {
        addFindingVersion(tx, owner, finding.id, { bodyMd: body.replace(/## (\d+) /g, (m, s) => (Number(s) % 4 === 0 ? `## ${s} ${pick(EN)} ` : m)).replace(/(\d+\.\d) \|/g, (m) => (rand() < 0.2 ? `${(rand() * 100).toFixed(1)} |` : m)), changelog: 'Revised figures and section titles.' });
        publishFinding(tx, owner, finding.id);
      }
      findingIds.push(finding.id);
    }
  });
  lap(`${COUNTS.projects} projects, ${findingIds.length} findings`);

  // standards: 60 clauses; even ones in public comment with 500 comments; odd ones past it, with a second version
  const bodies = slugs.industry_body ?? [];
  let commentStandardId = 0;
  let revisedStandardId = 0;
  const done = q<{ id: number }>(`SELECT id FROM standards WHERE created_by = 'bench-owner' ORDER BY id`).map((r) => r.id);
  [commentStandardId = 0, revisedStandardId = 0] = done;
  for (let i = done.length; i < COUNTS.standards; i++) {
    const revised = i % 2 === 1;
    const t0 = new Date(Date.now() - (revised ? 40 : 2) * day);
    const body = standardBody(i, COUNTS.clauses);
    const clauseIds = [...body.matchAll(/^#{2,3} (\d+(?:\.\d+)?) /gm)].map((m) => m[1]!);
    db.transaction((txx) => {
      const tx = txx as unknown as Db;
      const s = proposeStandard(tx, owner, { organizationSlug: bodies[i % bodies.length]!, title: `Cross-border group standard ${i}: ${pick(EN)} ${pick(EN)}`, titleZh: `团体标准 ${i}：${pick(ZH)}${pick(ZH)}规范`, scopeMd: enSentence(30) }, t0);
      transitionStandard(tx, owner, s.id, { to: 'project_approved' }, t0);
      transitionStandard(tx, owner, s.id, { to: 'drafting' }, t0);
      addStandardVersion(tx, owner, s.id, { bodyMd: body }, t0);
      transitionStandard(tx, owner, s.id, { to: 'public_comment', commentPeriodDays: 30 }, t0);
      const at = new Date(t0.getTime() + day);
      for (let c = 0; c < COUNTS.commentsPerStandard; c++) {
        addComment(tx, commenters[c % commenters.length]!, s.id, { clause: clauseIds[c % clauseIds.length]!, type: (['general', 'technical', 'editorial'] as const)[c % 3], text: `${zhSentence(15)} ${enSentence(20)}`, proposedChange: c % 4 === 0 ? enSentence(12) : undefined }, at);
      }
      if (revised) {
        const later = new Date(t0.getTime() + 31 * day);
        transitionStandard(tx, owner, s.id, { to: 'comment_resolution' }, later);
        addStandardVersion(tx, owner, s.id, { bodyMd: standardBody(i, COUNTS.clauses, true), note: 'After public comment.' }, later);
        revisedStandardId ||= s.id;
      } else commentStandardId ||= s.id;
    });
  }
  lap(`${COUNTS.standards} standards, ${COUNTS.standards * COUNTS.commentsPerStandard} comments`);

  // the certificate: the first session has started by now (it began 45 s after the courses started)
  const wait = resumed ? 0 : soon.getTime() + 1000 - Date.now();
  if (wait > 0) execFileSync('sleep', [String(wait / 1000)]);
  markCompletion(db, owner, first!.enrollmentId, true);
  const certificateCode = db.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrollmentId, first!.enrollmentId)).get()!.code;
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.exec('ANALYZE');
  db.$client.close();
  const seconds = (performance.now() - started) / 1000;
  const policySlug = readdirSync(path.join(root, 'content/policies'))[0]!.replace(/\.md$/, '');
  return {
    courseId: first!.courseId,
    sessionId: first!.sessionId,
    orgSlug: (slugs.university ?? [])[0]!,
    projectId,
    findingId: findingIds[1]!,
    findingWithVersionsId: findingIds[0]!,
    commentStandardId,
    revisedStandardId,
    certificateCode,
    policySlug,
    seconds,
    resumed,
    counts: COUNTS,
  };
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The cached database for this source, built once. */
export async function cachedDatabase(): Promise<{ file: string; built: Built; fresh: boolean }> {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(`${p}:${st.size}:${readFileSync(p).length ? createHash('sha1').update(readFileSync(p)).digest('hex') : ''}\n`);
  };
  for (const p of ['db', 'content']) walk(path.join(root, p));
  hash.update(JSON.stringify(COUNTS) + DATA_VERSION);
  const dir = path.join(root, '.cache', 'bench-pages');
  const key = hash.digest('hex').slice(0, 16);
  if (process.env.BENCH_KEY_ONLY) {
    console.log(key);
    process.exit(0);
  }
  const file = path.join(dir, `${key}.db`);
  const meta = path.join(dir, `${key}.json`);
  if (existsSync(file) && existsSync(meta)) {
    const built = JSON.parse(readFileSync(meta, 'utf8')) as Built;
    if (process.env.BENCH_BUILD_ONLY) exitAfterBuild(built);
    return { file, built, fresh: false };
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // an interrupted build (its process gone) is taken up again, with its write-ahead log
  const interrupted = readdirSync(dir).find((f) => /\.db\.tmp-\d+$/.test(f) && !isRunning(Number(f.split('-').pop())));
  if (interrupted) for (const suffix of ['', '-wal', '-shm']) if (existsSync(path.join(dir, interrupted + suffix))) renameSync(path.join(dir, interrupted + suffix), tmp + suffix);
  for (const old of readdirSync(dir)) if (!old.startsWith(path.basename(tmp))) rmSync(path.join(dir, old), { force: true }); // one cached database at a time (they are large)
  console.log(`building the realistic database (${JSON.stringify(COUNTS)}) through the services…`);
  const built = await build(tmp);
  renameSync(tmp, file);
  writeFileSync(meta, JSON.stringify(built));
  if (process.env.BENCH_BUILD_ONLY) exitAfterBuild(built);
  return { file, built, fresh: true };
}

/** BENCH_BUILD_ONLY=1: build (or find) the database and stop, to time the build alone. */
function exitAfterBuild(built: Built): never {
  console.log(`built in ${built.seconds.toFixed(1)} s${built.resumed ? ' (resumed)' : ''}, load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exit(0);
}

// --- load -----------------------------------------------------------------------------------------
const WRK_SCRIPT = `
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.1f %d %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`;
interface Load { n: number; p50: number; p99: number; max: number; rps: number; non2xx: number; errors: number; cpuUs: number }

let serverPid = 0;
const serverCpuSeconds = () => processCpuSeconds(serverPid);

function wrk(dir: string, base: string, paths: string[], seconds: number): Load {
  const cpuBefore = serverCpuSeconds();
  const script = path.join(dir, 'paths.lua');
  const list = path.join(dir, 'paths.txt');
  writeFileSync(script, WRK_SCRIPT);
  writeFileSync(list, paths.join('\n') + '\n');
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, base], { env: { ...process.env, WRK_PATHS: list }, encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const [count, p50, p99, max, rps, non2xx, errors] = line.split(' ').slice(1).map(Number) as number[];
  return { n: count!, p50: p50!, p99: p99!, max: max!, rps: rps!, non2xx: non2xx!, errors: errors!, cpuUs: ((serverCpuSeconds() - cpuBefore) / count!) * 1e6 };
}

/**
 * Credit certificates as the build leaves them: the demo data's (db/seed/credit-ratings.ts, made
 * through the credit services: one active, one suspended), read from the database to be served.
 */
export function issuedCertificates(file: string): string[] {
  const db = openDatabase(file, { migrate: false });
  try {
    return db.select({ number: creditCertificates.number }).from(creditCertificates).orderBy(creditCertificates.id).all().map((c) => c.number);
  } finally {
    db.$client.close();
  }
}

/** Every public page type and public list API, each with the addresses that stand for it (the capacity benchmark's page views too). */
export function publicRoutes(b: Built, credit: string[] = []): [string, string[]][] {
  const [cert, other = cert] = credit;
  return [
    ['home', ['/', '/en/']],
    ['course catalog', ['/courses', '/en/courses', '/courses?page=7', '/en/courses?category=logistics']],
    ['course', [`/courses/${b.courseId}`, `/en/courses/${b.courseId}`, `/courses/${b.courseId + Math.floor(b.counts.courses / 2)}`]],
    // a session's public form is its calendar file (and its row on the course page); /courses/{id}/sessions/{id} is the provider's edit page
    ['session (iCalendar)', [`/calendar/sessions/${b.sessionId}.ics`]],
    ['organization directory', ['/organizations', '/en/organizations', '/organizations?page=5']],
    ['organization page', [`/organizations/${b.orgSlug}`, `/en/organizations/${b.orgSlug}`]],
    ['research list', ['/research', '/en/research', '/research?page=9']],
    ['project', [`/research/projects/${b.projectId}`, `/en/research/projects/${b.projectId}`]],
    ['finding (~50 KB)', [`/research/findings/${b.findingId}`, `/en/research/findings/${b.findingId}`]],
    ['finding, earlier version', [`/research/findings/${b.findingWithVersionsId}?v=1`, `/en/research/findings/${b.findingWithVersionsId}?v=1`]],
    ['finding diff', [`/research/findings/${b.findingWithVersionsId}?from=1&to=2`, `/api/v1/research/findings/${b.findingWithVersionsId}/diff?from=1&to=2`]],
    ['standards list', ['/standards', '/en/standards']],
    ['draft page (500 comments)', [`/standards/${b.commentStandardId}`, `/en/standards/${b.commentStandardId}`]],
    ['comment table', [`/standards/${b.revisedStandardId}/resolution`, `/en/standards/${b.revisedStandardId}/resolution`]],
    ['standard diff', [`/standards/${b.revisedStandardId}/diff?from=1&to=2`, `/en/standards/${b.revisedStandardId}/diff?from=1&to=2`]],
    ['policy', ['/policies', `/policies/${b.policySlug}`, `/en/policies/${b.policySlug}`]],
    ['search page', ['/search?q=logistics', '/en/search?q=%E8%B7%A8%E5%A2%83']],
    ['estimator', ['/settlement/estimate', '/en/settlement/estimate']],
    ['certificate verification', [`/certificates/${b.certificateCode}`, `/en/certificates/${b.certificateCode}`]],
    ...(cert
      ? ([
          ['credit directory', ['/credit', '/en/credit']],
          ['credit verification page', [`/credit/${cert}`, `/en/credit/${other}`]],
          ['credit badge', [`/credit/${cert}/badge.svg`, `/credit/${other}/badge.svg?lang=en`]],
        ] as [string, string[]][])
      : []),
    ['open data (issue 18)', ['/data', '/en/data/talent', '/data/standards', '/data/datasets/courses-by-category', '/data/datasets/courses-by-category.csv']],
    ['API courses', ['/api/v1/courses', '/api/v1/courses?page=5']],
    ['API organizations', ['/api/v1/organizations', '/api/v1/organizations?page=5']],
    ['API projects', ['/api/v1/research/projects', '/api/v1/research/projects?page=5']],
    ['API finding', [`/api/v1/research/findings/${b.findingId}`]],
    ['API standards', ['/api/v1/standards']],
    ['API comments (500)', [`/api/v1/standards/${b.commentStandardId}/comments`]],
    ['API settlement routes and rules', ['/api/v1/settlement/routes', '/api/v1/settlement/rules', '/api/v1/settlement/reason-codes']],
    ['API search', ['/api/v1/search?q=logistics']],
    ['API open data', ['/api/v1/data', '/api/v1/data/courses-by-category']],
  ];
}

async function main() {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' / ');
  // BENCH_ENTRY: an earlier build of the server (to profile or measure the code before a change on the same database)
  const entry = process.env.BENCH_ENTRY ? path.resolve(process.env.BENCH_ENTRY) : ensureServerBuild({ bench: true });
  const t = performance.now();
  const { file, built, fresh } = await cachedDatabase();
  console.log(fresh ? `built in ${built.seconds.toFixed(0)} s` : `cached database ${path.basename(file)} (built in ${built.seconds.toFixed(0)} s), ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-bench-pages-'));
  const dbPath = path.join(dir, 'portal.db');
  copyFileSync(file, dbPath);
  const port = 45000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  const nodeArgs = PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROF)] : [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'src/cli/serve.mjs'), entry], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: dbPath, DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: base, SMTP_URL: '', MEILISEARCH_URL: '', WEB_CONCURRENCY: '1', PAGE_CACHE_REPORT: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  serverPid = child.pid!;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/bench-trivial`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 600 || child.exitCode !== null) throw new Error(`server did not start (exit ${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const b = built;
    const routes = publicRoutes(b, issuedCertificates(dbPath));
    const chosen = routes.filter(([name]) => !ONLY || ONLY.test(name));
    // every address must answer 200 before anything is measured; asked twice, the second answer
    // says whether the page cache served it (x-page-cache, PAGE_CACHE_REPORT=1) or why not
    const cacheSays = new Map<string, string>();
    for (const [name, paths] of chosen) {
      const says = new Set<string>();
      for (const p of paths) {
        for (const time of [1, 2]) {
          const res = await fetch(base + p);
          if (res.status !== 200) throw new Error(`${name}: ${p} answered ${res.status}`);
          await res.arrayBuffer();
          if (time === 2) says.add(res.headers.get('x-page-cache') ?? 'not through the cache');
        }
      }
      cacheSays.set(name, [...says].join(', '));
    }
    wrk(dir, base, ['/bench-trivial', ...chosen.flatMap(([, p]) => p)], 3); // warm-up (JIT, caches)
    const trivial: Load[] = [wrk(dir, base, ['/bench-trivial'], SECONDS)];
    const results: { name: string; paths: string[]; load: Load }[] = [];
    for (const [i, [name, paths]] of chosen.entries()) {
      if (i === Math.floor(chosen.length / 2)) trivial.push(wrk(dir, base, ['/bench-trivial'], SECONDS));
      const load = wrk(dir, base, paths, SECONDS);
      results.push({ name, paths, load });
      console.log(`${name.padEnd(32)} ${load.rps.toFixed(0).padStart(6)} req/s  p50 ${load.p50.toFixed(1)} ms  p99 ${load.p99.toFixed(1)} ms`);
    }
    trivial.push(wrk(dir, base, ['/bench-trivial'], SECONDS));
    const trivialRps = [...trivial.map((l) => l.rps)].sort((x, y) => x - y)[1] ?? trivial[0]!.rps;
    const trivialCpu = [...trivial.map((l) => l.cpuUs)].sort((x, y) => x - y)[1] ?? trivial[0]!.cpuUs;
    const cpu = cpus();
    const row = (name: string, paths: string[], l: Load) =>
      `| ${name} | ${paths.map((p) => `\`${p}\``).join(' ')} | ${l.rps.toFixed(0)} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${(l.rps / trivialRps).toFixed(2)} | ${l.rps / trivialRps >= 0.5 && l.p99 < 50 ? 'yes' : '**no**'} | ${l.cpuUs.toFixed(0)} | ${(trivialCpu / l.cpuUs).toFixed(2)} | ${cacheSays.get(name)} |${l.non2xx || l.errors ? ` ${l.non2xx} non-2xx, ${l.errors} errors` : ''}`;
    const md = `# Page speed benchmark (issue 17)

Command: \`${process.env.PAGE_CACHE === '0' ? 'PAGE_CACHE=0 ' : ''}npm run bench -- pages\` (BENCH_SCALE=${SCALE}, BENCH_SECONDS=${SECONDS}${process.env.BENCH_ENTRY ? `, BENCH_ENTRY=${path.relative(root, process.env.BENCH_ENTRY)}` : ''}). Anonymous page cache: ${process.env.PAGE_CACHE === '0' ? 'off' : 'on (if the build has one)'}. Run at ${new Date().toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim()},
${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average before the run ${loadBefore} (the machine is shared, so absolute
figures are noisy; each ratio is to the trivial page in the same run, with the same client). Server: \`src/cli/serve.mjs\` on the
benchmarks' own build (with \`/bench-trivial\`), one process, SQLite in WAL mode. Load: \`wrk -t1 -c${CONNECTIONS} -d${SECONDS}s\` per route,
rotating over the addresses shown; wrk runs on the same cores as the server.

Database, written through the services${fresh ? '' : ' (from the cache)'}: ${COUNTS.organizations.toLocaleString('en')} organizations, ${COUNTS.courses.toLocaleString('en')} courses with
${(COUNTS.courses * COUNTS.sessionsPerCourse).toLocaleString('en')} sessions, ${COUNTS.projects.toLocaleString('en')} projects with ${(COUNTS.projects * COUNTS.findingsPerProject).toLocaleString('en')} findings of about ${COUNTS.findingBytes / 1000} KB (every 10th with two versions),
${COUNTS.standards} standards with ${COUNTS.clauses} clauses and ${COUNTS.commentsPerStandard} comments each (half in public comment, half in comment resolution with a
second version), plus the demo data. Built in ${b.seconds.toFixed(0)} s${b.resumed ? ' (the rest of an interrupted build; see the notes below for the whole)' : ''}, service calls batched ${BATCH} to a transaction.

Trivial page (\`/bench-trivial\`, measured first, middle and last): ${trivial.map((l) => `${l.rps.toFixed(0)} req/s (p99 ${l.p99.toFixed(1)} ms, ${l.cpuUs.toFixed(0)} µs of server CPU a request)`).join(', ')}; the ratio uses the median, **${trivialRps.toFixed(0)} req/s**. The server's CPU time per request (user + system, from /proc, over each route's run) is the steadier figure on a shared machine: its ratio to the trivial page's is the throughput the route would have beside it with the cores to itself.

| page type | addresses | req/s | p50 ms | p99 ms | × trivial | ≥ 0.5× and p99 < 50 ms | server CPU µs / request | trivial's CPU ÷ this | page cache, second request |
|---|---|---|---|---|---|---|---|---|---|
${results.map((r) => row(r.name, r.paths, r.load)).join('\n')}
`;
    writeFileSync(OUT, md);
    console.log(md);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as the benchmark itself, not when the capacity benchmark imports the route list.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await (process.env.BENCH_BUILD_ONLY ? cachedDatabase() : main());
