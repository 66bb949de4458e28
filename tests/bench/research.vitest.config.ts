import { defineConfig } from 'vitest/config';
import { alias } from '../../vitest.config';

/** Runs the research benchmark (kept out of the normal test run). */
/**
 * BENCH_BETTER_SQLITE3=<folder of another better-sqlite3 build> runs the benchmark on it: with
 * better-sqlite3 12 on Node 24, a long run aborts in a statement finalizer (see the research report).
 */
const driver = process.env.BENCH_BETTER_SQLITE3;

export default defineConfig({
  resolve: { alias: { ...alias, ...(driver ? { 'better-sqlite3': driver } : {}) } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/bench/research.bench.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
