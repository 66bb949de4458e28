import path from 'node:path';
import { defineConfig } from 'vitest/config';

export const alias = {
  '~': path.resolve(import.meta.dirname, 'src'),
  '@db': path.resolve(import.meta.dirname, 'db'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/bench/**', 'node_modules/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
