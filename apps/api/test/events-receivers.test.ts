import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { signWebhook } from '@mycoi/mycoi-sandbox';
import { TenantEventsSummary } from '@mycoi/contracts';
import { claimRun, emptyCounts, enqueueTargeted, finishRun } from '@mycoi/sync';
import { createApp } from '../src/app';
import { upsertOpsUser } from '../src/auth/ops-users';
import { createSession } from '../src/auth/sessions';
import { secretHash, type TargetedEngine, type TargetResult } from '@mycoi/events';
import { createEventsService, type EventsService } from '../src/events/service';
import { EventIngest } from '../src/events/ingest';
import { createLogger } from '../src/logger';
import { mycoiComplianceDelivery, procoreDelivery } from './support/deliveries';

// The engine is the one seam replaced here (it is our own interface; the sandbox-backed run is in
// events-e2e.test.ts): it records what the handler asked for, so coalescing and dedupe are visible.
// The runs themselves are real rows of the job queue, claimed by the real job worker (svc.drain()).
type Call = { kind: 'push' | 'procore'; tenantId: string; arg: unknown };
function recordingEngine(calls: Call[]): TargetedEngine {
  const ok: TargetResult = { stopped: null, procoreWrites: 1, procoreCalls: 1 };
  return {
    async execute(run, _owner, targets) {
      for (const { kind, ...arg } of targets) calls.push({ kind, tenantId: run.tenant_id, arg });
      return ok;
    },
  };
}

const SECRET_A = 'Bearer tenant-a-secret-value-0123456789';
const MYCOI_SECRET = 'mycoi-webhook-secret-for-tests-0123';
const SESSION_SECRET = 'session-secret-for-events-tests-0123456789';

/** A session of a real ops user (ops sessions live only while their user exists and is enabled). */
async function opsSessionToken(): Promise<string> {
  await upsertOpsUser(db.pool, 'ops@mycoi.test', 'a-long-ops-password');
  const { rows } = await db.pool.query<{ id: string }>(`select id from ops_users where email = 'ops@mycoi.test'`);
  const { token } = await createSession({ pool: db.pool, sessionSecret: SESSION_SECRET }, 'ops', 'ops@mycoi.test', {
    opsUserId: rows[0]!.id,
  });
  return token;
}
const SERVICE_USER = '4242';
const logger = createLogger({ level: 'silent' });

let db: Database;
let server: Server;
let base: string;
let svc: EventsService;
let calls: Call[];
let tenantA: string;
let tenantB: string;

async function addTenant(company: string, account: string, status: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    "insert into tenants (procore_company_id, name, status, mycoi_account_id, procore_environment) values ($1, $2, $3, $4, 'local') returning id",
    [company, `Co ${company}`, status, account],
  );
  return rows[0]!.id;
}

/** Another process's events service on the same database (coalescing 0: events are due at once). */
const eventsService = (engine: TargetedEngine) =>
  createEventsService({
    pool: db.pool,
    logger,
    engine,
    hooks: null,
    mycoiSecret: () => MYCOI_SECRET,
    sessionSecret: SESSION_SECRET,
    coalesceMs: 0,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  tenantA = await addTenant('1001', 'acct_A', 'active');
  tenantB = await addTenant('2002', 'acct_B', 'suspended');
  for (const [t, company, secret] of [
    [tenantA, '1001', SECRET_A],
    [tenantB, '2002', 'Bearer tenant-b-secret-value-0123456789'],
  ] as const) {
    await db.pool.query(
      "insert into procore_hooks (tenant_id, procore_company_id, secret_hash, service_user_id, service_client_id, state) values ($1, $2, $3, $4, 'dmsa-client', 'registered')",
      [t, company, secretHash(secret), SERVICE_USER],
    );
  }
  calls = [];
  // coalesceMs 0: events are due at once; the worker is driven by drain(), never in the background
  svc = createEventsService({
    pool: db.pool,
    logger,
    engine: recordingEngine(calls),
    hooks: null,
    mycoiSecret: () => MYCOI_SECRET,
    sessionSecret: SESSION_SECRET,
    coalesceMs: 0,
  });
  const app = createApp({ config: loadConfig({}), db, logger, services: { events: svc } });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await svc.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await db.close();
});
beforeEach(async () => {
  calls.length = 0;
  await svc.counters.flush();
  await db.pool.query('delete from webhook_events');
  await db.pool.query('delete from runs');
  await db.pool.query('delete from event_counters');
});

let seq = 0;
function procoreEvent(over: Record<string, unknown> = {}) {
  seq += 1;
  const ulid = `01JTEST${String(seq).padStart(19, '0')}`;
  return { ...procoreDelivery({ id: 9_000_000 + seq, ulid, resourceId: 500 + seq, project: 11 }), ...over };
}
const postProcore = (tenant: string, body: unknown, auth?: string) =>
  fetch(`${base}/webhooks/procore/${tenant}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth !== undefined ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

function mycoiEvent(vendorId: string, over: { account?: string; id?: string } = {}) {
  seq += 1;
  const id = over.id ?? `evt_test_${seq}`;
  return JSON.stringify(
    mycoiComplianceDelivery({ id, account: over.account ?? 'acct_A', recordId: `cr_${vendorId}`, vendorId, version: seq }),
  );
}
function postMycoi(body: string, opts: { t?: number; secret?: string; signature?: string | null } = {}) {
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const sig = opts.signature === undefined ? signWebhook(opts.secret ?? MYCOI_SECRET, body, t) : opts.signature;
  const id = (JSON.parse(body) as { id: string }).id;
  return fetch(`${base}/webhooks/mycoi`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'mycoi-event-id': id,
      'mycoi-event-type': 'compliance.updated',
      ...(sig ? { 'mycoi-signature': sig } : {}),
    },
    body,
  });
}
const stored = async () => Number((await db.pool.query<{ n: number }>('select count(*)::int as n from webhook_events')).rows[0]!.n);
async function counter(scope: string, source: string, kind: string): Promise<number> {
  await svc.counters.flush(); // counters are written in batches
  const { rows } = await db.pool.query<{ count: number }>(
    'select count from event_counters where scope = $1 and source = $2 and kind = $3',
    [scope, source, kind],
  );
  return Number(rows[0]?.count ?? 0);
}

describe('Procore receiver', () => {
  it('answers 401 and stores nothing for a missing, wrong or unknown-tenant secret', async () => {
    expect((await postProcore(tenantA, procoreEvent())).status).toBe(401);
    expect((await postProcore(tenantA, procoreEvent(), 'Bearer wrong')).status).toBe(401);
    expect((await postProcore(tenantA, procoreEvent(), '')).status).toBe(401);
    const res = await postProcore('00000000-0000-4000-8000-000000000000', procoreEvent(), SECRET_A);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
    expect(await stored()).toBe(0);
    expect(await counter(tenantA, 'procore', 'rejected')).toBe(3);
  });

  it('keeps an authenticated delivery of unknown shape, answers 2xx (Procore keeps delivering) and shows it to ops', async () => {
    await db.pool.query('delete from webhook_unparsed');
    const odd = { hello: 'world', resource: { kind: 'Budget Line Items' } };
    const res = await postProcore(tenantA, odd, SECRET_A);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'stored_unparsed' });
    expect(await stored()).toBe(0); // not an event: nothing for the worker
    // the same bytes again: one entry, two deliveries
    expect((await postProcore(tenantA, odd, SECRET_A)).status).toBe(202);
    // not JSON at all (a parser's 400 would pause Procore's queue), and a large body kept bounded
    const notJson = await fetch(`${base}/webhooks/procore/${tenantA}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: SECRET_A },
      body: '{"id": 1, "event_type": "upd',
    });
    expect(notJson.status).toBe(202);
    const big = await postProcore(tenantA, { blob: 'x'.repeat(100_000) }, SECRET_A);
    expect(big.status).toBe(202);
    expect(await counter(tenantA, 'procore', 'unparsed')).toBe(4);

    const { rows } = await db.pool.query<{ deliveries: number; reason: string; size_bytes: number; truncated: boolean; len: number }>(
      'select deliveries, reason, size_bytes, truncated, length(body) as len from webhook_unparsed where tenant_id = $1 order by id',
      [tenantA],
    );
    expect(rows.map((r) => [r.deliveries, r.truncated])).toEqual([
      [2, false],
      [1, false],
      [1, true],
    ]);
    expect(rows[0]!.reason).toMatch(/^unknown shape \(id: .*resource_name: /);
    expect(rows[1]!.reason).toBe('not JSON');
    expect(rows[2]!.size_bytes).toBeGreaterThan(100_000);
    expect(rows[2]!.len).toBe(16 * 1024);

    const token = await opsSessionToken();
    const summary = TenantEventsSummary.parse(
      await (await fetch(`${base}/api/ops/tenants/${tenantA}/events`, { headers: { cookie: `mycoi_ops=${token}` } })).json(),
    );
    expect(summary.counters.procore.unparsed).toBe(4);
    expect(summary.counters.procore.rejected).toBe(0);
    expect(summary.unparsed.map((u) => u.reason)).toEqual(expect.arrayContaining(['not JSON']));
    const hello = summary.unparsed.find((u) => u.body.includes('"hello":"world"'))!;
    expect(hello).toMatchObject({ source: 'procore', deliveries: 2, truncated: false, contentType: 'application/json' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/events_unparsed_total\{source="procore"\} 4/);
  });

  it('still answers 401 to an unauthenticated delivery whatever its body, and keeps nothing', async () => {
    await db.pool.query('delete from webhook_unparsed');
    const res = await fetch(`${base}/webhooks/procore/${tenantA}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      body: 'not json',
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
    expect((await postProcore(tenantA, { hello: 'world' })).status).toBe(401);
    expect((await db.pool.query('select 1 from webhook_unparsed')).rows).toEqual([]);
    expect(await counter(tenantA, 'procore', 'unparsed')).toBe(0);
  });

  it('reads the payload v4.0 shape (string ids, reason, resource_type)', async () => {
    const v4 = {
      id: '01JV4TEST0000000000000000A',
      timestamp: new Date().toISOString(),
      reason: 'update',
      company_id: '1001',
      project_id: '11',
      user_id: '77',
      resource_type: 'Work Order Contracts',
      resource_id: '379913',
    };
    const res = await postProcore(tenantA, v4, SECRET_A);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted' });
    expect((await postProcore(tenantA, v4, SECRET_A)).status).toBe(200); // a redelivery: deduplicated by the ULID id
    expect(await stored()).toBe(1);
    expect(await svc.drain()).toBe(1);
    expect(calls).toEqual([
      {
        kind: 'procore',
        tenantId: tenantA,
        arg: expect.objectContaining({ commitments: [expect.objectContaining({ projectId: '11', id: '379913' })] }),
      },
    ]);
    // our own change in v4 (user_id = the DMSA user) is ignored like in v2
    const own = await postProcore(tenantA, { ...v4, id: '01JV4TEST0000000000000000B', user_id: SERVICE_USER }, SECRET_A);
    expect(await own.json()).toEqual({ status: 'ignored' });
  });

  it('handles a duplicated delivery once', async () => {
    const ev = procoreEvent();
    const first = await postProcore(tenantA, ev, SECRET_A);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const again = await postProcore(tenantA, ev, SECRET_A);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await stored()).toBe(1);
    expect(await svc.drain()).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      kind: 'procore',
      tenantId: tenantA,
      arg: { commitments: [{ projectId: '11', id: String(ev.resource_id) }] },
    });
    expect(await counter(tenantA, 'procore', 'deduplicated')).toBe(1);
    expect(await counter(tenantA, 'procore', 'handled')).toBe(1);
  });

  it('ignores events caused by our own service account (no loop)', async () => {
    const byUser = await postProcore(tenantA, procoreEvent({ user_id: Number(SERVICE_USER) }), SECRET_A);
    expect(await byUser.json()).toEqual({ status: 'ignored' });
    const byApp = await postProcore(tenantA, procoreEvent({ metadata: { source_application_id: 'dmsa-client' } }), SECRET_A);
    expect(await byApp.json()).toEqual({ status: 'ignored' });
    expect(await svc.drain()).toBe(0);
    expect(calls).toHaveLength(0);
    expect(await counter(tenantA, 'procore', 'ignored_own')).toBe(2);
  });

  it('drops and counts events for an inactive tenant', async () => {
    const res = await postProcore(tenantB, procoreEvent({ company_id: 2002 }), 'Bearer tenant-b-secret-value-0123456789');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'dropped' });
    expect(await stored()).toBe(0);
    expect(await counter(tenantB, 'procore', 'dropped_inactive')).toBe(1);
  });

  it('does not act on an event of another company even with a valid secret', async () => {
    const res = await postProcore(tenantA, procoreEvent({ company_id: 2002 }), SECRET_A);
    expect(res.status).toBe(202);
    expect(await stored()).toBe(0);
  });
});

describe('myCOI receiver', () => {
  it('accepts a signed event and refuses a byte-identical replay', async () => {
    const body = mycoiEvent('v_1');
    const t = Math.floor(Date.now() / 1000);
    expect((await postMycoi(body, { t })).status).toBe(200);
    const replay = await postMycoi(body, { t });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('replayed_signature');
    // myCOI's own retry signs afresh: acknowledged, not handled twice
    const retry = await postMycoi(body, { t: t - 1 });
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    expect(await stored()).toBe(1);
  });

  it('refuses stale, bad and missing signatures and stores nothing', async () => {
    const stale = await postMycoi(mycoiEvent('v_2'), { t: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe('stale_signature');
    const future = await postMycoi(mycoiEvent('v_2'), { t: Math.floor(Date.now() / 1000) + 600 });
    expect(future.status).toBe(401);
    const bad = await postMycoi(mycoiEvent('v_2'), { secret: 'another-secret-entirely-0000' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('invalid_signature');
    const missing = await postMycoi(mycoiEvent('v_2'), { signature: null });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('missing_signature');
    expect(await stored()).toBe(0);
  });

  it('drops events for an inactive tenant and counts them', async () => {
    const res = await postMycoi(mycoiEvent('v_9', { account: 'acct_B' }));
    expect(res.status).toBe(202);
    expect(await stored()).toBe(0);
    expect(await counter(tenantB, 'mycoi', 'dropped_inactive')).toBe(1);
  });

  it('coalesces a burst into one targeted push per tenant', async () => {
    for (let i = 0; i < 10; i++) expect((await postMycoi(mycoiEvent('v_burst'))).status).toBe(200);
    for (const v of ['v_x', 'v_y']) expect((await postMycoi(mycoiEvent(v))).status).toBe(200);
    expect(await svc.drain()).toBe(12);
    expect(calls).toEqual([{ kind: 'push', tenantId: tenantA, arg: { vendorIds: ['v_burst', 'v_x', 'v_y'], assignmentIds: [] } }]);
    const { rows } = await db.pool.query<{ status: string; latency_ms: number | null }>('select status, latency_ms from webhook_events');
    expect(rows.every((r) => r.status === 'handled' && r.latency_ms !== null)).toBe(true);
  });
});

describe('coalescing on the job queue', () => {
  it('one queued targeted run per tenant, due one window after the FIRST event; later events join it without moving it', async () => {
    const ingest = new EventIngest(db.pool); // the receivers' writer, with a one-minute window
    const event = (eventId: string) => ({
      source: 'mycoi' as const,
      eventId,
      tenantId: tenantA,
      occurredAt: null,
      payload: JSON.parse(mycoiEvent('v_window')) as unknown,
      coalesceMs: 60_000,
    });
    expect(await ingest.submit(event('w1'))).toBe('stored');
    await new Promise((r) => setTimeout(r, 30));
    expect(await ingest.submit(event('w2'))).toBe('stored');
    expect(await ingest.submit(event('w2'))).toBe('duplicate');
    const events = await db.pool.query<{ id: number; handle_after: Date }>('select id::int, handle_after from webhook_events order by id');
    const runs = await db.pool.query<{ status: string; target: unknown; run_after: Date }>(
      "select status, target, run_after from runs where kind = 'targeted'",
    );
    expect(runs.rows).toEqual([
      { status: 'queued', target: { eventIds: events.rows.map((e) => e.id) }, run_after: events.rows[0]!.handle_after },
    ]);
    expect(events.rows[1]!.handle_after.getTime()).toBeGreaterThan(events.rows[0]!.handle_after.getTime());
    // not due yet: the worker leaves it alone
    expect(await svc.drain()).toBe(0);
    expect(calls).toEqual([]);
  });
});

describe('crash between receiving and handling', () => {
  it('a stored event is handled by the next process', async () => {
    expect((await postMycoi(mycoiEvent('v_crash'))).status).toBe(200);
    // "crash": this service never handles it; a fresh service on the same database starts
    const after: Call[] = [];
    const next = eventsService(recordingEngine(after));
    expect(await next.drain()).toBe(1);
    expect(after).toEqual([{ kind: 'push', tenantId: tenantA, arg: { vendorIds: ['v_crash'], assignmentIds: [] } }]);
    await next.stop();
  });

  it('an event run claimed by a worker that died is taken again once its lease lapses', async () => {
    expect((await postMycoi(mycoiEvent('v_lease'))).status).toBe(200);
    const dead = await claimRun(db.pool, 'dead-worker', 1); // 1 ms lease, never finished
    expect(dead).toMatchObject({ kind: 'targeted', target: { eventIds: [expect.any(Number)] } });
    await new Promise((r) => setTimeout(r, 20));
    const after: Call[] = [];
    const next = eventsService(recordingEngine(after));
    expect(await next.drain()).toBe(1);
    expect(after).toHaveLength(1);
    const { rows } = await db.pool.query<{ status: string }>('select status from webhook_events');
    expect(rows).toEqual([{ status: 'handled' }]);
    const run = await db.pool.query<{ status: string; attempts: number }>('select status, attempts from runs where id = $1', [dead!.id]);
    expect(run.rows).toEqual([{ status: 'succeeded', attempts: 2 }]);
    await next.stop();
  });

  it('a failing run leaves events pending with a new queued run to retry them, never lost', async () => {
    expect((await postMycoi(mycoiEvent('v_fail'))).status).toBe(200);
    const failing: TargetedEngine = {
      execute: async () => {
        throw new Error('myCOI unavailable');
      },
    };
    const next = eventsService(failing);
    expect(await next.drain()).toBe(0); // nothing settled: the event waits for its retry
    const { rows } = await db.pool.query<{ id: number; status: string; last_error: string; due: boolean }>(
      'select id::int, status, last_error, handle_after > now() as due from webhook_events',
    );
    expect(rows).toEqual([{ id: expect.any(Number), status: 'pending', last_error: 'myCOI unavailable', due: true }]);
    const runs = await db.pool.query<{ status: string; target: unknown; later: boolean }>(
      "select status, target, run_after > now() as later from runs where kind = 'targeted' order by id",
    );
    expect(runs.rows).toEqual([
      { status: 'failed', target: { eventIds: [rows[0]!.id] }, later: false },
      { status: 'queued', target: { eventIds: [rows[0]!.id] }, later: true },
    ]);
    await next.stop();
  });

  it("owners named directly (the side panel's refresh) are left to the engine's gate, not the events gate", async () => {
    // tenant B is suspended: events for it would be dropped, but a refresh is the engine's call (it stops it itself)
    await enqueueTargeted(db.pool, { tenantId: tenantB, target: { vendorIds: ['v_panel'] } });
    await svc.drain();
    expect(calls).toEqual([{ kind: 'push', tenantId: tenantB, arg: { vendorIds: ['v_panel'], assignmentIds: [] } }]);
  });

  it('an event whose run ended without settling it is queued again by the sweep, never lost', async () => {
    expect((await postMycoi(mycoiEvent('v_stranded'))).status).toBe(200);
    // its run "crashed" after the claim: ended as failed, the event left pending and carried by no run
    const run = await claimRun(db.pool, 'crashed-worker', 60_000);
    const failed = { status: 'failed' as const, counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [] };
    expect(await finishRun(db.pool, run!.id, 'crashed-worker', failed)).toBe(true);
    await svc.sweep();
    expect(await svc.drain()).toBe(0); // a delivery younger than the grace period is left alone
    await db.pool.query("update webhook_events set received_at = now() - interval '2 minutes'");
    await svc.sweep();
    expect(await svc.drain()).toBe(1);
    expect(calls).toEqual([{ kind: 'push', tenantId: tenantA, arg: { vendorIds: ['v_stranded'], assignmentIds: [] } }]);
    expect((await db.pool.query('select status from webhook_events')).rows).toEqual([{ status: 'handled' }]);
  });

  it('an event stored while the targeted run of its tenant is running goes into a new queued run', async () => {
    expect((await postMycoi(mycoiEvent('v_first'))).status).toBe(200);
    const first = await claimRun(db.pool, 'busy-worker', 60_000);
    expect(first?.kind).toBe('targeted');
    expect((await postMycoi(mycoiEvent('v_second'))).status).toBe(200);
    const { rows } = await db.pool.query<{ status: string; n: number }>(
      "select status, jsonb_array_length(target->'eventIds')::int as n from runs where kind = 'targeted' order by id",
    );
    expect(rows).toEqual([
      { status: 'running', n: 1 },
      { status: 'queued', n: 1 },
    ]);
    // the queued run waits while the tenant's run is going (one run per tenant at a time)
    expect(await claimRun(db.pool, 'other-worker', 60_000)).toBeNull();
  });
});

describe('observability', () => {
  it('serves the per-tenant summary to ops only, and prom metrics', async () => {
    await postProcore(tenantA, procoreEvent(), 'Bearer nope');
    expect((await postMycoi(mycoiEvent('v_obs'))).status).toBe(200);
    await svc.drain();
    expect((await fetch(`${base}/api/ops/tenants/${tenantA}/events`)).status).toBe(401);
    const token = await opsSessionToken();
    const res = await fetch(`${base}/api/ops/tenants/${tenantA}/events`, { headers: { cookie: `mycoi_ops=${token}` } });
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.counters.procore.rejected).toBe(1);
    expect(s.counters.mycoi).toMatchObject({ received: 1, handled: 1 });
    expect(s.hook.state).toBe('registered');
    expect(s.latency.samples).toBe(1);
    expect(s.recent[0]).toMatchObject({ source: 'mycoi', subject: 'vendor v_obs compliance', status: 'handled' });
    expect((await fetch(`${base}/api/ops/tenants/not-a-uuid/events`, { headers: { cookie: `mycoi_ops=${token}` } })).status).toBe(400);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/events_received_total\{source="mycoi"\} \d+/);
    expect(metrics).toMatch(/events_rejected_total\{source="procore",reason="bad_secret"\} \d+/);
    expect(metrics).toContain('event_latency_seconds_bucket');
  });
});
