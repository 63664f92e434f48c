import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createProcoreSandbox } from '@mycoi/procore-sandbox';
import { AUTHZ_TTL_MS, PanelAuthz } from '../src/panel/authz';
import { PanelProcoreTokens } from '../src/panel/procore-token';
import type { PanelPorts } from '../src/panel/ports';
import type { PanelSessionRow } from '../src/panel/sessions';
import { createPanelPorts } from '../src/panel/upstream';
import { configuredUpstream } from '../src/upstream';

// PanelAuthz on its own, over the real Procore sandbox (HTTP) with a clock the test moves: a
// positive answer is trusted for AUTHZ_TTL_MS per session and no longer; a refusal is never kept.

type Procore = Awaited<ReturnType<typeof createProcoreSandbox>>;
let procore: Procore;
let db: Database;
let ports: PanelPorts;

/** A Procore user's token, through the sandbox's consent form and code exchange (what the popup does). */
async function userToken(login: string): Promise<string> {
  const redirect = 'http://127.0.0.1:3000/api/panel/auth/procore/callback';
  const form = new URLSearchParams({
    client_id: 'demo-panel-client',
    redirect_uri: redirect,
    state: 's',
    response_type: 'code',
    login,
    password: 'password',
    decision: 'approve',
  });
  const consent = await fetch(`${procore.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  return (await ports.procoreUser.exchangeCode(code, redirect)).accessToken;
}

beforeAll(async () => {
  procore = await createProcoreSandbox({ port: 0, seed: 'demo' });
  db = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PROCORE_API_URL: procore.url,
    PROCORE_LOGIN_URL: procore.url,
    MYCOI_API_URL: 'http://127.0.0.1:9',
    PROCORE_CLIENT_ID: 'demo-panel-client',
    PROCORE_CLIENT_SECRET: 'demo-panel-secret',
  });
  ports = createPanelPorts({ db, upstream: configuredUpstream(config) })!;
}, 60_000);

afterAll(async () => {
  await db?.close();
  await procore?.close();
});

describe('panel authorisation cache', () => {
  it('trusts a positive answer for the TTL only, and never keeps a refusal', async () => {
    const session: PanelSessionRow = {
      tenantId: '00000000-0000-0000-0000-000000000001',
      companyId: '1001',
      procoreUser: { id: '102', login: 'sam@acme.test', name: null },
      procoreToken: await userToken('sam@acme.test'),
      procoreRefreshToken: null,
      procoreTokenExpiresAt: null,
      mycoiUser: { id: 'u', email: 'e', name: null, role: 'admin' },
      mycoiToken: 'm',
      verifiedProjects: [],
      expiresAt: new Date(Date.now() + 60_000),
      tokenHash: 'cache-test-session',
    };
    let now = 1_000_000;
    const authz = new PanelAuthz(
      () => ports,
      new PanelProcoreTokens({ db: db.pool, ring: loadConfig({}).encryption, ports: () => ports }),
      db.pool,
      () => now,
    );
    const vendor = [{ kind: 'vendor' as const, projectId: '5001', vendorId: '70004' }];
    const calls = () => procore.requests().filter((r) => r.clientId === 'demo-panel-client' && r.path.startsWith('/rest/')).length;

    await authz.require(session, vendor); // company, project, vendor: three questions to Procore
    const asked = calls();
    expect(asked).toBe(3);
    procore.state.removeProjectVendor(5001, 70004); // removed from the directory in Procore
    now += AUTHZ_TTL_MS - 1;
    await authz.require(session, vendor); // still within the minute: trusted, nothing asked
    expect(calls()).toBe(asked);
    now += 2;
    await expect(authz.require(session, vendor)).rejects.toMatchObject({ status: 403, code: 'vendor_forbidden' });
    procore.state.addProjectVendor(5001, 70004); // added back: the refusal was not kept
    await authz.require(session, vendor);
  });
});
