import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSettings, readTenantSettings, TenantSettings } from '@mycoi/contracts';
import { listMigrations, migrate, type Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { listProblems } from '../src';
import { createWorld, ourRows, type World } from './setup';

// One settings schema (@mycoi/contracts TenantSettings) read strictly by the engine; migration 050
// moves older documents to it; a document that does not parse stops the tenant's sync with a
// problem and an error log, and the settings have real effects on what Procore receives.

describe('migration 050: stored settings to the contract', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.close());

  it('maps the old keys, fills every default, keeps contract keys and leaves unreadable documents to be reported', async () => {
    const all = listMigrations();
    await migrate(
      db.pool,
      all.filter((m) => m.id < '050'),
    );
    const docs: Record<string, unknown> = {
      old: {
        expiryNotifications: true,
        approvedCommitmentStatuses: ['Approved', 'Signed'],
        commitmentStatus: true,
        digestRecipients: ['a@acme.test'],
      },
      empty: {},
      both: { procoreExpiryEmails: false, expiryNotifications: true, approvedStatuses: ['Approved'] },
      wrongType: { expiryNotifications: 'yes' },
      notObject: ['x'],
    };
    const ids: Record<string, string> = {};
    for (const [name, doc] of Object.entries(docs)) {
      const { rows } = await db.pool.query<{ id: string }>(
        `insert into tenants (procore_company_id, name, settings) values ($1, $2, $3::jsonb) returning id`,
        [String(5000 + Object.keys(ids).length), name, JSON.stringify(doc)],
      );
      ids[name] = rows[0]!.id;
    }
    await migrate(db.pool, all);
    const read = async (name: string) => (await db.pool.query('select settings from tenants where id = $1', [ids[name]])).rows[0].settings;
    expect(await read('old')).toEqual({
      procoreExpiryEmails: true,
      approvedStatuses: ['Approved', 'Signed'],
      commitmentComplianceStatus: true,
      digestRecipients: ['a@acme.test'],
      addVendorsToProjectDirectory: false,
    });
    expect(await read('empty')).toEqual(defaultTenantSettings);
    expect(await read('both')).toEqual({ ...defaultTenantSettings, approvedStatuses: ['Approved'] });
    // moved as it was, so the strict reader reports it instead of guessing
    expect(readTenantSettings(await read('wrongType')).ok).toBe(false);
    expect(await read('notObject')).toEqual(['x']);
    for (const name of ['old', 'empty', 'both']) expect(TenantSettings.safeParse(await read(name)).success).toBe(true);
  });

  it("a tenant row inserted without settings gets the contract's defaults", async () => {
    const { rows } = await db.pool.query(`insert into tenants (procore_company_id, name) values ('5999', 'new') returning settings`);
    expect(rows[0].settings).toEqual(defaultTenantSettings);
  });
});

describe('the engine reads the settings strictly and acts on them', () => {
  let w: World;
  const errors: object[] = [];
  beforeAll(async () => {
    w = await createWorld({ level: 'both', settings: { procoreExpiryEmails: true, commitmentComplianceStatus: false } });
    w.engine.logger = { info() {}, warn() {}, error: (o) => errors.push(o) };
  });
  afterAll(() => w?.close());

  it('a document that does not parse fails the run, touches nothing and is a problem on the tenant and an error in the log', async () => {
    await w.db.pool.query(`update tenants set settings = '{"expiryNotifications": true}' where id = $1`, [w.tenantId]);
    const r = await w.run('push');
    expect(r).toMatchObject({ status: 'failed', stopReason: 'settings_invalid' });
    expect(w.procore.requests()).toEqual([]);
    expect(w.mycoi.requests()).toEqual([]);
    const problems = await listProblems(w.db.pool, w.tenantId);
    expect(problems.map((p) => [p.kind, p.scope])).toEqual([['settings_invalid', 'settings']]);
    expect(problems[0]!.detail).toMatch(/procoreExpiryEmails/);
    expect(errors).toEqual([expect.objectContaining({ tenantId: w.tenantId })]);
    const run = await w.db.pool.query('select status, stop_reason from runs where tenant_id = $1 order by id desc limit 1', [w.tenantId]);
    expect(run.rows[0]).toEqual({ status: 'failed', stop_reason: 'settings_invalid' });
  });

  it('saving a whole document again clears the problem and the run uses the values', async () => {
    await w.db.pool.query(`update tenants set settings = $2::jsonb where id = $1`, [
      w.tenantId,
      JSON.stringify({ ...defaultTenantSettings, procoreExpiryEmails: true, addVendorsToProjectDirectory: true }),
    ]);
    expect((await w.run('upkeep')).status).toBe('succeeded');
    expect((await w.run('push')).status).toBe('succeeded');
    // the settings problem is gone (what remains are the demo's records with no Procore counterpart: not_linked)
    expect((await listProblems(w.db.pool, w.tenantId)).filter((p) => p.kind !== 'not_linked')).toEqual([]);
    const rows = ourRows(w.procore);
    expect(rows.length).toBeGreaterThan(0);
    // procoreExpiryEmails → enable_expired_insurance_notifications on every row we write
    expect(rows.every((i) => i.enable_expired_insurance_notifications === true)).toBe(true);
    // commitmentComplianceStatus off → no per-commitment status written
    expect(w.procore.requests().filter((q) => q.path.includes('compliance') && q.method !== 'GET')).toEqual([]);
  });

  it('commitmentComplianceStatus on writes the per-commitment status; expiry emails off clears the flag', async () => {
    await w.db.pool.query(
      `update tenants set settings = settings || '{"commitmentComplianceStatus": true, "procoreExpiryEmails": false}' where id = $1`,
      [w.tenantId],
    );
    expect((await w.run('push')).status).toBe('succeeded');
    expect(w.procore.state.commitments.get(900001)!.compliance.insurance_status).toBe('compliant');
    expect(ourRows(w.procore).every((i) => i.enable_expired_insurance_notifications === false)).toBe(true);
  });
});
