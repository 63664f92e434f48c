import type pg from 'pg';
import { finishRun, emptyCounts, loadFeatures, type RunOutcome, type RunRow } from '@mycoi/sync';
import { RetryLaterError, TargetedRunFailedError, type TargetedEngine, type TargetResult } from './engine';
import type { EventCounters } from './counters';
import type { EventMetricsPort, EventSource, EventsLogger } from './ports';
import { planBatch, type Target } from './plan';
import { finishEvents, requeueEvents, takeRunEvents, type ClaimedEvent, type Finished } from './store';

export interface EventRunOptions {
  pool: pg.Pool;
  engine: TargetedEngine;
  metrics: EventMetricsPort;
  counters: EventCounters;
  logger: EventsLogger;
  /** after this many failed attempts an event is marked failed; the two-hour cycle still reconciles */
  maxAttempts?: number;
  /** a retry was queued (due at `at`): wake the job worker then */
  onRequeued?: (at: Date) => void;
}

/** The job worker's handler of targeted runs, plus how many events it settled (tests, bench). */
export interface EventRunHandler {
  handle(run: RunRow, owner: string): Promise<RunOutcome>;
  settledCount(): number;
}

/**
 * Handles ONE claimed targeted run of the job queue (packages/jobs): the webhook events its target
 * names (those still pending) are planned into at most two targets (planBatch), executed as this
 * run through the sync engine, and settled — handled (latency when Procore was written), ignored,
 * or left pending with a NEW queued targeted run to retry them: at the budget's reset when the
 * Procore budget is low, with backoff after an error, failed after `maxAttempts`. Owners named
 * directly in the target (the side panel's refresh merged into the same run) join the push.
 * Because the job worker never runs two runs of a tenant at once, this never overlaps the
 * tenant's cycle: it waits for it.
 */
export function eventRunHandler(o: EventRunOptions): EventRunHandler {
  let settled = 0;

  async function finishRunAs(run: RunRow, owner: string, status: 'succeeded' | 'stopped' | 'failed', stopReason: string | null) {
    // no-op when the engine already recorded the run (finishRun matches a running row we own)
    await finishRun(o.pool, run.id, owner, { status, counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [], stopReason });
  }

  async function settle(tenantId: string, batch: ClaimedEvent[], done: Finished[]): Promise<void> {
    await finishEvents(o.pool, done);
    const source = new Map(batch.map((e) => [e.id, e.source]));
    const tally = new Map<string, number>();
    for (const d of done) {
      if (d.status === 'pending') continue;
      settled++;
      const src = source.get(d.id)!;
      if (d.status === 'handled' || d.status === 'ignored') o.metrics.handled.inc({ source: src, outcome: d.outcome });
      const kind = d.status === 'failed' ? 'failed' : 'handled';
      tally.set(`${src}|${kind}`, (tally.get(`${src}|${kind}`) ?? 0) + 1);
    }
    for (const [k, n] of tally) {
      const [src, kind] = k.split('|') as [EventSource, 'handled' | 'failed'];
      o.counters.count(tenantId, src, kind, n);
    }
  }

  /** Events to retry: back to pending, carried by a new queued targeted run due when they should be tried. */
  async function retry(tenantId: string, done: Finished[]): Promise<void> {
    const later = done.filter((d) => d.status === 'pending');
    if (later.length === 0) return;
    const inMs = Math.min(...later.map((d) => d.retryInMs ?? 0));
    await requeueEvents(
      o.pool,
      tenantId,
      later.map((d) => d.id),
      inMs,
    );
    o.onRequeued?.(new Date(Date.now() + inMs));
  }

  async function handle(run: RunRow, owner: string): Promise<RunOutcome> {
    const tenantId = run.tenant_id;
    const target = run.target ?? {};
    let batch = await takeRunEvents(o.pool, tenantId, target.eventIds ?? []);
    const done: Finished[] = [];
    // owners named directly (the side panel's refresh merged into this run): the engine's own gate decides for them
    const direct = {
      vendorIds: [...(target.vendorIds ?? []), ...(target.vendorId ? [target.vendorId] : [])],
      assignmentIds: [...(target.assignmentIds ?? []), ...(target.assignmentId ? [target.assignmentId] : [])],
      commitments: target.commitments ?? [],
    };
    const hasDirect = direct.vendorIds.length + direct.assignmentIds.length + direct.commitments.length > 0;

    // the gate again: a tenant suspended (or events turned off) after we stored its events gets nothing written
    const eventsOn = async () => (await loadFeatures(o.pool, tenantId))?.features.events.on === true;
    if (batch.length > 0 && !(await eventsOn())) {
      for (const e of batch) done.push({ id: e.id, status: 'ignored', outcome: 'tenant_inactive' });
      await settle(tenantId, batch, done);
      for (const [source, n] of countBySource(batch)) o.counters.count(tenantId, source, 'dropped_inactive', n);
      if (!hasDirect) {
        await finishRunAs(run, owner, 'stopped', 'tenant_inactive');
        return { status: 'stopped', ctx: null, stopReason: 'tenant_inactive' };
      }
      batch = [];
      done.length = 0;
    }

    const plan = planBatch(batch);
    for (const s of plan.settled) done.push({ id: s.id, status: 'ignored', outcome: s.outcome });
    const targets = plan.targets.map((t) => t.target);
    if (direct.vendorIds.length || direct.assignmentIds.length) {
      const push = targets.find((t): t is Extract<Target, { kind: 'push' }> => t.kind === 'push');
      if (push) {
        push.vendorIds = [...new Set([...push.vendorIds, ...direct.vendorIds])].sort();
        push.assignmentIds = [...new Set([...push.assignmentIds, ...direct.assignmentIds])].sort();
      } else targets.push({ kind: 'push', vendorIds: direct.vendorIds, assignmentIds: direct.assignmentIds });
    }
    if (direct.commitments.length) targets.push({ kind: 'procore', commitments: direct.commitments, vendorIds: [], projectIds: [] });
    if (targets.length === 0) {
      await settle(tenantId, batch, done);
      await finishRunAs(run, owner, 'succeeded', null);
      return { status: 'succeeded', ctx: null, stopReason: null };
    }

    for (const t of plan.targets) o.metrics.targetedRuns.inc({ kind: t.target.kind });
    const planned = new Map<string, Target['kind']>();
    for (const t of plan.targets) for (const id of t.eventIds) planned.set(id, t.target.kind);
    const events = batch.filter((e) => planned.has(e.id));
    let result: TargetResult;
    try {
      result = await o.engine.execute(run, owner, targets);
    } catch (err) {
      const later = err instanceof RetryLaterError;
      const message = err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500);
      if (!later) o.logger.warn({ tenantId, runId: run.id, err: message }, 'targeted run failed');
      for (const e of events) {
        const giveUp = !later && e.attempts >= (o.maxAttempts ?? 5);
        done.push(
          giveUp
            ? { id: e.id, status: 'failed', outcome: 'failed', error: message }
            : {
                id: e.id,
                status: 'pending',
                outcome: later ? err.reason : 'retrying',
                error: later ? null : message,
                retryInMs: later ? err.retryInMs : Math.min(300_000, 1000 * 2 ** e.attempts),
              },
        );
      }
      await settle(tenantId, batch, done);
      await retry(tenantId, done);
      const recorded = later ? err.run : err instanceof TargetedRunFailedError ? err.run : undefined;
      if (recorded) return recorded;
      await finishRunAs(run, owner, later ? 'stopped' : 'failed', later ? err.reason : message.slice(0, 200));
      return { status: later ? 'stopped' : 'failed', ctx: null, stopReason: later ? err.reason : message.slice(0, 200), error: err };
    }
    const now = Date.now();
    for (const e of events) {
      let latencyMs: number | null = null;
      if (result.procoreWrites > 0) {
        latencyMs = Math.max(0, now - (e.occurred_at ?? e.received_at).getTime());
        o.metrics.latency.observe({ source: e.source }, latencyMs / 1000);
      }
      const outcome = result.stopped ?? (planned.get(e.id) === 'push' ? 'pushed' : 'upkept');
      done.push({ id: e.id, status: 'handled', outcome, latencyMs });
    }
    await settle(tenantId, batch, done);
    await finishRunAs(run, owner, result.stopped ? 'stopped' : 'succeeded', result.stopped);
    return result.run ?? { status: result.stopped ? 'stopped' : 'succeeded', ctx: null, stopReason: result.stopped };
  }

  return { handle, settledCount: () => settled };
}

function countBySource(batch: ClaimedEvent[]): Map<EventSource, number> {
  const m = new Map<EventSource, number>();
  for (const e of batch) m.set(e.source, (m.get(e.source) ?? 0) + 1);
  return m;
}
