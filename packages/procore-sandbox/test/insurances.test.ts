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

const CV = '/rest/v1.0/companies/1001/vendors/70003/insurances';
const sync = (path: string, updates: unknown[]) => call(`${path}/sync`, { method: 'PATCH', body: { updates } });

describe('insurance sync matching table', () => {
  it('creates, updates by id / origin_id, changes origin_id only via id, reports missing ids', async () => {
    const r1 = await sync(CV, [
      { insurance_type: 'Umbrella', name: 'No origin' },
      {
        origin_id: 'mycoi:1:c',
        insurance_type: 'General Liability',
        name: 'Travelers',
        limit: '2000000',
        status: 'compliant',
        effective_date: '2026-01-01',
        expiration_date: '2027-01-01',
        enable_expired_insurance_notifications: false,
      },
    ]);
    expect(r1.status).toBe(200);
    expect(r1.body.errors).toEqual([]);
    const [plain, withOrigin] = r1.body.entities;
    expect(plain.origin_id).toBeNull();
    expect(withOrigin).toMatchObject({
      origin_id: 'mycoi:1:c',
      insurance_provider: 'Travelers',
      limit: '2000000',
      vendor_id: 70003,
      enable_expired_insurance_notifications: false,
    });
    expect(withOrigin.name).toBeUndefined();

    const r2 = await sync(CV, [
      { origin_id: 'mycoi:1:c', status: 'expired' },
      { id: plain.id, notes: 'updated by id' },
      { id: 999999999, status: 'compliant' },
      { id: withOrigin.id, origin_id: 'mycoi:1:c-renamed' },
    ]);
    expect(r2.body.entities.map((e: { id: number }) => e.id)).toEqual([withOrigin.id, plain.id, withOrigin.id]);
    expect(r2.body.entities[0]).toMatchObject({ status: 'expired', insurance_provider: 'Travelers' });
    expect(r2.body.entities[1].notes).toBe('updated by id');
    expect(r2.body.entities[2].origin_id).toBe('mycoi:1:c-renamed');
    expect(r2.body.errors).toEqual([{ id: 999999999, status: 'compliant', errors: { id: ['Entity with this ID not found'] } }]);

    // The old origin_id is free again: using it creates a new record.
    const r3 = await sync(CV, [{ origin_id: 'mycoi:1:c', name: 'Again' }]);
    expect(r3.body.entities[0].id).not.toBe(withOrigin.id);
    const list = (await call(CV)).body as Array<{ id: number }>;
    expect(list).toHaveLength(3);
  });

  it('validates status and dates per item and applies the rest', async () => {
    const r = await sync(CV, [
      { origin_id: 'bad-status', status: 'Compliant' },
      { origin_id: 'bad-date', expiration_date: '2026-02-30' },
      { origin_id: 'good', status: 'non_compliant_in_progress' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.entities).toHaveLength(1);
    expect(r.body.errors).toHaveLength(2);
    expect(r.body.errors[0].origin_id).toBe('bad-status');
    expect(Object.keys(r.body.errors[0].errors)).toEqual(['status']);
    expect(Object.keys(r.body.errors[1].errors)).toEqual(['expiration_date']);
    expect(sb.state.insuranceByOrigin(1001, null, 'bad-status')).toBeUndefined();
  });

  it('origin_id is unique per company across vendors and levels (strict)', async () => {
    await sync(CV, [{ origin_id: 'shared-1', name: 'A' }]);
    const otherVendor = await sync('/rest/v1.0/companies/1001/vendors/70004/insurances', [{ origin_id: 'shared-1', name: 'B' }]);
    expect(otherVendor.body.entities).toEqual([]);
    expect(otherVendor.body.errors[0].errors).toEqual({ origin_id: ['has already been taken'] });
    const projectLevel = await sync('/rest/v1.0/projects/5001/vendors/70003/insurances', [{ origin_id: 'shared-1', name: 'C' }]);
    expect(projectLevel.body.errors[0].errors).toEqual({ origin_id: ['has already been taken'] });
    const post = await call('/rest/v1.0/companies/1001/vendors/70004/insurances', {
      method: 'POST',
      body: { insurance: { origin_id: 'shared-1' } },
    });
    expect(post.status).toBe(409);
  });

  it('accepts 1000 items and rejects 1001', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      origin_id: `bulk-${i}`,
      insurance_type: 'GL',
      name: 'Bulk',
      status: 'compliant',
    }));
    const ok = await sync('/rest/v1.0/companies/1001/vendors/70005/insurances', items);
    expect(ok.status).toBe(200);
    expect(ok.body.entities).toHaveLength(1000);
    const tooMany = await sync('/rest/v1.0/companies/1001/vendors/70005/insurances', [...items, { origin_id: 'bulk-x' }]);
    expect(tooMany.status).toBe(400);
    expect(sb.state.insuranceByOrigin(1001, null, 'bulk-x')).toBeUndefined();
    expect((await call('/rest/v1.0/companies/1001/vendors/70005/insurances/sync', { method: 'PATCH', body: { nope: [] } })).status).toBe(
      400,
    );
  });
});

describe('insurance families CRUD', () => {
  it('company vendor: create 201 (name → insurance_provider), show, update, delete 200; status enum → 400', async () => {
    const c = await call('/rest/v1.0/companies/1001/vendors/70006/insurances', {
      method: 'POST',
      body: { insurance: { name: 'Zurich', insurance_type: 'Auto', status: 'undecided' } },
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      insurance_provider: 'Zurich',
      vendor_id: 70006,
      enable_expired_insurance_notifications: true,
      exempt: false,
    });
    const id = c.body.id;
    expect((await call(`/rest/v1.0/companies/1001/vendors/70006/insurances/${id}`)).body.id).toBe(id);
    expect((await call(`/rest/v1.0/companies/1001/vendors/70001/insurances/${id}`)).status).toBe(404);
    const u = await call(`/rest/v1.0/companies/1001/vendors/70006/insurances/${id}`, {
      method: 'PATCH',
      body: { insurance: { name: 'Zurich NA', limit: 5000 } },
    });
    expect(u.body).toMatchObject({ insurance_provider: 'Zurich NA', limit: '5000' });
    const bad = await call(`/rest/v1.0/companies/1001/vendors/70006/insurances/${id}`, {
      method: 'PATCH',
      body: { insurance: { status: 'ok' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.status).toBeTruthy();
    const del = await call(`/rest/v1.0/companies/1001/vendors/70006/insurances/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body).toBeNull();
    expect((await call(`/rest/v1.0/companies/1001/vendors/70006/insurances/${id}`)).status).toBe(404);
  });

  it('company (flat) needs vendor_id; /insurances/sync needs company_id per item', async () => {
    expect((await call('/rest/v1.0/companies/1001/insurances', { method: 'POST', body: { insurance: { name: 'X' } } })).status).toBe(400);
    const c = await call('/rest/v1.0/companies/1001/insurances', { method: 'POST', body: { insurance: { name: 'X', vendor_id: 70007 } } });
    expect(c.status).toBe(201);
    expect(c.body.vendor_id).toBe(70007);
    expect((await call('/rest/v1.0/companies/1001/insurances', { method: 'POST', body: { insurance: { vendor_id: 70101 } } })).status).toBe(
      400,
    );
    const list = await call('/rest/v1.0/companies/1001/insurances?per_page=2');
    expect(Number(list.headers.get('total'))).toBe(sb.state.insByCompany.get(1001)!.size);
    expect((await call(`/rest/v1.0/companies/1001/insurances/${c.body.id}`)).body.vendor_id).toBe(70007);
    const g = await call('/rest/v1.0/insurances/sync', {
      method: 'PATCH',
      body: {
        updates: [
          { company_id: 1001, vendor_id: 70007, origin_id: 'global-1', name: 'G' },
          { vendor_id: 70007, origin_id: 'global-2' },
          { company_id: 2002, vendor_id: 70101, origin_id: 'global-3' },
        ],
      },
    });
    expect(g.body.entities).toHaveLength(1);
    expect(g.body.errors.map((e: { errors: Record<string, unknown> }) => Object.keys(e.errors))).toEqual([['company_id'], ['company_id']]);
  });

  it('project vendor: vendor must be in the Project Directory (strict); project flat lists the project level only', async () => {
    expect((await call('/rest/v1.0/projects/5001/vendors/70005/insurances')).status).toBe(404);
    const c = await call('/rest/v1.0/projects/5001/vendors/70002/insurances', {
      method: 'POST',
      body: { insurance: { origin_id: 'mycoi:9:p5001', name: 'Chubb', status: 'compliant' } },
    });
    expect(c.status).toBe(201);
    const flat = (await call('/rest/v1.0/projects/5001/insurances')).body as Array<{ id: number; vendor_id: number }>;
    expect(flat.map((i) => i.id)).toEqual(expect.arrayContaining([300004, c.body.id]));
    expect(flat.map((i) => i.id)).not.toContain(300001);
    const notMember = await call('/rest/v1.0/projects/5001/insurances', { method: 'POST', body: { insurance: { vendor_id: 70005 } } });
    expect(notMember.status).toBe(400);
    expect(notMember.body.error.details.vendor_id).toBeTruthy();
    // Hand-entered rows stay untouched by sync of other origin_ids.
    const before = JSON.stringify(sb.state.insurances.get(300004));
    await sync('/rest/v1.0/projects/5001/vendors/70001/insurances', [{ origin_id: 'mycoi:x:p5001', name: 'New' }]);
    expect(JSON.stringify(sb.state.insurances.get(300004))).toBe(before);
  });
});

describe('unknown attributes (strict: 406 / per-item error)', () => {
  it('rejects the response-only insurance_provider on writes: the request field is name', async () => {
    const r = await call('/rest/v1.0/companies/1001/vendors/70006/insurances', {
      method: 'POST',
      body: { insurance: { insurance_provider: 'Zurich' } },
    });
    expect(r.status).toBe(406);
    expect(r.body.error.details).toEqual({ insurance_provider: ['is not a known attribute'] });
    const s = await sync('/rest/v1.0/companies/1001/vendors/70006/insurances', [
      { origin_id: 'u-1', insurance_provider: 'Zurich' },
      { origin_id: 'u-2', name: 'Zurich' },
    ]);
    expect(s.body.entities).toHaveLength(1);
    expect(s.body.errors[0].errors).toEqual({ insurance_provider: ['is not a known attribute'] });
    const v = await call('/rest/v1.0/vendors', { method: 'POST', body: { company_id: 1001, vendor: { name: 'X', emails: ['a@b'] } } });
    expect(v.status).toBe(406);
  });
});

describe('lenient mode', () => {
  it('allows the same origin_id at company and project level, and project insurance for non-members', async () => {
    const lenient = await start({ strict: false });
    try {
      const c = api(lenient, await dmsaToken(lenient));
      const a = await c('/rest/v1.0/companies/1001/vendors/70005/insurances/sync', {
        method: 'PATCH',
        body: { updates: [{ origin_id: 'same' }] },
      });
      const b = await c('/rest/v1.0/projects/5001/vendors/70005/insurances/sync', {
        method: 'PATCH',
        body: { updates: [{ origin_id: 'same' }] },
      });
      expect(a.body.entities).toHaveLength(1);
      expect(b.body.entities).toHaveLength(1);
      expect(b.body.entities[0].id).not.toBe(a.body.entities[0].id);
      // Unknown attributes are ignored rather than refused.
      const u = await c('/rest/v1.0/companies/1001/vendors/70005/insurances', {
        method: 'POST',
        body: { insurance: { name: 'Y', insurance_provider: 'ignored' } },
      });
      expect(u.status).toBe(201);
      expect(u.body.insurance_provider).toBe('Y');
    } finally {
      await lenient.close();
    }
  });
});
