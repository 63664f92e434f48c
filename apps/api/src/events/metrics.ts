import client from 'prom-client';

export type EventSource = 'procore' | 'mycoi';

/**
 * Prometheus metrics of the event path. Created unregistered: the app registers them on its own
 * registry when it mounts the routes (one registry per app instance, so tests can run several).
 */
export interface EventMetrics {
  received: client.Counter<'source'>;
  deduplicated: client.Counter<'source'>;
  rejected: client.Counter<'source' | 'reason'>;
  /** Authenticated deliveries we could not parse: kept for ops and answered 2xx. */
  unparsed: client.Counter<'source'>;
  droppedInactive: client.Counter<'source'>;
  ignoredOwn: client.Counter<'source'>;
  handled: client.Counter<'source' | 'outcome'>;
  /** Event (upstream change) → Procore write acknowledged. */
  latency: client.Histogram<'source'>;
  /** Targeted runs started (after coalescing) — compare with `received` to see coalescing work. */
  targetedRuns: client.Counter<'kind'>;
  all(): client.Metric[];
}

export function createEventMetrics(): EventMetrics {
  const registers: client.Registry[] = [];
  const received = new client.Counter({
    name: 'events_received_total',
    help: 'Webhook deliveries accepted and stored',
    labelNames: ['source'] as const,
    registers,
  });
  const deduplicated = new client.Counter({
    name: 'events_deduplicated_total',
    help: 'Webhook deliveries of an event already stored (at-least-once repeats)',
    labelNames: ['source'] as const,
    registers,
  });
  const rejected = new client.Counter({
    name: 'events_rejected_total',
    help: 'Webhook deliveries refused (bad or missing secret, bad/stale/replayed signature, malformed body)',
    labelNames: ['source', 'reason'] as const,
    registers,
  });
  const unparsed = new client.Counter({
    name: 'events_unparsed_total',
    help: 'Authenticated webhook deliveries of unknown or malformed shape: stored for ops and acknowledged',
    labelNames: ['source'] as const,
    registers,
  });
  const droppedInactive = new client.Counter({
    name: 'events_dropped_inactive_total',
    help: 'Webhook deliveries for tenants that are not active (or unknown): acknowledged and dropped',
    labelNames: ['source'] as const,
    registers,
  });
  const ignoredOwn = new client.Counter({
    name: 'events_ignored_own_total',
    help: 'Procore events caused by our own service account (loop avoidance)',
    labelNames: ['source'] as const,
    registers,
  });
  const handled = new client.Counter({
    name: 'events_handled_total',
    help: 'Stored events handled, by outcome',
    labelNames: ['source', 'outcome'] as const,
    registers,
  });
  const latency = new client.Histogram({
    name: 'event_latency_seconds',
    help: 'Time from the upstream change (event received/occurred) to the Procore write it caused',
    labelNames: ['source'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300],
    registers,
  });
  const targetedRuns = new client.Counter({
    name: 'events_targeted_runs_total',
    help: 'Targeted runs after coalescing',
    labelNames: ['kind'] as const,
    registers,
  });
  return {
    received,
    deduplicated,
    rejected,
    unparsed,
    droppedInactive,
    ignoredOwn,
    handled,
    latency,
    targetedRuns,
    all: () => [received, deduplicated, rejected, unparsed, droppedInactive, ignoredOwn, handled, latency, targetedRuns],
  };
}

/** Adds the event metrics to an app's registry once (a second app on the same registry is a no-op). */
export function registerEventMetrics(metrics: EventMetrics, registry: client.Registry): void {
  for (const m of metrics.all()) {
    // prom-client's types do not declare a metric's name, though every metric has one
    if ('name' in m && typeof m.name === 'string' && !registry.getSingleMetric(m.name)) registry.registerMetric(m);
  }
}
