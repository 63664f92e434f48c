import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '@mycoi/config';
import { openDatabase, type Database } from './pool';
import { migrate } from './migrate';

/**
 * An isolated, migrated database for one test file: a fresh in-memory PGlite by default, or a
 * throwaway database on the server named by DATABASE_URL (CI runs the suite on PostgreSQL 15).
 * Tests call this instead of reading the environment themselves.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const url = testDatabaseUrl();
  let db: Database;
  if (url) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const inner = openDatabase({ databaseUrl: u.toString() });
    db = {
      ...inner,
      close: async () => {
        await inner.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  } else {
    db = openDatabase({ dataDir: 'memory://' });
  }
  if (options.migrate !== false) await migrate(db.pool);
  return db;
}

/** The URL tests should use for a database shared by several pools (e.g. two API instances), if any. */
export function testDatabaseUrl(): string | undefined {
  return loadConfig().DATABASE_URL;
}
