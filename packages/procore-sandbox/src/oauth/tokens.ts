import { randomBytes } from 'node:crypto';
import type { Deps } from '../http/context';
import type { AccessToken } from '../state/types';

export const randomToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  created_at: number;
}

/** Mint an access token (and, for user tokens, a rotating refresh token). */
export function issueToken(
  deps: Deps,
  args: { clientId: string; userId: number; kind: AccessToken['kind']; redirectUri?: string },
): TokenResponse {
  const { store, config } = deps;
  const createdAt = store.nowSeconds();
  const token: AccessToken = {
    token: randomToken('sbx_at_'),
    clientId: args.clientId,
    userId: args.userId,
    kind: args.kind,
    createdAt,
    expiresAt: createdAt + config.tokenTtlSeconds,
    refreshToken: null,
    revoked: false,
  };
  if (args.kind === 'user') {
    token.refreshToken = randomToken('sbx_rt_');
    store.refreshTokens.set(token.refreshToken, {
      token: token.refreshToken,
      clientId: args.clientId,
      userId: args.userId,
      redirectUri: args.redirectUri ?? '',
      accessToken: token.token,
      used: false,
    });
  }
  store.tokens.set(token.token, token);
  const body: TokenResponse = {
    access_token: token.token,
    token_type: 'bearer',
    expires_in: config.tokenTtlSeconds,
    created_at: createdAt,
  };
  if (token.refreshToken) body.refresh_token = token.refreshToken;
  return body;
}

/** Revoke an access or refresh token and its partner. Unknown tokens are ignored (Procore answers 200). */
export function revoke(deps: Deps, clientId: string, value: string): void {
  const { store } = deps;
  const at = store.tokens.get(value);
  if (at && at.clientId === clientId) {
    at.revoked = true;
    if (at.refreshToken) {
      const rt = store.refreshTokens.get(at.refreshToken);
      if (rt) rt.used = true;
    }
    return;
  }
  const rt = store.refreshTokens.get(value);
  if (rt && rt.clientId === clientId) {
    rt.used = true;
    const partner = store.tokens.get(rt.accessToken);
    if (partner) partner.revoked = true;
  }
}
