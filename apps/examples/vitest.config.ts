import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every example job starts its own worker threads: run one file at a time on these 2-core machines.
    fileParallelism: false,
  },
});
