import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import { decryptSecret, encryptSecret, envelopeKeyId, type Keyring } from './crypto';
import { ENCRYPTED_COLUMNS, liveRows, type EncryptedColumn } from './columns';

export interface RotationResult {
  reencrypted: number;
  alreadyCurrent: number;
  /** Live panel sessions/grants whose value no key could decrypt: ended (the user signs in again). */
  ended: number;
}

/**
 * Re-encrypts every stored secret — every column in ENCRYPTED_COLUMNS — with the active key, one
 * row per statement so a running service keeps working throughout (it holds every key until the
 * old one is removed). Rows already on the active key are skipped, so the command is safe to re-run
 * after an interruption. Canaries of keys no longer configured are dropped.
 */
export async function rotateKeys(pool: pg.Pool, ring: Keyring): Promise<RotationResult> {
  const total: RotationResult = { reencrypted: 0, alreadyCurrent: 0, ended: 0 };
  for (const col of ENCRYPTED_COLUMNS) {
    const r = await rotateColumn(pool, ring, col);
    total.reencrypted += r.reencrypted;
    total.alreadyCurrent += r.alreadyCurrent;
    total.ended += r.ended;
  }
  await withTransaction(pool, async (c) => {
    await c.query('delete from encryption_canaries where not (key_id = any($1::text[]))', [[...ring.keys.keys()]]);
  });
  return total;
}

async function rotateColumn(pool: pg.Pool, ring: Keyring, col: EncryptedColumn): Promise<RotationResult> {
  const out: RotationResult = { reencrypted: 0, alreadyCurrent: 0, ended: 0 };
  const keys = col.rowKey.map((k, i) => `${k} as k${i}`).join(', ');
  // Every row, ended or not: a used grant still holds a Procore token that works for 90 minutes.
  const { rows } = await pool.query<Record<string, string>>(
    `select ${keys}, ${col.aad} as aad, ${col.column} as value from ${col.table} where ${col.column} is not null`,
  );
  for (const row of rows) {
    const value = row.value!;
    const ids = col.rowKey.map((_, i) => row[`k${i}`]);
    if (envelopeKeyId(value) === ring.activeKeyId) {
      out.alreadyCurrent++;
      continue;
    }
    let plain: string;
    try {
      plain = decryptSecret(ring, value, row.aad!);
    } catch (err) {
      if (!col.ephemeral || !col.end) throw err; // a credential is never thrown away
      const res = await pool.query(col.end(`${col.rowKey[0]} = $1 and ${liveRows(col)}`), [ids[0]]);
      out.ended += res.rowCount ?? 0; // counts only sessions and grants that were still live
      continue;
    }
    const next = encryptSecret(ring, plain, row.aad!);
    const n = col.rowKey.length;
    const setKeyId = col.keyIdColumn ? `, ${col.keyIdColumn} = $${n + 3}` : '';
    // Compare-and-set: a concurrent update of the same value (a refreshed token, a new secret) wins.
    const res = await pool.query(
      `update ${col.table} set ${col.column} = $${n + 1}${setKeyId}
        where ${col.rowKey.map((k, i) => `${k} = $${i + 1}`).join(' and ')} and ${col.column} = $${n + 2}`,
      [...ids, next, value, ...(col.keyIdColumn ? [ring.activeKeyId] : [])],
    );
    out.reencrypted += res.rowCount ?? 0;
  }
  return out;
}
