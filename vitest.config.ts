import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/bundle needs the build: `npm run test:bundle` (and `npm test`) build first.
    exclude: ['test/e2e/**', 'test/bundle/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native modules (better-sqlite3, onnxruntime) and worker threads behave
    // best in forked processes.
    pool: 'forks',
  },
});
