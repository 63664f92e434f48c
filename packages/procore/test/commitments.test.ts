import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, count, setup } from './helpers';

let env: Awaited<ReturnType<typeof setup>>;
let projectIds: number[];
beforeAll(async () => {
  env = await setup();
  projectIds = env.sb.seed.companies.find((c) => c.id === ACME)!.projectIds;
});
afterAll(async () => {
  await env.sb.close();
});

/** Commitments of a kind straight from sandbox state: the oracle the client is compared with. */
function stateContracts(type: 'WorkOrderContract' | 'PurchaseOrderContract', projectId: number) {
  return [...env.sb.state.commitments.values()].filter((c) => c.type === type && c.project_id === projectId && !c.deleted_at);
}

describe('work order and purchase order contracts', () => {
  it('lists every contract of every project, with vendor {id, company}', async () => {
    for (const pid of projectIds) {
      const woc = await env.acme.commitments.workOrders.list(pid);
      const poc = await env.acme.commitments.purchaseOrders.list(pid);
      expect(woc.invalid).toEqual([]);
      expect(poc.invalid).toEqual([]);
      expect(woc.items.map((c) => c.id).sort()).toEqual(
        stateContracts('WorkOrderContract', pid)
          .map((c) => c.id)
          .sort(),
      );
      expect(poc.items.map((c) => c.id).sort()).toEqual(
        stateContracts('PurchaseOrderContract', pid)
          .map((c) => c.id)
          .sort(),
      );
      for (const c of [...woc.items, ...poc.items]) {
        expect(typeof c.vendor?.company).toBe('string');
        expect(c.project?.id).toBe(pid);
      }
    }
  });

  it('filters by status (one or many), updated_at range and origin_id', async () => {
    const pid = projectIds[0]!;
    const all = stateContracts('WorkOrderContract', pid);
    const approved = await env.acme.commitments.workOrders.list(pid, { status: 'Approved' });
    expect(approved.items.map((c) => c.id).sort()).toEqual(
      all
        .filter((c) => c.status === 'Approved')
        .map((c) => c.id)
        .sort(),
    );
    const two = await env.acme.commitments.workOrders.list(pid, { status: ['Approved', 'Draft'] });
    expect(two.items.map((c) => c.id).sort()).toEqual(
      all
        .filter((c) => ['Approved', 'Draft'].includes(c.status))
        .map((c) => c.id)
        .sort(),
    );

    const from = '2026-02-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const ranged = await env.acme.commitments.workOrders.list(pid, { updatedAt: { from, to } });
    const want = all
      .filter((c) => c.updated_at >= from && c.updated_at <= to)
      .map((c) => c.id)
      .sort();
    expect(ranged.items.map((c) => c.id).sort()).toEqual(want);
    const open = await env.acme.commitments.workOrders.list(pid, { updatedAt: { from: new Date('2026-03-01T00:00:00Z') } });
    expect(open.items.map((c) => c.id).sort()).toEqual(
      all
        .filter((c) => c.updated_at >= '2026-03-01T00:00:00Z')
        .map((c) => c.id)
        .sort(),
    );

    const target = all[0]!;
    env.sb.state.commitments.get(target.id)!.origin_id = 'erp-123';
    const byOrigin = await env.acme.commitments.workOrders.list(pid, { originId: 'erp-123' });
    expect(byOrigin.items.map((c) => c.id)).toEqual([target.id]);
  });

  it('paginates across pages with per_page', async () => {
    const pid = projectIds[0]!;
    const n = stateContracts('PurchaseOrderContract', pid).length;
    expect(n).toBeGreaterThan(1);
    env.sb.clearRequests();
    const pages = [];
    for await (const p of env.acme.commitments.purchaseOrders.pages(pid, { perPage: 1 })) pages.push(p.items.length);
    expect(pages).toEqual(Array(n).fill(1));
    expect(count(env.sb, (r) => r.path === '/rest/v1.0/purchase_order_contracts')).toBe(n);
  });

  it('shows a contract with vendor origin fields', async () => {
    const pid = projectIds[0]!;
    const c = stateContracts('PurchaseOrderContract', pid)[0]!;
    const shown = await env.acme.commitments.purchaseOrders.get(pid, c.id);
    expect(shown).toMatchObject({ id: c.id, status: c.status, vendor: { id: c.vendor_id } });
    expect(shown.vendor).toHaveProperty('origin_id');
    await expect(env.acme.commitments.workOrders.get(pid, c.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('generic commitments and compliance', () => {
  it('lists /rest/v1.0/commitments (vendor {id, name}) and shows one', async () => {
    const pid = projectIds[0]!;
    const list = await env.acme.commitments.list(pid);
    expect(list.invalid).toEqual([]);
    const ids = [...env.sb.state.commitments.values()]
      .filter((c) => c.project_id === pid && !c.deleted_at)
      .map((c) => c.id)
      .sort();
    expect(list.items.map((c) => c.id).sort()).toEqual(ids);
    expect(list.items.every((c) => typeof c.vendor?.name === 'string')).toBe(true);
    const one = await env.acme.commitments.get(pid, ids[0]!);
    expect(one.id).toBe(ids[0]);
  });

  it('reads and patches compliance for both kinds', async () => {
    const pid = projectIds[0]!;
    for (const [kind, type] of [
      ['work_order_contracts', 'WorkOrderContract'],
      ['purchase_order_contracts', 'PurchaseOrderContract'],
    ] as const) {
      const c = stateContracts(type, pid)[0]!;
      const before = await env.acme.commitments.compliance.get(pid, kind, c.id);
      expect(before).toHaveProperty('insurance_status');
      await env.acme.commitments.compliance.update(pid, kind, c.id, {
        insurance_status: 'not_compliant',
        insurance_notes: 'GL expired (myCOI)',
      });
      const after = await env.acme.commitments.compliance.get(pid, kind, c.id);
      expect(after).toMatchObject({ insurance_status: 'not_compliant', insurance_notes: 'GL expired (myCOI)' });
      await expect(env.acme.commitments.compliance.update(pid, kind, c.id, { insurance_status: 'fine' as never })).rejects.toMatchObject({
        status: 422,
      });
    }
  });
});
