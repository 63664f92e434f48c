// npm run bench:scale (issue 15): the scheduled sync of hundreds of tenants through the job system.
//
// 300 tenants of skewed sizes (bench/scale-plan.ts: most 20–200 vendors and 2–20 projects, one in a
// hundred 2,000 vendors and 200 projects), each its own Procore company with its own DMSA app
// (own token, own rate budget) and its own myCOI account, in a child process: the STRICT Procore
// sandbox at Procore's documented per-token limits (3,600 an hour, 25 per 10 s) and the myCOI
// sandbox at its contract's limit, both with a per-call latency (50 ms). Links as bench:sync makes
// them (vendor i ↔ vendor i, assignment i ↔ commitment i). PostgreSQL 15 (bench/scale.ts starts one).
//
//  (b) first pushes: every tenant active and never synced; ONE slot queued with spread 0 (every
//      tenant due at the slot start, instead of spread over the first hour), measured until the
//      queue is empty;
//  (a) the next slot's tick, spread 0, one instance, until the queue is empty (a steady cycle);
//  (c) the slot after, the same, on TWO service instances sharing that PostgreSQL.
// Each service instance is a process of its own (bench/scale-instance.ts: own event loop and CPU,
// pool, instance id, Procore/myCOI clients), as a deployment runs them; this process only seeds,
// ticks and reads the `runs` table.
// Every figure comes from the `runs` table (bench/scale-stats.ts). Prints a table, PASS/FAIL per
// target, then ONE line of JSON. Options: bench/scale-plan.ts (--tenants N, --quick, ...).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@mycoi/db/testing';
import { PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { seedBenchLinks } from './links';
import { parseScaleArgs, tenantSizes } from './scale-plan';
import type { InstanceReport } from './scale-instance';
import type { SandboxTenant } from './scale-sandboxes';
import { integrity, lastRunId, pendingRuns, phaseStats, type PhaseStats } from './scale-stats';

const opts = parseScaleArgs(process.argv.slice(2), process.env);
const sizes = tenantSizes(opts.tenants, opts.large);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// --- child processes: the sandboxes, and each service instance ---------------------------------
interface Child {
  ask<T>(cmd: string, args?: object): Promise<T>;
  ready: Promise<void>;
}
let closing = false;
function spawnChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const proc = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, (d: unknown) => void>();
  const ready = new Promise<void>((resolve) => waiting.set(0, () => resolve()));
  proc.on('message', (m: { id: number; data: unknown }) => {
    waiting.get(m.id)?.(m.data);
    waiting.delete(m.id);
  });
  proc.on('exit', (code) => {
    if (code !== 0 && !closing) {
      log(`the ${name} process exited (${code})`);
      process.exit(2);
    }
  });
  return {
    ready,
    ask: <T>(cmd: string, args?: object) =>
      new Promise<T>((resolve) => {
        const id = ++seq;
        waiting.set(id, resolve as (d: unknown) => void);
        proc.send({ id, cmd, ...args });
      }),
  };
}
const t0 = performance.now();
const sandboxes = spawnChild('sandbox', './scale-sandboxes.ts', [String(opts.tenants), String(opts.large), String(opts.latencyMs)]);
const ask = <T>(cmd: string, args?: object): Promise<T> => sandboxes.ask<T>(cmd, args === undefined ? undefined : { args });
interface Counted {
  procoreCalls: number;
  procoreWrites: number;
  procoreThrottled: number;
  procoreErrors: number;
  mycoiCalls: number;
  mycoiThrottled: number;
}

await sandboxes.ready;
const { procoreUrl, mycoiUrl } = await ask<{ procoreUrl: string; mycoiUrl: string }>('info');
const seededMs = Math.round(performance.now() - t0);

// --- the database: tenants and links as the side panel and upkeep leave them ----------------
const db = await createTestDatabase();
const databaseUrl = process.env.DATABASE_URL;
if (db.kind !== 'postgres' || !databaseUrl) throw new Error('bench:scale runs on PostgreSQL (npm run bench:scale starts one)');
const tenants = new Map<string, SandboxTenant>();
let linkRows = 0;
for (const size of sizes) {
  const t = await ask<SandboxTenant>('tenant', { index: size.index });
  const res = await db.pool.query<{ id: string }>(
    `insert into tenants (procore_company_id, name, status, compliance_level, procore_environment, mycoi_account_id)
     values ($1, $2, 'active', 'both', 'local', $3) returning id`,
    [String(t.companyId), `Scale GC ${t.index}${size.large ? ' (large)' : ''}`, t.mycoi.accountId],
  );
  const tenantId = res.rows[0]!.id;
  tenants.set(tenantId, t);
  const links = await seedBenchLinks(db.pool, tenantId, t);
  linkRows += links.vendor.length + links.commitment.length;
}
log(`${tenants.size} tenants, ${linkRows} links, sandboxes seeded in ${(seededMs / 1000).toFixed(1)} s`);

// --- service instances -----------------------------------------------------------------------
interface Instance {
  id: string;
  child: Child;
}
async function startInstance(id: string): Promise<Instance> {
  const url = new URL(databaseUrl!);
  url.pathname = `/${dbName}`;
  const child = spawnChild(`instance ${id}`, './scale-instance.ts', [id, String(opts.concurrency), procoreUrl, mycoiUrl], {
    ...process.env,
    DATABASE_URL: url.toString(),
  });
  await child.ready;
  return { id, child };
}
const report = (i: Instance) => i.child.ask<InstanceReport>('report');
const dbName = (await db.pool.query<{ n: string }>('select current_database() as n')).rows[0]!.n;

interface Phase {
  name: string;
  instances: number;
  queued: number;
  wallMs: number;
  emptied: boolean;
  stats: PhaseStats;
  counted: Counted;
  cpu: { id: string; share: number; runs: number }[];
}

/** Tick one slot (start = now, spread 0) on every instance and wait until the queue is empty. */
async function phase(name: string, instances: Instance[]): Promise<Phase> {
  await ask('clear');
  const afterId = await lastRunId(db.pool);
  const before = await Promise.all(instances.map(report));
  const slot = new Date(Math.floor(Date.now() / 1000) * 1000);
  const start = performance.now();
  // every instance ticks (as node-cron fires on each): the slot coordinator lets one enqueue
  const ticks = instances.map((i) => i.child.ask<number>('tick', { slot: slot.toISOString() }));
  const queued = (await Promise.all(ticks)).reduce((a, b) => a + b, 0);
  const deadline = Date.now() + opts.maxPhaseMinutes * 60_000;
  let emptied = false;
  let lastLog = Date.now();
  for (;;) {
    // done: nothing running and nothing due within a minute (a tenant backing off is not waited for)
    const p = await pendingRuns(db.pool, 60_000);
    if (p.running === 0 && p.due === 0) {
      emptied = true;
      break;
    }
    if (Date.now() > deadline) break;
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      log(`${name}: ${p.running} running, ${p.due} due, ${p.later} later (${Math.round((performance.now() - start) / 1000)} s)`);
    }
    await sleep(250);
  }
  const wallMs = Math.round(performance.now() - start);
  const after = await Promise.all(instances.map(report));
  const stats = await phaseStats(db.pool, afterId);
  const counted = await ask<Counted>('count');
  // CPU of each instance process over the phase, as a share of one core
  const cpu = instances.map((i, k) => ({
    id: i.id,
    share: (after[k]!.cpuMs - before[k]!.cpuMs) / wallMs,
    runs: after[k]!.executed - before[k]!.executed,
  }));
  log(
    `${name}: ${stats.finished}/${stats.runs} runs in ${(stats.spanMs / 1000).toFixed(1)} s${emptied ? '' : ' (NOT emptied: phase limit reached)'}`,
  );
  return { name, instances: instances.length, queued, wallMs, emptied, stats, counted, cpu };
}

const one = await startInstance('bench-one');
// a phase whose queue did not empty leaves runs behind that would blur the next one: the later
// phases are then not run (reported as not measured)
const first = await phase('(b) first pushes, 1 instance', [one]);
const steady = first.emptied ? await phase('(a) steady slot, 1 instance', [one]) : null;
// a second instance: another process, its own pool on the same database, its own id and clients
const two = steady?.emptied ? await startInstance('bench-two') : null;
const twoSteady = two ? await phase('(c) steady slot, 2 instances', [one, two]) : null;
const reports = await Promise.all([one, ...(two ? [two] : [])].map(async (i) => ({ id: i.id, ...(await report(i)) })));
await Promise.all([one, ...(two ? [two] : [])].map((i) => i.child.ask('stop')));

const checks = await integrity(db.pool);

// --- figures -----------------------------------------------------------------------------------
const phases = [first, steady, twoSteady].filter((p): p is Phase => p !== null);
const maxStartDelayMs = Math.max(...phases.map((p) => p.stats.maxStartDelayMs));
const procoreCalls = phases.reduce((n, p) => n + p.stats.calls, 0);
// Throughput is measured while the queue has a backlog: the first 90 % of a phase's runs ÷ the time
// until they finished. With spread 0 the phase's last minutes are the largest tenants' upkeep → push
// chains at their own 25-per-10-s limit, one run at a time by design: no number of instances can
// shorten that tail, so runs ÷ whole span would measure the largest tenant, not the job system.
// The whole-span figure is printed in the table (runs/min) beside it.
const perMinOne = steady?.stats.runsPerMin90 ?? null;
const perMinTwo = twoSteady?.stats.runsPerMin90 ?? null;
const scaleRatio = perMinOne && perMinTwo !== null ? Math.round((perMinTwo / perMinOne) * 100) / 100 : null;
const allEmptied = phases.length === 3 && phases.every((p) => p.emptied);
const targets = {
  'steadySlotMs < 600000 (one instance)': steady !== null && steady.emptied && steady.stats.spanMs < 600_000,
  'scaleRatio ≥ 1.7': scaleRatio !== null && scaleRatio >= 1.7,
  'maxStartDelayMs ≤ 300000': allEmptied && maxStartDelayMs <= 300_000,
  'sameTenantOverlaps = 0': checks.sameTenantOverlaps === 0,
  'duplicateSlotRuns = 0': checks.duplicateSlotRuns === 0,
};

const large = sizes.filter((s) => s.large).length;
const vendors = sizes.reduce((n, s) => n + s.vendors, 0);
const commitments = sizes.reduce((n, s) => n + s.projects * s.commitmentsPerProject, 0);
console.log(
  `\nScale benchmark: ${opts.tenants} tenants (${large} of 2,000 vendors × 200 projects, the rest 20–200 vendors × 2–20 projects; ` +
    `${vendors} vendors, ${commitments} commitments in all), ${opts.latencyMs} ms per call, Procore ${PROCORE_LIMITS.hourly}/h and ` +
    `${PROCORE_LIMITS.spike10s}/10 s per token (a token per tenant and instance), SYNC_CONCURRENCY ${opts.concurrency}, PostgreSQL.`,
);
console.log('Each slot is ticked at "now" with spread 0: every tenant is due at the slot start (a real slot spreads them over an hour).\n');
const head = [
  'phase',
  'inst',
  'runs',
  'done',
  'failed',
  'stopped',
  'slot s',
  'runs/min',
  '(90 %)',
  'max delay s',
  'p95 delay s',
  'Procore calls',
  '429s',
];
const widths = [30, 4, 6, 6, 6, 7, 8, 8, 8, 11, 11, 13, 6];
const fmt = (cells: (string | number)[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join(' ');
console.log(fmt(head));
for (const p of phases) {
  const s = p.stats;
  console.log(
    fmt([
      p.name + (p.emptied ? '' : ' *'),
      p.instances,
      s.runs,
      s.finished,
      s.failed,
      s.stopped,
      (s.spanMs / 1000).toFixed(1),
      s.runsPerMin,
      s.runsPerMin90,
      (s.maxStartDelayMs / 1000).toFixed(1),
      (s.p95StartDelayMs / 1000).toFixed(1),
      `${s.calls} (${p.counted.procoreCalls})`,
      p.counted.procoreThrottled,
    ]),
  );
}
if (!allEmptied) {
  console.log(
    `* the queue was not empty after --max-minutes ${opts.maxPhaseMinutes}: figures cover the runs finished by then; ` +
      `${3 - phases.length} later phase(s) not run (null in the JSON line)`,
  );
}
console.log(
  'slot s: first run_after → last finished_at of the phase; runs/min: finished runs ÷ that span; (90 %): 90 % of them ÷ the ' +
    "time until 90 % had finished (the bulk, without the largest tenants' rate-limited tail); delay: started_at − run_after " +
    '(maxStartDelayMs in the JSON is the largest of all phases); Procore calls: from runs.calls (in brackets: counted by the ' +
    'sandbox, incl. calls of runs that did not finish); steadySlotMs = (a), firstPushesMs = (b); runsPerMinOne/Two = the (90 %) ' +
    'throughput of (a) and (c), scaleRatio = their ratio',
);
console.log(
  `runs table: sameTenantOverlaps ${checks.sameTenantOverlaps}, duplicateSlotRuns ${checks.duplicateSlotRuns}; ` +
    `runs executed per instance: ${reports.map((r) => `${r.id} ${r.executed}`).join(', ')}; peak RSS per instance: ${reports.map((r) => `${r.id} ${r.peakRssMb} MB`).join(', ')}`,
);
console.log(
  `instance CPU (share of one core over the phase; runs it executed): ${phases
    .map((p) => `${p.name.split(',')[0]} ${p.cpu.map((c) => `${c.id} ${c.share.toFixed(2)} (${c.runs})`).join(', ')}`)
    .join('; ')}`,
);
if (steady && twoSteady && steady.stats.runsPerMin > 0) {
  // not a target: over the whole span the largest tenant's rate-limited chain decides (see perMinOne)
  console.log(
    `two instances ÷ one over the whole slot span (incl. the largest tenants' tail): ${(twoSteady.stats.runsPerMin / steady.stats.runsPerMin).toFixed(2)}`,
  );
}
for (const x of checks.overlaps) console.log(`  overlap in tenant ${x.tenant}: ${x.a} and ${x.b}`);
console.log(
  `targets: ${Object.entries(targets)
    .map(([k, v]) => `${k} ${v ? 'PASS' : 'FAIL'}`)
    .join('; ')}`,
);
console.log(
  JSON.stringify({
    bench: 'scale',
    tenants: opts.tenants,
    steadySlotMs: steady?.emptied ? steady.stats.spanMs : null,
    firstPushesMs: first.emptied ? first.stats.spanMs : null,
    runsPerMinOne: perMinOne,
    runsPerMinTwo: perMinTwo,
    scaleRatio,
    maxStartDelayMs,
    sameTenantOverlaps: checks.sameTenantOverlaps,
    duplicateSlotRuns: checks.duplicateSlotRuns,
    procoreCalls,
  }),
);

closing = true;
await ask('close');
await db.close();
process.exit(Object.values(targets).every(Boolean) ? 0 : 1);
