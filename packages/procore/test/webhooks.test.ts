import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, setup } from './helpers';

// Our side of a webhook: a real receiver on loopback (it stands for our API, not for Procore).
const received: Array<{ auth?: string; body: unknown }> = [];
let receiver: http.Server;
let destination = '';
let env: Awaited<ReturnType<typeof setup>>;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(data || 'null') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  destination = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/procore`;
  env = await setup();
});
afterAll(async () => {
  await env.sb.close();
  await new Promise((r) => receiver.close(r));
});

describe('webhooks', () => {
  it('creates, lists and deletes hooks; creates, lists and deletes triggers; reads deliveries', async () => {
    const wh = env.acme.webhooks;
    const hook = await wh.createHook({
      namespace: 'mycoi-procore',
      destination_url: destination,
      destination_headers: { Authorization: 'Bearer shared-secret-123' },
    });
    expect(hook).toMatchObject({ namespace: 'mycoi-procore', destination_url: destination, api_version: 'v2', owned_by_company_id: ACME });
    // Procore masks the stored Authorization value in responses.
    expect(hook.destination_headers?.Authorization).not.toBe('Bearer shared-secret-123');

    const hooks = await wh.listHooks({ namespace: 'mycoi-procore' });
    expect(hooks.items.map((h) => h.id)).toEqual([hook.id]);

    const t1 = await wh.createTrigger(hook.id, { resource_name: 'Company Vendors', event_type: 'update' });
    const t2 = await wh.createTrigger(hook.id, { resource_name: 'Work Order Contracts', event_type: 'create' });
    expect(t1).toMatchObject({ resource_name: 'Company Vendors', webhook_hook_id: hook.id });
    expect(t1.event_type.toLowerCase()).toBe('update');
    const triggers = await wh.listTriggers(hook.id);
    expect(triggers.invalid).toEqual([]);
    expect(triggers.items.map((t) => t.id).sort()).toEqual([t1.id, t2.id].sort());
    await wh.deleteTrigger(hook.id, t2.id);
    expect((await wh.listTriggers(hook.id)).items.map((t) => t.id)).toEqual([t1.id]);

    const vendorId = env.sb.seed.companies.find((c) => c.id === ACME)!.vendorIds[0]!;
    for (let i = 0; i < 5; i++)
      env.sb.emit({ companyId: ACME, resourceName: 'Company Vendors', resourceId: vendorId, eventType: 'update' });
    await env.sb.webhooks.idle(5000);
    expect(received.length).toBeGreaterThanOrEqual(5); // at-least-once: duplicates allowed
    expect(received.every((r) => r.auth === 'Bearer shared-secret-123')).toBe(true);
    expect(received[0]!.body).toMatchObject({
      resource_name: 'Company Vendors',
      resource_id: vendorId,
      company_id: ACME,
      event_type: 'update',
    });

    const all = await wh.deliveries(hook.id, { pageSize: 2 });
    expect(all.invalid).toEqual([]);
    expect(all.items.length).toBe(received.length);
    expect(all.items.every((d) => d.outcome === 'ok')).toBe(true);
    const ids = all.items.map((d) => (d as { id?: number }).id ?? d.event_id);
    expect(new Set(ids).size).toBe(ids.length); // cursor paging neither repeats nor skips
    expect((await wh.deliveries(hook.id, { status: 'failing' })).items).toEqual([]);

    await wh.deleteHook(hook.id);
    expect((await wh.listHooks()).items.map((h) => h.id)).not.toContain(hook.id);
  });
});
