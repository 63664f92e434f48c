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
    // expect.poll waits for what a user would wait for (a run, a page update), not 1 s: on a loaded
    // 2-core CI machine the default turned slow-but-correct into failures; a real failure still fails
    expect: { poll: { timeout: 10_000, interval: 50 } },
    reporters: ['default'],
  },
});
