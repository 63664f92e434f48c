import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { ENCRYPTED_COLUMNS } from '../src/secrets/columns';

// Key rotation and the boot key check cover the columns listed in secrets/columns.ts. These checks
// keep that list complete: every place that encrypts is known, and every listed column exists.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (f === 'node_modules' || f === 'dist' || f === 'test') return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe('the list of encrypted columns', () => {
  it('names every file that encrypts a stored value (a new one must add its column to secrets/columns.ts)', () => {
    const files = [...sources(path.join(root, 'apps')), ...sources(path.join(root, 'packages'))]
      .filter((f) => /\bencryptSecret\(/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f))
      .sort();
    expect(files).toEqual([
      'apps/api/src/auth/admin-verify.ts', // sessions.procore_token, sessions.procore_refresh_token (admin console)
      'apps/api/src/panel/sessions.ts', // panel_sessions.*, panel_grants.*
      'apps/api/src/secrets/crypto.ts', // the definition
      'apps/api/src/secrets/keycheck.ts', // encryption_canaries (a check value, not a secret)
      'apps/api/src/secrets/rotate.ts', // re-encrypts the listed columns
      'apps/api/src/secrets/store.ts', // credentials.secret_ciphertext
    ]);
  });

  it('lists only columns that exist after the migrations', async () => {
    for (const c of ENCRYPTED_COLUMNS) {
      const { rows } = await db.pool.query('select 1 from information_schema.columns where table_name = $1 and column_name = $2', [
        c.table,
        c.column,
      ]);
      expect(rows, `${c.table}.${c.column}`).toHaveLength(1);
    }
    const panel = ENCRYPTED_COLUMNS.filter((c) => c.table.startsWith('panel_')).map((c) => `${c.table}.${c.column}`);
    expect(panel.sort()).toEqual([
      'panel_grants.procore_refresh_token',
      'panel_grants.procore_token',
      'panel_sessions.mycoi_token',
      'panel_sessions.procore_refresh_token',
      'panel_sessions.procore_token',
    ]);
  });
});
