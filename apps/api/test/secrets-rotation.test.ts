import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { upsertOpsUser } from '../src/auth/ops-users';
import { createSession } from '../src/auth/sessions';
import { rotateKeys } from '../src/secrets/rotate';
import type { Keyring } from '../src/secrets/crypto';
import { seedPanelTenant } from './panel-fixtures';
import { api, panelSession, panelToken, procoreGrant } from './panel-flow';
import { startService, type TestServer } from './support/server';

// Issues 16.5 and 16.3 over the real service: several instances of it on ONE database, booted with
// different ENCRYPTION_KEYS / SESSION_SECRET, the way a key rotation or a secret rotation is rolled
// out. Key rotation must carry every encrypted column (panel sessions and grants, not only
// credentials); a value no configured key can read ends that session with 401, never 500.

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const SECRET_A = 'session-secret-A-0123456789-0123456789';
const SECRET_B = 'session-secret-B-9876543210-9876543210';

type Procore = Awaited<ReturnType<typeof createProcoreSandbox>>;
type Mycoi = Awaited<ReturnType<typeof createMycoiSandbox>>;
let procore: Procore;
let mycoi: Mycoi;
let db: Database;
const instances: TestServer[] = [];

/** One more instance of the service on the shared database (stopping it leaves the database open). */
async function instance(env: { keys: string; active: string; secret: string }): Promise<TestServer> {
  const shared: Database = { ...db, close: async () => undefined };
  const { url, running } = await startService({
    procore,
    mycoi,
    db: shared,
    env: { LOG_LEVEL: 'silent', ENCRYPTION_KEYS: env.keys, ENCRYPTION_ACTIVE_KEY: env.active, SESSION_SECRET: env.secret },
  });
  const s: TestServer = { url, running, procore, mycoi, close: () => running.lifecycle.stop('test done') };
  instances.push(s);
  return s;
}

const K1 = `k1:${k1.toString('base64')}`;
const K2 = `k2:${k2.toString('base64')}`;
const ringBoth: Keyring = {
  keys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
  activeKeyId: 'k2',
};

beforeAll(async () => {
  procore = await createProcoreSandbox({ port: 0, seed: 'demo', overrides: { allowAnyLoopbackRedirect: true } });
  mycoi = await createMycoiSandbox({ port: 0, seed: 'demo' });
  db = await createTestDatabase({ migrate: false });
}, 60_000);

afterAll(async () => {
  for (const s of instances) await s.close().catch(() => undefined);
  await db?.close();
  await Promise.all([procore?.close(), mycoi?.close()]);
});

const opsLogin = async (s: TestServer) => {
  const res = await fetch(`${s.url}/api/ops/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@mycoi.test', password: 'a-long-ops-password' }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('mycoi_ops='))!
    .split(';')[0]!;
};
const opsMe = async (s: TestServer, cookie: string) => {
  const res = await fetch(`${s.url}/api/ops/me`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
};

describe('key rotation over every encrypted column, and SESSION_SECRET rotation', () => {
  let old: TestServer;
  let rotated: string; // panel session created before the rotation
  let grant: string; // Procore sign-in not yet redeemed at the rotation
  let ops: string;

  it('re-encrypts panel sessions and grants too: after the old key is removed they still work', async () => {
    old = await instance({ keys: K1, active: 'k1', secret: SECRET_A });
    await seedPanelTenant(db.pool, old.running.config);
    await upsertOpsUser(db.pool, 'ops@mycoi.test', 'a-long-ops-password');
    rotated = await panelToken(old);
    grant = await procoreGrant(old);
    ops = await opsLogin(old);

    // npm run rotate-keys, with both keys configured and k2 active
    const r = await rotateKeys(db.pool, ringBoth);
    // 2 credentials + the session's Procore token, refresh token and myCOI token + two grants' two
    // (the one redeemed by the sign-in above still holds a working Procore token)
    expect(r).toEqual({ reencrypted: 9, alreadyCurrent: 0, ended: 0 });
    const raw =
      JSON.stringify((await db.pool.query('select * from panel_sessions')).rows) +
      JSON.stringify((await db.pool.query('select * from panel_grants')).rows);
    expect(raw).not.toMatch(/"k1\./);

    const fresh = await instance({ keys: K2, active: 'k2', secret: SECRET_A }); // k1 removed
    const read = await api(fresh, rotated).get('/api/panel/commitments/900001?projectId=5001');
    expect(read.status).toBe(200);
    const redeemed = await api(fresh, null).post('/api/panel/session', {
      grant,
      companyId: '1001',
      projectId: '5001',
      email: 'risk@acme.test',
      password: 'password',
    });
    expect(redeemed.status).toBe(201);
    expect((await opsMe(fresh, ops)).status).toBe(200); // same SESSION_SECRET: the ops session carries over
  });

  it('a session only the removed key can read ends with 401 "sign in again", never 500', async () => {
    const fresh = instances.at(-1)!;
    // An instance still on k1 alone signs a user in after the others moved to k2.
    const late = await panelSession(old);
    expect(late.status).toBe(201);
    const r = await api(fresh, late.body.token!).get('/api/panel/insurance-sets');
    expect([r.status, r.body.error?.code]).toEqual([401, 'session_expired']);
    expect(r.body.error.message).toMatch(/sign in again/i);
    const again = await api(fresh, late.body.token!).get('/api/panel/insurance-sets');
    expect(again.status).toBe(401);
    // a grant only k1 can read: "sign in with Procore again", not 500
    const lateGrant = await procoreGrant(old);
    const redeem = await api(fresh, null).post('/api/panel/session', {
      grant: lateGrant,
      companyId: '1001',
      projectId: '5001',
      email: 'risk@acme.test',
      password: 'password',
    });
    expect([redeem.status, redeem.body.error?.code]).toEqual([401, 'procore_sign_in_expired']);
  });

  it('the boot check ends live panel sessions whose key is gone instead of failing later', async () => {
    const late = await panelSession(old); // k1 only
    expect(late.status).toBe(201);
    const before = await db.pool.query(
      `select count(*)::int as n from panel_sessions where revoked_at is null and procore_token like 'k1.%'`,
    );
    expect(before.rows[0].n).toBe(1);
    await instance({ keys: K2, active: 'k2', secret: SECRET_A });
    const after = await db.pool.query(
      `select count(*)::int as n from panel_sessions where revoked_at is null and procore_token like 'k1.%'`,
    );
    expect(after.rows[0].n).toBe(0);
  });

  it('rotating SESSION_SECRET ends panel, ops and admin sessions at once', async () => {
    const current = await instance({ keys: K2, active: 'k2', secret: SECRET_A });
    expect((await api(current, rotated).get('/api/panel/insurance-sets')).status).toBe(200);
    expect((await opsMe(current, ops)).status).toBe(200);
    // an admin session as the Procore sign-in callback creates it
    const admin = await createSession({ pool: db.pool, sessionSecret: SECRET_A }, 'admin', '101', {
      user: { id: '101', login: 'pat@acme.test', name: 'Pat' },
      companies: [{ id: '1001', name: 'Acme Builders' }],
    });
    const adminSession = (s: TestServer) =>
      fetch(`${s.url}/api/admin/session`, { headers: { cookie: `mycoi_admin=${admin.token}` } }).then((r) => r.status);
    expect(await adminSession(current)).toBe(200);

    const next = await instance({ keys: K2, active: 'k2', secret: SECRET_B });
    const panel = await api(next, rotated).get('/api/panel/insurance-sets');
    expect([panel.status, panel.body.error?.code]).toEqual([401, 'session_expired']);
    const me = await opsMe(next, ops);
    expect([me.status, me.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(await adminSession(next)).toBe(401);
    // and a sign-in under the new secret works
    expect((await opsMe(next, await opsLogin(next))).status).toBe(200);
  });
});

describe('panel Procore token refresh across instances (11.6)', () => {
  it('an instance whose cached refresh token was spent by another adopts the stored pair instead of ending the session', async () => {
    const a = await instance({ keys: K2, active: 'k2', secret: SECRET_B });
    const b = await instance({ keys: K2, active: 'k2', secret: SECRET_B });
    const seeded = await db.pool.query(`select 1 from tenants where procore_company_id = '1001'`);
    if (seeded.rows.length === 0) await seedPanelTenant(db.pool, a.running.config); // when run on its own
    const token = await panelToken(a, { projectId: '5001' });
    // B holds the session's first pair in memory (its token provider is built on first use).
    expect((await api(b, token).get('/api/panel/commitments/900001?projectId=5001')).status).toBe(200);

    procore.admin.advanceTime(5400 + 120); // both instances' access token is now dead at Procore
    expect((await api(a, token).get('/api/panel/commitments/900005?projectId=5002')).status).toBe(200); // A refreshes, rotates
    // B meets Procore's 401 with the old token; its refresh token was spent by A: it must adopt A's pair.
    const r = await api(b, token).get('/api/panel/commitments/900006?projectId=5002');
    expect([r.status, r.body.error?.code]).toEqual([200, undefined]);
    const { rows } = await db.pool.query(`select revoked_at from panel_sessions where revoked_at is null and expires_at > now()`);
    expect(rows.length).toBeGreaterThan(0);
  });
});
