import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, type Api } from './helpers';

let sb: ProcoreSandbox;
let call: Api;
beforeAll(async () => {
  sb = await start();
  call = api(sb, await dmsaToken(sb));
});
afterAll(() => sb.close());

describe('contract writes', () => {
  it('create, update, soft delete a work order contract; each fires a webhook event', async () => {
    const before = sb.state.commitments.size;
    const c = await call('/rest/v1.0/work_order_contracts', {
      method: 'POST',
      body: {
        project_id: 5001,
        work_order_contract: { title: 'Paving', number: 'SC-900', status: 'Draft', vendor_id: 70004, origin_id: 'erp-sc-900' },
      },
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      title: 'Paving',
      status: 'Draft',
      vendor: { id: 70004, company: 'Greenline Plumbing' },
      origin_id: 'erp-sc-900',
      project: { id: 5001 },
    });
    expect(sb.state.commitments.size).toBe(before + 1);
    const u = await call(`/rest/v1.0/work_order_contracts/${c.body.id}`, {
      method: 'PATCH',
      body: { project_id: 5001, work_order_contract: { status: 'Approved' } },
    });
    expect(u.body).toMatchObject({ status: 'Approved', executed: true });
    const approved = await call('/rest/v1.0/work_order_contracts?project_id=5001&filters[status]=Approved');
    expect(approved.body.map((x: { id: number }) => x.id)).toContain(c.body.id);
    expect((await call(`/rest/v1.0/work_order_contracts/${c.body.id}?project_id=5001`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`/rest/v1.0/work_order_contracts/${c.body.id}?project_id=5001`)).status).toBe(404);
    const res = (await (await fetch(`${sb.url}/_sandbox/events`)).json()) as Array<{
      resource_name: string;
      resource_id: number;
      event_type: string;
      metadata: { source_application_id: string };
    }>;
    const mine = res.filter((e) => e.resource_id === c.body.id);
    expect(mine.map((e) => [e.resource_name, e.event_type])).toEqual([
      ['Work Order Contracts', 'create'],
      ['Work Order Contracts', 'update'],
      ['Work Order Contracts', 'delete'],
    ]);
    expect(mine[0]!.metadata.source_application_id).toBe('demo-dmsa-client');
  });

  it('validates status per kind, vendor and origin_id uniqueness', async () => {
    const bad = await call('/rest/v1.0/purchase_order_contracts', {
      method: 'POST',
      body: { project_id: 5001, purchase_order_contract: { status: 'Out For Bid' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.status).toBeTruthy();
    const foreign = await call('/rest/v1.0/purchase_order_contracts', {
      method: 'POST',
      body: { project_id: 5001, purchase_order_contract: { vendor_id: 70101 } },
    });
    expect(foreign.status).toBe(422);
    await call('/rest/v1.0/purchase_order_contracts', {
      method: 'POST',
      body: { project_id: 5001, purchase_order_contract: { origin_id: 'po-1' } },
    });
    const dup = await call('/rest/v1.0/purchase_order_contracts', {
      method: 'POST',
      body: { project_id: 5002, purchase_order_contract: { origin_id: 'po-1' } },
    });
    expect(dup.status).toBe(409);
    expect((await call('/rest/v1.0/purchase_order_contracts', { method: 'POST', body: { purchase_order_contract: {} } })).status).toBe(400);
  });

  it('sync follows the matching table and stays inside the project and kind', async () => {
    const r = await call('/rest/v1.0/purchase_order_contracts/sync', {
      method: 'PATCH',
      body: {
        project_id: 5002,
        updates: [
          { origin_id: 'po-sync-1', title: 'Lumber', status: 'Submitted' },
          { id: 900001, title: 'A work order contract, not a PO' },
          { id: 900007, status: 'Approved' },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.entities.map((e: { id: number; status: string }) => e.status)).toEqual(['Submitted', 'Approved']);
    expect(r.body.errors).toEqual([
      { id: 900001, title: 'A work order contract, not a PO', errors: { id: ['Entity with this ID not found'] } },
    ]);
    const again = await call('/rest/v1.0/purchase_order_contracts/sync', {
      method: 'PATCH',
      body: { project_id: 5002, updates: [{ origin_id: 'po-sync-1', title: 'Lumber 2' }] },
    });
    expect(again.body.entities[0].id).toBe(r.body.entities[0].id);
  });

  it('needs the commitments tool at standard', async () => {
    const t = await dmsaToken(sb, 'demo-nocommit-client', 'demo-nocommit-secret');
    const r = await api(sb, t)('/rest/v1.0/work_order_contracts', {
      method: 'POST',
      body: { project_id: 5001, work_order_contract: { title: 'x' } },
    });
    expect(r.status).toBe(403);
  });
});
