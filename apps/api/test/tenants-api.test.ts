import type pg from 'pg';
import { startMailbox, type Mailbox } from './support/mailbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { TenantView, ValidationResult, AdminCompanyView, SyncHistory, SyncNowResponse } from '@mycoi/contracts';
import { enqueueRun, recordProblem } from '@mycoi/sync';
import { Agent, opsAgent, startHarness, type Harness } from './tenants-harness';
import { approveAtProcore } from './support/consent';

type PSandbox = Awaited<ReturnType<typeof createProcoreSandbox>>;
type MSandbox = Awaited<ReturnType<typeof createMycoiSandbox>>;

let procore: PSandbox;
let mycoi: MSandbox;
let mailbox: Mailbox;
let h: Harness;
const syncCalls: string[] = [];
const bodies: string[] = []; // every response body, to prove no secret ever comes back

const SECRETS = ['demo-dmsa-secret', 'demo-nocommit-secret', 'wrong-secret-123', 'demo-mycoi-secret', 'demo-panel-secret'];

function track(a: Agent): Agent {
  const orig = a.req.bind(a);
  a.req = async (m, p, b) => {
    const r = await orig(m, p, b);
    bodies.push(JSON.stringify(r.body ?? ''), r.headers.get('location') ?? '');
    return r;
  };
  return a;
}

/** The browser side of Procore's authorization code flow, against the sandbox's consent form. */
async function signIn(login: string, companyId: string, state?: string): Promise<{ agent: Agent; location: string }> {
  const agent = track(new Agent(h.base));
  const start = await agent.get(`/api/admin/auth/procore?companyId=${companyId}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(`${procore.url}/oauth/authorize`);
  const back = new URL(await approveAtProcore(authorize.toString(), login));
  const cb = await agent.get(
    `/api/admin/auth/procore/callback?code=${back.searchParams.get('code')}&state=${encodeURIComponent(state ?? back.searchParams.get('state')!)}`,
  );
  expect(cb.status).toBe(302);
  return { agent, location: cb.headers.get('location')! };
}

beforeAll(async () => {
  procore = await createProcoreSandbox({
    port: 0,
    seed: 'demo',
    rateLimit: { hourly: 100_000, spike10s: 10_000 },
    overrides: { allowAnyLoopbackRedirect: true },
  });
  mycoi = await createMycoiSandbox({ port: 0, seed: 'demo' });
  mailbox = await startMailbox();
  h = await startHarness({
    env: { SMTP_URL: mailbox.url },
    upstream: {
      procoreLoginUrl: procore.url,
      procoreApiUrl: procore.url,
      procoreClientId: 'demo-panel-client',
      procoreClientSecret: 'demo-panel-secret',
      mycoiApiUrl: mycoi.url,
    },
    // the real runs table behind "sync now"; the scheduler's cron is not needed here
    services: {
      syncControl: {
        // through the request's transaction (`db`), as the scheduler's syncNow does
        async syncNow(id: string, db: Pick<pg.Pool, 'query'> = h.db.pool) {
          syncCalls.push(id);
          const ids: number[] = [];
          for (const kind of ['push', 'upkeep'] as const) {
            const run = await enqueueRun(db, { tenantId: id, kind, trigger: 'manual' });
            if (run !== null) ids.push(run);
          }
          return ids;
        },
        nextScheduledAt: () => new Date(Date.now() + 3600_000),
        enabled: () => true,
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await procore?.close();
  await mycoi?.close();
  await mailbox?.close();
});

let admin: Agent;
let ops: Agent;
let tenantId: string;

describe('admin sign-in with Procore', () => {
  it('rejects a start without a numeric company id', async () => {
    const r = await new Agent(h.base).get('/api/admin/auth/procore?companyId=abc');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_request');
  });

  it('refuses a user who does not belong to the company', async () => {
    const { agent, location } = await signIn('olga@other.test', '1001');
    expect(location).toBe('/console/?companyId=1001&error=not_member');
    expect((await agent.get('/api/admin/session')).status).toBe(401);
  });

  it('refuses a forged state', async () => {
    const { agent, location } = await signIn('pat@acme.test', '1001', 'forged.state');
    expect(location).toContain('error=state_invalid');
    expect((await agent.get('/api/admin/session')).status).toBe(401);
  });

  it('signs in a member, scoped to that company only', async () => {
    const { agent, location } = await signIn('pat@acme.test', '1001');
    expect(location).toBe('/console/?companyId=1001');
    admin = agent;
    const s = await admin.get('/api/admin/session');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ user: { login: 'pat@acme.test' }, companyIds: ['1001'] });
    const view = AdminCompanyView.parse((await admin.get('/api/admin/companies/1001')).body);
    expect(view).toMatchObject({ company: { id: '1001', name: 'Acme Builders' }, tenant: null });
  });

  it('an admin of company A can never read or change company B', async () => {
    for (const [m, p] of [
      ['GET', '/api/admin/companies/2002'],
      ['POST', '/api/admin/companies/2002/register'],
      ['PUT', '/api/admin/companies/2002/credentials'],
      ['POST', '/api/admin/companies/2002/validate'],
      ['PUT', '/api/admin/companies/2002/settings'],
      ['POST', '/api/admin/companies/2002/request-activation'],
      ['GET', '/api/admin/companies/2002/audit'],
    ] as const) {
      const r = await admin.req(m, p, m === 'GET' ? undefined : {});
      expect(r.status, `${m} ${p}`).toBe(403);
    }
    expect((await new Agent(h.base).get('/api/admin/companies/1001')).status).toBe(401);
  });
});

describe('customer setup', () => {
  it('registers the company once', async () => {
    expect((await admin.post('/api/admin/companies/1001/request-activation')).status).toBe(404);
    const r = await admin.post('/api/admin/companies/1001/register', {});
    expect(r.status).toBe(201);
    const t = TenantView.parse(r.body);
    expect(t).toMatchObject({ status: 'registered', name: 'Acme Builders', procoreCompanyId: '1001', legacyIntegrationActive: true });
    tenantId = t.id;
    expect((await admin.post('/api/admin/companies/1001/register', {})).status).toBe(409);
  });

  it('bad input is a 400 in the one error shape', async () => {
    const r = await admin.put('/api/admin/companies/1001/credentials', { source: 'tenant', clientId: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['clientId', 'clientSecret']));
    const bad = await admin.put('/api/admin/companies/1001/settings', { settings: { digestRecipients: ['not-an-email'] } });
    expect(bad.status).toBe(400);
    expect((await admin.put('/api/admin/companies/1001/settings', { unknown: true })).status).toBe(400);
    expect((await admin.req('PUT', '/api/admin/companies/1001/settings', '{not json')).body.error.code).toBe('malformed_json');
  });

  it('cannot request activation before the credentials validate', async () => {
    const r = await admin.post('/api/admin/companies/1001/request-activation');
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'not_ready', details: { missing: ['validated_credentials'] } });
  });

  it('reports wrong credentials at the token check, with a fix hint', async () => {
    await admin.put('/api/admin/companies/1001/credentials', {
      source: 'tenant',
      clientId: 'demo-dmsa-client',
      clientSecret: 'wrong-secret-123',
    });
    const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
    expect(v.ok).toBe(false);
    expect(v.checks.map((c) => [c.id, c.ok])).toEqual([
      ['token', false],
      ['company', false],
      ['projects', false],
      ['directory', false],
      ['commitments', false],
      ['projectAccess', false],
    ]);
    expect(v.checks[0]!.fixHint).toMatch(/client ID and secret/);
    expect(v.checks[1]).toMatchObject({ ok: false, skipped: true, fixHint: null });
  });

  it('reports a missing Commitments permission separately', async () => {
    await admin.put('/api/admin/companies/1001/credentials', {
      source: 'tenant',
      clientId: 'demo-nocommit-client',
      clientSecret: 'demo-nocommit-secret',
    });
    const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
    const byId = Object.fromEntries(v.checks.map((c) => [c.id, c]));
    expect([byId.token!.ok, byId.company!.ok, byId.projects!.ok, byId.directory!.ok, byId.commitments!.ok]).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(byId.commitments!.fixHint).toMatch(/Enable the Commitments tool/);
    // a warning: the tool is only needed for commitment-level features, activation is not blocked
    expect(byId.commitments!.severity).toBe('warning');
    expect(v.ok).toBe(true);
    expect(byId.projects!.detail).toMatch(/^3 permitted projects$/);
  });

  it('can use the shared marketplace app instead of its own DMSA app', async () => {
    const view = TenantView.parse((await admin.put('/api/admin/companies/1001/credentials', { source: 'shared' })).body);
    expect(view.credentials.procoreDmsa).toMatchObject({ set: true, source: 'shared', clientIdLast4: 'ient', validatedAt: null });
    const { rows } = await h.db.pool.query("select secret_ciphertext from credentials where kind = 'procore_dmsa'");
    expect(rows).toEqual([{ secret_ciphertext: null }]);
    const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
    expect(v.ok).toBe(true);
  });

  it('an outage at Procore is reported as such, not as wrong credentials', async () => {
    procore.faults.set({ errorRate: 1, errorStatuses: [503] });
    try {
      const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
      // the sandbox injects faults on the REST host; the login host still issues the token
      expect(v.checks.slice(0, 2)).toMatchObject([
        { id: 'token', ok: true },
        { id: 'company', ok: false, detail: '/rest/v1.0/companies answered 503', fixHint: 'Procore answered 503; try again later.' },
      ]);
    } finally {
      procore.faults.clear();
    }
  });

  it('validates good credentials and shows only a summary of them', async () => {
    await admin.put('/api/admin/companies/1001/credentials', {
      source: 'tenant',
      clientId: 'demo-dmsa-client',
      clientSecret: 'demo-dmsa-secret',
    });
    const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    const view = AdminCompanyView.parse((await admin.get('/api/admin/companies/1001')).body);
    expect(view.tenant!.credentials.procoreDmsa).toMatchObject({ set: true, source: 'tenant', clientIdLast4: 'ient' });
    expect(view.tenant!.credentials.procoreDmsa.validatedAt).not.toBeNull();
    expect(view.tenant!.lastValidation?.ok).toBe(true);
  });

  it('saves features and settings', async () => {
    const r = await admin.put('/api/admin/companies/1001/settings', {
      features: { sidePanel: false },
      complianceLevel: 'both',
      settings: { digestRecipients: ['pm@acme.test'], approvedStatuses: ['Approved'] },
    });
    const t = TenantView.parse(r.body);
    expect(t.features).toEqual({ compliancePush: true, sidePanel: false });
    expect(t.complianceLevel).toBe('both');
    expect(t.settings).toMatchObject({ digestRecipients: ['pm@acme.test'], approvedStatuses: ['Approved'], procoreExpiryEmails: false });
  });

  it('ops cannot activate a tenant that never requested activation', async () => {
    ops = track(await opsAgent(h));
    const r = await ops.post(`/api/ops/tenants/${tenantId}/activate`, {});
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'invalid_transition', details: { from: 'registered', action: 'activate' } });
  });

  it('requests activation: status changes and ops get an email', async () => {
    const r = await admin.post('/api/admin/companies/1001/request-activation');
    expect(r.status).toBe(200);
    expect(TenantView.parse(r.body).status).toBe('awaiting_activation');
    await expect.poll(() => mailbox.mails.length).toBe(1);
    expect(mailbox.mails[0]!.subject).toBe('Activation requested: Acme Builders (1001)');
    expect(mailbox.mails[0]!.to).toMatchObject({ text: 'ops-team@mycoi.test' });
    expect(mailbox.mails[0]!.text).toContain(`/console/ops/tenants/${tenantId}`);
    expect((await admin.post('/api/admin/companies/1001/request-activation')).status).toBe(409);
  });
});

describe('ops', () => {
  it('every ops endpoint needs an ops session (an admin session is not one)', async () => {
    for (const a of [new Agent(h.base), admin]) {
      for (const [m, p] of [
        ['GET', '/api/ops/me'],
        ['GET', '/api/ops/tenants'],
        ['GET', `/api/ops/tenants/${tenantId}`],
        ['PUT', `/api/ops/tenants/${tenantId}/mycoi`],
        ['POST', `/api/ops/tenants/${tenantId}/mycoi/test`],
        ['POST', `/api/ops/tenants/${tenantId}/activate`],
        ['POST', `/api/ops/tenants/${tenantId}/suspend`],
        ['POST', `/api/ops/tenants/${tenantId}/resume`],
        ['POST', `/api/ops/tenants/${tenantId}/deactivate`],
        ['POST', `/api/ops/tenants/${tenantId}/sync-now`],
        ['GET', `/api/ops/tenants/${tenantId}/audit`],
        ['GET', '/api/ops/outbox'],
      ] as const) {
        expect((await a.req(m, p, m === 'GET' ? undefined : {})).status, `${m} ${p}`).toBe(401);
      }
    }
  });

  it('lists tenants with filters', async () => {
    const all = await ops.get('/api/ops/tenants');
    expect(all.body.tenants.map((t: TenantView) => t.id)).toEqual([tenantId]);
    expect((await ops.get('/api/ops/tenants?status=awaiting_activation&q=acme')).body.tenants).toHaveLength(1);
    expect((await ops.get('/api/ops/tenants?status=active')).body.tenants).toHaveLength(0);
    expect((await ops.get('/api/ops/tenants?q=1001')).body.tenants).toHaveLength(1);
    expect((await ops.get('/api/ops/tenants?status=bogus')).status).toBe(400);
    expect((await ops.get('/api/ops/tenants/not-a-uuid')).status).toBe(400);
    expect((await ops.get('/api/ops/tenants/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('cannot activate before the myCOI account is set', async () => {
    const r = await ops.post(`/api/ops/tenants/${tenantId}/activate`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.details.missing).toEqual(['mycoi_account', 'mycoi_credentials']);
  });

  it('tests the myCOI connection and catches a mismatched account', async () => {
    expect((await ops.post(`/api/ops/tenants/${tenantId}/mycoi/test`)).status).toBe(409);
    expect((await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, { accountId: 'acct-acme', clientId: 'demo-mycoi-client' })).status).toBe(
      400,
    );
    await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, {
      accountId: 'acct-acme',
      clientId: 'other-mycoi-client',
      clientSecret: 'other-mycoi-secret',
    });
    const bad = ValidationResult.parse((await ops.post(`/api/ops/tenants/${tenantId}/mycoi/test`)).body);
    expect(bad.checks.map((c) => [c.id, c.ok])).toEqual([
      ['token', true],
      ['me', true],
      ['account', false],
    ]);
    await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, {
      accountId: 'acct-acme',
      clientId: 'demo-mycoi-client',
      clientSecret: 'wrong-secret-123',
    });
    expect(ValidationResult.parse((await ops.post(`/api/ops/tenants/${tenantId}/mycoi/test`)).body).checks[0]).toMatchObject({
      id: 'token',
      ok: false,
    });
    await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, {
      accountId: 'acct-acme',
      clientId: 'demo-mycoi-client',
      clientSecret: 'demo-mycoi-secret',
    });
    const good = ValidationResult.parse((await ops.post(`/api/ops/tenants/${tenantId}/mycoi/test`)).body);
    expect(good.ok).toBe(true);
  });

  it('sync-now before activation queues nothing and says why', async () => {
    const r = await ops.post(`/api/ops/tenants/${tenantId}/sync-now`);
    expect(r.status).toBe(200);
    expect(SyncNowResponse.parse(r.body)).toMatchObject({ outcome: 'blocked', reason: 'tenant_inactive', runIds: [] });
    expect(r.body.message).toContain('not active yet');
    expect(SyncHistory.parse((await admin.get('/api/admin/companies/1001/sync')).body)).toMatchObject({
      state: 'inactive',
      nextRunAt: null,
      runs: [],
    });
  });

  it('activates: legacy integration retired in the same step', async () => {
    const r = await ops.post(`/api/ops/tenants/${tenantId}/activate`, { reason: 'setup checked' });
    const t = TenantView.parse(r.body);
    expect(t).toMatchObject({ status: 'active', legacyIntegrationActive: false, mycoiAccountId: 'acct-acme' });
    expect(t.legacyRetiredAt).not.toBeNull();
    expect(t.activatedAt).not.toBeNull();
    expect((await ops.post(`/api/ops/tenants/${tenantId}/activate`, {})).status).toBe(409);
  });

  it('sync-now tells the truth: queued once, then already queued; the history shows the runs and problems', async () => {
    const r = await ops.post(`/api/ops/tenants/${tenantId}/sync-now`);
    expect(r.status).toBe(202);
    const first = SyncNowResponse.parse(r.body);
    expect(first).toMatchObject({ outcome: 'queued', reason: null });
    expect(first.runIds).toHaveLength(2);
    expect(syncCalls).toEqual([tenantId]);
    const { rows } = await h.db.pool.query('select requested_by from sync_requests where tenant_id = $1 and consumed_at is null', [
      tenantId,
    ]);
    expect(rows).toEqual([{ requested_by: 'ops@mycoi.test' }]);
    // bounded: a second request (here from the customer admin) queues nothing more and says so
    const again = await admin.post('/api/admin/companies/1001/sync-now');
    expect(again.status).toBe(200);
    expect(SyncNowResponse.parse(again.body)).toMatchObject({ outcome: 'already_queued', runIds: first.runIds });
    expect((await h.db.pool.query('select count(*)::int as n from runs where tenant_id = $1', [tenantId])).rows[0].n).toBe(2);

    const hist = SyncHistory.parse((await admin.get('/api/admin/companies/1001/sync')).body);
    expect(hist).toMatchObject({ state: 'queued', inProgress: true, lastRun: null, syncNow: { allowed: false } });
    expect(hist.runs.map((x) => x.status)).toEqual(['queued', 'queued']);
    expect(TenantView.parse((await ops.get(`/api/ops/tenants/${tenantId}`)).body).syncHealth).toMatchObject({
      state: 'queued',
      lastRunAt: null,
    });

    // the runs finish (one fails); the summary and the history come from the runs table and the problems table
    await h.db.pool.query(
      `update runs set status = 'succeeded', started_at = now() - interval '2 minutes', finished_at = now() - interval '1 minute', duration_ms = 61000,
         calls = 12, write_calls = 3, counts = '{"read":5,"created":2,"updated":1,"deleted":0,"failed":1,"unchanged":1,"skipped":0,"rateLimitWaits":2}'
         where id = $1`,
      [first.runIds[0]],
    );
    await h.db.pool.query(
      `update runs set status = 'failed', started_at = now(), finished_at = now(), duration_ms = 40, errors = '[{"code":"run_failed","message":"Procore answered 503"}]',
         stop_reason = 'Procore answered 503' where id = $1`,
      [first.runIds[1]],
    );
    await recordProblem(h.db.pool, tenantId, {
      kind: 'project_forbidden',
      scope: 'project:5002',
      title: 'No access to project Riverside',
      detail: 'Procore answered 403',
      fix: 'Add the service account to the project',
    });
    const list = (await ops.get('/api/ops/tenants')).body.tenants as TenantView[];
    expect(list[0]!.syncHealth).toMatchObject({ state: 'failing', lastError: 'Procore answered 503', problemCount: 1 });
    const after = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync`)).body);
    expect(after.state).toBe('failing');
    expect(after.inProgress).toBe(false);
    expect(after.problems.map((p) => p.scope)).toEqual(['project:5002']);
    const pushRun = after.runs.find((x) => x.id === first.runIds[0])!;
    expect(pushRun).toMatchObject({ procoreCalls: 12, procoreWrites: 3, rateLimitWaits: 2, durationMs: 61000 });
    expect(pushRun.rows).toMatchObject({ created: 2, updated: 1, failed: 1 });
    expect(after.runs.find((x) => x.id === first.runIds[1])!.outcomeText).toContain('Procore answered 503');
    expect(after.nextRunAt).not.toBeNull();

    // paginated by run id
    const page1 = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync?limit=1`)).body);
    expect(page1.runs).toHaveLength(1);
    const page2 = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync?limit=1&before=${page1.nextBefore}`)).body);
    expect(page2.runs.map((x) => x.id)).toEqual([first.runIds[0]]);
    expect(page2.nextBefore).toBeNull();
    expect((await ops.get(`/api/ops/tenants/${tenantId}/sync?limit=0`)).status).toBe(400);
    expect((await ops.get(`/api/ops/tenants/${tenantId}/sync?before=abc`)).status).toBe(400);
    // another company's admin cannot read it
    expect((await admin.get('/api/admin/companies/2002/sync')).status).toBe(403);
  });

  it('sync-now is blocked with the reason during backoff', async () => {
    const until = new Date(Date.now() + 20 * 60_000);
    await h.db.pool.query(
      `insert into sync_tenant_state (tenant_id, consecutive_failures, backoff_until) values ($1, 2, $2)
       on conflict (tenant_id) do update set consecutive_failures = 2, backoff_until = $2`,
      [tenantId, until],
    );
    const r = SyncNowResponse.parse((await admin.post('/api/admin/companies/1001/sync-now')).body);
    expect(r).toMatchObject({ outcome: 'blocked', reason: 'backoff', blockedUntil: until.toISOString(), runIds: [] });
    expect(r.message).toContain('2 runs failed');
    expect(SyncHistory.parse((await admin.get('/api/admin/companies/1001/sync')).body)).toMatchObject({
      state: 'backing_off',
      backoffUntil: until.toISOString(),
      syncNow: { allowed: false, reason: 'backoff' },
    });
    expect(
      (await h.db.pool.query("select count(*)::int as n from runs where tenant_id = $1 and status = 'queued'", [tenantId])).rows[0].n,
    ).toBe(0);
    await h.db.pool.query('update sync_tenant_state set backoff_until = null where tenant_id = $1', [tenantId]);
  });

  it('suspend ⇄ resume, then deactivate is final', async () => {
    const step = async (action: string, status: number, to?: string) => {
      const r = await ops.post(`/api/ops/tenants/${tenantId}/${action}`, {});
      expect(r.status, action).toBe(status);
      if (to) expect(r.body.status).toBe(to);
    };
    await step('resume', 409);
    await step('suspend', 200, 'suspended');
    await step('suspend', 409);
    await step('activate', 409);
    await step('resume', 200, 'active');
    await step('deactivate', 200, 'deactivated');
    for (const a of ['activate', 'suspend', 'resume', 'deactivate']) await step(a, 409);
    expect((await admin.put('/api/admin/companies/1001/settings', { complianceLevel: 'vendor' })).status).toBe(409);
    expect((await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, { accountId: 'a', clientId: 'demo-mycoi-client' })).status).toBe(409);
  });

  it('the audit trail has every step with who and from where', async () => {
    const entries = (await ops.get(`/api/ops/tenants/${tenantId}/audit`)).body.entries as {
      action: string;
      actor: string;
      actorKind: string;
      ip: string | null;
      details: Record<string, unknown>;
    }[];
    const actions = entries.map((e) => e.action).reverse();
    expect(actions.filter((a) => a.startsWith('tenant.'))).toEqual([
      'tenant.registered',
      'tenant.settings_changed',
      'tenant.request_activation',
      'tenant.activate',
      'tenant.suspend',
      'tenant.resume',
      'tenant.deactivate',
    ]);
    const activate = entries.find((e) => e.action === 'tenant.activate')!;
    expect(activate).toMatchObject({
      actor: 'ops@mycoi.test',
      actorKind: 'ops',
      details: { from: 'awaiting_activation', to: 'active', reason: 'setup checked', legacyIntegrationRetired: true },
    });
    expect(activate.ip).toMatch(/127\.0\.0\.1/);
    expect(entries.find((e) => e.action === 'tenant.request_activation')).toMatchObject({
      actor: 'pat@acme.test',
      actorKind: 'procore_user',
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        'credentials.dmsa_set',
        'credentials.dmsa_validated',
        'credentials.mycoi_set',
        'credentials.mycoi_tested',
        'ops.sync_now',
        'mail.ops_notified',
      ]),
    );
    expect((await admin.get('/api/admin/companies/1001/audit')).body.entries.length).toBe(entries.length);
  });

  it('no secret ever appeared in a response or the audit log', async () => {
    const audit = JSON.stringify((await h.db.pool.query('select * from audit_log')).rows);
    for (const s of SECRETS) {
      expect(
        bodies.some((b) => b.includes(s)),
        s,
      ).toBe(false);
      expect(audit.includes(s), s).toBe(false);
    }
  });

  it('sessions expire and logout ends them', async () => {
    await h.db.pool.query("update sessions set expires_at = now() - interval '1 second' where kind = 'admin'");
    expect((await admin.get('/api/admin/session')).status).toBe(401);
    expect((await ops.get('/api/ops/me')).status).toBe(200);
    expect((await ops.post('/api/ops/logout')).status).toBe(204);
    expect((await ops.get('/api/ops/me')).status).toBe(401);
  });
});
