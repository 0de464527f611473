import { defineConfig } from 'vitest/config';

/** End-to-end tests: browser mode + system Chromium. Run with `npm run test:e2e` (builds first). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The UI updates asynchronously (events, debounced search): assertions poll.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // One browser at a time: the machines are small and the flows share nothing.
    fileParallelism: false,
  },
});
