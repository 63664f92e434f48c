import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@mycoi/mycoi-sandbox';
import { upsertOpsUser } from '../src/auth/ops-users';
import { createLogger } from '../src/logger';
import { api, panelSession } from './panel-flow';
import { Agent } from './tenants-harness';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';
import { mycoiComplianceDelivery } from './support/deliveries';
import { connectDemoMycoi, registerCompany, saveSettings } from './support/onboarding';
import { approveAtProcore } from './support/consent';

// Issue 16 item 10 and issue 13 "quiet, useful logs": a demo-like run of the whole service — admin
// sign-in through Procore's OAuth (code= and state= in our callback URL), DMSA credentials, ops
// sign-in and myCOI credentials, activation (the Procore hook and its secret), a sync run, signed
// myCOI deliveries and a Procore delivery, the side panel's sign-ins and calls — with the log
// stream captured. Then: no secret, signature, code, state, token or session appears in it, and
// each request is one line of method, route, status, duration, request id (and tenant).

const MYCOI_SECRET = 'logs-test-mycoi-webhook-secret-0123';
const OPS_PASSWORD = 'ops-password-for-the-log-test';
const lines: string[] = [];
const secrets = new Set<string>(['demo-dmsa-secret', 'demo-mycoi-secret', 'demo-panel-secret', OPS_PASSWORD, MYCOI_SECRET]);
let s: TestServer;
let tenantId: string;

beforeAll(async () => {
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  s = await startTestServer({ logger, env: { MYCOI_WEBHOOK_SECRET: MYCOI_SECRET, SYNC_ENABLED: 'true', EVENTS_COALESCE_MS: '100' } });
  s.mycoi.admin.setWebhook({ url: `${s.url}/webhooks/mycoi`, secret: MYCOI_SECRET, backoffMs: 50 });
  await upsertOpsUser(s.running.db.pool, 'ops@mycoi.test', OPS_PASSWORD);
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('logs of a demo-like run', () => {
  it('drive the demo: admin, ops, activation, a sync, webhooks, the side panel', async () => {
    // customer admin: Procore sign-in (authorization code flow against the sandbox's consent form)
    const admin = new Agent(s.url);
    const start = await admin.get('/api/admin/auth/procore?companyId=1001');
    const back = new URL(await approveAtProcore(start.headers.get('location')!, 'pat@acme.test'));
    const [code, state] = [back.searchParams.get('code')!, back.searchParams.get('state')!];
    secrets.add(code).add(state);
    expect((await admin.get(`/api/admin/auth/procore/callback?code=${code}&state=${encodeURIComponent(state)}`)).status).toBe(302);
    for (const v of admin.cookies.values()) secrets.add(v);
    tenantId = await registerCompany(admin, { clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
    expect((await admin.post('/api/admin/companies/1001/validate')).body.ok).toBe(true);
    await saveSettings(admin, { features: { compliancePush: true, sidePanel: true } });
    expect((await admin.post('/api/admin/companies/1001/request-activation')).status).toBe(200);

    // myCOI ops: password sign-in, myCOI credentials, activation (registers the Procore hook)
    const ops = new Agent(s.url);
    expect((await ops.post('/api/ops/login', { email: 'ops@mycoi.test', password: OPS_PASSWORD })).status).toBe(200);
    for (const v of ops.cookies.values()) secrets.add(v);
    await connectDemoMycoi(ops, tenantId);
    expect((await ops.post(`/api/ops/tenants/${tenantId}/mycoi/test`)).body.ok).toBe(true);
    expect((await ops.post(`/api/ops/tenants/${tenantId}/activate`, { reason: 'log test' })).status).toBe(200);
    const hook = await until('the Procore hook', () =>
      [...s.procore.state.hooks.values()].find((h) => h.destination_url.includes(tenantId)),
    );
    for (const v of Object.values(hook.destination_headers)) secrets.add(v).add(v.replace(/^Bearer /, ''));

    // a sync run, queued from the console
    // activation queued the first cycle: on a busy machine it may still be waiting (already_queued)
    const now = await ops.post(`/api/ops/tenants/${tenantId}/sync-now`);
    expect(['202 queued', '200 already_queued']).toContain(`${now.status} ${now.body.outcome}`);
    await until(
      'a finished sync run',
      async () =>
        (
          await s.running.db.pool.query("select 1 from runs where tenant_id = $1 and status <> 'queued' and status <> 'running'", [
            tenantId,
          ])
        ).rows.length > 0,
    );

    // webhooks: myCOI signs a real delivery; we send one more with a signature we know; Procore delivers with its secret
    s.mycoi.admin.setCompliance({ vendorId: 'ven_acme_bright' }, { status: 'finalized_non_compliant' });
    await s.mycoi.admin.flushWebhooks();
    const body = JSON.stringify(
      mycoiComplianceDelivery({ id: 'evt_logs_1', account: 'acct-acme', recordId: 'cr_logs', vendorId: 'ven_acme_bright', version: 99 }),
    );
    const signature = signWebhook(MYCOI_SECRET, body, Math.floor(Date.now() / 1000));
    secrets.add(signature);
    const delivered = await fetch(`${s.url}/webhooks/mycoi`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'mycoi-event-id': 'evt_logs_1',
        'mycoi-event-type': 'compliance.updated',
        'mycoi-signature': signature,
      },
      body,
    });
    expect(delivered.status).toBe(200);
    s.procore.admin.updateCommitment(900001, { status: 'Approved' }, 101);
    await s.procore.webhooks.idle();

    // side panel: Procore popup + myCOI password, then panel calls
    const panel = await panelSession(s);
    expect(panel.status).toBe(201);
    secrets.add(panel.grant).add(panel.body.token!);
    const p = api(s, panel.body.token!);
    expect((await p.get('/api/panel/vendors/70001?projectId=5001')).status).toBe(200);
    expect((await p.get('/api/panel/search?kind=vendor&q=bright')).status).toBe(200);

    // every token the Procore sandbox issued (service account, admin and panel users)
    for (const t of s.procore.state.tokens.values()) {
      secrets.add(t.token);
      if (t.refreshToken) secrets.add(t.refreshToken);
    }
    await new Promise((r) => setTimeout(r, 200)); // the last request lines are written after the response
  }, 180_000);

  it('holds no secret, signature, code, state, token or session', () => {
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(all.includes(secret), `a secret in the log: ${secret.slice(0, 6)}…`).toBe(false);
    expect(all).not.toMatch(/mycoi-signature|authorization|cookie|set-cookie/i);
    expect(all).not.toMatch(/[?&](code|state)=/);
  });

  it('logs each request as one line: method, route template, status, duration, request id, tenant', () => {
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => 'route' in l);
    expect(requests.length).toBeGreaterThan(15);
    for (const r of requests) {
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['method', 'route', 'status', 'ms', 'reqId']));
      expect(r).not.toHaveProperty('req');
      expect(r).not.toHaveProperty('res');
    }
    const callback = requests.find((r) => r.route === '/api/admin/auth/procore/callback');
    expect(callback).toMatchObject({ method: 'GET', status: 302 });
    const activate = requests.find((r) => r.route === '/api/ops/tenants/:id/activate');
    expect(activate).toMatchObject({ status: 200, tenant: tenantId });
    const settings = requests.find((r) => r.route === '/api/admin/companies/:companyId/settings');
    expect(settings).toMatchObject({ tenant: 'company:1001' });
  });
});
