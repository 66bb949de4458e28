/**
 * Builds the real server once per source fingerprint into .cache/build/<hash>, so parallel test
 * runs never share or clobber one dist/ and an unchanged tree is not rebuilt.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildHash } from '../../src/cli/build-hash';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * `bench: true` builds a separate copy with the benchmarks' trivial page at /bench-trivial
 * (tests/bench/trivial.astro, injected by astro.config.mjs), which the shipped app does not have.
 */
export function ensureServerBuild(options: { bench?: boolean } = {}): string {
  const hash = buildHash(root) + (options.bench ? '-bench' : '');
  const cache = path.join(root, '.cache', 'build');
  const dir = path.join(cache, hash);
  const entry = path.join(dir, 'server', 'entry.mjs');
  if (existsSync(entry)) return entry;
  mkdirSync(cache, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--silent'], {
    cwd: root,
    env: { ...process.env, ASTRO_OUT_DIR: tmp, ASTRO_TELEMETRY_DISABLED: '1', PORTAL_BENCH_BUILD: options.bench ? '1' : '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run built the same tree first
  }
  prune(cache, 6);
  return entry;
}

function prune(cache: string, keep: number) {
  const builds = readdirSync(cache)
    .filter((name) => !name.includes('.tmp-'))
    .map((name) => ({ name, at: statSync(path.join(cache, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(keep)) rmSync(path.join(cache, old.name), { recursive: true, force: true });
}
