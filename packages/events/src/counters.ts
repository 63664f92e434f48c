import type pg from 'pg';
import type { EventMetricsPort, EventSource } from './ports';

export type CounterKind = 'received' | 'deduplicated' | 'rejected' | 'unparsed' | 'dropped_inactive' | 'ignored_own' | 'handled' | 'failed';

/**
 * Per-tenant event counters for the ops console (prom counters are per process; these survive
 * restarts). Bumped in memory and written in one statement per second: a burst of deliveries must
 * not spend its database round trips on bookkeeping while myCOI and Procore wait for our 2xx.
 * A crash loses at most the last second of counts, never an event.
 * Every bump also counts on the process's Prometheus counter of the same kind, so the two views
 * can never disagree about what was counted.
 */
export class EventCounters {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pick<pg.Pool, 'query'>,
    private readonly metrics?: EventMetricsPort,
    private readonly flushMs = 1000,
  ) {}

  /**
   * Count `n` events of `kind` for a tenant (scope = tenant id, or null when the request could not
   * be tied to one), here and in Prometheus; `reason` labels rejections there.
   */
  count(scope: string | null, source: EventSource, kind: CounterKind, n = 1, reason = 'unknown'): void {
    this.bump(scope, source, kind, n);
    const m = this.metrics;
    if (!m) return;
    if (kind === 'received') m.received.inc({ source }, n);
    else if (kind === 'deduplicated') m.deduplicated.inc({ source }, n);
    else if (kind === 'rejected') m.rejected.inc({ source, reason }, n);
    else if (kind === 'dropped_inactive') m.droppedInactive.inc({ source }, n);
    else if (kind === 'ignored_own') m.ignoredOwn.inc({ source }, n);
    else if (kind === 'unparsed') m.unparsed.inc({ source }, n);
    // handled/failed: Prometheus counts those by outcome in the worker
  }

  /** The per-tenant tally only (retries of a failed flush must not count in Prometheus again). */
  private bump(scope: string | null, source: EventSource, kind: CounterKind, n = 1): void {
    const key = `${scope ?? ''}|${source}|${kind}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + n);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is pending (the ops summary calls this first, so it never shows stale counts). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending].map(([key, count]) => {
      const [scope, source, kind] = key.split('|') as [string, string, string];
      return { scope, source, kind, count };
    });
    this.pending = new Map();
    const run = async () => {
      if (batch.length === 0) return;
      try {
        await this.pool.query(
          `insert into event_counters (scope, source, kind, count, last_at)
           select x.scope, x.source, x.kind, x.count, now() from jsonb_to_recordset($1::jsonb) as x(scope text, source text, kind text, count bigint)
           on conflict (scope, source, kind) do update set count = event_counters.count + excluded.count, last_at = now()`,
          [JSON.stringify(batch)],
        );
      } catch (err) {
        for (const b of batch) this.bump(b.scope || null, b.source as EventSource, b.kind as CounterKind, b.count); // try again later
        throw err;
      }
    };
    // serialised, so two flushes never race on the same rows
    this.flushing = this.flushing.catch(() => undefined).then(run);
    return this.flushing;
  }
}
