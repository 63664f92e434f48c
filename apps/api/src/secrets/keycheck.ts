import type pg from 'pg';
import { decryptSecret, encryptSecret, SecretKeyError, type Keyring } from './crypto';
import { ENCRYPTED_COLUMNS, liveRows } from './columns';

const CANARY = 'mycoi-key-canary-v1';
const CANARY_AAD = 'canary';

/**
 * Boot-time key check. Each configured key id has a canary row encrypted with it; if the key
 * behind an id changed, the canary no longer decrypts and boot fails with a clear message
 * instead of every tenant failing later at first use. Then every encrypted column (columns.ts):
 * stored credentials that use a key id no longer configured fail the boot (remove an old key only
 * after `npm run rotate-keys`); live panel sessions and grants that do are ended instead — their
 * users sign in again, which is all a lost session costs. Returns how many were ended.
 */
export async function verifyEncryptionKeys(pool: pg.Pool, ring: Keyring): Promise<{ endedSessions: number }> {
  if (!ring.keys.has(ring.activeKeyId)) throw new SecretKeyError(`ENCRYPTION_ACTIVE_KEY "${ring.activeKeyId}" is not in ENCRYPTION_KEYS`);
  const { rows } = await pool.query<{ key_id: string; canary: string }>('select key_id, canary from encryption_canaries');
  const known = new Map(rows.map((r) => [r.key_id, r.canary]));
  for (const keyId of ring.keys.keys()) {
    const stored = known.get(keyId);
    if (stored === undefined) {
      const single: Keyring = { keys: ring.keys, activeKeyId: keyId };
      await pool.query('insert into encryption_canaries (key_id, canary) values ($1, $2) on conflict (key_id) do nothing', [
        keyId,
        encryptSecret(single, CANARY, CANARY_AAD),
      ]);
      continue;
    }
    let ok = false;
    try {
      ok = decryptSecret(ring, stored, CANARY_AAD) === CANARY;
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new SecretKeyError(
        `Encryption key "${keyId}" does not match the key this database was encrypted with. ` +
          'Check ENCRYPTION_KEYS: a key id must always map to the same key.',
      );
    }
  }
  const configured = [...ring.keys.keys()];
  let endedSessions = 0;
  for (const col of ENCRYPTED_COLUMNS) {
    const live = col.ephemeral ? ` and ${liveRows(col)}` : '';
    const keyOf = `split_part(${col.column}, '.', 1)`;
    const used = await pool.query<{ key_id: string; n: number }>(
      `select ${keyOf} as key_id, count(*)::int as n from ${col.table} where ${col.column} is not null${live} group by 1`,
    );
    const missing = used.rows.filter((r) => !ring.keys.has(r.key_id));
    if (missing.length === 0) continue;
    if (!col.ephemeral || !col.end) {
      throw new SecretKeyError(
        `Stored ${col.table === 'credentials' ? 'credentials are' : `${col.table}.${col.column} values are`} encrypted with key(s) ` +
          `${missing.map((m) => `"${m.key_id}" (${m.n})`).join(', ')} that are not in ENCRYPTION_KEYS. ` +
          'Put the old key back, run `npm run rotate-keys`, then remove it.',
      );
    }
    const ended = await pool.query(col.end!(`${col.column} is not null${live} and not (${keyOf} = any($1::text[]))`), [configured]);
    endedSessions += ended.rowCount ?? 0;
  }
  return { endedSessions };
}
