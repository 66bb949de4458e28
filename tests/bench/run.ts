/**
 * `npm run bench [-- name …]`: runs the benchmarks one after another (they share 2 cores, so never
 * in parallel) and writes each one's output, under a header naming the machine, to its results
 * file beside it. Names: search, pages, courses, organizations, research, settlement, standards, passwords, credit, capacity.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface Bench {
  /** The command; its stdout becomes the results file unless `writesOwnResults`. */
  cmd: string[];
  results: string;
  writesOwnResults?: boolean;
  env?: Record<string, string>;
}

const benches: Record<string, Bench> = {
  search: {
    cmd: [process.execPath, '--expose-gc', '--import', 'tsx', 'tests/bench/search.bench.ts'],
    results: 'search.results.md',
    writesOwnResults: true,
    env: { BENCH_OUT: 'tests/bench/search.results.md' },
  },
  pages: { cmd: [bin('tsx'), 'tests/bench/pages.bench.ts'], results: 'pages.results.md', writesOwnResults: true },
  courses: { cmd: [bin('tsx'), 'tests/bench/courses.bench.ts'], results: 'courses.results.md', writesOwnResults: true },
  organizations: { cmd: [bin('tsx'), 'tests/bench/organizations-directory.ts'], results: 'organizations-directory.results.txt' },
  research: {
    cmd: [bin('vitest'), 'run', '--config', 'tests/bench/research.vitest.config.ts'],
    results: 'research.results.txt',
  },
  settlement: { cmd: [bin('tsx'), 'tests/bench/settlement-upload.ts'], results: 'settlement-upload.results.txt' },
  standards: { cmd: [bin('tsx'), 'tests/bench/standards-detail.ts'], results: 'standards-detail.txt' },
  passwords: { cmd: [bin('tsx'), 'tests/bench/password-strength.ts'], results: 'password-strength.results.txt' },
  credit: { cmd: [bin('tsx'), 'tests/bench/credit.bench.ts'], results: 'credit.results.md', writesOwnResults: true },
  capacity: { cmd: [bin('tsx'), 'tests/bench/capacity.bench.ts'], results: 'capacity.results.md', writesOwnResults: true },
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
for (const name of wanted) {
  const bench = benches[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  const header = [
    `# ${name} benchmark, ${new Date().toISOString()}`,
    `# command: npm run bench -- ${name}`,
    `# machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '',
  ].join('\n');
  console.log(`\n== ${name}`);
  const run = spawnSync(bench.cmd[0]!, bench.cmd.slice(1), {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...bench.env },
    stdio: ['ignore', bench.writesOwnResults ? 'inherit' : 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!bench.writesOwnResults) {
    const out = (run.stdout ?? '').replace(/\x1b\[[0-9;]*m/g, '');
    process.stdout.write(out);
    writeFileSync(path.join(here, bench.results), header + out);
  }
  if (run.status !== 0) {
    console.error(`${name} benchmark failed (exit ${run.status})`);
    process.exitCode = 1;
  }
}
