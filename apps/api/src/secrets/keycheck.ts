import type pg from 'pg';
import { decryptSecret, encryptSecret, SecretKeyError, type Keyring } from './crypto';

const CANARY = 'mycoi-key-canary-v1';
const CANARY_AAD = 'canary';

/**
 * Boot-time key check. Each configured key id has a canary row encrypted with it; if the key
 * behind an id changed, the canary no longer decrypts and boot fails with a clear message
 * instead of every tenant failing later at first use. Also fails when stored credentials use a
 * key id that is no longer configured (remove an old key only after `npm run rotate-keys`).
 */
export async function verifyEncryptionKeys(pool: pg.Pool, ring: Keyring): Promise<void> {
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
  const used = await pool.query<{ key_id: string; n: number }>(
    'select key_id, count(*)::int as n from credentials where key_id is not null group by key_id',
  );
  const missing = used.rows.filter((r) => !ring.keys.has(r.key_id));
  if (missing.length > 0) {
    throw new SecretKeyError(
      `Stored credentials are encrypted with key(s) ${missing.map((m) => `"${m.key_id}" (${m.n})`).join(', ')} ` +
        'that are not in ENCRYPTION_KEYS. Put the old key back, run `npm run rotate-keys`, then remove it.',
    );
  }
}
