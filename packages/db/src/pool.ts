import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { acquireDirLock, type DirLock } from './lock';
import { guardPool } from './safe-text';

export type DbKind = 'postgres' | 'pglite';

export interface Database {
  pool: pg.Pool;
  kind: DbKind;
  /** Closes the pool and releases the PGlite directory lock. Safe to call twice. */
  close(): Promise<void>;
}

export interface PoolOptions {
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  max?: number;
  /** Told when an IDLE pooled connection dies (server restart, failover, the database dropped). */
  onIdleError?: (err: Error) => void;
}

// Postgres returns int8 (bigint) as a string; Procore ids can exceed 2^31 but stay below 2^53
// in practice, and every id we store is compared as text anyway, so counts are parsed as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(options: PoolOptions = {}): Database {
  if (options.databaseUrl) {
    const pool = guardPool(new pg.Pool({ connectionString: options.databaseUrl, max: options.max ?? 10 }));
    // Without a listener pg re-throws an idle client's error as an uncaught exception and the
    // process dies; the pool already discards that client and the next query opens a new one.
    pool.on('error', (err) => options.onIdleError?.(err));
    return { pool, kind: 'postgres', close: once(() => pool.end()) };
  }
  const dir = options.dataDir ?? 'memory://';
  let lock: DirLock | undefined;
  if (!dir.startsWith('memory://')) {
    const abs = path.resolve(dir);
    mkdirSync(abs, { recursive: true }); // PGlite's own mkdir is not recursive
    lock = acquireDirLock(abs);
  }
  // createPgConfig shares one in-process connection: never override `max` (queries then return []).
  const pool = guardPool(new pg.Pool(createPgConfig(dir.startsWith('memory://') ? dir : path.resolve(dir))));
  pool.on('error', (err) => options.onIdleError?.(err));
  return {
    pool,
    kind: 'pglite',
    close: once(async () => {
      try {
        await pool.end();
      } finally {
        lock?.release();
      }
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
