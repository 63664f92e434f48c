import type pg from 'pg';

/** Failures of one account (from any address) before it is locked for the rest of the window. */
export const MAX_FAILURES = 5;
/** Failures from one address (over any accounts) before it is locked: stops guessing across accounts. */
export const MAX_FAILURES_PER_IP = 10;
export const WINDOW_MS = 15 * 60_000;

/**
 * Failed ops logins, kept in the database so every instance counts the same failures. Counted two
 * ways, each on its own: per account (rotating the address, e.g. through X-Forwarded-For, does not
 * help) and per address (trying many accounts does not help). Returns the seconds to wait when
 * either limit is reached, else null. The address is the socket's unless TRUST_PROXY names the
 * proxies in front.
 */
export async function loginBlockedFor(pool: pg.Pool, email: string, ip: string): Promise<number | null> {
  const { rows } = await pool.query<{ by_email: number; email_oldest: Date | null; by_ip: number; ip_oldest: Date | null }>(
    `select count(*) filter (where email = lower($1))::int as by_email,
            min(at) filter (where email = lower($1)) as email_oldest,
            count(*) filter (where ip = $2)::int as by_ip,
            min(at) filter (where ip = $2) as ip_oldest
       from login_failures
      where (email = lower($1) or ip = $2) and at > now() - make_interval(secs => $3)`,
    [email, ip, WINDOW_MS / 1000],
  );
  const r = rows[0];
  if (!r) return null;
  const waits: number[] = [];
  if (r.by_email >= MAX_FAILURES && r.email_oldest) waits.push(r.email_oldest.getTime() + WINDOW_MS - Date.now());
  if (r.by_ip >= MAX_FAILURES_PER_IP && r.ip_oldest) waits.push(r.ip_oldest.getTime() + WINDOW_MS - Date.now());
  if (waits.length === 0) return null;
  return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
}

export async function recordLoginFailure(pool: pg.Pool, email: string, ip: string): Promise<void> {
  await pool.query('delete from login_failures where at < now() - make_interval(secs => $1)', [WINDOW_MS / 1000]);
  await pool.query('insert into login_failures (email, ip) values (lower($1), $2)', [email, ip]);
}

/**
 * A successful sign-in clears the account's own failures (the right password proves the owner),
 * but not the address's failures against other accounts.
 */
export async function clearLoginFailures(pool: pg.Pool, email: string): Promise<void> {
  await pool.query('delete from login_failures where email = lower($1)', [email]);
}
