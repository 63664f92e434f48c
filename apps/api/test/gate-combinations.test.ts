import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSettings, gatedFeatures, type ComplianceLevel, type GatedFeature } from '@mycoi/contracts';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { activeTenants, featuresOf, loadTenant, runBlockedBy } from '@mycoi/sync';
import { enqueueSlot } from '@mycoi/jobs';
import { tenantBlockReason } from '../src/tenants/gate';

// Every feature combination × what the scheduler queues, what the event receivers accept, what the
// side panel allows and what the engine runs, against the rule the root README states ("Which
// features run"). The expectation below is that rule written out on its own, not a call into the
// gate, so a gate that drifts from the README fails here.

interface Combo {
  status: 'active' | 'suspended';
  push: boolean;
  panel: boolean;
  level: ComplianceLevel;
  tool: boolean | null;
  perCommitment: boolean;
  settingsOk: boolean;
}

function readmeRule(c: Combo): Record<GatedFeature, boolean> {
  if (c.status !== 'active') return Object.fromEntries(gatedFeatures.map((f) => [f, false])) as Record<GatedFeature, boolean>;
  const sync = c.push && c.settingsOk; // compliance push chosen, and settings that can be read
  const commitments = c.tool !== false; // the Commitments tool is there (or not known to be missing)
  const pushVendor = sync && c.level !== 'commitment';
  const pushCommitment = sync && c.level !== 'vendor' && commitments;
  const upkeep = sync && commitments;
  return {
    side_panel: c.panel,
    push_vendor: pushVendor,
    push_commitment: pushCommitment,
    upkeep,
    digest: upkeep,
    commitment_status: pushCommitment && c.perCommitment,
    events: pushVendor || pushCommitment || upkeep,
  };
}

const combos: Combo[] = [];
for (const status of ['active', 'suspended'] as const)
  for (const push of [true, false])
    for (const panel of [true, false])
      for (const level of ['vendor', 'commitment', 'both'] as const)
        for (const tool of [true, false, null])
          for (const perCommitment of [true, false])
            for (const settingsOk of [true, false]) combos.push({ status, push, panel, level, tool, perCommitment, settingsOk });

const name = (c: Combo) =>
  `${c.status} push=${c.push} panel=${c.panel} level=${c.level} tool=${c.tool} perCommitment=${c.perCommitment} settings=${c.settingsOk ? 'ok' : 'invalid'}`;

let db: Database;
const ids = new Map<Combo, string>();
const queued = new Map<string, string[]>();
const errors: object[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  let n = 0;
  for (const c of combos) {
    const settings = c.settingsOk
      ? { ...defaultTenantSettings, commitmentComplianceStatus: c.perCommitment }
      : { commitmentStatus: c.perCommitment };
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into tenants (procore_company_id, name, status, compliance_push, side_panel, compliance_level, commitments_tool, settings)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) returning id`,
      [String(10_000 + n++), name(c), c.status, c.push, c.panel, c.level, c.tool, JSON.stringify(settings)],
    );
    ids.set(c, rows[0]!.id);
  }
  await enqueueSlot(db.pool, 'slot:table', new Date(), 0, { error: (o) => errors.push(o) });
  const { rows } = await db.pool.query<{ tenant_id: string; kind: string }>(
    "select tenant_id, kind from runs where slot = 'slot:table' order by kind",
  );
  for (const r of rows) queued.set(r.tenant_id, [...(queued.get(r.tenant_id) ?? []), r.kind]);
});
afterAll(async () => db.close());

describe('which features run: every combination (README rule)', () => {
  it(`covers ${combos.length} combinations`, () => {
    expect(combos).toHaveLength(2 * 2 * 2 * 3 * 3 * 2 * 2);
  });

  for (const c of combos) {
    it(name(c), async () => {
      const want = readmeRule(c);
      const id = ids.get(c)!;
      // the gate, as the side panel routes, the event receivers and the consoles ask it
      for (const f of gatedFeatures)
        expect(await tenantBlockReason(db.pool, id, f), f).toBe(want[f] ? null : c.status === 'active' ? 'feature_off' : 'not_active');
      // the scheduler: a push when compliance push runs at some level, an upkeep when upkeep runs
      const kinds = [...(want.push_vendor || want.push_commitment ? ['push'] : []), ...(want.upkeep ? ['upkeep'] : [])];
      expect(queued.get(id) ?? []).toEqual(kinds);
      // the engine asks the same gate before a run does anything
      if (c.settingsOk) {
        const t = (await loadTenant(db.pool, id))!;
        const f = featuresOf(t);
        expect(runBlockedBy('push', f) === null).toBe(want.push_vendor || want.push_commitment);
        expect(runBlockedBy('targeted', f) === null).toBe(want.push_vendor || want.push_commitment);
        expect(runBlockedBy('upkeep', f) === null).toBe(want.upkeep);
      } else {
        await expect(loadTenant(db.pool, id)).rejects.toMatchObject({ name: 'SettingsInvalidError' });
      }
    });
  }

  it("the engine's activeTenants lists the active tenants whose settings parse", async () => {
    const want = combos.filter((c) => c.status === 'active' && c.settingsOk).map((c) => ids.get(c)!);
    expect((await activeTenants(db.pool)).map((t) => t.id).sort()).toEqual(want.sort());
  });

  it('every active tenant whose settings do not parse is reported by the scheduler as a problem', async () => {
    const bad = combos.filter((c) => c.status === 'active' && !c.settingsOk).map((c) => ids.get(c)!);
    const { rows } = await db.pool.query<{ tenant_id: string }>("select tenant_id from sync_problems where kind = 'settings_invalid'");
    expect(rows.map((r) => r.tenant_id).sort()).toEqual(bad.sort());
    expect(errors).toHaveLength(bad.length);
  });
});
