// Token providers. DMSA: one cached, single-flight provider per credential set (a credential set
// works for every company the app is installed in; the company is chosen per call by header).
// User tokens: authorization-code tokens with ROTATING refresh tokens — every refresh returns a
// new refresh token and kills the old one, so the new pair must be persisted (onRotate) before
// anything else uses it, and refreshes must never run twice concurrently.
import { CachedTokenProvider, UpstreamError, type TokenProvider } from '@mycoi/http';
import type { AppCredentials, OAuthClient } from './oauth';
import type { TokenResponse } from './schemas/oauth';

export function dmsaTokenProvider(oauth: OAuthClient, creds: AppCredentials, opts: { marginMs?: number; now?: () => number } = {}): CachedTokenProvider {
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

export class UserTokenProvider implements TokenProvider {
  private tokens: UserTokens;
  private inflight: Promise<string> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;
  refreshes = 0;

  constructor(private readonly o: UserTokenProviderOptions) {
    this.tokens = o.initial;
    this.marginMs = o.marginMs ?? 5 * 60_000;
    this.now = o.now ?? Date.now;
  }

  get current(): UserTokens { return { ...this.tokens }; }

  async getToken(opts: { force?: boolean; stale?: string } = {}): Promise<string> {
    if (this.inflight) return this.inflight;
    const t = this.tokens;
    const fresh = t.expiresAt - this.marginMs > this.now();
    if (opts.force && opts.stale !== undefined && opts.stale !== t.accessToken && fresh) return t.accessToken;
    if (!opts.force && fresh) return t.accessToken;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    const p = (async () => {
      try {
        this.refreshes += 1;
        const res = await this.o.oauth.refresh({ ...this.o.app, refreshToken: this.tokens.refreshToken, redirectUri: this.o.redirectUri });
        const next = userTokensFrom(res, this.now());
        this.tokens = next;
        await this.o.onRotate?.({ ...next });
        return next.accessToken;
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = p;
    return p;
  }
}

/** True when a user-token refresh was refused (dead/revoked refresh token): the user must sign in
 *  to Procore again; retrying cannot help. */
export function needsReauthorization(err: unknown): boolean {
  return err instanceof UpstreamError && err.path === '/oauth/token' && (err.status === 400 || err.status === 401);
}
