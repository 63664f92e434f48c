import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, authorize, start, userTokens } from './helpers';

let sb: ProcoreSandbox;
beforeAll(async () => {
  sb = await start({ tokenTtlSeconds: 600 });
});
afterAll(() => sb.close());

const tokenReq = (body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${sb.url}/oauth/token`, { method: 'POST', body, headers });
const creds = { grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' };

describe('client credentials (DMSA)', () => {
  it('accepts JSON, urlencoded and multipart bodies', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(creds)) form.append(k, v);
    const responses = await Promise.all([
      tokenReq(JSON.stringify(creds), { 'content-type': 'application/json' }),
      tokenReq(new URLSearchParams(creds)),
      tokenReq(form),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(200);
      const b = (await res.json()) as Record<string, unknown>;
      expect(b).toMatchObject({ token_type: 'bearer', expires_in: 600 });
      expect(typeof b.access_token).toBe('string');
      expect(typeof b.created_at).toBe('number');
      expect(b.refresh_token).toBeUndefined();
    }
  });

  it('accepts client credentials via HTTP Basic too', async () => {
    const basic = Buffer.from('demo-dmsa-client:demo-dmsa-secret').toString('base64');
    const res = await tokenReq(new URLSearchParams({ grant_type: 'client_credentials' }), { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    const wrong = Buffer.from('demo-dmsa-client:nope').toString('base64');
    expect((await tokenReq(new URLSearchParams({ grant_type: 'client_credentials' }), { authorization: `Basic ${wrong}` })).status).toBe(
      401,
    );
  });

  it('rejects a wrong secret with 401 invalid_client and an unknown grant with 400', async () => {
    const bad = await tokenReq(new URLSearchParams({ ...creds, client_secret: 'nope' }));
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await tokenReq(new URLSearchParams({ ...creds, grant_type: 'password' }));
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('token acts as the app service account; token/info describes it; expiry gives 401', async () => {
    const t = ((await (await tokenReq(new URLSearchParams(creds))).json()) as { access_token: string }).access_token;
    const info = await fetch(`${sb.url}/oauth/token/info`, { headers: { authorization: `Bearer ${t}` } });
    expect(info.status).toBe(200);
    const i = (await info.json()) as Record<string, unknown>;
    expect(i).toMatchObject({ resource_owner_id: 9001, application: { uid: 'demo-dmsa-client' } });
    expect(i.expires_in_seconds).toBeGreaterThan(590);
    const me = await api(sb, t)('/rest/v1.0/me');
    expect(me.body).toMatchObject({ id: 9001 });
    sb.admin.advanceTime(601);
    try {
      expect((await api(sb, t)('/rest/v1.0/me')).status).toBe(401);
      expect((await fetch(`${sb.url}/oauth/token/info`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    } finally {
      sb.admin.advanceTime(-601);
    }
  });
});

describe('authorization code flow', () => {
  it('GET /oauth/authorize shows a consent page for a registered redirect_uri and refuses others', async () => {
    const ok = await fetch(
      `${sb.url}/oauth/authorize?client_id=demo-panel-client&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:3000/auth/procore/callback')}&state=abc`,
    );
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('name="password"');
    expect(html).toContain('value="abc"');
    const bad = await fetch(
      `${sb.url}/oauth/authorize?client_id=demo-panel-client&response_type=code&redirect_uri=${encodeURIComponent('http://127.0.0.1:9999/cb')}`,
    );
    expect(bad.status).toBe(400);
  });

  it('extra redirect URIs can be registered; lenient mode accepts any loopback callback', async () => {
    const uri = 'http://127.0.0.1:4555/cb';
    const page = () =>
      fetch(`${sb.url}/oauth/authorize?client_id=demo-panel-client&response_type=code&redirect_uri=${encodeURIComponent(uri)}`);
    expect((await page()).status).toBe(400);
    sb.admin.addRedirectUri('demo-panel-client', uri);
    expect((await page()).status).toBe(200);
    const lenient = await start({ strict: false });
    try {
      const r = await fetch(
        `${lenient.url}/oauth/authorize?client_id=demo-panel-client&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:61234/any/path')}`,
      );
      expect(r.status).toBe(200);
      const remote = await fetch(
        `${lenient.url}/oauth/authorize?client_id=demo-panel-client&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      );
      expect(remote.status).toBe(400);
    } finally {
      await lenient.close();
    }
  });

  it('redirects with code and state; wrong password re-renders the form', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'demo-panel-client',
        redirect_uri: 'http://localhost:3000/auth/procore/callback',
        state: 'xyz',
        login: 'pat@acme.test',
        password: 'password',
        decision: 'approve',
      }),
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('http://localhost:3000/auth/procore/callback');
    expect(loc.searchParams.get('state')).toBe('xyz');
    expect(loc.searchParams.get('code')).toBeTruthy();
    const wrong = await fetch(`${sb.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'demo-panel-client',
        redirect_uri: 'http://localhost:3000/auth/procore/callback',
        login: 'pat@acme.test',
        password: 'bad',
      }),
    });
    expect(wrong.status).toBe(401);
  });

  it('code is single use and needs the exact redirect_uri', async () => {
    const code = await authorize(sb, 'pat@acme.test');
    const exchange = (redirect_uri: string) =>
      tokenReq(
        JSON.stringify({
          grant_type: 'authorization_code',
          client_id: 'demo-panel-client',
          client_secret: 'demo-panel-secret',
          code,
          redirect_uri,
        }),
        { 'content-type': 'application/json' },
      );
    const mismatch = await exchange('http://localhost:3000/auth/procore/callback/');
    expect(mismatch.status).toBe(400);
    // The failed attempt burnt the code (single use).
    const again = await exchange('http://localhost:3000/auth/procore/callback');
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

    const code2 = await authorize(sb, 'pat@acme.test');
    const body = {
      grant_type: 'authorization_code',
      client_id: 'demo-panel-client',
      client_secret: 'demo-panel-secret',
      code: code2,
      redirect_uri: 'http://localhost:3000/auth/procore/callback',
    };
    const first = await tokenReq(JSON.stringify(body), { 'content-type': 'application/json' });
    expect(first.status).toBe(200);
    const t = (await first.json()) as Record<string, unknown>;
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 600 });
    expect(typeof t.refresh_token).toBe('string');
    expect((await tokenReq(JSON.stringify(body), { 'content-type': 'application/json' })).status).toBe(400);
  });

  it('refresh tokens rotate: the old one dies on use', async () => {
    const t1 = await userTokens(sb, 'pat@acme.test');
    const refresh = (rt: string) =>
      tokenReq(
        new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: 'demo-panel-client',
          client_secret: 'demo-panel-secret',
          refresh_token: rt,
          redirect_uri: 'http://localhost:3000/auth/procore/callback',
        }),
      );
    const r1 = await refresh(t1.refresh_token);
    expect(r1.status).toBe(200);
    const t2 = (await r1.json()) as { access_token: string; refresh_token: string };
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    expect(t2.access_token).not.toBe(t1.access_token);
    const reuse = await refresh(t1.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(t2.refresh_token)).status).toBe(200);
  });

  it('user token acts as the user: /me without header, name with company_id', async () => {
    const t = await userTokens(sb, 'sam@acme.test');
    const call = api(sb, t.access_token);
    expect((await call('/rest/v1.0/me', { company: null })).body).toEqual({ id: 102, login: 'sam@acme.test' });
    expect((await call('/rest/v1.0/me?company_id=1001')).body).toEqual({ id: 102, login: 'sam@acme.test', name: 'Sam Field' });
  });

  it('revoke always answers 200 and kills the access and refresh token', async () => {
    const t = await userTokens(sb, 'pat@acme.test');
    const rev = (token: string, secret = 'demo-panel-secret') =>
      fetch(`${sb.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, client_id: 'demo-panel-client', client_secret: secret }),
      });
    expect((await rev('not-a-token')).status).toBe(200);
    expect((await rev(t.access_token, 'wrong')).status).toBe(200);
    expect((await api(sb, t.access_token)('/rest/v1.0/companies')).status).toBe(200);
    expect((await rev(t.access_token)).status).toBe(200);
    expect((await api(sb, t.access_token)('/rest/v1.0/companies')).status).toBe(401);
    const r = await tokenReq(
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'demo-panel-client',
        client_secret: 'demo-panel-secret',
        refresh_token: t.refresh_token,
      }),
    );
    expect(r.status).toBe(400);
  });
});
