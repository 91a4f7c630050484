import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// `electron` cannot start on CI machines (no binary), so unit and integration tests run in plain Node with
// `electron` aliased to a small, inspectable mock. Everything else is real: SQLite files, HTTPS, SSH, Chromium.
export default defineConfig({
  resolve: {
    alias: {
      electron: fileURLToPath(new URL('./test/fakes/electron-mock.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src-*/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'out/**', 'test/e2e/electron/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
