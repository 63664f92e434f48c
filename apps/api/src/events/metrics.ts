import type client from 'prom-client';
import { counter, histogram, registerOnce } from '../http/metric-helpers';

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
  const metrics = {
    received: counter('events_received_total', 'Webhook deliveries accepted and stored', ['source']),
    deduplicated: counter('events_deduplicated_total', 'Webhook deliveries of an event already stored (at-least-once repeats)', ['source']),
    rejected: counter(
      'events_rejected_total',
      'Webhook deliveries refused (bad or missing secret, bad/stale/replayed signature, malformed body)',
      ['source', 'reason'],
    ),
    unparsed: counter(
      'events_unparsed_total',
      'Authenticated webhook deliveries of unknown or malformed shape: stored for ops and acknowledged',
      ['source'],
    ),
    droppedInactive: counter(
      'events_dropped_inactive_total',
      'Webhook deliveries for tenants that are not active (or unknown): acknowledged and dropped',
      ['source'],
    ),
    ignoredOwn: counter('events_ignored_own_total', 'Procore events caused by our own service account (loop avoidance)', ['source']),
    handled: counter('events_handled_total', 'Stored events handled, by outcome', ['source', 'outcome']),
    latency: histogram(
      'event_latency_seconds',
      'Time from the upstream change (event received/occurred) to the Procore write it caused',
      ['source'],
      [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300],
    ),
    targetedRuns: counter('events_targeted_runs_total', 'Targeted runs after coalescing', ['kind']),
  };
  return { ...metrics, all: () => Object.values(metrics) };
}

/** Adds the event metrics to an app's registry once (a second app on the same registry is a no-op). */
export function registerEventMetrics(metrics: EventMetrics, registry: client.Registry): void {
  registerOnce(metrics.all(), registry);
}
