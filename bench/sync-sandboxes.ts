// Child process of bench/sync.ts: hosts the two sandboxes (and a second Procore sandbox for the
// naive reference pusher) so the engine's memory is measured on its own. Driven over IPC.
import { createProcoreSandbox, PROCORE_LIMITS, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';

const latencyMs = Number(process.argv[2] ?? 50);
const VENDORS = 2000;
const PROJECTS = 200;
const COMMITMENTS = 20;
const LINES = 4;
const procoreSeed = {
  companies: 1,
  projectsPerCompany: PROJECTS,
  vendors: VENDORS,
  vendorsPerProject: 20,
  commitmentsPerProject: COMMITMENTS,
  insurancesPerVendor: 0,
  seed: 7,
};
// The engine's Procore runs at Procore's documented limits (3,600 an hour, 25 per 10 s per token).
// The naive reference pusher's sandbox has them raised: its 24,000+ calls would take hours, so its
// time under the same limits is computed from its call count (bench/sync.ts).
const naiveLimits = { hourly: 10_000_000, spike10s: 10_000_000 };
const TYPES = ['general_liability', 'automobile_liability', 'umbrella_liability', 'workers_compensation'] as const;

const [procore, naive, mycoi] = await Promise.all([
  createProcoreSandbox({ seed: procoreSeed, latencyMs, rateLimit: PROCORE_LIMITS }),
  createProcoreSandbox({ seed: procoreSeed, latencyMs, rateLimit: naiveLimits }),
  createMycoiSandbox({
    seed: { generate: { vendors: VENDORS, linesPerVendor: LINES, assignments: PROJECTS * COMMITMENTS, divisions: PROJECTS } },
    latencyMs,
    rateLimit: { limit: 10_000_000 },
  }),
]);
const account = mycoi.seed.accounts.find((a) => a.id === 'acct-large')!;

// Unregistered vendors have no lines in the generator; give them their four required lines as
// "missing" so the tenant has exactly 2,000 × 4 vendor rows and 4,000 × 4 assignment rows.
for (const [key, ids] of [
  ['vendorId', account.vendorIds],
  ['assignmentId', account.assignmentIds],
] as const) {
  for (const id of ids) {
    const target = key === 'vendorId' ? { vendorId: id } : { assignmentId: id };
    const rec = mycoi.admin.setCompliance(target, {});
    if (rec.coverage_lines.length === 0) {
      mycoi.admin.setCompliance(target, { coverage_lines: TYPES.map((type) => ({ type, status: 'missing' as const })) });
    }
  }
}

function company(sb: ProcoreSandbox) {
  return {
    vendors: [...sb.state.vendors.values()]
      .filter((v) => v.company_id === 1001)
      .map((v) => v.id)
      .sort((a, b) => a - b),
    commitments: [...sb.state.commitments.values()]
      .filter((c) => c.company_id === 1001)
      .sort((a, b) => a.id - b.id)
      .map((c) => ({ id: c.id, projectId: c.project_id, vendorId: c.vendor_id, type: c.type })),
  };
}

function count(sb: ProcoreSandbox) {
  const reqs = sb.requests().filter((r) => !r.path.startsWith('/oauth'));
  return {
    calls: reqs.length,
    writes: reqs.filter((r) => r.method !== 'GET').length,
    errors: reqs.filter((r) => r.status >= 400).length,
    throttled: reqs.filter((r) => r.status === 429).length,
  };
}

function ours(sb: ProcoreSandbox) {
  const rows = [...sb.state.insurances.values()].filter((i) => i.origin_id?.startsWith('mycoi:'));
  const origins = new Set(rows.map((r) => r.origin_id));
  return { rows: rows.length, distinct: origins.size };
}

process.on('message', (msg: { id: number; cmd: string; args?: Record<string, unknown> }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  const sb = msg.args?.naive ? naive : procore;
  switch (msg.cmd) {
    case 'info':
      return reply({
        procoreUrl: procore.url,
        naiveUrl: naive.url,
        mycoiUrl: mycoi.url,
        mycoiClient: { clientId: account.clientId, clientSecret: account.clientSecret },
        mycoiVendorIds: account.vendorIds,
        mycoiAssignmentIds: account.assignmentIds,
        ...company(procore),
      });
    case 'count':
      return reply(count(sb));
    case 'clear':
      sb.clearRequests();
      mycoi.clearRequests();
      return reply(true);
    case 'ours':
      return reply(ours(sb));
    case 'change': {
      // 1% of rows: every line of each given vendor / assignment gets a new policy number, and its
      // first line turns non-compliant
      const { vendorIds, assignmentIds } = msg.args as { vendorIds: string[]; assignmentIds: string[] };
      for (const [key, ids] of [
        ['vendorId', vendorIds],
        ['assignmentId', assignmentIds],
      ] as const) {
        for (const id of ids) {
          const target = key === 'vendorId' ? { vendorId: id } : { assignmentId: id };
          const rec = mycoi.admin.setCompliance(target, {});
          const lines = rec.coverage_lines.map((l, i) => ({
            ...l,
            policy_number: `${l.policy_number ?? 'X'}-R`,
            ...(i === 0 ? { status: 'non_compliant' as const } : {}),
          }));
          mycoi.admin.setCompliance(target, { coverage_lines: lines });
        }
      }
      return reply(true);
    }
    case 'close':
      void Promise.all([procore.close(), naive.close(), mycoi.close()]).then(() => {
        reply(true);
        process.exit(0);
      });
      return;
  }
});
process.send!({ id: 0, data: 'ready' });
