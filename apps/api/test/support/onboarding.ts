import { expect } from 'vitest';
import type { UpdateSettingsBody } from '@mycoi/contracts';
import type { Agent } from '../tenants-harness';

// The onboarding steps of the consoles over HTTP, each required to succeed, for tests that drive
// a company from registration to activation as the console and ops pages do.

/** Customer admin: registers Procore company 1001 and saves its own DMSA app's credentials. Returns the tenant id. */
export async function registerCompany(admin: Agent, dmsa: { clientId: string; clientSecret: string }): Promise<string> {
  const registered = await admin.post('/api/admin/companies/1001/register', {});
  expect(registered.status).toBe(201);
  expect((await admin.put('/api/admin/companies/1001/credentials', { source: 'tenant', ...dmsa })).status).toBe(200);
  return (registered.body as { id: string }).id;
}

/** Customer admin: saves company 1001's features and settings. */
export async function saveSettings(admin: Agent, body: UpdateSettingsBody): Promise<void> {
  expect((await admin.put('/api/admin/companies/1001/settings', body)).status).toBe(200);
}

/** myCOI ops: connects the tenant to the demo myCOI account (acct-acme) with the demo service credentials. */
export async function connectDemoMycoi(ops: Agent, tenantId: string): Promise<void> {
  const body = { accountId: 'acct-acme', clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' };
  expect((await ops.put(`/api/ops/tenants/${tenantId}/mycoi`, body)).status).toBe(200);
}
