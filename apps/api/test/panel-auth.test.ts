import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { startTestServer, type TestServer } from './support/server';
import { seedPanelTenant, setTenant } from './panel-fixtures';
import { api, panelSession, panelToken, procoreGrant } from './panel-flow';

// Authorisation of the side-panel API: who may open a session, and what a session may touch.
// Real service, real database, both sandboxes over loopback HTTP; Procore at its documented limits.

let s: TestServer;
let acme: string;
let token: string;

beforeAll(async () => {
  s = await startTestServer({ procore: { rateLimit: PROCORE_LIMITS } });
  acme = await seedPanelTenant(s.running.db.pool, s.running.config);
  await seedPanelTenant(s.running.db.pool, s.running.config, {
    companyId: '2002',
    name: 'Other GC',
    mycoiAccount: 'acct-other',
    dmsa: ['demo-panel-client', 'demo-panel-secret'],
  });
  token = await panelToken(s);
}, 60_000);

afterAll(async () => {
  await s?.close();
});

describe('panel session sign-in', () => {
  it('refuses a project of another company', async () => {
    const r = await panelSession(s, { projectId: '5101' }); // Other GC's project, asked under Acme
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('project_forbidden');
  });

  it('refuses a project the Procore user cannot see in their own company', async () => {
    const r = await panelSession(s, { login: 'sam@acme.test', projectId: '5002' }); // Sam sees only 5001
    expect(r.body.error?.code).toBe('project_forbidden');
  });

  it('refuses a myCOI user of another myCOI account, and audits the refusal', async () => {
    const r = await panelSession(s, { email: 'eve@other.test' });
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('mycoi_wrong_account');
    const { rows } = await s.running.db.pool.query(
      `select actor from audit_log where tenant_id = $1 and action = 'panel.sign_in_refused'`,
      [acme],
    );
    expect(rows).toEqual([{ actor: 'pat@acme.test' }]);
  });

  it('keeps the Procore grant after a wrong myCOI password, and uses it up on success', async () => {
    const grant = await procoreGrant(s);
    const body = { grant, companyId: '1001', projectId: '5001', email: 'risk@acme.test', password: 'nope' };
    const wrong = await api(s, null).post('/api/panel/session', body);
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'mycoi_invalid_credentials']);
    const ok = await api(s, null).post('/api/panel/session', { ...body, password: 'password' });
    expect(ok.status).toBe(201);
    const again = await api(s, null).post('/api/panel/session', { ...body, password: 'password' });
    expect(again.body.error.code).toBe('procore_sign_in_expired');
  });

  it('refuses a forged grant and a grant for another company', async () => {
    const forged = await api(s, null).post('/api/panel/session', {
      grant: 'x'.repeat(43),
      companyId: '1001',
      projectId: '5001',
      email: 'risk@acme.test',
      password: 'password',
    });
    expect(forged.body.error.code).toBe('procore_sign_in_expired');
    const grant = await procoreGrant(s); // issued for 1001
    const other = await api(s, null).post('/api/panel/session', {
      grant,
      companyId: '2002',
      projectId: '5101',
      email: 'eve@other.test',
      password: 'password',
    });
    expect(other.body.error.code).toBe('procore_sign_in_expired');
  });

  it('rejects bad input in the one error shape', async () => {
    const r = await api(s, null).post('/api/panel/session', { grant: 'short', companyId: 'abc' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
  });
});

describe('panel session use', () => {
  it("reads a commitment of its project, but not another company's", async () => {
    const ok = await api(s, token).get('/api/panel/commitments/900001?projectId=5001');
    expect(ok.status).toBe(200);
    expect(ok.body.commitment.procore).toMatchObject({ id: '900001', number: 'SC-001', vendorId: '70001' });
    const other = await api(s, token).get('/api/panel/commitments/900101?projectId=5101');
    expect([other.status, other.body.error.code]).toEqual([403, 'project_forbidden']);
  });

  it('refuses calls without a session or with an unknown one', async () => {
    expect((await api(s, null).get('/api/panel/insurance-sets')).status).toBe(401);
    expect((await api(s, 'y'.repeat(43)).get('/api/panel/insurance-sets')).body.error.code).toBe('session_expired');
  });

  it('refuses an expired session', async () => {
    const r = await panelSession(s);
    const t = r.body.token!;
    expect((await api(s, t).get('/api/panel/insurance-sets')).status).toBe(200);
    await s.running.db.pool.query(
      `update panel_sessions set expires_at = now() - interval '1 second' where procore_login = 'pat@acme.test' and expires_at > now() and token_hash <> ''`,
    );
    const after = await api(s, t).get('/api/panel/insurance-sets');
    expect([after.status, after.body.error.code]).toEqual([401, 'session_expired']);
    token = await panelToken(s); // the shared token expired too; take a fresh one
  });

  it('refuses everything for a suspended tenant, at once, and says so before sign-in', async () => {
    await setTenant(s.running.db.pool, acme, { status: 'suspended' });
    try {
      const r = await api(s, token).get('/api/panel/commitments/900001?projectId=5001');
      expect([r.status, r.body.error.code, r.body.error.details]).toEqual([403, 'tenant_inactive', { reason: 'not_active' }]);
      const status = await api(s, null).get('/api/panel/status?companyId=1001');
      expect(status.body.state).toBe('not_active');
      const signIn = await panelSession(s);
      expect(signIn.body.error?.code).toBe('tenant_inactive');
    } finally {
      await setTenant(s.running.db.pool, acme, { status: 'active' });
    }
    await setTenant(s.running.db.pool, acme, { sidePanel: false });
    try {
      const r = await api(s, token).get('/api/panel/insurance-sets');
      expect(r.body.error.details).toEqual({ reason: 'feature_off', why: 'side_panel_off' });
    } finally {
      await setTenant(s.running.db.pool, acme, { sidePanel: true });
    }
    expect((await api(s, null).get('/api/panel/status?companyId=7777')).body.state).toBe('unknown_tenant');
  });

  it('refuses creates by a myCOI viewer', async () => {
    const viewer = (await panelSession(s, { email: 'viewer@acme.test' })).body.token!;
    const r = await api(s, viewer).post(
      '/api/panel/create',
      { kind: 'project', projectId: '5001', name: 'X' },
      { 'Idempotency-Key': 'viewer-key-1' },
    );
    expect([r.status, r.body.error.code]).toEqual([403, 'mycoi_read_only']);
  });
});

describe('idempotent create and link', () => {
  it('creates once for concurrent duplicates (double click) and replays on retry', async () => {
    const body = {
      kind: 'vendor',
      projectId: '5003',
      vendorId: '70007',
      name: 'Northwind Glass & Glazing',
      email: 'office@northwind.test',
    };
    const h = { 'Idempotency-Key': 'dbl-click-key-0001' };
    const [a, b] = await Promise.all([api(s, token).post('/api/panel/create', body, h), api(s, token).post('/api/panel/create', body, h)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.link.mycoiId).toBe(b.body.link.mycoiId);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].sort()).toEqual(['false', 'true']);
    const retry = await api(s, token).post('/api/panel/create', body, h);
    expect(retry.body.link.mycoiId).toBe(a.body.link.mycoiId);
    // A new key for the same vendor still makes no second record: the link already exists.
    const fresh = await api(s, token).post('/api/panel/create', body, { 'Idempotency-Key': 'dbl-click-key-0002' });
    expect(fresh.body.link.mycoiId).toBe(a.body.link.mycoiId);
    expect(s.mycoi.state.vendors.ofAccount('acct-acme').filter((v) => v.external_id === '70007')).toHaveLength(1);
    const { rows } = await s.running.db.pool.query(
      `select count(*)::int as n from links where tenant_id = $1 and kind = 'vendor' and procore_id = '70007'`,
      [acme],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses a reused key with another body, a missing key, and linking a myCOI record twice', async () => {
    const h = { 'Idempotency-Key': 'dbl-click-key-0001' };
    const reused = await api(s, token).post(
      '/api/panel/create',
      { kind: 'vendor', projectId: '5003', vendorId: '70007', name: 'Other name' },
      h,
    );
    expect([reused.status, reused.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    const noKey = await api(s, token).post('/api/panel/create', { kind: 'project', projectId: '5001', name: 'X' });
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'idempotency_key_required']);
    const first = await api(s, token).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70001', mycoiId: 'ven_acme_bright' },
      { 'Idempotency-Key': 'link-key-0001' },
    );
    expect(first.status).toBe(201);
    const twice = await api(s, token).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70002', mycoiId: 'ven_acme_bright' },
      { 'Idempotency-Key': 'link-key-0002' },
    );
    expect([twice.status, twice.body.error.code]).toEqual([409, 'already_linked']);
    const missing = await api(s, token).post(
      '/api/panel/link',
      { kind: 'vendor', projectId: '5001', procoreId: '70002', mycoiId: 'ven_other_nope' },
      { 'Idempotency-Key': 'link-key-0003' },
    );
    expect([missing.status, missing.body.error.code]).toEqual([404, 'mycoi_not_found']);
  });

  it('survives a lost myCOI answer: the retry with the same key creates once', async () => {
    // A vendor myCOI does not have yet (the demo seed leaves 70006..70008 out; 70007 is used above).
    const target = { kind: 'vendor', projectId: '5003', vendorId: '70008', name: 'Redwood Drywall Partners' };
    const h = { 'Idempotency-Key': 'lost-answer-0001' };
    const before = s.mycoi.state.vendors.ofAccount('acct-acme').length;
    s.mycoi.admin.setFaults({ resetRate: 1 }); // processed by myCOI, then the connection drops: the answer is lost
    let failed;
    try {
      failed = await api(s, token).post('/api/panel/create', target, h);
    } finally {
      s.mycoi.admin.setFaults({});
    }
    expect([failed.status, failed.body.error.code]).toEqual([502, 'upstream_unavailable']);
    expect(failed.body.error.message).toMatch(/Try again/);
    const retry = await api(s, token).post('/api/panel/create', target, h);
    expect(retry.status).toBe(201);
    const created = s.mycoi.state.vendors.ofAccount('acct-acme').filter((v) => v.external_id === target.vendorId);
    expect(created).toHaveLength(1);
    expect(retry.body.link.mycoiId).toBe(created[0]!.id);
    expect(s.mycoi.state.vendors.ofAccount('acct-acme').length - before).toBeLessThanOrEqual(1);
  });
});

describe('refresh now', () => {
  // vendor 70001 was linked to ven_acme_bright above
  const refresh = () => api(s, token).post('/api/panel/refresh', { kind: 'vendor', projectId: '5001', procoreId: '70001' });

  it("pushes the vendor's rows into Procore in the request, then finds nothing left to change", async () => {
    const first = await refresh();
    expect([first.status, first.body.queued, first.body.pushed]).toEqual([200, false, 4]);
    const ours = [...s.procore.state.insurances.values()].filter((i) => i.vendor_id === 70001 && i.origin_id?.startsWith('mycoi:'));
    expect(ours).toHaveLength(4);
    const again = await refresh();
    expect([again.status, again.body.pushed]).toEqual([200, 0]);
  });

  it('says so, in the one error shape, when compliance push is off or not set up for the company', async () => {
    // the gate: vendor-level push does not run for a commitment-level tenant
    await s.running.db.pool.query("update tenants set compliance_level = 'commitment' where id = $1", [acme]);
    const level = await refresh();
    expect([level.status, level.body.error.code, level.body.error.details]).toEqual([409, 'feature_off', { why: 'level_commitment_only' }]);
    expect(level.body.error.message).toBe('Compliance is pushed at commitment level only');
    await s.running.db.pool.query("update tenants set compliance_level = 'vendor' where id = $1", [acme]);
    await s.running.db.pool.query('update tenants set compliance_push = false where id = $1', [acme]);
    const off = await refresh();
    expect([off.status, off.body.error.code]).toEqual([409, 'compliance_push_off']);
    await s.running.db.pool.query('update tenants set compliance_push = true where id = $1', [acme]);
    await s.running.db.pool.query(`delete from credentials where tenant_id = $1 and kind = 'mycoi_service'`, [acme]);
    const missing = await refresh();
    expect([missing.status, missing.body.error.code]).toEqual([409, 'push_not_configured']);
    expect(JSON.stringify(missing.body)).not.toContain('demo-mycoi-secret');
  });
});
