// The tenants of bench:scale: their sizes (skewed, deterministic) and the command-line options.
// Shared by the bench (links, tenants rows) and its sandbox process (what to seed), so both sides
// build the same companies and accounts from the same numbers.
import { createRng } from '@mycoi/mycoi-sandbox';

export interface TenantSize {
  /** 0-based; Procore company 1001 + index, myCOI account acct-t<index> */
  index: number;
  vendors: number;
  projects: number;
  commitmentsPerProject: number;
  vendorsPerProject: number;
  large: boolean;
}

export interface ScaleOptions {
  tenants: number;
  large: number;
  latencyMs: number;
  /** runs at once per service instance (SYNC_CONCURRENCY); today's engine ignores it */
  concurrency: number;
  /** give up on a phase after this long (the report then says the phase did not finish) */
  maxPhaseMinutes: number;
}

/**
 * `large` tenants of 2,000 vendors and 200 projects × 20 commitments (the bench:sync tenant), the
 * rest log-uniform in 20–200 vendors and 2–20 projects × 10 commitments: most general contractors
 * are small, a few are big. The large ones are spread through the list (not all first or last),
 * so the queue order does not flatter or punish them.
 */
export function tenantSizes(tenants: number, large: number): TenantSize[] {
  const r = createRng(15);
  const logUniform = (lo: number, hi: number) => Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));
  const largeAt = new Set(Array.from({ length: Math.min(large, tenants) }, (_, k) => Math.floor(((k + 0.5) * tenants) / large)));
  return Array.from({ length: tenants }, (_, index) => {
    if (largeAt.has(index)) {
      return { index, vendors: 2000, projects: 200, commitmentsPerProject: 20, vendorsPerProject: 20, large: true };
    }
    const vendors = logUniform(20, 200);
    return {
      index,
      vendors,
      projects: logUniform(2, 20),
      commitmentsPerProject: 10,
      vendorsPerProject: Math.min(20, vendors),
      large: false,
    };
  });
}

export function companyIdOf(index: number): number {
  return 1001 + index;
}

export function mycoiAccountOf(index: number): { accountId: string; clientId: string; clientSecret: string } {
  return { accountId: `acct-t${index}`, clientId: `t${index}-mycoi-client`, clientSecret: `t${index}-mycoi-secret` };
}

/**
 * --tenants N (300), --large K (1 per 100 tenants), --concurrency N (SYNC_CONCURRENCY, else 8),
 * --latency ms (50), --quick (20 tenants, none large), --max-minutes M per phase (60).
 */
export function parseScaleArgs(argv: readonly string[], env: Record<string, string | undefined>): ScaleOptions {
  const value = (name: string): number | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got ${argv[i + 1] ?? 'nothing'}`);
    return n;
  };
  const quick = argv.includes('--quick');
  const tenants = value('--tenants') ?? (quick ? 20 : 300);
  if (tenants < 1) throw new Error('--tenants must be at least 1');
  const concurrency = value('--concurrency') ?? (env.SYNC_CONCURRENCY ? Number(env.SYNC_CONCURRENCY) : 8);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency / SYNC_CONCURRENCY must be a whole number ≥ 1');
  return {
    tenants,
    large: value('--large') ?? (quick ? 0 : Math.round(tenants / 100)),
    latencyMs: value('--latency') ?? 50,
    concurrency,
    maxPhaseMinutes: value('--max-minutes') ?? 60,
  };
}
