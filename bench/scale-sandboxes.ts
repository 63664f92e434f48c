// Child process of bench/scale.ts: one strict Procore sandbox with a company and its own DMSA app
// per tenant, and one myCOI sandbox with an account per tenant, both with per-token limits and a
// per-call latency. Seeded in this process (no HTTP), driven over IPC, so the engine's process
// measures only the engine.
import { companyDmsa, createProcoreSandbox, PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { companyIdOf, mycoiAccountOf, tenantSizes } from './scale-plan';

const [tenants, large, latencyMs] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const sizes = tenantSizes(tenants, large);

const [procore, mycoi] = await Promise.all([
  createProcoreSandbox({
    seed: {
      sizes: sizes.map((s) => ({
        vendors: s.vendors,
        projects: s.projects,
        vendorsPerProject: s.vendorsPerProject,
        commitmentsPerProject: s.commitmentsPerProject,
      })),
      dmsaPerCompany: true,
      insurancesPerVendor: 0,
      seed: 15,
    },
    latencyMs,
    // Procore's documented per-token limits (3,600 an hour, 25 per 10 s); strict is the default
    rateLimit: PROCORE_LIMITS,
  }),
  createMycoiSandbox({
    seed: {
      generate: sizes.map((s) => ({
        ...mycoiAccountOf(s.index),
        name: `Tenant ${s.index}`,
        vendors: s.vendors,
        linesPerVendor: 4,
        divisions: s.projects,
        assignments: s.projects * s.commitmentsPerProject,
      })),
    },
    latencyMs,
    // no rateLimit option: the myCOI contract's default per-token limit applies
  }),
]);

// each company's vendors and commitments in id order (one pass over the store, not one per tenant)
const vendorsOf = new Map<number, number[]>();
for (const v of procore.state.vendors.values()) {
  const list = vendorsOf.get(v.company_id) ?? [];
  list.push(v.id);
  vendorsOf.set(v.company_id, list);
}
const commitmentsOf = new Map<number, { id: number; projectId: number; vendorId: number | null }[]>();
for (const c of procore.state.commitments.values()) {
  const list = commitmentsOf.get(c.company_id) ?? [];
  list.push({ id: c.id, projectId: c.project_id, vendorId: c.vendor_id });
  commitmentsOf.set(c.company_id, list);
}
const accounts = new Map(mycoi.seed.accounts.map((a) => [a.id, a]));

export interface SandboxTenant {
  index: number;
  companyId: number;
  dmsa: { clientId: string; clientSecret: string };
  mycoi: { accountId: string; clientId: string; clientSecret: string };
  vendors: number[];
  commitments: { id: number; projectId: number; vendorId: number | null }[];
  mycoiVendorIds: string[];
  mycoiAssignmentIds: string[];
}

function tenant(index: number): SandboxTenant {
  const companyId = companyIdOf(index);
  const acct = mycoiAccountOf(index);
  const a = accounts.get(acct.accountId);
  if (!a) throw new Error(`myCOI account ${acct.accountId} was not seeded`);
  return {
    index,
    companyId,
    dmsa: companyDmsa(companyId),
    mycoi: acct,
    vendors: (vendorsOf.get(companyId) ?? []).sort((x, y) => x - y),
    commitments: (commitmentsOf.get(companyId) ?? []).sort((x, y) => x.id - y.id),
    mycoiVendorIds: a.vendorIds,
    mycoiAssignmentIds: a.assignmentIds,
  };
}

function count() {
  const reqs = procore.requests().filter((r) => !r.path.startsWith('/oauth'));
  const m = mycoi.requests().filter((r) => !r.path.startsWith('/oauth'));
  return {
    procoreCalls: reqs.length,
    procoreWrites: reqs.filter((r) => r.method !== 'GET').length,
    procoreThrottled: reqs.filter((r) => r.status === 429).length,
    procoreErrors: reqs.filter((r) => r.status >= 400 && r.status !== 429).length,
    mycoiCalls: m.length,
    mycoiThrottled: m.filter((r) => r.status === 429).length,
  };
}

process.on('message', (msg: { id: number; cmd: string; args?: { index?: number } }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  switch (msg.cmd) {
    case 'info':
      return reply({ procoreUrl: procore.url, mycoiUrl: mycoi.url });
    case 'tenant':
      return reply(tenant(msg.args?.index ?? 0));
    case 'count':
      return reply(count());
    case 'clear':
      procore.clearRequests();
      mycoi.clearRequests();
      return reply(true);
    case 'close':
      void Promise.all([procore.close(), mycoi.close()]).then(() => {
        reply(true);
        process.exit(0);
      });
      return;
  }
});
process.send!({ id: 0, data: 'ready' });
