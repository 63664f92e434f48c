import { afterAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, restoreStore, serializeStore, type ProcoreSandbox } from '../src';

// The demo keeps its Procore across restarts: a restored sandbox answers exactly like the old one.
const open: ProcoreSandbox[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function token(sb: ProcoreSandbox): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox state persistence', () => {
  it('serialize → restore into an empty sandbox keeps records, indexes, ids and permissions', async () => {
    const a = await createProcoreSandbox({ seed: 'demo' });
    open.push(a);
    a.admin.deleteInsurance(300001);
    a.admin.setInstallation('demo-dmsa-client', 1001, { permittedProjectIds: [5001] });
    const json = serializeStore(a.state);

    const b = await createProcoreSandbox({ seed: 'empty' });
    open.push(b);
    restoreStore(b.state, json);
    expect(serializeStore(b.state)).toBe(json);
    expect(b.state.insurances.has(300001)).toBe(false);
    expect(b.state.usersByLogin.get('pat@acme.test')?.companies.get(1001)?.projectIds).toBe('all');

    // over HTTP: permissions and indexes work, and new ids continue after the restored ones
    const t = await token(b);
    const headers = { authorization: `Bearer ${t}`, 'procore-company-id': '1001', 'content-type': 'application/json' };
    expect((await fetch(`${b.url}/rest/v1.0/projects/5002/insurances`, { headers })).status).toBe(403);
    const list = await fetch(`${b.url}/rest/v1.0/projects/5001/insurances`, { headers });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { id: number }[]).map((i) => i.id)).toEqual([300004]);
    const created = await fetch(`${b.url}/rest/v1.0/companies/1001/vendors/70002/insurances`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ insurance: { insurance_type: 'Auto', origin_id: 'x-1', status: 'compliant' } }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { id: number }).id).toBeGreaterThan(300004);
  });

  it('refuses to restore into a store that already holds records, or an unknown format', async () => {
    const a = await createProcoreSandbox({ seed: 'demo' });
    open.push(a);
    expect(() => restoreStore(a.state, serializeStore(a.state))).toThrow(/empty store/);
    const b = await createProcoreSandbox({ seed: 'empty' });
    open.push(b);
    expect(() => restoreStore(b.state, JSON.stringify({ format: 99 }))).toThrow(/format/);
  });
});
