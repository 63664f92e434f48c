import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, userTokens } from './helpers';

let sb: ProcoreSandbox;
let dmsa: string;
beforeAll(async () => {
  sb = await start();
  dmsa = await dmsaToken(sb);
});
afterAll(() => sb.close());

describe('401 for bad tokens', () => {
  it('missing, unknown and malformed bearer tokens', async () => {
    const call = api(sb, dmsa);
    expect((await call('/rest/v1.0/companies', { token: null })).status).toBe(401);
    expect((await call('/rest/v1.0/companies', { token: 'nope' })).status).toBe(401);
    const r = await fetch(`${sb.url}/rest/v1.0/companies`, { headers: { authorization: `Basic ${dmsa}`, 'procore-company-id': '1001' } });
    expect(r.status).toBe(401);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(JSON.stringify(body)).not.toContain(dmsa);
  });
});

describe('Procore-Company-Id', () => {
  it('is required on REST calls, including /me and /companies for DMSA tokens', async () => {
    const call = api(sb, dmsa);
    for (const path of [
      '/rest/v1.0/me',
      '/rest/v1.0/companies',
      '/rest/v1.0/projects?company_id=1001',
      '/rest/v1.0/vendors?company_id=1001',
    ]) {
      const r = await call(path, { company: null });
      expect(r.status, path).toBe(400);
      expect(r.body.error.message).toContain('Missing Procore-Company-Id header');
    }
    expect((await call('/rest/v1.0/companies')).body).toEqual([
      { id: 1001, name: 'Acme Builders', is_active: true, logo_url: null, pcn_business_experience: false, my_company: true },
    ]);
  });

  it('is optional on /me and /companies for user tokens', async () => {
    const t = await userTokens(sb, 'pat@acme.test');
    const call = api(sb, t.access_token);
    expect((await call('/rest/v1.0/companies', { company: null })).status).toBe(200);
    expect((await call('/rest/v1.0/me', { company: null })).status).toBe(200);
    expect((await call('/rest/v1.0/projects?company_id=1001', { company: null })).status).toBe(400);
  });

  it('must name a company the app is installed in (403) and match path/query companies', async () => {
    const call = api(sb, dmsa);
    const other = await call('/rest/v1.0/projects?company_id=2002', { company: 2002 });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('App is not connected to this company');
    expect((await call('/rest/v1.0/projects?company_id=2002')).status).toBe(403);
    expect((await call('/rest/v1.0/companies/2002/insurances')).status).toBe(403);
    expect((await call('/rest/v1.0/projects?company_id=1001', { company: 999999 })).status).toBe(403);
  });
});

describe('403 outside tool permissions and permitted projects', () => {
  it('an app without the commitments tool gets 403 on commitments but reads the directory', async () => {
    const t = await dmsaToken(sb, 'demo-nocommit-client', 'demo-nocommit-secret');
    const call = api(sb, t);
    expect((await call('/rest/v1.0/work_order_contracts?project_id=5001')).status).toBe(403);
    expect((await call('/rest/v1.0/commitments?project_id=5001')).status).toBe(403);
    expect((await call('/rest/v1.0/projects/5001/work_order_contracts/900001/compliance')).status).toBe(403);
    expect((await call('/rest/v1.0/vendors?company_id=1001')).status).toBe(200);
  });

  it('projects outside the permitted set are hidden from lists and 403 on access', async () => {
    sb.admin.setInstallation('demo-dmsa-client', 1001, { permittedProjectIds: [5001] });
    try {
      const call = api(sb, dmsa);
      const list = await call('/rest/v1.0/projects?company_id=1001');
      expect(list.body.map((p: { id: number }) => p.id)).toEqual([5001]);
      expect((await call('/rest/v1.0/projects/5002?company_id=1001')).status).toBe(403);
      expect((await call('/rest/v1.0/projects/5002/vendors')).status).toBe(403);
      expect((await call('/rest/v1.0/work_order_contracts?project_id=5002')).status).toBe(403);
      expect((await call('/rest/v1.0/work_order_contracts?project_id=5001')).status).toBe(200);
    } finally {
      sb.admin.setInstallation('demo-dmsa-client', 1001, { permittedProjectIds: 'all' });
    }
  });

  it('read-only directory cannot write insurances; uninstalling gives 403', async () => {
    sb.admin.setInstallation('demo-dmsa-client', 1001, {
      permissions: { company: { directory: 'read_only' }, project: { directory: 'read_only' } },
    });
    const call = api(sb, dmsa);
    expect((await call('/rest/v1.0/companies/1001/vendors/70001/insurances')).status).toBe(200);
    expect(
      (await call('/rest/v1.0/companies/1001/vendors/70001/insurances', { method: 'POST', body: { insurance: { name: 'X' } } })).status,
    ).toBe(403);
    sb.admin.setInstallation('demo-dmsa-client', 1001, null);
    expect((await call('/rest/v1.0/vendors?company_id=1001')).status).toBe(403);
    sb.admin.setInstallation('demo-dmsa-client', 1001, {
      permittedProjectIds: 'all',
      permissions: {
        company: { directory: 'standard', webhooks: 'standard' },
        project: { directory: 'standard', commitments: 'standard', webhooks: 'standard' },
      },
    });
    expect((await call('/rest/v1.0/vendors?company_id=1001')).status).toBe(200);
  });

  it('a user sees only their projects and companies', async () => {
    const sam = api(sb, (await userTokens(sb, 'sam@acme.test')).access_token);
    expect((await sam('/rest/v1.0/projects?company_id=1001')).body.map((p: { id: number }) => p.id)).toEqual([5001]);
    expect((await sam('/rest/v1.0/projects/5002?company_id=1001')).status).toBe(403);
    const olga = api(sb, (await userTokens(sb, 'olga@other.test')).access_token);
    expect((await olga('/rest/v1.0/vendors?company_id=1001')).status).toBe(403);
    expect((await olga('/rest/v1.0/projects?company_id=2002', { company: 2002 })).body.map((p: { id: number }) => p.id)).toEqual([5101]);
  });

  it('unknown records are 404', async () => {
    const call = api(sb, dmsa);
    expect((await call('/rest/v1.0/vendors/123?company_id=1001')).status).toBe(404);
    expect((await call('/rest/v1.0/vendors/abc?company_id=1001')).status).toBe(404);
    expect((await call('/rest/v1.0/projects/999?company_id=1001')).status).toBe(404);
    expect((await call('/rest/v1.0/no_such_thing')).status).toBe(404);
  });
});
