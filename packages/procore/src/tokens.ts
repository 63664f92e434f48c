// Token providers. DMSA: one cached, single-flight provider per credential set (a credential set
// works for every company the app is installed in; the company is chosen per call by header).
// User tokens: authorization-code tokens with ROTATING refresh tokens — every refresh returns a
// new refresh token and kills the old one, so the new pair must be persisted (onRotate) before
// anything else uses it, and refreshes must never run twice concurrently.
import { CachedTokenProvider, UpstreamError, type TokenProvider } from '@mycoi/http';
import type { AppCredentials, OAuthClient } from './oauth';
import type { TokenResponse } from './schemas/oauth';

export function dmsaTokenProvider(
  oauth: OAuthClient,
  creds: AppCredentials,
  opts: { marginMs?: number; now?: () => number } = {},
): CachedTokenProvider {
  return new CachedTokenProvider({
    ...opts,
    fetch: async () => {
      const t = await oauth.clientCredentials(creds);
      return { accessToken: t.access_token, expiresInSeconds: t.expires_in };
    },
  });
}

export interface UserTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export function userTokensFrom(t: TokenResponse, now = Date.now()): UserTokens {
  if (!t.refresh_token) throw new Error('token response carries no refresh_token');
  const issued = t.created_at ? t.created_at * 1000 : now;
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: issued + t.expires_in * 1000 };
}

export interface UserTokenProviderOptions {
  oauth: OAuthClient;
  app: AppCredentials;
  redirectUri?: string;
  initial: UserTokens;
  /** Called with the new pair after each refresh; persist it (the old refresh token is dead). */
  onRotate?: (tokens: UserTokens) => void | Promise<void>;
  marginMs?: number;
  now?: () => number;
}

/** The user's token pair, renewed through the shared single-flight cache (@mycoi/http): concurrent
 *  callers and callers that all saw the same 401 cause one refresh, never two. */
export class UserTokenProvider implements TokenProvider {
  private tokens: UserTokens;
  private readonly cache: CachedTokenProvider;

  constructor(o: UserTokenProviderOptions) {
    this.tokens = o.initial;
    const now = o.now ?? Date.now;
    this.cache = new CachedTokenProvider({
      marginMs: o.marginMs,
      now,
      initial: { accessToken: o.initial.accessToken, expiresAt: o.initial.expiresAt },
      fetch: async () => {
        const res = await o.oauth.refresh({ ...o.app, refreshToken: this.tokens.refreshToken, redirectUri: o.redirectUri });
        const next = userTokensFrom(res, now());
        this.tokens = next;
        await o.onRotate?.({ ...next });
        return { accessToken: next.accessToken, expiresInSeconds: (next.expiresAt - now()) / 1000 };
      },
    });
  }

  get current(): UserTokens {
    return { ...this.tokens };
  }

  /** Refreshes started so far. */
  get refreshes(): number {
    return this.cache.fetches;
  }

  getToken(opts?: { force?: boolean; stale?: string }): Promise<string> {
    return this.cache.getToken(opts);
  }
}

/** True when a user-token refresh was refused (dead/revoked refresh token): the user must sign in
 *  to Procore again; retrying cannot help. */
export function needsReauthorization(err: unknown): boolean {
  return err instanceof UpstreamError && err.path === '/oauth/token' && (err.status === 400 || err.status === 401);
}
