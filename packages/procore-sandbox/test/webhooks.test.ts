import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, type Api } from './helpers';

interface Received {
  auth: string | undefined;
  contentType: string | undefined;
  body: Record<string, any>;
}

/** A local webhook receiver; `plan` lists statuses to answer (then 200). */
let receiver: Server;
let received: Received[] = [];
let plan: number[] = [];
let receiverUrl = '';
let sb: ProcoreSandbox;
let call: Api;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, contentType: req.headers['content-type'], body: JSON.parse(data) });
      res.statusCode = plan.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/procore`;
  sb = await start({ webhooks: { initialBackoffMs: 20, maxBackoffMs: 80 } });
  call = api(sb, await dmsaToken(sb));
});
beforeEach(() => {
  received = [];
  plan = [];
});
afterAll(async () => {
  await sb.close();
  await new Promise((r) => receiver.close(r));
});

async function hookWith(triggers: Array<[string, string]>, scope: Record<string, number> = { company_id: 1001 }) {
  const h = await call('/rest/v1.0/webhooks/hooks', {
    method: 'POST',
    body: {
      ...scope,
      hook: {
        api_version: 'v2',
        namespace: 'mycoi-procore',
        destination_url: receiverUrl,
        destination_headers: { Authorization: 'Bearer s3cret-webhook-token' },
      },
    },
  });
  expect(h.status).toBe(201);
  for (const [resource_name, event_type] of triggers) {
    const t = await call(`/rest/v1.0/webhooks/hooks/${h.body.id}/triggers`, {
      method: 'POST',
      body: { ...scope, api_version: 'v2', trigger: { resource_name, event_type } },
    });
    expect(t.status).toBe(201);
  }
  return h.body as { id: number };
}

describe('hooks and triggers API', () => {
  it('takes project-level resources on a company hook (every project) but refuses company resources on a project hook', async () => {
    const h = await hookWith([
      ['Work Order Contracts', 'update'],
      ['Purchase Order Contracts', 'create'],
    ]);
    sb.admin.updateCommitment(900001, { title: 'Electrical rev A' }, 101); // project 5001
    sb.admin.updateCommitment(900006, { title: 'Electrical rev B' }, 101); // project 5002
    await sb.webhooks.idle();
    expect(received.map((r) => [r.body.resource_name, r.body.project_id])).toEqual([
      ['Work Order Contracts', 5001],
      ['Work Order Contracts', 5002],
    ]);
    await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' });

    sb.state.apps.get('demo-dmsa-client')!.installations.get(1001)!.permissions.project!.webhooks = 'standard';
    try {
      const p = await call('/rest/v1.0/webhooks/hooks', {
        method: 'POST',
        body: { project_id: 5001, hook: { api_version: 'v2', namespace: 'mycoi-procore', destination_url: receiverUrl } },
      });
      expect(p.status).toBe(201);
      const refused = await call(`/rest/v1.0/webhooks/hooks/${p.body.id}/triggers`, {
        method: 'POST',
        body: { project_id: 5001, api_version: 'v2', trigger: { resource_name: 'Company Vendors', event_type: 'update' } },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.resource_name[0]).toMatch(/company-level/);
      const ok = await call(`/rest/v1.0/webhooks/hooks/${p.body.id}/triggers`, {
        method: 'POST',
        body: { project_id: 5001, api_version: 'v2', trigger: { resource_name: 'Work Order Contracts', event_type: 'update' } },
      });
      expect(ok.status).toBe(201);
      await call(`/rest/v1.0/webhooks/hooks/${p.body.id}?project_id=5001`, { method: 'DELETE' });
    } finally {
      delete sb.state.apps.get('demo-dmsa-client')!.installations.get(1001)!.permissions.project!.webhooks;
    }
  });

  it('faults: refused triggers answer 422, lost triggers answer 201 but are not there when read back', async () => {
    const h = await hookWith([]);
    sb.config.webhooks.refuseTriggers = ['Work Order Contracts'];
    sb.config.webhooks.loseTriggers = ['Purchase Order Contracts'];
    try {
      const post = (resource_name: string) =>
        call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers`, {
          method: 'POST',
          body: { company_id: 1001, api_version: 'v2', trigger: { resource_name, event_type: 'create' } },
        });
      expect((await post('Work Order Contracts')).status).toBe(422);
      expect((await post('Purchase Order Contracts')).status).toBe(201);
      expect((await post('Company Vendors')).status).toBe(201);
      const list = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers?company_id=1001`);
      expect(list.body.map((t: { resource_name: string }) => t.resource_name)).toEqual(['Company Vendors']);
    } finally {
      sb.config.webhooks.refuseTriggers = [];
      sb.config.webhooks.loseTriggers = [];
      await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' });
    }
  });

  it('creates, lists (Authorization masked), patches and deletes hooks; validates triggers', async () => {
    const h = await hookWith([]);
    const list = await call('/rest/v1.0/webhooks/hooks?company_id=1001');
    const mine = list.body.find((x: { id: number }) => x.id === h.id);
    expect(mine).toMatchObject({
      api_version: 'v2',
      namespace: 'mycoi-procore',
      destination_url: receiverUrl,
      owned_by_company_id: 1001,
      owned_by_project_id: null,
      owned_by_user_id: 9001,
    });
    expect(mine.destination_headers.Authorization.endsWith('token')).toBe(true);
    expect(mine.destination_headers.Authorization).not.toContain('s3cret');
    const bad = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers`, {
      method: 'POST',
      body: { company_id: 1001, api_version: 'v2', trigger: { resource_name: 'RFIs', event_type: 'create' } },
    });
    expect(bad.status).toBe(422);
    const noVersion = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers`, {
      method: 'POST',
      body: { company_id: 1001, trigger: { resource_name: 'Company Vendors', event_type: 'create' } },
    });
    expect(noVersion.status).toBe(422);
    expect(noVersion.body.error.details.api_version).toBeTruthy();
    const bulk = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers/bulk`, {
      method: 'POST',
      body: {
        company_id: 1001,
        api_version: 'v2',
        triggers: [
          { resource_name: 'Company Vendors', event_type: 'create' },
          { resource_name: 'Nope', event_type: 'create' },
        ],
      },
    });
    expect(bulk.status).toBe(207);
    expect(bulk.body.success).toHaveLength(1);
    const trig = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers?company_id=1001`);
    expect(trig.body).toHaveLength(1);
    const del = await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers/bulk`, {
      method: 'DELETE',
      body: { company_id: 1001, triggers: [trig.body[0].id] },
    });
    expect(del.body).toEqual({ success: [trig.body[0].id] });
    const other = await call('/rest/v1.0/webhooks/hooks', {
      method: 'POST',
      body: { company_id: 1001, hook: { namespace: 'another-ns', destination_url: receiverUrl } },
    });
    expect(other.status).toBe(422);
    expect(
      (
        await call('/rest/v1.0/webhooks/hooks', {
          method: 'POST',
          body: { hook: { namespace: 'mycoi-procore', destination_url: receiverUrl } },
        })
      ).status,
    ).toBe(400);
    const patched = await call(`/rest/v1.0/webhooks/hooks/${h.id}`, {
      method: 'PATCH',
      body: { company_id: 1001, hook: { destination_url: `${receiverUrl}?v=2` } },
    });
    expect(patched.body.destination_url).toBe(`${receiverUrl}?v=2`);
    expect((await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`/rest/v1.0/webhooks/hooks/${h.id}/triggers?company_id=1001`)).status).toBe(404);
  });
});

describe('delivery', () => {
  it('delivers the v2.0 payload with the configured Authorization for API and hand edits', async () => {
    const h = await hookWith([
      ['Company Insurances', 'create'],
      ['Work Order Contracts', 'update'],
    ]);
    await call('/rest/v1.0/companies/1001/vendors/70002/insurances/sync', {
      method: 'PATCH',
      body: { updates: [{ origin_id: 'wh-1', name: 'X' }] },
    });
    sb.admin.updateCommitment(900001, { status: 'Void' }, 101);
    await sb.webhooks.idle();
    expect(received).toHaveLength(2);
    expect(received[0]!.auth).toBe('Bearer s3cret-webhook-token');
    expect(received[0]!.contentType).toContain('application/json');
    const [api1, hand] = received.map((r) => r.body);
    expect(api1).toMatchObject({
      api_version: 'v2.0',
      event_type: 'create',
      resource_name: 'Company Insurances',
      company_id: 1001,
      project_id: null,
      user_id: 9001,
    });
    expect(api1!.metadata).toMatchObject({ source_user_id: 9001, source_company_id: 1001, source_application_id: 'demo-dmsa-client' });
    expect(typeof api1!.ulid).toBe('string');
    expect(typeof api1!.id).toBe('number');
    expect(hand).toMatchObject({
      resource_name: 'Work Order Contracts',
      resource_id: 900001,
      project_id: 5001,
      event_type: 'update',
      user_id: 101,
    });
    expect(hand!.metadata.source_application_id).toBeNull();
    const log = await call(`/rest/v1.0/webhooks/hooks/${h.id}/deliveries?company_id=1001`);
    expect(log.body.map((d: { outcome: string }) => d.outcome)).toEqual(['ok', 'ok']);
    expect(log.body[0]).toMatchObject({ response_status: 200, event_id: api1!.id });
    await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' });
  });

  it('pauses and retries with backoff on failure, keeps order, logs each attempt', async () => {
    const h = await hookWith([['Company Vendors', 'update']]);
    plan = [500, 503];
    sb.emit({ companyId: 1001, resourceName: 'Company Vendors', resourceId: 70001, eventType: 'update' });
    sb.emit({ companyId: 1001, resourceName: 'Company Vendors', resourceId: 70002, eventType: 'update' });
    sb.emit({ companyId: 2002, resourceName: 'Company Vendors', resourceId: 70101, eventType: 'update' });
    await sb.webhooks.idle();
    expect(received.map((r) => r.body.resource_id)).toEqual([70001, 70001, 70001, 70002]);
    const failing = await call(`/rest/v1.0/webhooks/hooks/${h.id}/deliveries?company_id=1001&filter[status]=failing`);
    expect(failing.body.map((d: { response_status: number }) => d.response_status)).toEqual([500, 503]);
    const all = await call(`/rest/v1.0/webhooks/hooks/${h.id}/deliveries?company_id=1001&page_size=2`);
    expect(all.body).toHaveLength(2);
    await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' });
  });

  it('project-scoped hooks get only their project; duplicates happen at duplicateRate 1', async () => {
    const dup = await start({ webhooks: { duplicateRate: 1, initialBackoffMs: 10 } });
    // project-scoped hooks need the project-level Webhooks tool, which the product's manifest does not request
    dup.state.apps.get('demo-dmsa-client')!.installations.get(1001)!.permissions.project!.webhooks = 'standard';
    try {
      const c = api(dup, await dmsaToken(dup));
      const h = await c('/rest/v1.0/webhooks/hooks', {
        method: 'POST',
        body: {
          project_id: 5002,
          hook: { namespace: 'ns', destination_url: receiverUrl, destination_headers: { Authorization: 'Bearer p' } },
        },
      });
      await c(`/rest/v1.0/webhooks/hooks/${h.body.id}/triggers`, {
        method: 'POST',
        body: { project_id: 5002, api_version: 'v2', trigger: { resource_name: 'Project Vendors', event_type: 'create' } },
      });
      await c('/rest/v1.0/projects/5001/vendors/70005/actions/add', { method: 'POST' });
      await c('/rest/v1.0/projects/5002/vendors/70007/actions/add', { method: 'POST' });
      await dup.webhooks.idle();
      expect(received.map((r) => r.body.resource_id)).toEqual([70007, 70007]);
      expect(received[0]!.body.ulid).toBe(received[1]!.body.ulid);
    } finally {
      await dup.close();
    }
  });

  it('hand edits of projects and directory memberships fire Projects / Project Vendors events', async () => {
    const h = await hookWith([
      ['Projects', 'update'],
      ['Projects', 'create'],
      ['Project Vendors', 'create'],
    ]);
    sb.admin.updateProject(5001, { name: 'Riverside Medical Center II' }, 101);
    const p = sb.admin.createProject({ company_id: 1001, name: 'New Job' });
    sb.admin.addProjectVendor(p.id, 70001);
    sb.admin.updateProject(5101, { name: 'Not ours' });
    await sb.webhooks.idle();
    expect(received.map((r) => [r.body.resource_name, r.body.event_type, r.body.resource_id])).toEqual([
      ['Projects', 'update', 5001],
      ['Projects', 'create', p.id],
      ['Project Vendors', 'create', 70001],
    ]);
    // The new project is visible to the DMSA (permitted projects: all).
    const list = await call('/rest/v1.0/projects?company_id=1001');
    expect(list.body.map((x: { id: number }) => x.id)).toContain(p.id);
    await call(`/rest/v1.0/webhooks/hooks/${h.id}?company_id=1001`, { method: 'DELETE' });
  });

  it('discards the queue after discardAfterMs of failures', async () => {
    const d = await start({ webhooks: { initialBackoffMs: 5, maxBackoffMs: 5, discardAfterMs: 40 } });
    try {
      const c = api(d, await dmsaToken(d));
      const h = await c('/rest/v1.0/webhooks/hooks', {
        method: 'POST',
        body: { company_id: 1001, hook: { namespace: 'ns', destination_url: 'http://127.0.0.1:1/nowhere' } },
      });
      await c(`/rest/v1.0/webhooks/hooks/${h.body.id}/triggers`, {
        method: 'POST',
        body: { company_id: 1001, api_version: 'v2', trigger: { resource_name: 'Company Vendors', event_type: 'update' } },
      });
      d.emit({ companyId: 1001, resourceName: 'Company Vendors', resourceId: 70001, eventType: 'update' });
      d.emit({ companyId: 1001, resourceName: 'Company Vendors', resourceId: 70002, eventType: 'update' });
      await d.webhooks.idle();
      const log = await c(`/rest/v1.0/webhooks/hooks/${h.body.id}/deliveries?company_id=1001&filters[status]=discarded`);
      expect(log.body.map((x: { event: { resource_id: number } }) => x.event.resource_id)).toEqual([70001, 70002]);
      const failing = await c(`/rest/v1.0/webhooks/hooks/${h.body.id}/deliveries?company_id=1001&filters[status]=failing`);
      expect(failing.body.length).toBeGreaterThan(0);
      expect(failing.body[0].response_error).toBeTruthy();
    } finally {
      await d.close();
    }
  });
});
