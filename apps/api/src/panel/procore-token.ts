import type pg from 'pg';
import { CachedTokenProvider, type TokenProvider } from '@mycoi/http';
import { HttpError } from '../http/errors';
import type { Keyring } from '../secrets/crypto';
import { UpstreamError, type PanelPorts, type ProcoreUserTokens } from './ports';
import { readProcoreTokens, revokeSession, saveProcoreTokens, type PanelSessionRow } from './sessions';

type Queryable = Pick<pg.Pool, 'query'>;

/** Renew this long before Procore's expiry, so a click never lands on a token about to die. */
export const REFRESH_MARGIN_MS = 60_000;
const MAX_PROVIDERS = 2_000;

/** The panel shows this code as "sign in to Procore again" (the myCOI half of the session is fine). */
export const procoreSignInRequired = () =>
  new HttpError(401, 'procore_sign_in_required', 'Your Procore sign-in has ended: sign in to Procore again');

/** Procore refused the refresh token itself (revoked, rotated away, expired): retrying cannot help. */
const refusedRefresh = (e: unknown) => e instanceof UpstreamError && e.service === 'procore' && (e.status === 400 || e.status === 401);

/**
 * The Procore user token of each panel session, renewed with the stored refresh token (issue 11.6):
 * before expiry, and when Procore answers 401 (authz.ts asks for a forced renewal, then retries).
 * One provider per session per instance, from @mycoi/http's single-flight cache, so every request
 * of a session that sees the same 401 causes one refresh. Procore rotates refresh tokens, so the
 * new pair is persisted (compare-and-set) before it is used; when another instance already spent
 * the refresh token, its stored pair is adopted instead of ending the session. A refused refresh
 * revokes the session and answers 401 `procore_sign_in_required`.
 */
export class PanelProcoreTokens {
  private readonly providers = new Map<string, CachedTokenProvider>();

  constructor(private readonly d: { db: Queryable; ring: Keyring; ports: () => PanelPorts }) {}

  forSession(s: PanelSessionRow): TokenProvider {
    const known = this.providers.get(s.tokenHash);
    if (known) return known;
    let held: ProcoreUserTokens = { accessToken: s.procoreToken, refreshToken: s.procoreRefreshToken, expiresAt: s.procoreTokenExpiresAt };
    const provider = new CachedTokenProvider({
      marginMs: REFRESH_MARGIN_MS,
      // Sessions from before refresh tokens were stored have no expiry: they renew on Procore's 401 only.
      initial: { accessToken: held.accessToken, expiresAt: held.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER },
      fetch: async () => {
        held = await this.renew(s, held);
        const left = held.expiresAt ? (held.expiresAt.getTime() - Date.now()) / 1000 : 3600;
        return { accessToken: held.accessToken, expiresInSeconds: Math.max(1, left) };
      },
    });
    this.providers.set(s.tokenHash, provider);
    // Bounded: the oldest session's provider goes first (it is rebuilt from the row if still used).
    if (this.providers.size > MAX_PROVIDERS) this.providers.delete(this.providers.keys().next().value!);
    return provider;
  }

  /** Drops the in-memory provider (session revoked or signed out). */
  forget(tokenHash: string): void {
    this.providers.delete(tokenHash);
  }

  private async renew(s: PanelSessionRow, held: ProcoreUserTokens, depth = 0): Promise<ProcoreUserTokens> {
    const spent = held.refreshToken;
    if (spent) {
      try {
        const next = await this.d.ports().procoreUser.refresh(spent);
        if (await saveProcoreTokens(this.d.db, this.d.ring, s, spent, next)) return next;
        // Another instance stored a newer pair first; ours is valid too, but keep one lineage.
        return (await readProcoreTokens(this.d.db, this.d.ring, s)) ?? next;
      } catch (e) {
        if (!refusedRefresh(e)) throw e; // Procore down: a transient 502, the session stays
        const stored = await readProcoreTokens(this.d.db, this.d.ring, s);
        if (stored && stored.refreshToken && stored.refreshToken !== spent) {
          // Rotated elsewhere. Its access token may itself be near its end (nobody used the session
          // for a while): then renew from the stored refresh token, once.
          const fresh = !stored.expiresAt || stored.expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS;
          return fresh || depth > 0 ? stored : this.renew(s, stored, depth + 1);
        }
      }
    }
    await revokeSession(this.d.db, s.tokenHash);
    this.forget(s.tokenHash);
    throw procoreSignInRequired();
  }
}
