import type pg from 'pg';
import { HttpError, unauthorized } from '../http/errors';
import { decryptSecret, encryptSecret, type Keyring } from '../secrets/crypto';
import type { ProcoreSetupClient, UserTokenPair } from '../tenants/procore-setup';

/** Reads may trust the last check this long; every change (POST/PUT) asks Procore again. */
export const ADMIN_RECHECK_MS = 60_000;
/**
 * While Procore cannot answer (5xx, no response) a check this recent still counts: an outage must
 * not lock admins out of the console that reports the outage, and a removal cannot be seen then.
 */
export const OUTAGE_GRACE_MS = 15 * 60_000;

export interface AdminVerifyDeps {
  pool: pg.Pool;
  ring: Keyring;
  procore: ProcoreSetupClient | null;
  marketplaceApp: { clientId: string; clientSecret: string } | null;
}

const aad = (subject: string) => `admin:${subject}`;

/** Keeps the admin's Procore pair with the session (encrypted), checked as of now. */
export async function storeAdminTokens(
  db: Pick<pg.Pool, 'query'>,
  ring: Keyring,
  sessionId: string,
  subject: string,
  t: UserTokenPair,
): Promise<void> {
  await db.query(
    `update sessions set procore_token = $2, procore_refresh_token = $3, procore_token_expires_at = $4, verified_at = now() where id = $1`,
    [
      sessionId,
      encryptSecret(ring, t.accessToken, aad(subject)),
      t.refreshToken ? encryptSecret(ring, t.refreshToken, aad(subject)) : null,
      t.expiresAt,
    ],
  );
}

const ended = (message: string) => unauthorized(message);

interface Row {
  subject: string;
  procore_token: string | null;
  procore_refresh_token: string | null;
  verified_at: Date | null;
}

function unavailable(row: Row): void {
  if (row.verified_at && Date.now() - row.verified_at.getTime() < OUTAGE_GRACE_MS) return;
  throw new HttpError(503, 'procore_unavailable', 'Procore cannot confirm your access right now; try again in a moment');
}

// Concurrent requests of one session share one check (and so one refresh of the rotating token).
const inflight = new Map<string, Promise<void>>();

/**
 * Re-checks with Procore — with the admin's own token — that the admin still belongs to every
 * company the session was granted for (issue 16.3: "removing a company admin ends their sessions").
 * A removed admin's session is deleted and the request refused; so is one whose Procore sign-in
 * can no longer be renewed. Sessions from before tokens were kept (no token) are not re-checked;
 * they run out within their 8 hours.
 */
export function verifyAdmin(d: AdminVerifyDeps, sessionId: string, companyIds: string[], maxAgeMs: number): Promise<void> {
  const running = inflight.get(sessionId);
  if (running) return running;
  const p = check(d, sessionId, companyIds, maxAgeMs).finally(() => inflight.delete(sessionId));
  inflight.set(sessionId, p);
  return p;
}

async function check(d: AdminVerifyDeps, sessionId: string, companyIds: string[], maxAgeMs: number): Promise<void> {
  const { rows } = await d.pool.query<Row>(
    'select subject, procore_token, procore_refresh_token, verified_at from sessions where id = $1',
    [sessionId],
  );
  const row = rows[0];
  if (!row?.procore_token) return;
  if (row.verified_at && Date.now() - row.verified_at.getTime() < maxAgeMs) return;
  if (!d.procore || !d.marketplaceApp) return; // Procore not configured: nothing to ask
  const end = async (message: string): Promise<never> => {
    await d.pool.query('delete from sessions where id = $1', [sessionId]);
    throw ended(message);
  };
  let access: string;
  let refresh: string | null;
  try {
    access = decryptSecret(d.ring, row.procore_token, aad(row.subject));
    refresh = row.procore_refresh_token ? decryptSecret(d.ring, row.procore_refresh_token, aad(row.subject)) : null;
  } catch {
    return end('Your sign-in can no longer be read: sign in with Procore again');
  }
  let listed = await d.procore.companies(access);
  if (!listed.ok && listed.status === 401) {
    if (!refresh) return end('Your Procore sign-in has ended: sign in with Procore again');
    const next = await d.procore.refresh({ ...d.marketplaceApp, refreshToken: refresh });
    if (!next.ok) {
      if (next.status >= 400 && next.status < 500) return end('Your Procore sign-in has ended: sign in with Procore again');
      return unavailable(row);
    }
    // Compare-and-set on the spent refresh token: another instance's newer pair is not overwritten.
    await d.pool.query(
      `update sessions set procore_token = $2, procore_refresh_token = $3, procore_token_expires_at = $4 where id = $1 and procore_refresh_token = $5`,
      [
        sessionId,
        encryptSecret(d.ring, next.data.accessToken, aad(row.subject)),
        next.data.refreshToken ? encryptSecret(d.ring, next.data.refreshToken, aad(row.subject)) : null,
        next.data.expiresAt,
        row.procore_refresh_token,
      ],
    );
    listed = await d.procore.companies(next.data.accessToken);
  }
  if (!listed.ok) {
    if (listed.status === 401 || listed.status === 403) return end('Procore no longer accepts your sign-in: sign in with Procore again');
    return unavailable(row);
  }
  const now = new Set(listed.data.map((c) => c.id));
  if (!companyIds.every((id) => now.has(id))) return end('You no longer have access to this Procore company: sign in again');
  await d.pool.query('update sessions set verified_at = now() where id = $1', [sessionId]);
}
