// The OAuth calls on the login host. Bodies are JSON (what Procore's JS SDK sends). Retries follow
// @mycoi/http: client_credentials is marked idempotent (asking again just yields another token);
// code exchange and refresh are not, because the code is single-use and refresh tokens rotate —
// repeating a refresh whose answer was lost would present a dead refresh token.
import { createExecutor, formatIssues, type Executor, type ExecutorOptions, UpstreamError } from '@mycoi/http';
import { resolveHosts, type HostsInput } from './hosts';
import { TokenInfo, TokenResponse } from './schemas/oauth';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

export interface OAuthOptions {
  hosts: HostsInput;
  /** Passed to the executor (sleep, retry, timeoutMs) — mostly for tests. */
  http?: Partial<Omit<ExecutorOptions, 'service' | 'baseURL' | 'token' | 'budget'>>;
}

export interface OAuthClient {
  authorizeUrl(p: { clientId: string; redirectUri: string; state: string }): string;
  clientCredentials(c: AppCredentials): Promise<TokenResponse>;
  exchangeCode(c: AppCredentials & { code: string; redirectUri: string }): Promise<TokenResponse>;
  refresh(c: AppCredentials & { refreshToken: string; redirectUri?: string }): Promise<TokenResponse>;
  tokenInfo(accessToken: string): Promise<TokenInfo>;
  revoke(c: AppCredentials & { token: string }): Promise<void>;
}

export function createOAuthClient(opts: OAuthOptions): OAuthClient {
  const { loginUrl } = resolveHosts(opts.hosts);
  // Every secret this client has handled, so none can leak into an error message. Kept as a small
  // rolling list (calls run concurrently, so a per-call slot would race).
  const secrets: string[] = [];
  const remember = (...values: (string | undefined)[]) => {
    for (const v of values) if (v && !secrets.includes(v)) secrets.push(v);
    if (secrets.length > 64) secrets.splice(0, secrets.length - 64);
  };
  const ex: Executor = createExecutor({ ...opts.http, service: 'procore-oauth', baseURL: loginUrl, secrets: () => secrets });

  async function token(body: Record<string, string | undefined>, idempotent: boolean): Promise<TokenResponse> {
    remember(body.client_secret, body.refresh_token, body.code);
    const res = await ex.request({ method: 'POST', url: '/oauth/token', data: body, idempotent, auth: false });
    const parsed = TokenResponse.safeParse(res.data);
    if (!parsed.success) {
      throw new UpstreamError({
        service: 'procore-oauth',
        method: 'POST',
        path: '/oauth/token',
        status: res.status,
        code: 'INVALID_TOKEN_RESPONSE',
        upstreamMessage: formatIssues(parsed.error).join('; '),
      });
    }
    remember(parsed.data.access_token, parsed.data.refresh_token);
    return parsed.data;
  }

  return {
    authorizeUrl({ clientId, redirectUri, state }) {
      const u = new URL('/oauth/authorize', loginUrl);
      u.searchParams.set('response_type', 'code');
      u.searchParams.set('client_id', clientId);
      u.searchParams.set('redirect_uri', redirectUri);
      u.searchParams.set('state', state);
      return u.toString();
    },
    clientCredentials: (c) => token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }, true),
    exchangeCode: (c) =>
      token(
        {
          grant_type: 'authorization_code',
          client_id: c.clientId,
          client_secret: c.clientSecret,
          code: c.code,
          redirect_uri: c.redirectUri,
        },
        false,
      ),
    refresh: (c) =>
      token(
        {
          grant_type: 'refresh_token',
          client_id: c.clientId,
          client_secret: c.clientSecret,
          refresh_token: c.refreshToken,
          redirect_uri: c.redirectUri,
        },
        false,
      ),
    async tokenInfo(accessToken) {
      remember(accessToken);
      const res = await ex.request({
        method: 'GET',
        url: '/oauth/token/info',
        headers: { Authorization: `Bearer ${accessToken}` },
        auth: false,
      });
      const parsed = TokenInfo.safeParse(res.data);
      if (!parsed.success) {
        throw new UpstreamError({
          service: 'procore-oauth',
          method: 'GET',
          path: '/oauth/token/info',
          status: res.status,
          code: 'INVALID_TOKEN_INFO',
          upstreamMessage: formatIssues(parsed.error).join('; '),
        });
      }
      return parsed.data;
    },
    async revoke(c) {
      remember(c.clientSecret, c.token);
      // Revocation is idempotent: Procore answers 200 even for an unknown token.
      await ex.request({
        method: 'POST',
        url: '/oauth/revoke',
        data: { token: c.token, client_id: c.clientId, client_secret: c.clientSecret },
        idempotent: true,
        auth: false,
      });
    },
  };
}
