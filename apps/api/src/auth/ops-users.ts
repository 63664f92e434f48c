import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import { hashPassword, verifyPassword } from './passwords';

export const DEMO_OPS_EMAIL = 'ops@mycoi.test';
export const DEMO_OPS_PASSWORD = 'ops-demo-password';

/**
 * Creates the ops account, or sets a new password when it exists (the CLI is also the reset path).
 * A reset ends the account's existing sessions: whoever held the old password is signed out.
 */
export async function upsertOpsUser(pool: pg.Pool, email: string, password: string): Promise<'created' | 'updated'> {
  const hash = await hashPassword(password);
  return withTransaction(pool, async (c) => {
    const { rows } = await c.query<{ id: string; inserted: boolean }>(
      `insert into ops_users (email, password_hash) values (lower($1), $2)
       on conflict (email) do update set password_hash = excluded.password_hash, disabled_at = null
       returning id, (xmax = 0) as inserted`,
      [email, hash],
    );
    const row = rows[0]!;
    if (!row.inserted) await endOpsSessions(c, row.id);
    return row.inserted ? 'created' : 'updated';
  });
}

async function endOpsSessions(db: Pick<pg.PoolClient, 'query'>, opsUserId: string): Promise<number> {
  const res = await db.query(`delete from sessions where kind = 'ops' and data->>'opsUserId' = $1`, [opsUserId]);
  return res.rowCount ?? 0;
}

/**
 * Disables (or deletes) an ops account and ends its sessions in one transaction, saying how many
 * it ended. Any other way of disabling or deleting (SQL by hand) ends them too: a trigger
 * (migration 076) deletes them, and every request checks the account (auth/sessions.ts).
 */
export async function disableOpsUser(
  pool: pg.Pool,
  email: string,
  opts: { delete?: boolean } = {},
): Promise<{ found: boolean; endedSessions: number }> {
  return withTransaction(pool, async (c) => {
    const { rows } = await c.query<{ id: string }>('select id from ops_users where email = lower($1) for update', [email]);
    const user = rows[0];
    if (!user) return { found: false, endedSessions: 0 };
    const endedSessions = await endOpsSessions(c, user.id);
    await c.query(
      opts.delete ? 'delete from ops_users where id = $1' : 'update ops_users set disabled_at = coalesce(disabled_at, now()) where id = $1',
      [user.id],
    );
    return { found: true, endedSessions };
  });
}

/** Demo only: one known ops account so the console can be tried end to end. Never in production. */
export async function seedDemoOpsUser(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query('select 1 from ops_users where email = $1', [DEMO_OPS_EMAIL]);
  if (rows.length > 0) return false;
  await upsertOpsUser(pool, DEMO_OPS_EMAIL, DEMO_OPS_PASSWORD);
  return true;
}

// Verifying against a fixed dummy hash when the email is unknown keeps response time from
// revealing which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function checkOpsLogin(pool: pg.Pool, email: string, password: string): Promise<{ id: string; email: string } | null> {
  const { rows } = await pool.query<{ id: string; email: string; password_hash: string }>(
    'select id, email, password_hash from ops_users where email = lower($1) and disabled_at is null',
    [email],
  );
  const user = rows[0];
  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password')));
    return null;
  }
  return (await verifyPassword(password, user.password_hash)) ? { id: user.id, email: user.email } : null;
}
