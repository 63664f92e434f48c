import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSettings, TenantView } from '@mycoi/contracts';
import { adminAgent, startHarness, type Agent, type Harness } from './tenants-harness';

// The settings API reads and writes THE schema: a stored document that does not parse is shown as
// an error (never papered over with defaults), a change must leave a whole valid document, and
// saving a whole document repairs it.

let h: Harness;
let admin: Agent;
beforeAll(async () => {
  h = await startHarness();
  admin = await adminAgent(h, [{ id: '1001', name: 'Acme Builders' }]);
  expect((await admin.post('/api/admin/companies/1001/register', {})).status).toBe(201);
});
afterAll(async () => h?.close());

const view = async () => TenantView.parse((await admin.get('/api/admin/companies/1001')).body.tenant);

describe('settings over the admin API', () => {
  it("a new tenant starts from the contract's defaults", async () => {
    const t = await view();
    expect(t.settings).toEqual(defaultTenantSettings);
    expect(t.settingsError).toBeNull();
  });

  it('a stored document that does not parse is reported on the tenant, with what is wrong', async () => {
    await h.db.pool.query(
      `update tenants set settings = '{"expiryNotifications": true, "approvedStatuses": "Approved"}' where procore_company_id = '1001'`,
    );
    const t = await view();
    expect(t.settingsError).toMatch(/procoreExpiryEmails/);
    expect(t.settingsError).toMatch(/approvedStatuses/);
  });

  it('a change that leaves the document incomplete is refused; a whole document repairs it', async () => {
    const partial = await admin.put('/api/admin/companies/1001/settings', { settings: { procoreExpiryEmails: true } });
    expect(partial.status).toBe(400);
    expect(partial.body.error.code).toBe('bad_request');
    const whole = await admin.put('/api/admin/companies/1001/settings', {
      settings: { ...defaultTenantSettings, procoreExpiryEmails: true },
    });
    expect(whole.status).toBe(200);
    const t = TenantView.parse(whole.body);
    expect(t.settingsError).toBeNull();
    expect(t.settings.procoreExpiryEmails).toBe(true);
    const { rows } = await h.db.pool.query(`select settings from tenants where procore_company_id = '1001'`);
    // the stored document is exactly the contract's keys (the old key is gone)
    expect(rows[0].settings).toEqual({ ...defaultTenantSettings, procoreExpiryEmails: true });
  });

  it('a partial change over a valid document keeps the other values', async () => {
    const r = await admin.put('/api/admin/companies/1001/settings', { settings: { approvedStatuses: ['Approved'] } });
    expect(r.status).toBe(200);
    expect(TenantView.parse(r.body).settings).toEqual({
      ...defaultTenantSettings,
      procoreExpiryEmails: true,
      approvedStatuses: ['Approved'],
    });
  });
});
