import { defineConfig } from 'vitest/config';

// The real-Electron suite (`npm run test:electron`): no electron mock, one file at a time, generous timeouts.
// It is excluded from `npm test` because CI machines have no Electron binary; each test skips itself there.
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/e2e/electron/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
