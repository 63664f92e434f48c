import { Router, type Request } from 'express';
import type { PanelSession } from '@mycoi/contracts';
import { HttpError } from '../http/errors';
import type { PanelContext } from './context';
import { panelSession } from './authed';
import { SESSION_MAX_SECONDS, type PanelSessionRow } from './sessions';

/** How long a panel session lives without use: each renewal slides expiry to now + this. */
export const IDLE_SECONDS = SESSION_MAX_SECONDS;

/** Called right after a sign-in: renewals may extend the session up to the myCOI user token's expiry. */
export async function setRenewLimit(db: PanelContext['db']['pool'], tokenHash: string, mycoiTokenSeconds: number): Promise<void> {
  await db.query('update panel_sessions set renew_until = created_at + make_interval(secs => $2) where token_hash = $1', [
    tokenHash,
    Math.max(0, Math.floor(mycoiTokenSeconds)),
  ]);
}

/**
 * Restore and renew, so the panel keeps its sign-ins across page loads without third-party
 * cookies: it keeps the bearer token in its own (partitioned) sessionStorage, asks here on load
 * whether the session still stands, and renews it while open. Expiry, revocation and the tenant
 * gate are checked on every call, here as everywhere.
 */
export function panelSessionRoutes(ctx: PanelContext): Router {
  const r = Router();
  const pool = ctx.db.pool;

  // the same check as every panel call: a removed Procore user cannot restore or renew either
  const current = (req: Request) => panelSession(ctx, req);

  const view = (token: string, s: PanelSessionRow, expiresAt: Date): PanelSession => ({
    token,
    expiresAt: expiresAt.toISOString(),
    procoreUser: s.procoreUser,
    mycoiUser: { id: s.mycoiUser.id, email: s.mycoiUser.email, name: s.mycoiUser.name, role: s.mycoiUser.role },
  });

  r.get('/api/panel/session', async (req, res) => {
    const { token, s } = await current(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(view(token, s, s.expiresAt));
  });

  r.post('/api/panel/session/renew', async (req, res) => {
    const { token, s } = await current(req);
    const { rows } = await pool.query<{ expires_at: Date }>(
      `update panel_sessions set expires_at = greatest(expires_at, least(now() + make_interval(secs => $2), coalesce(renew_until, expires_at)))
        where token_hash = $1 and revoked_at is null and expires_at > now() returning expires_at`,
      [s.tokenHash, IDLE_SECONDS],
    );
    if (!rows[0]) throw new HttpError(401, 'session_expired', 'Your myCOI panel session has expired: sign in again');
    res.setHeader('Cache-Control', 'no-store');
    res.json(view(token, s, rows[0].expires_at));
  });
  return r;
}
