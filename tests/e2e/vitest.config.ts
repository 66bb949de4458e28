import { defineConfig } from 'vitest/config';
import { alias } from '../../vitest.config';

/** Browser tests: real Chromium (Debian's) driven by playwright-core against the real server. */
export default defineConfig({
  resolve: { alias },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
