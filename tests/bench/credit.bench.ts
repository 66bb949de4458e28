/**
 * `npm run bench -- credit`: against the real built server (src/cli/serve.mjs, as `npm start` runs
 * it, one process) on a database of BENCH_CERTIFICATES (default 5,000) certificates, measures in
 * the same run and with the same client:
 *  - the trivial page (`/bench-trivial`), the baseline;
 *  - the verification page `/credit/{number}` (zh and en, rotating over numbers);
 *  - the badge `/credit/{number}/badge.svg`, full (200);
 *  - the badge answered 304 (If-None-Match with its current ETag).
 * BENCH_ROUNDS alternating rounds of BENCH_SECONDS per route, BENCH_CONCURRENCY keep-alive
 * connections. Goal (issue 16): 304 at least as fast as the trivial page, the full badge at 0.5×.
 * Writes tests/bench/credit.results.md (or BENCH_OUT). BENCH_ENTRY=…/server/entry.mjs serves an earlier
 * build (a before of a change, measured the same way); BENCH_CPU_PROF=dir starts the server with
 * `node --cpu-prof` into that folder (tests/bench/profile-summary.ts reads it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { ensureServerBuild } from '../helpers/build';
import { processCpuSeconds } from './process-cpu';

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 5_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** How many different certificates the measured requests rotate over. */
const SAMPLE = 500;
const OUT = process.env.BENCH_OUT ?? path.resolve(import.meta.dirname, 'credit.results.md');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Target {
  path: string;
  headers?: Record<string, string>;
}

function request(base: string, target: Target, agent: http.Agent): Promise<{ status: number; ms: number; etag?: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(base + target.path, { method: 'GET', agent, headers: target.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, etag: res.headers.etag }));
    });
    req.on('error', reject);
    req.end();
  });
}

let serverPid = 0;
const serverCpuSeconds = () => processCpuSeconds(serverPid);

/** Closed loop: CONCURRENCY clients each send the next request as soon as the last one answered. */
async function throughput(base: string, targets: Target[]) {
  const cpuBefore = serverCpuSeconds();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const until = performance.now() + SECONDS * 1000;
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const r = await request(base, targets[i++ % targets.length]!, agent);
        latencies.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const cpuUs = ((serverCpuSeconds() - cpuBefore) / latencies.length) * 1e6;
  return { rps: latencies.length / elapsed, n: latencies.length, p50: pct(latencies, 50), p99: pct(latencies, 99), statuses, cpuUs };
}

/** The body, one published standard and active scheme, CERTIFICATES companies each with a granted assessment and its certificate. */
function arrange(dbPath: string): string[] {
  const db = openDatabase(dbPath);
  const c = db.$client;
  const now = Date.now();
  const numbers: string[] = [];
  const indicators = JSON.stringify([
    { key: 'i1', label: 'Compliance', labelZh: '合规经营', maxPoints: 40, clause: '4.1' },
    { key: 'i2', label: 'Fulfilment', labelZh: '履约表现', maxPoints: 35, clause: '4.2' },
    { key: 'i3', label: 'Consumer protection', labelZh: '消费者权益保护', maxPoints: 25, clause: '4.3' },
  ]);
  const bands = JSON.stringify([{ grade: 'AAA', minScore: 90 }, { grade: 'AA', minScore: 80 }, { grade: 'A', minScore: 70 }, { grade: 'B', minScore: 60 }, { grade: 'C', minScore: 0 }]);
  const grades = ['AAA', 'AA', 'A', 'B', 'C'];
  const states = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'suspended', 'withdrawn', 'expired'];
  c.transaction(() => {
    const body = c.prepare(`INSERT INTO organizations (slug, name, name_zh, code, type, status, created_at, updated_at) VALUES ('bench-body', 'Bench Industry Body', '测试行业协会', 'BENCH', 'association', 'verified', ?, ?)`).run(now, now).lastInsertRowid;
    const standard = c
      .prepare(`INSERT INTO standards (organization_id, title, title_zh, state, stage_code, ever_public, number, number_year, number_sequence, created_at, updated_at) VALUES (?, 'Seller credit grading', '卖家信用等级评价规范', 'published', '60.60', 1, 'T/BENCH 001—2026', 2026, 1, ?, ?)`)
      .run(body, now, now).lastInsertRowid;
    const scheme = c
      .prepare(`INSERT INTO credit_schemes (organization_id, name, name_zh, standard_id, standard_number, standard_version, indicator_clause, band_clause, indicators, bands, commitment_text, state, created_at, updated_at) VALUES (?, 'Bench seller credit grading', '测试卖家信用评价', ?, 'T/BENCH 001—2026', 1, 'A.1', '5.1', ?, ?, 'We commit.', 'active', ?, ?)`)
      .run(body, standard, indicators, bands, now, now).lastInsertRowid;
    const org = c.prepare(`INSERT INTO organizations (slug, name, name_zh, type, status, credit_code, created_at, updated_at) VALUES (?, ?, ?, 'company', 'verified', ?, ?, ?)`);
    const assessment = c.prepare(`INSERT INTO credit_assessments (scheme_id, entity_id, state, answers, scores, score, computed_grade, grade, created_at, updated_at) VALUES (?, ?, 'granted', '{}', ?, ?, ?, ?, ?, ?)`);
    const certificate = c.prepare(
      `INSERT INTO credit_certificates (number, organization_id, number_year, number_sequence, scheme_id, entity_id, assessment_id, grade, score, max_score, adjusted, standard_number, standard_version, valid_from, valid_until, next_surveillance, state, created_at, updated_at)
       VALUES (?, ?, 2026, ?, ?, ?, ?, ?, ?, 100, 0, 'T/BENCH 001—2026', 1, '2026-01-15', '2029-01-14', '2027-01-15', ?, ?, ?)`,
    );
    const event = c.prepare(`INSERT INTO credit_certificate_events (certificate_id, kind, at) VALUES (?, 'granted', ?)`);
    for (let i = 0; i < CERTIFICATES; i++) {
      // credit codes only need to be distinct here (the unique index), not valid
      const entity = org.run(`bench-company-${i}`, `Bench Trading Company ${i} Ltd.`, `测试贸易公司${i}`, `91310000BENCH${String(i).padStart(5, '0')}`, now, now).lastInsertRowid;
      const grade = grades[i % grades.length]!;
      const score = [95, 85, 75, 65, 40][i % 5]!;
      const a = assessment.run(scheme, entity, JSON.stringify({ i1: { points: 30, rationale: 'r' }, i2: { points: 30, rationale: 'r' }, i3: { points: score - 60, rationale: 'r' } }), score, grade, grade, now, now).lastInsertRowid;
      const number = `BENCH-XY-2026-${String(i + 1).padStart(5, '0')}`;
      const id = certificate.run(number, body, i + 1, scheme, entity, a, grade, score, states[i % states.length], now, now).lastInsertRowid;
      event.run(id, now);
      numbers.push(number);
    }
    c.prepare(`INSERT INTO credit_certificate_counters (organization_id, year, last_sequence) VALUES (?, 2026, ?)`).run(body, CERTIFICATES);
  })();
  c.close();
  return numbers;
}

async function main() {
  const entry = process.env.BENCH_ENTRY ? path.resolve(process.env.BENCH_ENTRY) : ensureServerBuild({ bench: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-bench-credit-'));
  const dbPath = path.join(dir, 'portal.db');
  const loadBefore = loadavg();
  const arrangeStarted = performance.now();
  const numbers = arrange(dbPath);
  console.log(`arranged ${CERTIFICATES} certificates in ${((performance.now() - arrangeStarted) / 1000).toFixed(1)} s`);
  const port = 45000 + Math.floor(Math.random() * 500);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const child = spawn(process.execPath, [...profile, 'src/cli/serve.mjs', entry], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: dbPath, DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}`, MEILISEARCH_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  serverPid = child.pid ?? 0;
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await request(base, { path: '/bench-trivial' }, new http.Agent())).status === 200) break;
      } catch {
        /* not up yet */
      }
      if (i > 300 || child.exitCode !== null) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Spread over the whole table: every tenth number of the 5,000, in zh and en.
    const sample = Array.from({ length: SAMPLE }, (_, i) => numbers[Math.floor((i * numbers.length) / SAMPLE)]!);
    const trivial: Target[] = [{ path: '/bench-trivial' }];
    const pages: Target[] = sample.map((n, i) => ({ path: i % 2 ? `/en/credit/${n}` : `/credit/${n}` }));
    const badges: Target[] = sample.map((n, i) => ({ path: `/credit/${n}/badge.svg${i % 2 ? '?lang=en' : ''}` }));
    const agent = new http.Agent({ keepAlive: true });
    const revalidations: Target[] = [];
    for (const b of badges) {
      const r = await request(base, b, agent);
      if (r.status !== 200 || !r.etag) throw new Error(`badge ${b.path} answered ${r.status}`);
      revalidations.push({ path: b.path, headers: { 'if-none-match': r.etag } });
    }
    agent.destroy();
    const check = await request(base, revalidations[0]!, new http.Agent());
    if (check.status !== 304) throw new Error(`a revalidation answered ${check.status}, not 304`);

    for (const targets of [trivial, pages, badges, revalidations]) await throughput(base, targets); // warm-up (JIT, caches)
    type Measure = Awaited<ReturnType<typeof throughput>>;
    const rounds: { trivial: Measure; page: Measure; badge: Measure; notModified: Measure }[] = [];
    // The machine is shared, so load comes and goes: alternate short measurements and compare
    // medians of per-round ratios rather than one long run of each.
    for (let r = 0; r < ROUNDS; r++) {
      const round = { trivial: await throughput(base, trivial), page: await throughput(base, pages), badge: await throughput(base, badges), notModified: await throughput(base, revalidations) };
      rounds.push(round);
      console.log(`round ${r + 1}: trivial ${round.trivial.rps.toFixed(0)}, page ${round.page.rps.toFixed(0)}, badge ${round.badge.rps.toFixed(0)}, 304 ${round.notModified.rps.toFixed(0)} req/s`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = (k: 'page' | 'badge' | 'notModified') => median(rounds.map((r) => r[k].rps / r.trivial.rps));
    const rps = (k: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[k].rps));
    const statuses = (k: keyof (typeof rounds)[number]) =>
      Object.entries(rounds.reduce((acc, r) => { for (const [s, n] of Object.entries(r[k].statuses)) acc[s] = (acc[s] ?? 0) + n; return acc; }, {} as Record<string, number>)).map(([s, n]) => `${s}×${n}`).join(', ');
    const cpu = cpus();
    const pctOf = (x: number) => `${(x * 100).toFixed(0)} %`;
    const md = `# Credit verification and badge benchmark

Command: \`npm run bench -- credit\` (BENCH_CERTIFICATES=${CERTIFICATES}, BENCH_SECONDS=${SECONDS}, BENCH_ROUNDS=${ROUNDS}, BENCH_CONCURRENCY=${CONCURRENCY}).
Run at ${new Date().toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version},
load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}. The machine is shared with six other engineers' builds and
test runs, so absolute figures are noisy; the ratios are measured in the same run, alternating, with the same client.
Server: the production build (plus the benchmarks' trivial page) behind src/cli/serve.mjs (as \`npm start\` runs it), one process, SQLite in WAL mode; the load
generator runs on the same cores. Requests rotate over ${SAMPLE} certificates spread over the ${CERTIFICATES.toLocaleString('en')} (zh and en).

| round | trivial req/s | trivial p99 | trivial CPU µs | page req/s | page p99 | page CPU µs | badge 200 req/s | badge p99 | badge 304 req/s | 304 p99 |
|---|---|---|---|---|---|---|---|---|---|---|
${rounds.map((r, i) => `| ${i + 1} | ${r.trivial.rps.toFixed(0)} | ${r.trivial.p99.toFixed(1)} ms | ${r.trivial.cpuUs.toFixed(0)} | ${r.page.rps.toFixed(0)} | ${r.page.p99.toFixed(1)} ms | ${r.page.cpuUs.toFixed(0)} | ${r.badge.rps.toFixed(0)} | ${r.badge.p99.toFixed(1)} ms | ${r.notModified.rps.toFixed(0)} | ${r.notModified.p99.toFixed(1)} ms |`).join('\n')}
| median | ${rps('trivial').toFixed(0)} | | ${median(rounds.map((r) => r.trivial.cpuUs)).toFixed(0)} | ${rps('page').toFixed(0)} | | ${median(rounds.map((r) => r.page.cpuUs)).toFixed(0)} | ${rps('badge').toFixed(0)} | | ${rps('notModified').toFixed(0)} | |

Server CPU per request (user + system of the server process over each measurement, /proc), the steadier figure on a shared
machine: verification page ${median(rounds.map((r) => r.page.cpuUs)).toFixed(0)} µs, trivial page ${median(rounds.map((r) => r.trivial.cpuUs)).toFixed(0)} µs, ratio **${pctOf(median(rounds.map((r) => r.trivial.cpuUs / r.page.cpuUs)))}**.

Median of the rounds' ratios to the trivial page:

| route | ratio | goal | |
|---|---|---|---|
| \`/credit/{number}/badge.svg\` with If-None-Match (304) | **${pctOf(ratio('notModified'))}** | ≥ 100 % | ${ratio('notModified') >= 1 ? 'met' : 'NOT met'} |
| \`/credit/{number}/badge.svg\` (200, full SVG) | **${pctOf(ratio('badge'))}** | ≥ 50 % | ${ratio('badge') >= 0.5 ? 'met' : 'NOT met'} |
| \`/credit/{number}\` (verification page) | ${pctOf(ratio('page'))} | (none set) | |

Statuses over all rounds: trivial ${statuses('trivial')}; page ${statuses('page')}; badge ${statuses('badge')}; revalidation ${statuses('notModified')}.

Why the badge is cheap: serve.mjs answers it itself (src/direct-routes.ts \`patternRoutes\`), without Astro's
request pipeline; one prepared query on the unique index of the certificate number; the ETag is the certificate's
id, last change and language, so a revalidation compares strings and sends headers only.
`;
    writeFileSync(OUT, md);
    console.log(md);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
