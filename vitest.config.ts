import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel forks, but each file's tests run in order.
    pool: 'forks',
    maxWorkers: 2,
  },
});
