import { defineConfig } from 'vitest/config';

/**
 * The smoke test of the built desktop bundle (out/main under plain Node with
 * an electron stand-in). Run with `npm run test:bundle` (builds first).
 */
export default defineConfig({
  test: {
    include: ['test/bundle/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
