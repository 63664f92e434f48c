import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import { UnsafeTextError, withTransaction, type Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { signWebhook } from '@mycoi/mycoi-sandbox';
import { enqueueRun } from '@mycoi/sync';
import { createSyncService } from '@mycoi/jobs';
import { createApp, type AppServices } from '../src/app';
import { COOKIE, createSession } from '../src/auth/sessions';
import { upsertOpsUser } from '../src/auth/ops-users';
import { secretHash, type TargetedEngine } from '@mycoi/events';
import { EventIngest } from '../src/events/ingest';
import { createEventsService, type EventsService } from '../src/events/service';
import { createLogger } from '../src/logger';
import { createMailer } from '../src/mail/mailer';
import { putCredential } from '../src/secrets/store';
import { syncControlOf } from '../src/sync-history/control';
import { Agent } from './tenants-harness';
import { mycoiComplianceDelivery, procoreDelivery } from './support/deliveries';

// Issue 16 items 1, 4, 8, 9, 11 (API side) and 12, against the real app on a real database.
// Every case here failed on the code before this change (500s, a saved credential without its
// audit entry, a foreign tenant's event id swallowing ours, a replay accepted, a throttle walked past).

const MYCOI_SECRET = 'hostile-mycoi-webhook-secret-0123';
const HOOK_A = 'Bearer hostile-tenant-a-secret-0123456789';
const HOOK_B = 'Bearer hostile-tenant-b-secret-0123456789';
const noEngine: TargetedEngine = {
  execute: async () => ({ stopped: null, procoreWrites: 0, procoreCalls: 0 }),
};

let db: Database;
let svc: EventsService;
const servers: Server[] = [];
let base: string;
let tenantA: string;
let tenantB: string;

async function listen(env: Record<string, string> = {}, services: AppServices = {}): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const logger = createLogger({ level: 'silent' });
  const mailer = createMailer({ smtpUrl: undefined, from: config.MAIL_FROM, pool: db.pool });
  const app = createApp({ config, db, logger, services: { events: svc, mailer, ...services } });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function addTenant(company: string, account: string, status: string, hookSecret: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    "insert into tenants (procore_company_id, name, status, mycoi_account_id, procore_environment, compliance_push) values ($1, $2, $3, $4, 'local', true) returning id",
    [company, `Co ${company}`, status, account],
  );
  const id = rows[0]!.id;
  await db.pool.query(
    "insert into procore_hooks (tenant_id, procore_company_id, secret_hash, service_user_id, service_client_id, state) values ($1, $2, $3, '4242', 'dmsa-client', 'registered')",
    [id, company, secretHash(hookSecret)],
  );
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenantA = await addTenant('1001', 'acct_A', 'active', HOOK_A);
  tenantB = await addTenant('2002', 'acct_B', 'active', HOOK_B);
  svc = createEventsService({
    pool: db.pool,
    logger: createLogger({ level: 'silent' }),
    engine: noEngine,
    hooks: null,
    mycoiSecret: () => MYCOI_SECRET,
    coalesceMs: 60_000,
    sessionSecret: loadConfig({}).sessionSecret,
  });
  base = await listen();
  await upsertOpsUser(db.pool, 'ops@mycoi.test', 'a-long-ops-password');
});
afterAll(async () => {
  await svc.stop();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await db.close();
});
beforeEach(async () => {
  await db.pool.query('delete from login_failures');
});

async function admin(at = base, company = '1001'): Promise<Agent> {
  const a = new Agent(at);
  const { token } = await createSession({ pool: db.pool, sessionSecret: loadConfig({}).sessionSecret }, 'admin', 'u-pat', {
    user: { id: 'u-pat', login: 'pat@acme.test', name: 'Pat' },
    companies: [{ id: company, name: `Co ${company}` }],
  });
  a.cookies.set(COOKIE.admin, token);
  return a;
}
async function ops(at = base): Promise<Agent> {
  const a = new Agent(at);
  const res = await a.post('/api/ops/login', { email: 'ops@mycoi.test', password: 'a-long-ops-password' });
  expect(res.status).toBe(200);
  return a;
}

/** The one error shape, a 400, naming the field. */
function expectRefused(res: { status: number; body: any }, path: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_characters');
  expect(res.body.error.message).toContain(path);
  expect(res.body.error.details[0].path).toBe(path);
}

let seq = 0;
function procoreEvent(company: number, over: Record<string, unknown> = {}) {
  seq += 1;
  const ulid = `01JHOSTILE${String(seq).padStart(16, '0')}`;
  return { ...procoreDelivery({ id: 7_000_000 + seq, ulid, resourceId: 500 + seq, company, project: 11 }), ...over };
}
const postProcore = (tenant: string, body: unknown, auth: string) =>
  fetch(`${base}/webhooks/procore/${tenant}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify(body),
  });

function mycoiBody(account: string, over: Record<string, unknown> = {}): string {
  seq += 1;
  const delivery = mycoiComplianceDelivery({
    id: `evt_hostile_${seq}`,
    account,
    recordId: `cr_v${seq}`,
    vendorId: `ven_${seq}`,
    version: seq,
  });
  return JSON.stringify({ ...delivery, ...over });
}
function postMycoi(body: string, sig = signWebhook(MYCOI_SECRET, body, Math.floor(Date.now() / 1000))) {
  const id = (JSON.parse(body) as { id: string }).id;
  return fetch(`${base}/webhooks/mycoi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'mycoi-event-id': id, 'mycoi-event-type': 'compliance.updated', 'mycoi-signature': sig },
    body,
  });
}
const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as any });
const storedFor = async (tenant: string) =>
  Number((await db.pool.query<{ n: number }>('select count(*)::int as n from webhook_events where tenant_id = $1', [tenant])).rows[0]!.n);

describe('item 1: NUL and lone surrogates are refused at the edge with a 400 naming the field', () => {
  it('admin settings, ops suspend and the ops tenant search', async () => {
    const a = await admin();
    expect((await a.post('/api/admin/companies/1001/register', {})).status).toBe(409); // tenant exists: in the one shape, not a 500
    expectRefused(
      await a.put('/api/admin/companies/1001/settings', { settings: { approvedStatuses: ['A\u0000'] } }),
      'body.settings.approvedStatuses.0',
    );
    const o = await ops();
    expectRefused(await o.post(`/api/ops/tenants/${tenantA}/suspend`, { reason: 'x\u0000' }), 'body.reason');
    expectRefused(await o.get('/api/ops/tenants?q=%00'), 'query.q');
    expectRefused(await o.post(`/api/ops/tenants/${tenantA}/suspend`, { reason: 'x\ud800y' }), 'body.reason');
    expectRefused(await o.post(`/api/ops/tenants/${tenantA}/suspend`, { ['k\u0000']: 1 }), 'body.k?');
    // a surrogate pair (an emoji) is fine; the tenant did not move on the refused calls
    expect((await o.get(`/api/ops/tenants?q=${encodeURIComponent('\ud83d\ude00')}`)).status).toBe(200);
    expect((await o.get(`/api/ops/tenants/${tenantA}`)).body.status).toBe('active');
  });

  it('a bad path segment and invalid percent-encoding are 400s too', async () => {
    const o = await ops();
    const nul = await o.get('/api/ops/tenants/%00');
    expect([nul.status, nul.body.error.code]).toEqual([400, 'invalid_characters']);
    const lone = await o.get('/api/ops/tenants/%ED%A0%80');
    expect([lone.status, lone.body.error.code]).toEqual([400, 'invalid_characters']);
  });

  it('authenticated webhook deliveries with a poisoned extra field are refused (myCOI) or kept unparsed (Procore), never 500', async () => {
    // Procore pauses a hook's whole queue on any non-2xx: its poisoned delivery is kept for ops, not stored as an event
    const procore = await json(
      await postProcore(tenantA, procoreEvent(1001, { note: 'x\u0000y', ulid: '01JPOISONEDNOTE00000000000' }), HOOK_A),
    );
    expect([procore.status, procore.body.status]).toEqual([202, 'stored_unparsed']);
    const kept = await db.pool.query<{ reason: string }>('select reason from webhook_unparsed where tenant_id = $1', [tenantA]);
    expect(kept.rows.map((r) => r.reason)).toContain('body.note contains a NUL character');
    expect((await db.pool.query("select 1 from webhook_events where event_id = '01JPOISONEDNOTE00000000000'")).rows).toHaveLength(0);
    expectRefused(await json(await postMycoi(mycoiBody('acct_A', { note: 'x\u0000y' }))), 'body.note');
  });

  it('one poisoned delivery among 30 valid ones fails only itself', async () => {
    const before = await storedFor(tenantA);
    const valid = Array.from({ length: 30 }, () => postProcore(tenantA, procoreEvent(1001), HOOK_A));
    const poisoned = postProcore(tenantA, procoreEvent(1001, { note: 'x\u0000y' }), HOOK_A);
    const results = await Promise.all([...valid.slice(0, 15), poisoned, ...valid.slice(15)]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses[15]).toBe(202); // kept unparsed for ops, not an event
    expect(await storedFor(tenantA)).toBe(before + 30);
  });

  it('the ingest batch isolates an item the database refuses (behind the edge check)', async () => {
    const ingest = new EventIngest(db.pool);
    const ev = (id: string, payload: unknown) => ({
      source: 'procore' as const,
      eventId: id,
      tenantId: tenantB,
      occurredAt: null,
      payload,
      coalesceMs: 60_000,
    });
    const settled = await Promise.allSettled([
      ingest.submit(ev('iso-1', { ok: 1 })),
      ingest.submit(ev('iso-2', { note: 'x\u0000y' })),
      ingest.submit(ev('iso-3', { ok: 3 })),
      ingest.submit(ev('iso-4', { note: 'a\udc00' })),
      ingest.submit(ev('iso-5', { ok: 5 })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnsafeTextError);
    const { rows } = await db.pool.query<{ event_id: string }>(
      "select event_id from webhook_events where event_id like 'iso-%' order by event_id",
    );
    expect(rows.map((r) => r.event_id)).toEqual(['iso-1', 'iso-3', 'iso-5']);
  });

  it('the database layer refuses them as a second line, in pool queries and in transactions', async () => {
    await expect(db.pool.query('select $1::text', ['a\u0000b'])).rejects.toBeInstanceOf(UnsafeTextError);
    await expect(db.pool.query('select $1::jsonb', [JSON.stringify({ a: 'x\ud800' })])).rejects.toThrow(/unpaired/);
    await expect(db.pool.query('select $1::text[]', [['ok', 'b\u0000']])).rejects.toThrow(/\$1 contains a NUL/);
    await expect(
      withTransaction(db.pool, async (c) => {
        await c.query("update tenants set name = 'renamed' where id = $1", [tenantB]);
        await c.query('update tenants set name = $2 where id = $1', [tenantB, 'bad\u0000']);
      }),
    ).rejects.toBeInstanceOf(UnsafeTextError);
    const { rows } = await db.pool.query<{ name: string }>('select name from tenants where id = $1', [tenantB]);
    expect(rows[0]!.name).toBe('Co 2002'); // rolled back
    // well-formed text, including a literal backslash-u sequence and emoji, passes
    const ok = await db.pool.query<{ v: string }>('select $1::text as v', ['C:\\u0000 \ud83d\ude00']);
    expect(ok.rows[0]!.v).toBe('C:\\u0000 \ud83d\ude00');
  });
});

describe('item 4: a state change and its audit entry commit together, or neither', () => {
  it('bad credentials input saves nothing and is a 400', async () => {
    const a = await admin();
    const before = await db.pool.query('select count(*)::int as n from credentials where tenant_id = $1', [tenantA]);
    expectRefused(
      await a.put('/api/admin/companies/1001/credentials', { source: 'tenant', clientId: 'cli\ud800ent', clientSecret: 'a-secret-1234' }),
      'body.clientId',
    );
    const o = await ops();
    expectRefused(
      await o.put(`/api/ops/tenants/${tenantA}/mycoi`, { accountId: 'acct\u0000', clientId: 'client-1234', clientSecret: 'secret-1234' }),
      'body.accountId',
    );
    const after = await db.pool.query('select count(*)::int as n from credentials where tenant_id = $1', [tenantA]);
    expect(after.rows).toEqual(before.rows);
  });

  it('when the audit entry cannot be written, the credential change is rolled back', async () => {
    await putCredential(db.pool, loadConfig({}).encryption, {
      tenantId: tenantA,
      kind: 'mycoi_service',
      clientId: 'old-client-id',
      clientSecret: 'old-secret-1234',
    });
    await db.pool.query("update tenants set mycoi_account_id = 'acct_A' where id = $1", [tenantA]);
    const o = await ops();
    // a fault in the audit table: every insert fails
    await db.pool.query(
      `create or replace function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`,
    );
    await db.pool.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
    try {
      const res = await o.put(`/api/ops/tenants/${tenantA}/mycoi`, {
        accountId: 'acct_NEW',
        clientId: 'new-client-id',
        clientSecret: 'new-secret-1234',
      });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal');
    } finally {
      await db.pool.query('drop trigger refuse_audit on audit_log');
    }
    const cred = await db.pool.query<{ client_id: string }>(
      "select client_id from credentials where tenant_id = $1 and kind = 'mycoi_service'",
      [tenantA],
    );
    expect(cred.rows[0]!.client_id).toBe('old-client-id');
    const t = await db.pool.query<{ mycoi_account_id: string }>('select mycoi_account_id from tenants where id = $1', [tenantA]);
    expect(t.rows[0]!.mycoi_account_id).toBe('acct_A');
  });

  it('the same for the admin credentials PUT and settings PUT', async () => {
    const a = await admin();
    await db.pool.query(
      `create or replace function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`,
    );
    await db.pool.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
    try {
      expect(
        (
          await a.put('/api/admin/companies/1001/credentials', {
            source: 'tenant',
            clientId: 'never-saved-id',
            clientSecret: 'never-saved-secret',
          })
        ).status,
      ).toBe(500);
      expect((await a.put('/api/admin/companies/1001/settings', { complianceLevel: 'commitment' })).status).toBe(500);
    } finally {
      await db.pool.query('drop trigger refuse_audit on audit_log');
    }
    const cred = await db.pool.query("select 1 from credentials where tenant_id = $1 and client_id = 'never-saved-id'", [tenantA]);
    expect(cred.rows).toHaveLength(0);
    const t = await db.pool.query<{ compliance_level: string }>('select compliance_level from tenants where id = $1', [tenantA]);
    expect(t.rows[0]!.compliance_level).not.toBe('commitment');
  });
});

describe('item 4: "sync now" — its runs, its request and its audit entry commit together, or none of them', () => {
  // a fault in the audit table: every insert fails until dropped
  const refuseAudit = async () => {
    await db.pool.query(
      `create or replace function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`,
    );
    await db.pool.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
  };
  const allowAudit = () => db.pool.query('drop trigger if exists refuse_audit on audit_log');

  it('a failing audit insert leaves no queued run, no request and no schedule change, and answers a 500 in the one shape', async () => {
    // the real scheduler service (its worker loop not started, so what is queued stays queued)
    const sync = createSyncService({
      pool: db.pool,
      logger: { info() {}, warn() {}, error() {} },
      clientsForTenant: async () => {
        throw new Error('no run executes in this test');
      },
      mailer: createMailer({ from: 'sync@mycoi.test', pool: db.pool }),
      config: { procoreAppUrl: 'https://app.procore.com', phaseSpreadMs: 0 },
    });
    const at = await listen({}, { syncControl: syncControlOf(sync, async () => null, 50) });
    const ring = loadConfig({}).encryption;
    const tenantC = await addTenant('3003', 'acct_C', 'active', 'Bearer hostile-tenant-c-secret-0123456789');
    await putCredential(db.pool, ring, { tenantId: tenantC, kind: 'procore_dmsa', clientId: 'dmsa-c', clientSecret: 'dmsa-secret-c' });
    await putCredential(db.pool, ring, { tenantId: tenantC, kind: 'mycoi_service', clientId: 'mycoi-c', clientSecret: 'mycoi-secret-c' });
    // a cycle run waiting for its slot: "sync now" would bring it forward (a write too)
    const later = new Date(Date.now() + 3600_000);
    const scheduled = await enqueueRun(db.pool, { tenantId: tenantC, kind: 'upkeep', trigger: 'schedule', runAfter: later });
    const state = async () => ({
      runs: (
        await db.pool.query<{ id: number; kind: string; trigger: string; run_after: Date }>(
          'select id, kind, trigger, run_after from runs where tenant_id = $1 order by id',
          [tenantC],
        )
      ).rows,
      requests: (await db.pool.query('select requested_by from sync_requests where tenant_id = $1', [tenantC])).rows,
      requestedAt: (await db.pool.query('select sync_requested_at from tenants where id = $1', [tenantC])).rows[0].sync_requested_at,
      audit: (await db.pool.query("select action from audit_log where tenant_id = $1 and action like '%sync_now'", [tenantC])).rows,
    });
    const before = await state();
    expect(before.runs.map((r) => [r.id, r.kind, r.trigger])).toEqual([[scheduled, 'upkeep', 'schedule']]);
    expect([before.requests, before.requestedAt, before.audit]).toEqual([[], null, []]);

    const o = await ops(at);
    const a = await admin(at, '3003');
    await refuseAudit();
    try {
      for (const res of [await o.post(`/api/ops/tenants/${tenantC}/sync-now`), await a.post('/api/admin/companies/3003/sync-now')]) {
        expect(res.status).toBe(500);
        expect(Object.keys(res.body)).toEqual(['error']);
        expect(res.body.error.code).toBe('internal');
        expect(typeof res.body.error.message).toBe('string');
        expect(JSON.stringify(res.body)).not.toContain('audit unavailable'); // no database detail leaks
      }
    } finally {
      await allowAudit();
    }
    // nothing of either request committed: no new queued run, the scheduled one still waits for its slot
    expect(await state()).toEqual(before);

    // the audit table works again: the same request commits everything, its audit entry included
    const ok = await o.post(`/api/ops/tenants/${tenantC}/sync-now`);
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ outcome: 'queued' });
    expect(ok.body.runIds).toHaveLength(2);
    expect(ok.body.runIds).toContain(scheduled);
    const after = await state();
    expect(after.runs.map((r) => r.kind).sort()).toEqual(['push', 'upkeep']);
    expect(after.runs.every((r) => r.run_after.getTime() <= Date.now())).toBe(true);
    expect(after.requests).toEqual([{ requested_by: 'ops@mycoi.test' }]);
    expect(after.requestedAt).not.toBeNull();
    expect(after.audit).toEqual([{ action: 'ops.sync_now' }]);
  });
});

describe('item 8: webhook de-duplication is per tenant', () => {
  it("tenant A's event id does not make tenant B's event with the same id a duplicate", async () => {
    const shared = { ulid: '01JSHAREDULID0000000000000', id: 6_000_001 };
    const a = await json(await postProcore(tenantA, procoreEvent(1001, shared), HOOK_A));
    const b = await json(await postProcore(tenantB, procoreEvent(2002, shared), HOOK_B));
    expect([a.body.status, b.body.status]).toEqual(['accepted', 'accepted']);
    const again = await json(await postProcore(tenantB, procoreEvent(2002, shared), HOOK_B));
    expect(again.body.status).toBe('duplicate'); // still de-duplicated within one tenant
    const { rows } = await db.pool.query<{ tenant_id: string }>(
      "select tenant_id from webhook_events where event_id = '01JSHAREDULID0000000000000' order by tenant_id",
    );
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([tenantA, tenantB].sort());
  });

  it('the same for myCOI event ids across accounts', async () => {
    const bodyA = mycoiBody('acct_A', { id: 'evt_same_everywhere' });
    const bodyB = mycoiBody('acct_B', { id: 'evt_same_everywhere' });
    expect((await json(await postMycoi(bodyA))).body.status).toBe('accepted');
    expect((await json(await postMycoi(bodyB))).body.status).toBe('accepted');
  });
});

describe('item 12: replay protection remembers deliveries it dropped', () => {
  it('a myCOI delivery dropped while suspended is refused when replayed after resume', async () => {
    const o = await ops();
    expect((await o.post(`/api/ops/tenants/${tenantB}/suspend`, {})).status).toBe(200);
    const body = mycoiBody('acct_B');
    const sig = signWebhook(MYCOI_SECRET, body, Math.floor(Date.now() / 1000));
    const first = await json(await postMycoi(body, sig));
    expect([first.status, first.body.status]).toEqual([202, 'dropped']);
    expect((await o.post(`/api/ops/tenants/${tenantB}/resume`, {})).status).toBe(200);
    const replay = await json(await postMycoi(body, sig));
    expect([replay.status, replay.body.error.code]).toEqual([401, 'replayed_signature']);
    const id = (JSON.parse(body) as { id: string }).id;
    expect((await db.pool.query('select 1 from webhook_events where event_id = $1', [id])).rows).toHaveLength(0);
    // myCOI's own retry, signed afresh, is still taken
    const retry = await json(await postMycoi(body, signWebhook(MYCOI_SECRET, body, Math.floor(Date.now() / 1000) + 1)));
    expect([retry.status, retry.body.status]).toEqual([200, 'accepted']);
  });
});

describe('item 9: login throttling by account and by address, not by a header', () => {
  const login = (b: string, email: string, password: string, xff?: string) =>
    fetch(`${b}/api/ops/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(xff ? { 'x-forwarded-for': xff } : {}) },
      body: JSON.stringify({ email, password }),
    });

  it('rotating X-Forwarded-For does not reset the count (TRUST_PROXY is off by default)', async () => {
    for (let i = 0; i < 5; i++) expect((await login(base, 'ops@mycoi.test', `wrong-${i}`, `10.0.0.${i}`)).status).toBe(401);
    const res = await login(base, 'ops@mycoi.test', 'a-long-ops-password', '10.0.0.99');
    expect(res.status).toBe(429);
    expect(((await res.json()) as any).error.code).toBe('rate_limited');
    const { rows } = await db.pool.query<{ ip: string }>('select distinct ip from login_failures');
    expect(rows.map((r) => r.ip)).toEqual(['127.0.0.1']); // the socket address, never the header
  });

  it('an account is locked whatever address the guesses come from', async () => {
    // behind a trusted proxy each guess may carry a different client address: the account still locks
    const proxied = await listen({ TRUST_PROXY: '1' });
    for (let i = 0; i < 5; i++) expect((await login(proxied, 'ops@mycoi.test', `wrong-${i}`, `10.1.0.${i}`)).status).toBe(401);
    expect((await login(proxied, 'ops@mycoi.test', 'a-long-ops-password', '10.1.0.77')).status).toBe(429);
    const { rows } = await db.pool.query<{ ip: string }>("select distinct ip from login_failures where ip like '10.1.0.%'");
    expect(rows).toHaveLength(5); // the trusted proxy's forwarded address is used when configured
  });

  it('one address trying many accounts is limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(base, `guess-${i}@mycoi.test`, 'password-guess')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // and the right password from that address waits too
    expect((await login(base, 'ops@mycoi.test', 'a-long-ops-password')).status).toBe(429);
  });

  it('TRUST_PROXY refuses "true" (any client could name its address)', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
  });
});
