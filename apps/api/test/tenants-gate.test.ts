import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import {
  activeTenants,
  assertCompanyActive,
  assertTenantActive,
  isTenantActive,
  tenantBlockReason,
  TenantInactiveError,
  type GatedFeature,
} from '../src/tenants/gate';
import type { TenantStatus } from '@mycoi/contracts';

let db: Database;
const ids: Record<string, string> = {};

async function tenant(name: string, status: TenantStatus, push: boolean, panel: boolean): Promise<void> {
  const { rows } = await db.pool.query<{ id: string }>(
    'insert into tenants (procore_company_id, name, status, compliance_push, side_panel) values ($1, $2, $3, $4, $5) returning id',
    [String(100 + Object.keys(ids).length), name, status, push, panel],
  );
  ids[name] = rows[0]!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await tenant('both', 'active', true, true);
  await tenant('pushOnly', 'active', true, false);
  await tenant('panelOnly', 'active', false, true);
  await tenant('registered', 'registered', true, true);
  await tenant('awaiting', 'awaiting_activation', true, true);
  await tenant('suspended', 'suspended', true, true);
  await tenant('deactivated', 'deactivated', true, true);
});
afterAll(async () => db.close());

const features: GatedFeature[] = ['push_vendor', 'push_commitment', 'upkeep', 'digest', 'commitment_status', 'side_panel', 'events'];
type Block = Awaited<ReturnType<typeof tenantBlockReason>>;
const active = (push: Block, panel: Block): Record<GatedFeature, Block> => ({
  push_vendor: push,
  push_commitment: push,
  upkeep: push,
  digest: push,
  commitment_status: 'feature_off',
  side_panel: panel,
  events: push,
});
const inactive = Object.fromEntries(features.map((f) => [f, 'not_active'])) as Record<GatedFeature, Block>;
// these tenants are level "vendor" with per-commitment status off (the column and setting defaults)
const table: Record<string, Record<GatedFeature, Block>> = {
  both: { ...active(null, null), push_commitment: 'feature_off' },
  pushOnly: { ...active(null, 'feature_off'), push_commitment: 'feature_off' },
  panelOnly: active('feature_off', null),
  registered: inactive,
  awaiting: inactive,
  suspended: inactive,
  deactivated: inactive,
};

describe('the tenant gate', () => {
  for (const [name, row] of Object.entries(table)) {
    for (const f of features) {
      it(`${name} / ${f} → ${row[f] ?? 'allowed'}`, async () => {
        expect(await tenantBlockReason(db.pool, ids[name]!, f)).toBe(row[f]);
        expect(await isTenantActive(db.pool, ids[name]!, f)).toBe(row[f] === null);
      });
    }
  }

  it('the older names answer from the same gate: webhooks = events, compliance_push = push at some level', async () => {
    for (const name of Object.keys(table)) {
      expect(await tenantBlockReason(db.pool, ids[name]!, 'webhooks'), name).toBe(table[name]!.events);
      expect(await tenantBlockReason(db.pool, ids[name]!, 'compliance_push'), name).toBe(table[name]!.push_vendor);
    }
  });

  it('assertTenantActive throws a 403 tenant_inactive HttpError with the reason', async () => {
    await expect(assertTenantActive(db.pool, ids.both!, 'side_panel')).resolves.toBeUndefined();
    const err = await assertTenantActive(db.pool, ids.suspended!, 'push_vendor').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantInactiveError);
    expect(err).toMatchObject({ status: 403, code: 'tenant_inactive', reason: 'not_active', details: { reason: 'not_active' } });
  });

  it('unknown or malformed tenant ids are blocked, not errors', async () => {
    expect(await tenantBlockReason(db.pool, '00000000-0000-0000-0000-000000000000', 'events')).toBe('unknown_tenant');
    expect(await tenantBlockReason(db.pool, "1' or '1'='1", 'events')).toBe('unknown_tenant');
  });

  it('resolves Procore company ids for webhook and panel entry points', async () => {
    const { rows } = await db.pool.query<{ procore_company_id: string }>('select procore_company_id from tenants where id = $1', [
      ids.both,
    ]);
    expect(await assertCompanyActive(db.pool, rows[0]!.procore_company_id, 'events')).toBe(ids.both);
    await expect(assertCompanyActive(db.pool, '999999', 'events')).rejects.toMatchObject({ reason: 'unknown_tenant' });
  });

  it('activeTenants lists exactly the tenants the scheduler may run', async () => {
    const push = (await activeTenants(db.pool, 'push_vendor')).map((t) => t.id).sort();
    expect(push).toEqual([ids.both, ids.pushOnly].sort());
    const panel = (await activeTenants(db.pool, 'side_panel')).map((t) => t.id).sort();
    expect(panel).toEqual([ids.both, ids.panelOnly].sort());
  });

  it('a suspension takes effect on the next call (no caching)', async () => {
    expect(await isTenantActive(db.pool, ids.pushOnly!, 'upkeep')).toBe(true);
    await db.pool.query("update tenants set status = 'suspended' where id = $1", [ids.pushOnly]);
    expect(await isTenantActive(db.pool, ids.pushOnly!, 'upkeep')).toBe(false);
    expect((await activeTenants(db.pool, 'upkeep')).map((t) => t.id)).toEqual([ids.both]);
  });
});
