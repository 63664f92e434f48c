import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, Store, type ProcoreSandbox } from '../src/index';
import { companyDmsa, generateSeed } from '../src/seed/generator';
import { api, dmsaToken, start, type Api } from './helpers';

describe('generator', () => {
  it('is deterministic for a seed', () => {
    const a = new Store();
    const b = new Store();
    generateSeed(a, { companies: 2, projectsPerCompany: 3, vendors: 10, commitmentsPerProject: 4, seed: 7 });
    generateSeed(b, { companies: 2, projectsPerCompany: 3, vendors: 10, commitmentsPerProject: 4, seed: 7 });
    expect(JSON.stringify([...a.vendors.values()])).toBe(JSON.stringify([...b.vendors.values()]));
    expect(JSON.stringify([...a.commitments.values()])).toBe(JSON.stringify([...b.commitments.values()]));
  });

  it('sizes each company apart and gives each its own DMSA app, token and rate budget', async () => {
    const sb = await createProcoreSandbox({
      seed: {
        sizes: [
          { vendors: 3, projects: 1, commitmentsPerProject: 2 },
          { vendors: 7, projects: 2, commitmentsPerProject: 1 },
        ],
        dmsaPerCompany: true,
        insurancesPerVendor: 0,
      },
      rateLimit: { hourly: 100, spike10s: 2 },
    });
    try {
      expect(sb.seed.companies.map((c) => [c.id, c.vendorIds.length, c.projectIds.length])).toEqual([
        [1001, 3, 1],
        [1002, 7, 2],
      ]);
      expect([...sb.state.commitments.values()].filter((c) => c.company_id === 1002)).toHaveLength(2);
      const own = companyDmsa(1002);
      const a = api(sb, await dmsaToken(sb, own.clientId, own.clientSecret));
      const c1002 = { company: 1002 };
      expect((await a('/rest/v1.0/vendors?company_id=1002', c1002)).body).toHaveLength(7);
      expect((await a('/rest/v1.0/vendors?company_id=1002', c1002)).status).toBe(200);
      expect((await a('/rest/v1.0/vendors?company_id=1002', c1002)).status).toBe(429); // its spike window (2) is spent
      // company 1001's own app: a token with its own window, and installed in 1001 only
      const first = companyDmsa(1001);
      const b = api(sb, await dmsaToken(sb, first.clientId, first.clientSecret));
      expect((await b('/rest/v1.0/vendors?company_id=1001')).status).toBe(200);
      expect((await b('/rest/v1.0/vendors?company_id=1002', c1002)).status).toBe(403);
      await expect(dmsaToken(sb, first.clientId, 'wrong')).rejects.toThrow(/token 401/);
    } finally {
      await sb.close();
    }
  });

  it('accepts a JSON fixture seed and an empty seed', async () => {
    const sb = await createProcoreSandbox({
      seed: {
        companies: [{ id: 77, name: 'Fixture Co' }],
        apps: [{ clientId: 'fx', clientSecret: 'fx-secret', installations: [{ companyId: 77 }] }],
        projects: [{ id: 1, company_id: 77, name: 'Only project' }],
      },
    });
    const empty = await createProcoreSandbox({ seed: 'empty' });
    try {
      expect(sb.seed.companies).toEqual([{ id: 77, name: 'Fixture Co', projectIds: [1], vendorIds: [] }]);
      expect(empty.seed).toEqual({ apps: [], companies: [], users: [] });
    } finally {
      await sb.close();
      await empty.close();
    }
  });
});

describe('benchmark-sized seed (2,000 vendors, 200 projects × 20 commitments)', () => {
  let sb: ProcoreSandbox;
  let call: Api;
  beforeAll(async () => {
    sb = await start({
      seed: {
        companies: 1,
        projectsPerCompany: 200,
        vendors: 2000,
        vendorsPerProject: 25,
        commitmentsPerProject: 20,
        insurancesPerVendor: 2,
      },
    });
    call = api(sb, await dmsaToken(sb));
  });
  afterAll(() => sb.close());

  it('has the requested shape', () => {
    const c = sb.seed.companies[0]!;
    expect(c.vendorIds).toHaveLength(2000);
    expect(c.projectIds).toHaveLength(200);
    expect(sb.state.commitments.size).toBe(4000);
    expect(sb.state.insurances.size).toBe(4000);
    const statuses = new Set([...sb.state.commitments.values()].map((x) => x.status));
    expect(statuses.has('Approved')).toBe(true);
    expect(statuses.size).toBeGreaterThan(3);
  });

  it("serves every vendor through pagination and a project's commitments", async () => {
    let total = 0;
    for (let page = 1; page <= 2; page++) {
      const r = await call(`/rest/v1.0/vendors?company_id=1001&per_page=1000&page=${page}`);
      expect(r.headers.get('total')).toBe('2000');
      total += r.body.length;
    }
    expect(total).toBe(2000);
    const pid = sb.seed.companies[0]!.projectIds[100]!;
    const all = await call(`/rest/v1.0/commitments?project_id=${pid}`);
    expect(all.body).toHaveLength(20);
    const pv = await call(`/rest/v1.0/projects/${pid}/vendors`);
    expect(pv.body).toHaveLength(25);
    const ins = await call('/rest/v1.0/companies/1001/insurances?per_page=1000');
    expect(ins.headers.get('total')).toBe('4000');
  });
});

describe('extension point', () => {
  it('mounts extra routes for embedders', async () => {
    const sb = await createProcoreSandbox({
      seed: 'empty',
      extend: (app) => app.get('/harness/ping', (_req, res) => void res.send('pong')),
    });
    try {
      expect(await (await fetch(`${sb.url}/harness/ping`)).text()).toBe('pong');
    } finally {
      await sb.close();
    }
  });
});
