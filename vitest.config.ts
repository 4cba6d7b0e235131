import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash; database-heavy files also contend for the disk.
    maxWorkers: 2,
    pool: 'forks',
  },
});
