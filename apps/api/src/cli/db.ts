import { loadConfig, type Config } from '@mycoi/config';
import { migrate, openDatabase, type Database } from '@mycoi/db';

/** Config + a migrated database, the way the server opens them (PGlite dir or DATABASE_URL). */
export async function openCliDatabase(): Promise<{ config: Config; db: Database }> {
  const config = loadConfig();
  // With embedded PGlite the server holds the directory lock: stop it first (PostgreSQL: run live).
  const db = config.DATABASE_URL ? openDatabase({ databaseUrl: config.DATABASE_URL }) : openDatabase({ dataDir: config.PGLITE_DIR });
  await migrate(db.pool);
  return { config, db };
}

/** `--name value` pairs from argv. */
export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
      else out[a.slice(2)] = argv[++i] ?? '';
    }
  }
  return out;
}
