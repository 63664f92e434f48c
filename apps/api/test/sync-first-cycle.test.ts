import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { defaultTenantSettings } from '@mycoi/contracts';
import { listProblems, type MailMessage } from '@mycoi/sync';
import type { SyncService } from '@mycoi/jobs';
import { demoClients, demoSyncService } from './support/sync';

// #12.5: a fresh tenant at compliance level "both" gets every placeable commitment-level row in
// its FIRST scheduled cycle, and the digest lists only what myCOI really lacks.

let db: Database;
let procore: ProcoreSandbox;
let mycoi: MycoiSandbox;
let tenantId: string;
const mail: MailMessage[] = [];

const urls = () => ({ procore: procore.url, mycoi: mycoi.url });
const service = (instanceId: string): SyncService =>
  demoSyncService({ pool: db.pool, urls: urls(), mailer: { send: async (m) => void mail.push(m) }, instanceId });

beforeAll(async () => {
  [db, procore, mycoi] = await Promise.all([
    createTestDatabase(),
    createProcoreSandbox({ seed: 'demo' }),
    createMycoiSandbox({ seed: 'demo' }),
  ]);
  const r = await db.pool.query<{ id: string }>(
    `insert into tenants (procore_environment, procore_company_id, name, status, compliance_level, settings)
     values ('local', '1001', 'Acme Builders', 'active', 'both', $1::jsonb) returning id`,
    [JSON.stringify({ ...defaultTenantSettings, digestRecipients: ['risk@acme.test'] })],
  );
  tenantId = r.rows[0]!.id;
});
afterAll(async () => {
  await Promise.all([procore?.close(), mycoi?.close()]);
  await db?.close();
});

/** Assignments of the demo's myCOI account whose external_id is a commitment that exists in Procore. */
function placeableAssignments(): { id: string; commitment: number; project: number }[] {
  const out: { id: string; commitment: number; project: number }[] = [];
  for (const a of mycoi.state.assignments.ofAccount('acct-acme')) {
    const c = a.external_id ? procore.state.commitments.get(Number(a.external_id)) : undefined;
    if (c && c.company_id === 1001) out.push({ id: a.id, commitment: c.id, project: c.project_id });
  }
  return out;
}

describe('first cycle of a fresh tenant at level "both"', () => {
  it('writes the Project Directory rows of every assignment whose commitment exists, after one cycle', async () => {
    // two instances, as in production: the push must not run before (or beside) the upkeep
    const a = service('first-a');
    const b = service('first-b');
    const slot = new Date(Date.now() - 60_000);
    expect(await a.tick(slot)).toBe(2);
    const ran = (await Promise.all([a.drain(), b.drain()])).flat();
    expect(ran.map((x) => x.outcome.status).every((s) => s === 'succeeded')).toBe(true);
    const kinds = ran.sort((x, y) => x.run.id - y.run.id).map((x) => x.run.kind);
    expect(kinds.slice(0, 2)).toEqual(['upkeep', 'push']);

    const expected = placeableAssignments();
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const rows = [...procore.state.insurances.values()].filter((i) => i.origin_id?.startsWith('mycoi:p:'));
    const links = await db.pool.query<{ procore_id: string; mycoi_id: string }>(
      `select procore_id, mycoi_id from links where tenant_id = $1 and kind = 'commitment'`,
      [tenantId],
    );
    const linked = new Map(links.rows.map((l) => [l.mycoi_id, l.procore_id]));
    for (const e of expected) {
      expect(linked.get(e.id), `link of ${e.id}`).toBe(String(e.commitment));
      const record = await demoClients(urls()).mycoi.assignmentCompliance(e.id);
      const mine = rows.filter((i) => i.origin_id!.startsWith(`mycoi:p:${e.project}:a:${e.id}:`));
      // a record with coverage lines has its rows (an unregistered vendor's empty record has none today)
      if (record!.lines.length > 0) expect(mine.length, `rows of ${e.id}`).toBeGreaterThanOrEqual(record!.lines.length);
      expect(mine.every((i) => i.project_id === e.project)).toBe(true);
    }
    const withRows = expected.filter((e) => rows.some((i) => i.origin_id!.startsWith(`mycoi:p:${e.project}:a:${e.id}:`)));
    expect(withRows.length).toBeGreaterThanOrEqual(4);
    // the records with no Procore counterpart (Cascade HVAC and its assignment have no external id)
    // are kept pending and shown as problems, never passed over
    const pending = await db.pool.query<{ owner_key: string }>('select owner_key from sync_pending where tenant_id = $1 order by 1', [
      tenantId,
    ]);
    expect(pending.rows.map((r) => r.owner_key)).toEqual(['a:asg_acme_0006', 'v:ven_acme_cascade']);
    const problems = await listProblems(db.pool, tenantId);
    expect(problems.filter((p) => p.kind === 'not_linked').map((p) => p.scope)).toEqual([
      'assignment:asg_acme_0006',
      'vendor:ven_acme_cascade',
    ]);
  });

  it('the digest lists only Procore records that have no myCOI record at all', async () => {
    expect(mail).toHaveLength(1);
    const digest = await db.pool.query<{ items: { kind: string; id: string }[] }>(
      'select items from digests where tenant_id = $1 order by id desc limit 1',
      [tenantId],
    );
    const items = digest.rows[0]!.items;
    expect(items.length).toBeGreaterThan(0);
    const divisions = new Set(mycoi.state.divisions.ofAccount('acct-acme').map((d) => d.external_id));
    const assignments = new Set(mycoi.state.assignments.ofAccount('acct-acme').map((x) => x.external_id));
    for (const i of items) {
      if (i.kind === 'project') expect(divisions.has(i.id), `project ${i.id} is in myCOI`).toBe(false);
      else expect(assignments.has(i.id), `commitment ${i.id} is in myCOI`).toBe(false);
    }
    // project 5003 has no division in myCOI: it is really missing
    expect(items.map((i) => `${i.kind}:${i.id}`)).toContain('project:5003');
    expect(items.map((i) => `${i.kind}:${i.id}`)).not.toContain('commitment:900001');
  });
});
