// Benchmark: generate and serve a large seed. Run: npx tsx packages/procore-sandbox/src/bench/generate.ts
import { createProcoreSandbox } from '../index';

const t0 = performance.now();
const sb = await createProcoreSandbox({
  seed: { companies: 1, projectsPerCompany: 200, vendors: 2000, vendorsPerProject: 25, commitmentsPerProject: 20, insurancesPerVendor: 2 },
});
const t1 = performance.now();
const tok = (await (
  await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
  })
).json()) as { access_token: string };
const headers = { authorization: `Bearer ${tok.access_token}`, 'procore-company-id': '1001' };
const time = async (label: string, path: string, n = 1) => {
  const s = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += (await (await fetch(`${sb.url}${path}`, { headers })).text()).length;
  console.log(`${label}: ${((performance.now() - s) / n).toFixed(1)} ms/call (${(bytes / n / 1024).toFixed(0)} KiB)`);
};
console.log(
  `generate + listen: ${(t1 - t0).toFixed(0)} ms (${sb.state.vendors.size} vendors, ${sb.state.projects.size} projects, ${sb.state.commitments.size} commitments, ${sb.state.insurances.size} insurances)`,
);
await time('vendors page of 1000 (extended)', '/rest/v1.0/vendors?company_id=1001&per_page=1000', 5);
await time('vendors filtered by updated_at', '/rest/v1.0/vendors?company_id=1001&filters[updated_at]=2025-06-01...2025-06-30', 5);
const pid = sb.seed.companies[0]!.projectIds[50]!;
await time('work_order_contracts of a project', `/rest/v1.0/work_order_contracts?project_id=${pid}&filters[status]=Approved`, 20);
await time('company insurances page of 1000', '/rest/v1.0/companies/1001/insurances?per_page=1000', 5);
const body = JSON.stringify({
  updates: Array.from({ length: 1000 }, (_, i) => ({ origin_id: `bench-${i}`, name: 'Bench', status: 'compliant' })),
});
const s = performance.now();
await fetch(`${sb.url}/rest/v1.0/companies/1001/vendors/${sb.seed.companies[0]!.vendorIds[0]}/insurances/sync`, {
  method: 'PATCH',
  headers: { ...headers, 'content-type': 'application/json' },
  body,
});
console.log(`insurance sync of 1000 items: ${(performance.now() - s).toFixed(0)} ms`);
await sb.close();
