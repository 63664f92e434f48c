import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, Store, type ProcoreSandbox } from '../src/index';
import { generateSeed } from '../src/seed/generator';
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
