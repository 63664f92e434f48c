import type { EventSource } from '@mycoi/contracts';
import type { ProcoreClient } from '@mycoi/procore';

// What the event and hook logic needs from its host, as narrow interfaces: apps/api satisfies
// them with its prom metrics, its pino logger and its tenant client registry, so this package
// never imports the app (and tests can hand it the real sandboxes' clients directly).

export type { EventSource };

/** Structured logging, the three levels used here (pino's child loggers fit). */
export interface EventsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

interface Counter<L extends string> {
  inc(labels: Partial<Record<L, string | number>>, value?: number): void;
}

/**
 * The Prometheus counters the event path bumps (apps/api/src/events/metrics.ts creates and
 * registers them). Counters count per process; EventCounters keeps the per-tenant tally.
 */
export interface EventMetricsPort {
  received: Counter<'source'>;
  deduplicated: Counter<'source'>;
  rejected: Counter<'source' | 'reason'>;
  unparsed: Counter<'source'>;
  droppedInactive: Counter<'source'>;
  ignoredOwn: Counter<'source'>;
  handled: Counter<'source' | 'outcome'>;
  /** event (upstream change) → Procore write acknowledged, in seconds */
  latency: { observe(labels: Partial<Record<'source', string | number>>, value: number): void };
  targetedRuns: Counter<'kind'>;
}

/**
 * The tenant's Procore DMSA client as hook registration needs it: the SAME client (token and
 * rate budget) the sync engine uses for the tenant, so hook calls count against its budget.
 */
export interface HookClients {
  procore(tenantId: string): Promise<{ client: ProcoreClient; companyId: string; clientId: string }>;
}
