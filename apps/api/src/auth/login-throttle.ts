import type pg from 'pg';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

/**
 * Failed ops logins per email+ip, kept in the database so every instance counts the same
 * failures. Returns the seconds to wait when the limit is reached, else null.
 */
export async function loginBlockedFor(pool: pg.Pool, email: string, ip: string): Promise<number | null> {
  const { rows } = await pool.query<{ n: number; oldest: Date | null }>(
    `select count(*)::int as n, min(at) as oldest from login_failures
      where email = lower($1) and ip = $2 and at > now() - make_interval(secs => $3)`,
    [email, ip, WINDOW_MS / 1000],
  );
  const r = rows[0];
  if (!r || r.n < MAX_FAILURES || !r.oldest) return null;
  return Math.max(1, Math.ceil((r.oldest.getTime() + WINDOW_MS - Date.now()) / 1000));
}

export async function recordLoginFailure(pool: pg.Pool, email: string, ip: string): Promise<void> {
  await pool.query('delete from login_failures where at < now() - make_interval(secs => $1)', [WINDOW_MS / 1000]);
  await pool.query('insert into login_failures (email, ip) values (lower($1), $2)', [email, ip]);
}

export async function clearLoginFailures(pool: pg.Pool, email: string, ip: string): Promise<void> {
  await pool.query('delete from login_failures where email = lower($1) and ip = $2', [email, ip]);
}
