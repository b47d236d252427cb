import { defineConfig } from 'vitest/config';

// End-to-end tests: a real server and headless Chromium, one file at a time in a single fork.
// `npm run test:e2e` builds the web app first.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
