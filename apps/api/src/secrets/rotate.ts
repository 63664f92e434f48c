import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import { decryptSecret, encryptSecret, envelopeKeyId, type Keyring } from './crypto';

/**
 * Re-encrypts every stored secret with the active key, one row per statement so a running
 * service keeps working throughout (it holds every key until the old one is removed). Rows
 * already on the active key are skipped, so the command is safe to re-run after an interruption.
 * Canaries of keys no longer configured are dropped.
 */
export async function rotateKeys(pool: pg.Pool, ring: Keyring): Promise<{ reencrypted: number; alreadyCurrent: number }> {
  const { rows } = await pool.query<{ tenant_id: string; kind: string; secret_ciphertext: string }>(
    'select tenant_id, kind, secret_ciphertext from credentials where secret_ciphertext is not null',
  );
  let reencrypted = 0;
  let alreadyCurrent = 0;
  for (const row of rows) {
    if (envelopeKeyId(row.secret_ciphertext) === ring.activeKeyId) {
      alreadyCurrent++;
      continue;
    }
    const plain = decryptSecret(ring, row.secret_ciphertext, row.tenant_id);
    const next = encryptSecret(ring, plain, row.tenant_id);
    // Compare-and-set: a concurrent update of the same credential wins over the rotation.
    const res = await pool.query(
      'update credentials set secret_ciphertext = $1, key_id = $2 where tenant_id = $3 and kind = $4 and secret_ciphertext = $5',
      [next, ring.activeKeyId, row.tenant_id, row.kind, row.secret_ciphertext],
    );
    reencrypted += res.rowCount ?? 0;
  }
  await withTransaction(pool, async (c) => {
    await c.query('delete from encryption_canaries where not (key_id = any($1::text[]))', [[...ring.keys.keys()]]);
  });
  return { reencrypted, alreadyCurrent };
}
