import type pg from 'pg';
import { hashPassword, verifyPassword } from './passwords';

export const DEMO_OPS_EMAIL = 'ops@mycoi.test';
export const DEMO_OPS_PASSWORD = 'ops-demo-password';

/** Creates the ops account, or sets a new password when it exists (the CLI is also the reset path). */
export async function upsertOpsUser(pool: pg.Pool, email: string, password: string): Promise<'created' | 'updated'> {
  const hash = await hashPassword(password);
  const { rows } = await pool.query<{ inserted: boolean }>(
    `insert into ops_users (email, password_hash) values (lower($1), $2)
     on conflict (email) do update set password_hash = excluded.password_hash, disabled_at = null
     returning (xmax = 0) as inserted`,
    [email, hash],
  );
  return rows[0]?.inserted ? 'created' : 'updated';
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
