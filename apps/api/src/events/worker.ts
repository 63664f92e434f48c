import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isTenantActive } from '../tenants/gate';
import { RetryLaterError, type TargetedEngine, type TargetResult } from './engine';
import type { EventCounters } from './counters';
import type { EventMetrics, EventSource } from './metrics';
import { planBatch, type Target } from './plan';
import { claimTenantBatch, finishEvents, nextDueInMs, type ClaimedEvent, type Finished } from './store';

export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EventWorkerOptions {
  pool: pg.Pool;
  engine: TargetedEngine;
  metrics: EventMetrics;
  counters: EventCounters;
  logger: WorkerLogger;
  /** a claimed batch is taken again by anyone after this (crashed worker) */
  leaseMs?: number;
  /** longest sleep between looks at the table (other instances may have stored events) */
  pollMs?: number;
  /** the receivers' coalescing window: a wake-up looks when it has passed */
  coalesceMs?: number;
  /** after this many failed attempts an event is marked failed; the two-hour cycle still reconciles */
  maxAttempts?: number;
}

/**
 * Handles stored events asynchronously, one tenant batch at a time. Everything it needs is in
 * webhook_events, so a restart simply continues: events stored before a crash are still pending
 * (or their lease lapses) and are handled by the next worker to look.
 */
export class EventWorker {
  readonly owner = `events-${randomUUID()}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private sleeping: { until: number; reschedule(at: number): void; now(): void } | null = null;
  private woken = false;

  constructor(private readonly o: EventWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeping?.now();
    await this.loop;
    this.loop = null;
  }

  /**
   * A new event was stored: look when its coalescing window ends rather than at the next poll.
   * Cheap on purpose: a burst of a thousand deliveries reschedules one timer, it queries nothing.
   */
  wake(): void {
    const target = Date.now() + (this.o.coalesceMs ?? 0) + 5;
    if (this.sleeping && this.sleeping.until > target) this.sleeping.reschedule(target);
    else if (!this.sleeping) this.woken = true;
  }

  /** Handles every batch that is due now; returns how many events were settled (tests, bench). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      if (n === 0) return total;
      total += n;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.runOnce();
      } catch (err) {
        this.o.logger.error({ err }, 'event worker batch failed');
      }
      if (n > 0 || !this.running) continue;
      let wait = this.o.pollMs ?? 1000;
      try {
        const due = await nextDueInMs(this.o.pool);
        if (due !== null) wait = Math.min(wait, Math.ceil(due) + 5);
      } catch {
        // the database may be closing; the poll interval applies
      }
      await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      // an event arrived while we worked: its window decides when to look next
      this.woken = false;
      ms = Math.min(ms, (this.o.coalesceMs ?? 0) + 5);
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const finish = () => {
        clearTimeout(timer);
        this.sleeping = null;
        resolve();
      };
      const state = {
        until: Date.now() + ms,
        reschedule: (at: number) => {
          clearTimeout(timer);
          state.until = at;
          timer = setTimeout(finish, Math.max(0, at - Date.now()));
        },
        now: finish,
      };
      timer = setTimeout(finish, ms);
      this.sleeping = state;
    });
  }

  /** Claims and handles one tenant's batch. */
  async runOnce(): Promise<number> {
    const batch = await claimTenantBatch(this.o.pool, this.owner, this.o.leaseMs ?? 120_000);
    if (batch.length === 0) return 0;
    const tenantId = batch[0]!.tenant_id;
    const done: Finished[] = [];

    // the gate again: a tenant suspended after we stored its events gets nothing written
    if (!(await isTenantActive(this.o.pool, tenantId, 'events'))) {
      for (const e of batch) done.push({ id: e.id, status: 'ignored', outcome: 'tenant_inactive' });
      await this.settle(tenantId, batch, done);
      for (const [source, n] of countBySource(batch)) {
        this.o.counters.count(tenantId, source, 'dropped_inactive', n);
      }
      return batch.length;
    }

    const plan = planBatch(batch);
    for (const s of plan.settled) done.push({ id: s.id, status: 'ignored', outcome: s.outcome });
    const byId = new Map(batch.map((e) => [e.id, e]));
    for (const t of plan.targets) {
      const events = t.eventIds.map((id) => byId.get(id)!);
      done.push(...(await this.handleTarget(tenantId, t.target, events)));
    }
    await this.settle(tenantId, batch, done);
    return batch.length;
  }

  private async handleTarget(tenantId: string, target: Target, events: ClaimedEvent[]): Promise<Finished[]> {
    this.o.metrics.targetedRuns.inc({ kind: target.kind });
    let result: TargetResult;
    try {
      result = await this.execute(tenantId, target);
    } catch (err) {
      const retry = err instanceof RetryLaterError;
      const message = err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500);
      if (!retry) this.o.logger.warn({ tenantId, target: target.kind, err: message }, 'targeted run failed');
      return events.map((e) => {
        const giveUp = !retry && e.attempts >= (this.o.maxAttempts ?? 5);
        return giveUp
          ? { id: e.id, status: 'failed' as const, outcome: 'failed', error: message }
          : {
              id: e.id,
              status: 'pending' as const,
              outcome: retry ? (err as RetryLaterError).reason : 'retrying',
              error: retry ? null : message,
              retryInMs: retry ? (err as RetryLaterError).retryInMs : Math.min(300_000, 1000 * 2 ** e.attempts),
            };
      });
    }
    const now = Date.now();
    return events.map((e) => {
      let latencyMs: number | null = null;
      if (result.procoreWrites > 0) {
        const from = (e.occurred_at ?? e.received_at).getTime();
        latencyMs = Math.max(0, now - from);
        this.o.metrics.latency.observe({ source: e.source }, latencyMs / 1000);
      }
      return { id: e.id, status: 'handled' as const, outcome: result.outcome, latencyMs };
    });
  }

  private execute(tenantId: string, t: Target): Promise<TargetResult> {
    if (t.kind === 'push') return this.o.engine.pushCompliance(tenantId, { vendorIds: t.vendorIds, assignmentIds: t.assignmentIds });
    return this.o.engine.procoreChanges(tenantId, { commitments: t.commitments, vendorIds: t.vendorIds, projectIds: t.projectIds });
  }

  private async settle(tenantId: string, batch: ClaimedEvent[], done: Finished[]): Promise<void> {
    await finishEvents(this.o.pool, this.owner, done);
    const source = new Map(batch.map((e) => [e.id, e.source]));
    const tally = new Map<string, number>();
    for (const d of done) {
      if (d.status === 'pending') continue;
      const src = source.get(d.id)!;
      if (d.status === 'handled' || d.status === 'ignored') this.o.metrics.handled.inc({ source: src, outcome: d.outcome });
      const kind = d.status === 'failed' ? 'failed' : 'handled';
      tally.set(`${src}|${kind}`, (tally.get(`${src}|${kind}`) ?? 0) + 1);
    }
    for (const [k, n] of tally) {
      const [src, kind] = k.split('|') as [EventSource, 'handled' | 'failed'];
      this.o.counters.count(tenantId, src, kind, n);
    }
  }
}

function countBySource(batch: ClaimedEvent[]): Map<EventSource, number> {
  const m = new Map<EventSource, number>();
  for (const e of batch) m.set(e.source, (m.get(e.source) ?? 0) + 1);
  return m;
}
