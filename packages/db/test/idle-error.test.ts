import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/pool';
import { createTestDatabase, testDatabaseUrl } from '../src/testing';

describe('an idle connection closed by the server', () => {
  it('is reported and replaced, never an uncaught exception that ends the process', async () => {
    const url = testDatabaseUrl();
    if (!url) {
      // PGlite runs in this process: no server can close its connection, but the listener is there
      const db = openDatabase({ dataDir: 'memory://' });
      expect(db.pool.listenerCount('error')).toBeGreaterThan(0);
      await db.close();
      return;
    }
    const admin = await createTestDatabase({ migrate: false });
    const seen: string[] = [];
    const db = openDatabase({ databaseUrl: url, onIdleError: (e) => seen.push(e.message) });
    try {
      const { rows } = await db.pool.query<{ pid: number }>('select pg_backend_pid() as pid');
      // the pooled connection is idle now; the server ends it (as a restart or failover would)
      await admin.pool.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen.join()).toMatch(/terminat/);
      expect((await db.pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await admin.close();
    }
  });
});
