import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOAuthClient,
  createProcoreClient,
  dmsaTokenProvider,
  needsReauthorization,
  UpstreamError,
  UserTokenProvider,
  userTokensFrom,
  type UserTokens,
} from '../src/index';
import { ACME, DMSA, PANEL, count, fastHttp, setup } from './helpers';

const REDIRECT = 'http://localhost:3000/auth/procore/callback';
let env: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  await env.sb.close();
});

/** Plays the browser: consent page, sign-in form, 302 back to our callback with code and state. */
async function authorize(url: string, login = 'pat@acme.test', password = 'password') {
  const page = await axios.get(url, { validateStatus: () => true });
  expect(page.status).toBe(200);
  const u = new URL(url);
  const form = new URLSearchParams({
    client_id: u.searchParams.get('client_id')!,
    redirect_uri: u.searchParams.get('redirect_uri')!,
    state: u.searchParams.get('state')!,
    response_type: 'code',
    login,
    password,
    decision: 'approve',
  });
  const res = await axios.post(new URL('/oauth/authorize', url).toString(), form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    maxRedirects: 0,
    validateStatus: () => true,
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.location as string);
}

describe('DMSA client credentials', () => {
  it('concurrent callers share one token request; the token is cached', async () => {
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const token = dmsaTokenProvider(oauth, DMSA);
    const client = createProcoreClient({ hosts: { baseUrl: env.sb.url }, token, http: fastHttp });
    env.sb.clearRequests();
    await Promise.all(Array.from({ length: 25 }, () => client.company(ACME).me()));
    expect(count(env.sb, (r) => r.path === '/oauth/token')).toBe(1);
    await client.company(ACME).projects.list();
    expect(count(env.sb, (r) => r.path === '/oauth/token')).toBe(1);
    expect(token.fetches).toBe(1);
  });

  it('refreshes before expiry (margin) without a failed call', async () => {
    let now = Date.now();
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const token = dmsaTokenProvider(oauth, DMSA, { marginMs: 5 * 60_000, now: () => now });
    const first = await token.getToken();
    now += (5400 - 299) * 1000; // inside the 5-minute margin
    const second = await token.getToken();
    expect(second).not.toBe(first);
    expect(token.fetches).toBe(2);
  });

  it('a revoked token gets one forced refresh and the call succeeds', async () => {
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const token = dmsaTokenProvider(oauth, DMSA);
    const client = createProcoreClient({ hosts: { baseUrl: env.sb.url }, token, http: fastHttp });
    const stale = await token.getToken();
    await oauth.revoke({ ...DMSA, token: stale });
    env.sb.clearRequests();
    const me = await client.company(ACME).me();
    expect(me.id).toBeGreaterThan(0);
    expect(env.sb.requests().map((r) => `${r.status} ${r.path}`)).toEqual(['401 /rest/v1.0/me', '200 /oauth/token', '200 /rest/v1.0/me']);
    expect(client.stats.refreshes).toBe(1);
  });

  it('an expired token on the server side also recovers (sandbox clock moved past the TTL)', async () => {
    const short = await setup({ tokenTtlSeconds: 60 });
    try {
      await short.acme.me();
      short.sb.state.clockOffsetMs += 61_000; // the client still believes its token is fresh
      await short.acme.me();
      expect(short.procore.stats.refreshes).toBe(1);
    } finally {
      await short.sb.close();
    }
  });

  it('bad credentials → typed 401 that does not contain the secret', async () => {
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const err = await oauth.clientCredentials({ clientId: DMSA.clientId, clientSecret: 'wrong-secret-value' }).catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(401);
    expect(JSON.stringify(err)).not.toContain('wrong-secret-value');
  });
});

describe('authorization code flow with rotating refresh tokens', () => {
  it('authorize → code → tokens → calls → refresh rotates → token info → revoke', async () => {
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const url = oauth.authorizeUrl({ clientId: PANEL.clientId, redirectUri: REDIRECT, state: 'st-42' });
    expect(url).toMatch(/\/oauth\/authorize\?response_type=code&client_id=demo-panel-client/);
    const back = await authorize(url);
    expect(back.searchParams.get('state')).toBe('st-42');
    const code = back.searchParams.get('code')!;
    const t = await oauth.exchangeCode({ ...PANEL, code, redirectUri: REDIRECT });
    expect(t.refresh_token).toBeTruthy();
    // The code is single use.
    await expect(oauth.exchangeCode({ ...PANEL, code, redirectUri: REDIRECT })).rejects.toMatchObject({ status: 400 });

    const rotated: UserTokens[] = [];
    let now = Date.now();
    const user = new UserTokenProvider({
      oauth,
      app: PANEL,
      redirectUri: REDIRECT,
      initial: userTokensFrom(t),
      onRotate: (x) => {
        rotated.push(x);
      },
      now: () => now,
    });
    const client = createProcoreClient({ hosts: { baseUrl: env.sb.url }, token: user, http: fastHttp });
    expect((await client.me()).login).toBe('pat@acme.test'); // user tokens may call /me without the header
    expect((await client.companies.list()).items.map((c) => c.id)).toContain(ACME);

    now += 5400 * 1000; // expired: concurrent callers share ONE refresh
    await Promise.all(Array.from({ length: 10 }, () => client.company(ACME).me()));
    expect(user.refreshes).toBe(1);
    expect(rotated).toHaveLength(1);
    expect(rotated[0]!.refreshToken).not.toBe(t.refresh_token);
    // The old refresh token died on use: a provider still holding it must send the user to sign in again.
    await expect(oauth.refresh({ ...PANEL, refreshToken: t.refresh_token!, redirectUri: REDIRECT })).rejects.toMatchObject({ status: 400 });
    const stale = new UserTokenProvider({ oauth, app: PANEL, redirectUri: REDIRECT, initial: { ...userTokensFrom(t), expiresAt: 0 } });
    const dead = await stale.getToken().catch((e) => e);
    expect(needsReauthorization(dead)).toBe(true);
    expect(JSON.stringify(dead)).not.toContain(t.refresh_token!);
    expect(needsReauthorization(new Error('x'))).toBe(false);

    const info = await oauth.tokenInfo(user.current.accessToken);
    expect(info.resource_owner_id).toBe(env.sb.seed.users.find((u) => u.login === 'pat@acme.test')!.id);
    expect(info.expires_in_seconds).toBeGreaterThan(0);

    await oauth.revoke({ ...PANEL, token: user.current.accessToken });
    await expect(oauth.tokenInfo(user.current.accessToken)).rejects.toMatchObject({ status: 401 });
    // Revoking an unknown token is still fine (Procore answers 200).
    await oauth.revoke({ ...PANEL, token: 'no-such-token' });
  });

  it('a user sees only their projects', async () => {
    const oauth = createOAuthClient({ hosts: { baseUrl: env.sb.url }, http: fastHttp });
    const back = await authorize(oauth.authorizeUrl({ clientId: PANEL.clientId, redirectUri: REDIRECT, state: 's' }), 'sam@acme.test');
    const t = await oauth.exchangeCode({ ...PANEL, code: back.searchParams.get('code')!, redirectUri: REDIRECT });
    const sam = createProcoreClient({
      hosts: { baseUrl: env.sb.url },
      token: new UserTokenProvider({ oauth, app: PANEL, initial: userTokensFrom(t) }),
      http: fastHttp,
    });
    const projects = await sam.company(ACME).projects.list();
    expect(projects.items).toHaveLength(1);
  });
});
