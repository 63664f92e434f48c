import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server';
import { seedPanelTenant } from './panel-fixtures';
import { api, panelToken, procoreGrant } from './panel-flow';

// Issue 16.2: every Procore id a panel request reads or links is checked with the signed-in user's
// own Procore token — not only the project. Issue 11.6: that token is refreshed with the stored,
// rotating refresh token, single-flight per session. Real service, real database, both sandboxes.

let s: TestServer;
let sam: string; // sees project 5001 only (directory 70001–70004, commitments 900001–900004)
let pat: string; // sees every Acme project

beforeAll(async () => {
  s = await startTestServer();
  await seedPanelTenant(s.running.db.pool, s.running.config);
  sam = await panelToken(s, { login: 'sam@acme.test', projectId: '5001' });
  pat = await panelToken(s, { login: 'pat@acme.test', projectId: '5001' });
}, 60_000);

afterAll(async () => {
  await s?.close();
});

const key = (() => {
  let n = 0;
  return () => ({ 'Idempotency-Key': `authz-test-key-${++n}` });
})();

/** A refusal in the one error shape, and nothing written. */
async function refused(res: { status: number; body: { error?: { code: string; message: string } } }, status: number, code: string) {
  expect([res.status, res.body.error?.code]).toEqual([status, code]);
  expect(typeof res.body.error?.message).toBe('string');
  const { rows } = await s.running.db.pool.query('select count(*)::int as n from links');
  expect(rows[0].n).toBe(0);
}

describe('panel authorisation of every Procore id (16.2)', () => {
  it('refuses linking a project the user cannot see, while the panel is open on one they can', async () => {
    const r = await api(s, sam).post(
      '/api/panel/link',
      { kind: 'project', projectId: '5001', procoreId: '5002', mycoiId: 'div_anything' },
      key(),
    );
    await refused(r, 403, 'project_forbidden');
  });

  it('refuses linking, creating or refreshing a vendor that is not in the project directory', async () => {
    // 70007 is only in project 5003's directory
    const link = await api(s, sam).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70007', mycoiId: 'ven_acme_bright' },
      key(),
    );
    await refused(link, 403, 'vendor_forbidden');
    const create = await api(s, sam).post(
      '/api/panel/create',
      { kind: 'vendor', projectId: '5001', vendorId: '70007', name: 'Northwind' },
      key(),
    );
    await refused(create, 403, 'vendor_forbidden');
    const refresh = await api(s, sam).post('/api/panel/refresh', { kind: 'vendor', projectId: '5001', procoreId: '70007' });
    await refused(refresh, 403, 'vendor_forbidden');
  });

  it('refuses reading a vendor that is not in the project, and a commitment of another project', async () => {
    const vendor = await api(s, sam).get('/api/panel/vendors/70005?projectId=5001'); // 70005: project 5002 only
    await refused(vendor, 403, 'vendor_forbidden');
    const commitment = await api(s, sam).get('/api/panel/commitments/900005?projectId=5001'); // 900005 is in 5002
    await refused(commitment, 403, 'commitment_forbidden');
    const link = await api(s, sam).post(
      '/api/panel/link',
      { kind: 'commitment', projectId: '5001', procoreId: '900005', mycoiId: 'asg_x' },
      key(),
    );
    await refused(link, 403, 'commitment_forbidden');
  });

  it('refuses a project the user cannot see even for a vendor that is in it', async () => {
    const r = await api(s, sam).get('/api/panel/vendors/70005?projectId=5002');
    await refused(r, 403, 'project_forbidden');
  });

  it('still serves what the user can see', async () => {
    const vendor = await api(s, sam).get('/api/panel/vendors/70002?projectId=5001');
    expect([vendor.status, vendor.body.vendor?.procore.id]).toEqual([200, '70002']);
    const commitment = await api(s, sam).get('/api/panel/commitments/900003?projectId=5001');
    expect([commitment.status, commitment.body.commitment?.procore.id]).toEqual([200, '900003']);
    // Pat sees project 5002, so the same read of vendor 70005 there is allowed.
    const other = await api(s, pat).get('/api/panel/vendors/70005?projectId=5002');
    expect(other.status).toBe(200);
  });

  it('a vendor removed from the project directory in Procore is refused once the cached answer is gone', async () => {
    // Never checked in this session before: asked of Procore now, so the removal shows at once.
    s.procore.state.removeProjectVendor(5001, 70004);
    try {
      const r = await api(s, sam).get('/api/panel/vendors/70004?projectId=5001');
      await refused(r, 403, 'vendor_forbidden');
    } finally {
      s.procore.state.addProjectVendor(5001, 70004);
    }
    expect((await api(s, sam).get('/api/panel/vendors/70004?projectId=5001')).status).toBe(200); // refusals are not cached
  });
});

/** Refresh tokens the sandbox has issued to one user so far. */
const refreshTokensOf = (userId: number) => [...s.procore.state.refreshTokens.values()].filter((t) => t.userId === userId);

describe('panel Procore token refresh (11.6)', () => {
  it('a session older than the access token keeps working through one refresh, shared by concurrent requests', async () => {
    const before = refreshTokensOf(101).length;
    const stored = await s.running.db.pool.query<{ procore_refresh_token: string }>(
      `select procore_refresh_token from panel_sessions where procore_login = 'pat@acme.test' and revoked_at is null`,
    );
    expect(stored.rows[0]?.procore_refresh_token).toMatch(/^\w+\./); // an envelope, not the token
    expect(JSON.stringify(stored.rows)).not.toContain('sbx_rt_');

    s.procore.admin.advanceTime(5400 + 120); // past the 90-minute access token
    // Project 5002 was never checked in this session: the user's expired token meets Procore's 401.
    const reads = await Promise.all(
      ['900005', '900006', '900007'].map((id) => api(s, pat).get(`/api/panel/commitments/${id}?projectId=5002`)),
    );
    expect(reads.map((r) => [r.status, r.body.error?.code])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined],
    ]);
    expect(refreshTokensOf(101).length - before).toBe(1); // one refresh for the three requests

    // The rotated pair was persisted: the spent refresh token is dead, the stored one is the new one.
    const after = await s.running.db.pool.query<{ procore_refresh_token: string }>(
      `select procore_refresh_token from panel_sessions where procore_login = 'pat@acme.test' and revoked_at is null`,
    );
    expect(after.rows[0]!.procore_refresh_token).not.toBe(stored.rows[0]!.procore_refresh_token);
    expect(refreshTokensOf(101).filter((t) => !t.used)).toHaveLength(1);
  });

  it('a revoked refresh token asks the user to sign in to Procore again, and ends the session', async () => {
    for (const t of refreshTokensOf(102)) t.used = true; // Sam's refresh token revoked in Procore
    s.procore.admin.advanceTime(5400 + 120);
    const r = await api(s, sam).get('/api/panel/commitments/900002?projectId=5001');
    expect([r.status, r.body.error?.code]).toEqual([401, 'procore_sign_in_required']);
    expect(r.body.error.message).toMatch(/sign in to Procore again/);
    const { rows } = await s.running.db.pool.query(`select revoked_at from panel_sessions where procore_login = 'sam@acme.test'`);
    expect(rows.every((x) => x.revoked_at !== null)).toBe(true);
    const next = await api(s, sam).get('/api/panel/insurance-sets');
    expect([next.status, next.body.error?.code]).toEqual([401, 'session_expired']);
  });

  it('a sign-in whose Procore token Procore no longer takes asks for a new Procore sign-in (not an outage)', async () => {
    const grant = await procoreGrant(s);
    for (const t of s.procore.state.tokens.values()) if (t.userId === 101) t.revoked = true; // revoked in Procore
    const r = await api(s, null).post('/api/panel/session', {
      grant,
      companyId: '1001',
      projectId: '5001',
      email: 'risk@acme.test',
      password: 'password',
    });
    expect([r.status, r.body.error?.code]).toEqual([401, 'procore_sign_in_expired']);
  });
});
