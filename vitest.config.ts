import { defineConfig } from 'vitest/config';

// One root config: every workspace keeps its tests in <workspace>/test. Files that need a DOM opt in
// with a `// @vitest-environment happy-dom` comment. Database-backed tests read DATABASE_URL through
// @mycoi/db's test helper, so the same suite runs on PGlite and on PostgreSQL 15 in CI.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.{ts,tsx}', 'apps/*/test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
