/**
 * Directory figures: latency (p50/p95) and throughput of the organization directory and an
 * organization page over HTTP, with 5,000 verified organizations in the database.
 *   npx tsx tests/bench/organizations-directory.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { ORGANIZATION_TYPES, organizations } from '../../db/schema';
import { ensureServerBuild } from '../helpers/build';

const COUNT = 5000;
const entry = ensureServerBuild();
const dir = mkdtempSync(path.join(tmpdir(), 'org-bench-'));
const port = 4900 + Math.floor(Math.random() * 90);
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, [entry], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: path.join(dir, 'portal.db'), DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}` },
  stdio: 'ignore',
});

async function measure(label: string, target: string, requests = 300, concurrency = 1) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t0 = performance.now();
        const res = await fetch(`${url}${target}`);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${target}: ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
  console.log(`${label.padEnd(46)} c=${String(concurrency).padEnd(2)} p50 ${pct(50)} ms  p95 ${pct(95)} ms  ${(requests / elapsed).toFixed(0)} req/s`);
}

try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/v1/organizations`)).ok) break;
    } catch {
      if (i > 200) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const db = openDatabase(path.join(dir, 'portal.db'), { migrate: false });
  db.transaction((tx) => {
    for (let i = 0; i < COUNT; i++) {
      tx.insert(organizations)
        .values({
          slug: `bench-org-${i}`,
          name: `Bench Organization ${String(i).padStart(5, '0')}`,
          nameZh: `基准机构 ${i}`,
          type: ORGANIZATION_TYPES[i % ORGANIZATION_TYPES.length]!,
          descriptionMd: `Organization number **${i}**, which trains cross-border e-commerce sellers.`,
          status: 'verified',
          verifiedAt: new Date(),
        })
        .run();
    }
  });
  db.$client.close();
  console.log(`${COUNT} verified organizations, ${ORGANIZATION_TYPES.length} types; node ${process.version}`);
  await measure('GET /api/v1/organizations?type=company&page=10', '/api/v1/organizations?type=company&page=10');
  await measure('GET /api/v1/organizations?page=200', '/api/v1/organizations?page=200');
  await measure('GET /en/organizations?type=company&page=10', '/en/organizations?type=company&page=10');
  await measure('GET /en/organizations?type=company&page=10', '/en/organizations?type=company&page=10', 600, 16);
  await measure('GET /en/organizations/bench-org-4242', '/en/organizations/bench-org-4242');
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
