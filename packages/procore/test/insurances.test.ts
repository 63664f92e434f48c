import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSURANCE_STATUSES, type InsuranceTarget } from '../src/index';
import { ACME, count, setup } from './helpers';

let env: Awaited<ReturnType<typeof setup>>;
let projectId: number;
let vendorId: number;
beforeAll(async () => {
  env = await setup();
  projectId = env.sb.seed.companies.find((c) => c.id === ACME)!.projectIds[0]!;
  // A vendor that is in the project's directory (project-vendor insurances require it).
  vendorId = (await env.acme.projectVendors(projectId).list()).items[0]!.id;
});
afterAll(async () => {
  await env.sb.close();
});

const families = (): Array<[string, InsuranceTarget, boolean]> => [
  ['company vendor', { level: 'company_vendor', vendorId }, false],
  ['company', { level: 'company' }, true],
  ['project vendor', { level: 'project_vendor', projectId, vendorId }, false],
  ['project', { level: 'project', projectId }, true],
];

describe.each([0, 1, 2, 3])('insurance family #%i', (i) => {
  it('create, show, update, list, delete; name ↔ insurance_provider; status enum', async () => {
    const [name, target, flat] = families()[i]!;
    const api = env.acme.insurances(target);
    const origin = `mycoi-test-${name.replace(' ', '-')}`;
    const created = await api.create({
      insurance_type: 'General Liability',
      name: 'Travelers',
      policy_number: 'GL-1',
      limit: '1000000',
      effective_date: '2026-01-01',
      expiration_date: '2027-01-01',
      status: 'compliant',
      origin_id: origin,
      enable_expired_insurance_notifications: false,
      ...(flat ? { vendor_id: vendorId } : {}),
    });
    expect(created).toMatchObject({ insurance_provider: 'Travelers', status: 'compliant', origin_id: origin, vendor_id: vendorId });
    expect(INSURANCE_STATUSES).toContain(created.status);
    expect((await api.get(created.id)).policy_number).toBe('GL-1');
    const updated = await api.update(created.id, { status: 'expired', name: 'Chubb' });
    expect(updated).toMatchObject({ status: 'expired', insurance_provider: 'Chubb' });
    const listed = await api.list();
    expect(listed.invalid).toEqual([]);
    expect(listed.items.map((x) => x.id)).toContain(created.id);
    await api.delete(created.id);
    await expect(api.get(created.id)).rejects.toMatchObject({ status: 404 });
    // A first-attempt 404 on delete is NOT swallowed (only a retried one is).
    await expect(api.delete(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('rejects a bad status with a typed 4xx', async () => {
    const [, target, flat] = families()[i]!;
    const err = await env.acme
      .insurances(target)
      .create({ status: 'great' as never, ...(flat ? { vendor_id: vendorId } : {}) })
      .catch((e) => e);
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
  });

  it('sync: mixed creates, updates and per-item errors; idempotent on re-run', async () => {
    const [name, target, flat] = families()[i]!;
    const api = env.acme.insurances(target);
    const v = flat ? { vendor_id: vendorId } : {};
    const seedRow = await api.create({ insurance_type: 'Auto', name: 'Progressive', status: 'undecided', ...v });
    const o = (n: number) => `mycoi-sync-${name.replace(' ', '-')}-${n}`;
    const r = await api.sync([
      { origin_id: o(1), insurance_type: 'General Liability', name: 'Travelers', status: 'compliant', ...v },
      { origin_id: o(2), insurance_type: 'Umbrella', name: 'AIG', status: 'non_compliant', ...v },
      { id: seedRow.id, status: 'compliant', notes: 'synced' },
      { id: 987654321, status: 'compliant' },
      { origin_id: o(3), status: 'bogus' as never, ...v },
    ]);
    expect(r.failed).toEqual([]);
    expect(r.calls).toBe(1);
    expect(r.entities.map((e) => e.origin_id ?? e.id).sort()).toEqual([o(1), o(2), seedRow.id].sort());
    expect(r.entities.find((e) => e.id === seedRow.id)).toMatchObject({ status: 'compliant', notes: 'synced' });
    expect(r.errors).toHaveLength(2);
    expect(r.errors.find((e) => e.id === 987654321)?.errors.id?.[0]).toMatch(/not found/i);
    expect(r.errors.find((e) => e.origin_id === o(3))?.errors.status).toBeDefined();
    const again = await api.sync([{ origin_id: o(1), name: 'Travelers', status: 'expired', ...v }]);
    expect(again.entities).toHaveLength(1);
    const rows = (await api.list()).items.filter((x) => x.origin_id === o(1));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('expired');
  });
});

describe('sync batching', () => {
  it('splits 2,345 rows into batches of ≤ 1000 and returns every entity', async () => {
    const api = env.acme.insurances({ level: 'company_vendor', vendorId });
    const rows = Array.from({ length: 2345 }, (_, n) => ({
      origin_id: `mycoi-bulk-${n}`,
      insurance_type: 'GL',
      name: 'Carrier',
      status: 'compliant' as const,
    }));
    env.sb.clearRequests();
    const r = await api.sync(rows);
    expect(r.calls).toBe(3);
    expect(count(env.sb, (x) => x.path === `${api.path}/sync` && x.status === 200)).toBe(3);
    expect(r.entities).toHaveLength(2345);
    expect(r.errors).toEqual([]);
    expect(new Set(r.entities.map((e) => e.origin_id)).size).toBe(2345);
  });

  it('a batch refused as a whole is reported in `failed` and later batches still run', async () => {
    const api = env.acme.insurances({ level: 'company_vendor', vendorId });
    const r = await api.sync(
      [
        { origin_id: 'ok-1', status: 'compliant' },
        { origin_id: 'ok-2', status: 'compliant' },
      ],
      1,
    );
    expect(r.calls).toBe(2);
    expect(r.entities).toHaveLength(2);
    const missingVendor = env.acme.insurances({ level: 'company_vendor', vendorId: 424242 });
    const bad = await missingVendor.sync([{ origin_id: 'x-1' }, { origin_id: 'x-2' }], 1);
    expect(bad.entities).toEqual([]);
    expect(bad.failed).toHaveLength(2);
    expect(bad.failed[0]!.error).toMatchObject({ status: 404 });
  });
});
